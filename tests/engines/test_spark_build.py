"""The same project on Spark gives the same answers: `dbt build --target spark` on the
sample lake (local Spark in the dbt process), every mart and seed compared with the
DuckDB build row for row. Needs Java and the `spark` dependency group:

    uv run --frozen --group spark pytest -m spark
"""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import pytest

from gongkai.review import EXPORT_COLUMNS, VERDICT_COLUMNS, export_open_findings, import_verdicts
from publish import dictionary
from publish.export import export_warehouse
from publish.from_parquet import warehouse_from_parquet
from publish.report import write_report
from tests.engines.engines import (
    ROOT,
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
from tests.test_cross_report import DERIVED
from tests.test_cross_report import _inputs as series_inputs
from tests.test_legacy_splits import TABLE_ONLY_2018
from tests.test_series import DERIVED_2017, _derived_2017

pytestmark = pytest.mark.spark

# Hive's metastore keeps 256 characters of a column comment, AWS Glue 255.
COMMENT_LIMIT = 255


@dataclass(frozen=True)
class Builds:
    folder: Path
    duckdb: Path
    duckdb_run: DbtRun
    duckdb_marts: Path
    spark_run: DbtRun
    spark_marts: Path


# A note as reviewers write them (a comma, quotes, a backslash, a second line): the verdicts
# CSV must read the same on every engine.
AWKWARD_NOTE = '规范性文件 2023 年集中清理, "废止 12 件" 见 C:\\附件\n第二行'


def _verdicts(database: Path, workdir: Path, review: Path) -> int:
    """Verdicts on the open findings of the first DuckDB build, imported into `review`:
    an extraction_error that corrects two cells (R11 on the derived report), an explained
    one with an awkward note (R13), a confirmed_source_error on every other open finding
    and one whose finding does not exist (an orphan)."""
    csv_path, _, count = export_open_findings(database, workdir)
    assert count > 0
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["rule_id"] == "R11" and DERIVED in row["source_path"]:
            cell = row["scope_code"].replace("applications/", "applications/carried_over/")
            row.update(verdict="extraction_error", corrected_cell=cell, corrected_value="0")
        elif row["rule_id"] == "R13":
            row.update(verdict="explained", note=AWKWARD_NOTE)
        else:
            row.update(verdict="confirmed_source_error", note="")
    orphan = dict(rows[0], finding_id="0" * 32, verdict="not_a_problem", note="gone")
    orphan.update(corrected_cell="", corrected_value="")
    filled = workdir / "filled.csv"
    with open(filled, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, EXPORT_COLUMNS)
        writer.writeheader()
        writer.writerows([*rows, orphan])
    return import_verdicts(filled, review / "verdicts.csv").imported


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    """The sample plus a real series (one body over three years, its PDF twin, a derived
    copy that breaks carryover), so the rules across reports have findings; the second
    DuckDB build and the Spark build read reviewer verdicts on them. With 平潭 2018's table
    alone and a derived 2017 table, whose cumulative figures split its run-together rows
    (tests/test_legacy_splits.py)."""
    folder = tmp_path_factory.mktemp("engines")
    lake = folder / "lake"
    inputs = series_inputs(folder / "inputs")
    shutil.copyfile(TABLE_ONLY_2018, inputs / TABLE_ONLY_2018.name)
    (inputs / DERIVED_2017).write_text(_derived_2017(), encoding="utf-8")
    ingested = ingest(inputs, lake)
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    review = folder / "review"
    review.mkdir()
    (review / "verdicts.csv").write_text(",".join(VERDICT_COLUMNS) + "\n", encoding="utf-8")
    first = folder / "first.duckdb"
    environment = {
        "GONGKAI_LAKE": str(lake),
        "GONGKAI_DB": str(first),
        "GONGKAI_REVIEW_DIR": str(review),
    }
    # Only what the export of open findings reads, without tests: the verdicts' finding ids.
    select = ["+fct_reconciliation_results", "+dim_reports", "+fct_finding_cells"]
    skip = ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
    first_run = dbt(["build", "--select", *select, *skip], folder / "first", environment)
    assert first_run.returncode == 0, first_run.output[-5000:]
    assert _verdicts(first, folder / "findings", review) > 3
    database = folder / "gongkai.duckdb"
    duckdb_marts = folder / "duckdb-marts"
    duckdb_marts.mkdir()  # DuckDB creates one folder level per COPY, not the parents
    duckdb_run = dbt(
        ["build"],
        folder / "duckdb",
        environment | {"GONGKAI_DB": str(database), "GONGKAI_MARTS_PARQUET": str(duckdb_marts)},
    )
    assert duckdb_run.returncode == 0, duckdb_run.output[-5000:]
    marts = folder / "spark-marts"
    spark_run = dbt(
        ["build", "--target", "spark"],
        folder / "spark",
        spark_environment(folder / "spark", lake, marts) | {"GONGKAI_REVIEW_DIR": str(review)},
    )
    return Builds(folder, database, duckdb_run, duckdb_marts, spark_run, marts)


def test_spark_build_passes(builds: Builds) -> None:
    assert builds.spark_run.returncode == 0, builds.spark_run.output[-8000:]
    assert failed_nodes(builds.spark_run) == []


def test_spark_runs_what_duckdb_runs(builds: Builds) -> None:
    """Same nodes, same statuses (tests that warn on DuckDB warn on Spark)."""

    def statuses(run: DbtRun) -> dict[str, str]:
        return {result["unique_id"]: result["status"] for result in run.run_results["results"]}

    assert statuses(builds.spark_run) == statuses(builds.duckdb_run)


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_every_mart_and_seed_is_exported(builds: Builds, engine: str) -> None:
    run, folder = (
        (builds.spark_run, builds.spark_marts)
        if engine == "spark"
        else (builds.duckdb_run, builds.duckdb_marts)
    )
    manifest = run.manifest
    expected = set(mart_names(manifest)) | set(seed_names(manifest))
    assert len(mart_names(manifest)) >= 5
    exported = {path.name for path in folder.iterdir() if any(path.glob("*.parquet"))}
    assert exported == expected


def test_publishing_from_spark_marts_gives_the_duckdb_exports(builds: Builds) -> None:
    """Spark's Parquet marts -> DuckDB file -> export: the same CSV bytes, the same data
    dictionary and the same report pages as publishing the DuckDB build itself."""
    published = builds.folder / "published"
    database = published / "gongkai.duckdb"
    marts = warehouse_from_parquet(
        builds.spark_marts, builds.spark_run.target / "manifest.json", database
    )
    assert marts == mart_names(builds.spark_run.manifest)
    from_spark = export_warehouse(database, published / "export")
    from_duckdb = export_warehouse(builds.duckdb, builds.folder / "duckdb-published" / "export")

    def digests(manifest: dict, kind: str) -> dict[str, str]:
        return {
            entry["path"]: entry["sha256"] for entry in manifest["files"] if entry["format"] == kind
        }

    assert digests(from_spark, "csv") == digests(from_duckdb, "csv")
    assert from_spark["marts"] == from_duckdb["marts"]
    with (
        duckdb.connect(str(database), read_only=True) as spark_side,
        duckdb.connect(str(builds.duckdb), read_only=True) as duckdb_side,
    ):
        # Types are the engine's (a DuckDB sum is HUGEINT, Spark's BIGINT): not compared.
        assert [replace(entry, data_type="") for entry in dictionary.entries(spark_side)] == [
            replace(entry, data_type="") for entry in dictionary.entries(duckdb_side)
        ]

    def report(database: Path, out: Path) -> dict[str, bytes]:
        return {
            page.relative_to(out).as_posix(): page.read_bytes()
            for page in write_report(database, out, source_root=ROOT)
        }

    assert report(database, published / "report") == report(
        builds.duckdb, builds.folder / "duckdb-published" / "report"
    )


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
    assert compared["rpt_review_verdicts"] > 3


def test_rows_split_by_last_years_report_on_spark(builds: Builds) -> None:
    """The run-together rows of 平潭 2018's table, split by the 2017 table (L06), are in the
    Spark marts as in DuckDB's (compared row for row above)."""
    statistics = parquet_relation(builds.spark_marts / "fct_legacy_statistics")
    reports = parquet_relation(builds.spark_marts / "dim_reports")
    with duckdb.connect() as connection:
        rows = connection.execute(
            f"""
            select s.indicator, s.period, s.value, s.cell_status
            from {statistics} s join {reports} d using (report_id)
            where d.source_path like '%' || ? and s.indicator = 'proactive_disclosed'
            order by s.period
            """,
            [TABLE_ONLY_2018.name],
        ).fetchall()
    assert rows == [
        ("proactive_disclosed", "cumulative", 12106, "inferred"),
        ("proactive_disclosed", "year", 2069, "inferred"),
    ]


def test_rules_across_reports_and_verdicts_were_compared(builds: Builds) -> None:
    """The rules across reports had findings on both engines, and verdicts reached them:
    the corrected cells made R11 pass, the awkward note arrived whole, the orphan is listed."""
    results = parquet_relation(builds.spark_marts / "fct_reconciliation_results")
    verdicts = parquet_relation(builds.spark_marts / "rpt_review_verdicts")
    with duckdb.connect() as connection:
        rules = dict(
            connection.execute(
                f"select rule_id, count(*) from {results} where rule_id between 'R11' and 'R15'"
                " group by rule_id"
            ).fetchall()
        )
        judged = dict(
            connection.execute(
                f"select verdict, count(*) from {results} where verdict is not null group by 1"
            ).fetchall()
        )
        corrected = connection.execute(
            f"select outcome from {results} where rule_id = 'R11' and verdict = 'extraction_error'"
        ).fetchall()
        notes = connection.execute(f"select distinct verdict_note from {results}").fetchall()
        orphans = connection.execute(
            f"select finding_id from {verdicts} where is_orphan"
        ).fetchall()
    assert {"R11", "R13", "R15"} <= set(rules), rules
    assert {"extraction_error", "explained", "confirmed_source_error"} <= set(judged), judged
    assert corrected and {outcome for (outcome,) in corrected} == {"pass"}
    assert (AWKWARD_NOTE,) in notes
    assert orphans == [("0" * 32,)]


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
