"""The warehouse file opens in the DuckDB 1.5 command-line client (a 1.x reader, as BI
tools ship) read-only, and the analyst queries of analyses/analyst_queries.sql (compiled by
dbt) give there the
same answers as in the duckdb Python package."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.bi.queries import analyst_queries
from tests.conftest import Built

CLI = Path(sys.executable).with_name("duckdb")  # the duckdb-cli package of the dev group


@pytest.fixture(scope="module")
def warehouse(sample_build: Built) -> Path:
    return sample_build.database


@pytest.fixture(scope="module")
def target(sample_build: Built) -> Path:
    return sample_build.target


def _cli(database: Path, sql: str, *options: str) -> str:
    assert CLI.exists(), f"{CLI} is missing: the duckdb-cli package of the dev group (uv sync)"
    result = subprocess.run(
        [str(CLI), "-readonly", *options, str(database), "-c", sql],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"duckdb CLI failed ({result.returncode}): {result.stderr}"
    return result.stdout


def test_cli_is_a_1_5_reader() -> None:
    version = subprocess.run([str(CLI), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("v1.5."), version.stdout


def test_warehouse_opens_read_only_in_the_cli(warehouse: Path) -> None:
    assert _cli(warehouse, "select count(*) as n from dim_reports", "-csv").split() == ["n", "11"]


def test_analyst_queries_in_the_cli_equal_duckdb_python(warehouse: Path, target: Path) -> None:
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        for name, sql in analyst_queries(target).items():
            result = connection.execute(sql)
            columns = [column[0] for column in result.description]
            expected = [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
            output = _cli(warehouse, sql, "-json").strip()
            assert (json.loads(output) if output else []) == expected, name
    finally:
        connection.close()


def test_cli_cannot_write_a_read_only_warehouse(warehouse: Path) -> None:
    result = subprocess.run(
        [str(CLI), "-readonly", str(warehouse), "-c", "create table probe as select 1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "read-only" in result.stderr + result.stdout


def test_report_and_analyst_query_give_one_correction_rate(sample_build: Built) -> None:
    """The HTML report and the analyst query read the same model, rpt_correction_rates_by_year."""
    from publish.charts import percent

    with duckdb.connect(str(sample_build.database), read_only=True) as connection:
        sql = analyst_queries(sample_build.target)["correction_rate"]
        assert "rpt_correction_rates_by_year" in sql
        result = connection.execute(sql)
        columns = [column[0] for column in result.description]
        rates = [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
    assert {row["proceeding"] for row in rates} == {
        "admin_review",
        "lawsuit_direct",
        "lawsuit_after_review",
    }
    index = (sample_build.report / "index.html").read_text(encoding="utf-8")
    for row in rates:
        if row["correction_rate"] is not None:
            assert percent(row["correction_rate"]) in index, row
