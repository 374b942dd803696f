"""Ingest on Spark writes the same lake: `gongkai ingest --engine spark` on the sample gives
the same shards as the local worker pool, row for row and byte for byte. Needs Java and the
`spark` dependency group (uv run --frozen --group spark pytest -m spark)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from tests.engines.engines import (
    SAMPLE,
    SPARK_SETTINGS,
    compare_relations,
    ingest,
    parquet_relation,
)

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def lakes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("ingest-engines")
    local, spark = folder / "local", folder / "spark"
    ingested = ingest(SAMPLE, local)
    assert ingested.returncode == 0, ingested.stderr
    os.environ.update(SPARK_SETTINGS)
    ingested = ingest(SAMPLE, spark, "--engine", "spark")
    assert ingested.returncode == 0, ingested.stderr[-5000:]
    return local, spark


def _shards(lake: Path) -> dict[str, bytes]:
    return {
        path.relative_to(lake).as_posix(): path.read_bytes()
        for path in sorted(lake.rglob("*.parquet"))
    }


def test_spark_ingest_writes_the_same_shards(lakes: tuple[Path, Path]) -> None:
    local, spark = lakes
    local_shards, spark_shards = _shards(local), _shards(spark)
    assert sorted(spark_shards) == sorted(local_shards)
    assert any(name.startswith("cells/") for name in local_shards)
    different = [name for name in local_shards if spark_shards[name] != local_shards[name]]
    assert different == []


@pytest.mark.parametrize("table", ["cells", "documents"])
def test_spark_ingest_has_the_same_rows(lakes: tuple[Path, Path], table: str) -> None:
    local, spark = lakes
    with duckdb.connect() as connection:
        rows = connection.execute(
            f"select count(*) from {parquet_relation(local / table)}"
        ).fetchone()[0]
        differences = compare_relations(
            connection, table, parquet_relation(local / table), parquet_relation(spark / table)
        )
    assert rows > 0
    assert [str(difference) for difference in differences] == []
