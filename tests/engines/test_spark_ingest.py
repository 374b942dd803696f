"""Ingest on Spark writes the same lake: `gongkai ingest --engine spark` on the sample gives
the same shards as the local worker pool, row for row and byte for byte. Needs Java and the
`spark` dependency group (uv run --frozen --group spark pytest -m spark)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.engines.engines import (
    ROOT,
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


# Loaded by every Python of the ingest (driver, Spark's Python workers, the children they
# fork) through PYTHONPATH: the parser misbehaves on files named poison-<behaviour>*, as a
# parser bug or a pathological document would, inside the Spark task.
_POISON = """
import os, signal, time
from pathlib import Path
from ingest.lake import workers

_real = workers.parse_document_columns


def _parse(data, source_path, report_id):
    name = Path(source_path).name
    if name.startswith("poison-hang"):
        time.sleep(3600)
    if name.startswith("poison-die"):
        os.kill(os.getpid(), signal.SIGKILL)
    if name.startswith("poison-eat"):
        hoard = [bytearray(100 * 1024 * 1024) for _ in range(15)]
        time.sleep(3600)
        del hoard
    return _real(data, source_path, report_id)


workers.parse_document_columns = _parse
"""


def test_a_document_that_hangs_dies_or_eats_memory_in_a_spark_task_is_an_error_row(
    tmp_path: Path,
) -> None:
    """The per-document budget holds inside Spark tasks: each poisoned document becomes an
    error row naming the file and the reason; every other document is parsed and written."""
    reports = tmp_path / "in"
    reports.mkdir()
    names = sorted(path.name for path in SAMPLE.iterdir() if path.is_file())[:8]
    for name in names:
        (reports / name).write_bytes((SAMPLE / name).read_bytes())
    for behaviour in ("hang", "die", "eat"):
        text = f"政府信息公开工作年度报告 poison {behaviour}"
        (reports / f"poison-{behaviour}.txt").write_text(text, encoding="utf-8")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(_POISON, encoding="utf-8")
    environment = {**SPARK_SETTINGS, "PYTHONPATH": f"{hooks}{os.pathsep}{ROOT}"}
    lake = tmp_path / "lake"
    arguments = ("--engine", "spark", "--doc-seconds", "15", "--doc-memory-mb", "800")
    ingested = ingest(reports, lake, *arguments, environment=environment)
    assert ingested.returncode == 1, ingested.stderr[-5000:]  # error rows: exit status 1
    documents = {
        Path(row["source_path"]).name: row for row in pq.read_table(lake / "documents").to_pylist()
    }
    assert sorted(documents) == sorted(
        [*names, "poison-die.txt", "poison-eat.txt", "poison-hang.txt"]
    )
    reasons = {
        "poison-hang.txt": "took longer than 15 s, the per-document time budget",
        "poison-die.txt": "the parser process died on this document: SIGKILL",
        "poison-eat.txt": "used more than 800 MB, the per-document memory budget",
    }
    for name, reason in reasons.items():
        row = documents[name]
        assert row["status"] == "error", row
        assert name in row["error"] and reason in row["error"], row["error"]
    assert all(documents[name]["status"] != "error" for name in names)
    cells = pq.read_table(lake / "cells", columns=["report_id"]).column("report_id").to_pylist()
    parsed = {
        documents[name]["report_id"] for name in names if documents[name]["status"] == "parsed"
    }
    assert parsed and parsed <= set(cells)
