"""`import gongkai; gongkai.read(...)`: marts as polars DataFrames, read-only, described."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

import gongkai
from tests.conftest import Built


def test_read_returns_a_mart_as_a_polars_dataframe(sample_build: Built) -> None:
    frame = gongkai.read("fct_applications", database=sample_build.database)
    assert isinstance(frame, pl.DataFrame)
    expected = sample_build.query(
        "select report_id, applicant_type, new_received from main.fct_applications"
        " order by report_id, applicant_type"
    )
    assert frame.select("report_id", "applicant_type", "new_received").rows() == expected
    # the connection is closed again: a writer can open the file right after
    duckdb.connect(str(sample_build.database)).close()


def test_descriptions_are_at_hand(sample_build: Built) -> None:
    described = gongkai.describe("rpt_reports", database=sample_build.database)
    by_column = {row["column"]: row for row in described.iter_rows(named=True)}
    assert by_column["report_id"]["name_zh"] == "报告编号"
    assert by_column["grant_rate"]["description"].startswith("Grant rate (公开率)")
    assert list(by_column) == gongkai.read("rpt_reports", sample_build.database).columns
    assert "rpt_reports" in gongkai.marts(sample_build.database)["mart"].to_list()


def test_read_is_read_only_and_names_the_marts_on_a_typo(sample_build: Built) -> None:
    with pytest.raises(ValueError, match="the marts are: .*fct_applications"):
        gongkai.read("fct_aplications", database=sample_build.database)
    with pytest.raises(FileNotFoundError, match="run `gongkai build` first"):
        gongkai.read("fct_applications", database=sample_build.database.with_name("none.duckdb"))
