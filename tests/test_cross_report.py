"""Across reports, on a real series: the sample corpus plus the 平潭 reports of 2022-2024
(tests/fixtures/series), built into a temporary warehouse. Agency identity with the
reviewer overrides applied, against the hand-checked answers."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from tests.test_dbt_project import SAMPLE, Warehouse, build_warehouse

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def series_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    workdir = tmp_path_factory.mktemp("series")
    inputs = workdir / "inputs"
    shutil.copytree(SAMPLE, inputs)
    for path in sorted((FIXTURES / "series").glob("*.html")):
        shutil.copy(path, inputs / path.name)
    return build_warehouse(inputs, workdir)


def _gold() -> list[dict[str, str]]:
    with open(FIXTURES / "agency_gold.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_real_report_gets_its_hand_checked_body(series_warehouse: Warehouse) -> None:
    gold = _gold()
    right = []
    for row in gold:
        got = series_warehouse.query(
            "select division_code, agency_level, agency_kind from dim_reports"
            " where source_path like '%/' || ?",
            [row["file"]],
        )
        if got == [(row["division_code"], row["agency_level"], row["agency_kind"])]:
            right.append(row["file"])
    assert len(right) / len(gold) >= 0.95
    assert len(right) == len(gold)


def test_one_agency_id_per_body_across_years_and_names(series_warehouse: Warehouse) -> None:
    pingtan = series_warehouse.query(
        "select distinct agency_id from dim_reports where source_path like '%pingtan%'"
    )
    assert len(pingtan) == 1 and pingtan[0][0] is not None
    (row,) = series_warehouse.query(
        "select agency_name, division_code, agency_kind, agency_level, province_name,"
        " prefecture_name, county_name, report_count, first_report_year, last_report_year"
        " from dim_agencies where agency_id = ?",
        [pingtan[0][0]],
    )
    assert row == (
        "平潭综合实验区", "350128", "special_zone", "county", "福建省", "福州市", "平潭县",
        5, 2018, 2024,
    )  # fmt: skip
    bodies = series_warehouse.query("select count(*) from dim_agencies")[0][0]
    assert bodies == len({r["body"] for r in _gold()})


def test_reviewer_override_places_the_township(series_warehouse: Warehouse) -> None:
    (row,) = series_warehouse.query(
        "select dim_agencies.agency_name, agency_match_method, county_name, township_name"
        " from dim_reports join dim_agencies using (agency_id)"
        " where source_path like '%xietang%'"
    )
    assert row == ("谢塘镇人民政府", "override", "上虞区", "谢塘镇")


def test_a_department_points_to_its_government(series_warehouse: Warehouse) -> None:
    (row,) = series_warehouse.query(
        "select parent_agency_name from dim_agencies where agency_name = '沭阳县发展和改革局'"
    )
    assert row == ("沭阳县人民政府",)
