"""The same project on Spark gives the same answers: `dbt build --target spark` on the
sample lake (local Spark in the dbt process), every mart and seed compared with the
DuckDB build row for row. Needs Java and the `spark` dependency group:

    uv run --frozen --group spark pytest -m spark
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.engines.engines import (
    SAMPLE,
    DbtRun,
    compare_relations,
    dbt,
    failed_nodes,
    ingest,
    mart_names,
    parquet_relation,
    seed_names,
    spark_environment,
)

pytestmark = pytest.mark.spark

# Hive's metastore keeps 256 characters of a column comment, AWS Glue 255.
COMMENT_LIMIT = 255


@dataclass(frozen=True)
class Builds:
    duckdb: Path
    duckdb_run: DbtRun
    spark_run: DbtRun
    spark_marts: Path


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    folder = tmp_path_factory.mktemp("engines")
    lake = folder / "lake"
    ingested = ingest(SAMPLE, lake)
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    database = folder / "gongkai.duckdb"
    duckdb_run = dbt(
        ["build"], folder / "duckdb", {"GONGKAI_LAKE": str(lake), "GONGKAI_DB": str(database)}
    )
    assert duckdb_run.returncode == 0, duckdb_run.output[-5000:]
    marts = folder / "spark-marts"
    spark_run = dbt(
        ["build", "--target", "spark"],
        folder / "spark",
        spark_environment(folder / "spark", lake, marts),
    )
    return Builds(database, duckdb_run, spark_run, marts)


def test_spark_build_passes(builds: Builds) -> None:
    assert builds.spark_run.returncode == 0, builds.spark_run.output[-8000:]
    assert failed_nodes(builds.spark_run) == []


def test_spark_runs_what_duckdb_runs(builds: Builds) -> None:
    """Same nodes, same statuses (tests that warn on DuckDB warn on Spark)."""

    def statuses(run: DbtRun) -> dict[str, str]:
        return {result["unique_id"]: result["status"] for result in run.run_results["results"]}

    assert statuses(builds.spark_run) == statuses(builds.duckdb_run)


def test_every_mart_and_seed_is_exported(builds: Builds) -> None:
    manifest = builds.spark_run.manifest
    expected = set(mart_names(manifest)) | set(seed_names(manifest))
    assert len(mart_names(manifest)) >= 5
    exported = {path.name for path in builds.spark_marts.iterdir() if path.is_dir()}
    assert exported == expected


def test_marts_and_seeds_equal_duckdb_row_for_row(builds: Builds) -> None:
    manifest = builds.spark_run.manifest
    differences = []
    compared = {}
    with duckdb.connect() as connection:
        connection.execute(f"attach '{builds.duckdb}' as warehouse (read_only)")
        for name, schema in [(mart, "main") for mart in mart_names(manifest)] + [
            (seed, "dictionaries") for seed in seed_names(manifest)
        ]:
            duckdb_relation = f'warehouse.{schema}."{name}"'
            spark_relation = parquet_relation(builds.spark_marts / name)
            differences += compare_relations(connection, name, duckdb_relation, spark_relation)
            compared[name] = connection.execute(
                f"select count(*) from {duckdb_relation}"
            ).fetchone()[0]
    assert [str(difference) for difference in differences] == []
    # The comparison saw real rows: the sample's facts and rule results are not empty.
    assert compared["fct_reconciliation_results"] > 0
    assert compared["fct_applications"] > 0


def test_persisted_comments_fit_the_metastore(builds: Builds) -> None:
    """Every comment Spark was given is within the limit; the long ones were cut."""
    literals = []
    for path in (builds.spark_run.target / "run").rglob("*.sql"):
        text = path.read_text(encoding="utf-8")
        literals += re.findall(r"\bcomment '((?:[^'\\]|\\.)*)'", text)
    assert literals, "no comments were persisted on Spark"
    texts = [re.sub(r"\\(.)", r"\1", literal) for literal in literals]
    assert max(len(text) for text in texts) <= COMMENT_LIMIT
    assert any(text.endswith("…") for text in texts), "expected long descriptions to be cut"
