"""One series from 2008 to today, rule R16 and the cumulative continuity of the pre-2019
tables (L06), on a real body's reports across 2019.

平潭综合实验区: its 2018 report (a pre-2019 statistics table, run together on the page) and its
2021-2024 reports (the 2021 standard tables). Every expected figure is the documents' own,
checked by hand (tests/fixtures/expected/ and tests/fixtures/expected/legacy/).

The 2017 report is derived, written by `_derived_2017` below: the real 2018 table (as the
pipe rendering of tests/fixtures/legacy) moved to 2017, with the cumulative figures the 2018
table implies (12106 - 2069 = 10037 items disclosed), except that it counts 3 applications
received in person that the 2018 table's cumulative column no longer holds, and without the
行政诉讼数 row.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLE
from tests.test_dbt_project import Warehouse, build_warehouse

ROOT = Path(__file__).resolve().parent.parent
LEGACY_PIPES = ROOT / "tests/fixtures/legacy/2018_pingtan-zone_statistics_pipes.txt"
DERIVED_2017 = "2017_pingtan-zone_DERIVED-statistics-pipes.txt"
SERIES = [
    SAMPLE / "2018_pingtan-zone_pre2019-statistics-table.txt",
    SAMPLE / "2021_pingtan-zone_2021template_concatenated.txt",
    *sorted((ROOT / "tests" / "fixtures" / "real").glob("*_pingtan-zone_2021template.html")),
]


def _derived_2017() -> str:
    """The 2018 table moved to 2017: see the module's docstring."""
    text = LEGACY_PIPES.read_text(encoding="utf-8").replace("2018", "2017")
    edits = {
        "主动公开文件数 | 条 | 2069 | 12106 |": "主动公开文件数 | 条 | 1800 | 10037 |",
        "1.政府网站公开数 | 条 | 2069 | 12106 |": "1.政府网站公开数 | 条 | 1800 | 10037 |",
        "受理依申请公开信息总数 | 条 | 0 | 0 |": "受理依申请公开信息总数 | 条 | 0 | 3 |",
        "其中：1.当面申请数 | 条 | 0 | 0 |": "其中：1.当面申请数 | 条 | 0 | 3 |",
        "行政诉讼数 | 件 | 0 | 0 |\n": "",
    }
    for old, new in edits.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def series_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    workdir = tmp_path_factory.mktemp("series")
    corpus = workdir / "corpus"
    corpus.mkdir()
    for path in SERIES:
        shutil.copy(path, corpus / path.name)
    (corpus / DERIVED_2017).write_text(_derived_2017(), encoding="utf-8")
    return build_warehouse(corpus, workdir)


def test_received_and_granted_per_year_for_one_body(series_warehouse: Warehouse) -> None:
    bodies = series_warehouse.query(
        "select distinct agency_id from fct_harmonised_measures"
        " where measure_code = 'applications_received'"
    )
    assert len(bodies) == 1, "the seven reports are one body's"
    rows = series_warehouse.query(
        """
        select report_year, measure_code, value, source, comparability
        from fct_harmonised_measures
        where agency_id = ? and measure_code in ('applications_received', 'applications_granted')
          and report_year between 2008 and 2025
        order by report_year, measure_code
        """,
        [bodies[0][0]],
    )
    assert rows == [
        (2017, "applications_granted", 0.0, "statistics_table", "approximate"),
        (2017, "applications_received", 0.0, "statistics_table", "good"),
        (2018, "applications_granted", 0.0, "statistics_table", "approximate"),
        (2018, "applications_received", 0.0, "statistics_table", "good"),
        (2021, "applications_granted", 30.0, "standard_table", "good"),
        (2021, "applications_received", 70.0, "standard_table", "good"),
        (2022, "applications_granted", 21.0, "standard_table", "good"),
        (2022, "applications_received", 74.0, "standard_table", "good"),
        (2023, "applications_granted", 22.0, "standard_table", "good"),
        (2023, "applications_received", 81.0, "standard_table", "good"),
        (2024, "applications_granted", 71.0, "standard_table", "good"),
        (2024, "applications_received", 218.0, "standard_table", "good"),
    ]


def test_items_disclosed_come_from_the_statistics_table_then_nowhere(
    series_warehouse: Warehouse,
) -> None:
    rows = series_warehouse.query(
        "select report_year, value, source, value_status from fct_harmonised_measures"
        " where measure_code = 'items_disclosed' order by report_year"
    )
    # 2018: the table's 主动公开文件数 2069; after 2019 only the text quotes a figure, and
    # every such sentence counts 全区 or 各级单位, not the body: no value, never a guess.
    assert rows[:2] == [
        (2017, 1800.0, "statistics_table", "reported"),
        (2018, 2069.0, "statistics_table", "reported"),
    ]
    assert all(value is None for _, value, _, _ in rows[2:4])


def test_cumulative_figures_continue_last_years_table(series_warehouse: Warehouse) -> None:
    """L06 on 2018 against 2017: 历年累计 = last year's 历年累计 + 本年度, per indicator."""
    (previous,) = series_warehouse.query(
        "select report_id from dim_reports where report_year = 2017"
    )
    rows = series_warehouse.query(
        """
        select r.scope_code, r.outcome, r.expected, r.actual, r.compared_report_id
        from fct_reconciliation_results r join dim_reports d using (report_id)
        where r.rule_id = 'L06' and d.report_year = 2018
        order by r.scope_code
        """
    )
    outcomes = {scope: outcome for scope, outcome, *_ in rows}
    # The derived 2017 table counted 3 applications in person; 2018's cumulative says 0.
    assert {s for s, o in outcomes.items() if o != "pass"} == {
        "legacy/requests_in_person",
        "legacy/requests_received",
    }
    assert outcomes["legacy/requests_received"] == "fail"
    assert ("legacy/proactive_disclosed", "pass", 12106.0, 12106.0, previous[0]) in rows
    # 2017 does not print 行政诉讼数: not a scope, never a zero carried over.
    assert "legacy/admin_lawsuits" not in outcomes and "legacy/admin_reviews" in outcomes
    assert {compared for *_, compared in rows} == {previous[0]}
    # The first report of the series has no year before it.
    assert series_warehouse.query(
        "select count(*) from fct_reconciliation_results r join dim_reports d using (report_id)"
        " where r.rule_id = 'L06' and d.report_year = 2017"
    ) == [(0,)]


def test_r16_aggregate_sentence_is_not_assessable(series_warehouse: Warehouse) -> None:
    # 平潭 2022: "2022年，全区收到政府信息公开申请75件" while its table's 本年新收 is 74
    # (75 = 74 + 1 carried over): the sentence counts 全区, so it is not judged.
    rows = series_warehouse.query(
        """
        select r.outcome, r.detail from fct_reconciliation_results r
        join dim_reports d using (report_id)
        where d.report_year = 2022 and r.rule_id = 'R16'
          and r.scope_code = 'narrative/new_received/total'
        """
    )
    assert len(rows) == 1
    outcome, detail = rows[0]
    assert outcome == "not_assessable" and "全区" in detail


def test_r16_own_figures_pass_against_the_table(series_warehouse: Warehouse) -> None:
    # 平潭 2023: "办结依申请公开81件" and "行政复议案件2件、行政诉讼案件7件" (7 = 5 direct + 2
    # after review) are about the body itself and agree with its tables.
    rows = series_warehouse.query(
        """
        select r.scope_code, r.outcome, r.expected, r.actual from fct_reconciliation_results r
        join dim_reports d using (report_id)
        where d.report_year = 2023 and r.rule_id = 'R16' and r.outcome <> 'not_assessable'
        order by r.scope_code
        """
    )
    assert rows == [
        ("narrative/admin_lawsuits/year", "pass", 7.0, 7.0),
        ("narrative/admin_review/total", "pass", 2.0, 2.0),
        ("narrative/total_processed/total", "pass", 81.0, 81.0),
        ("narrative/withheld/year", "pass", 5.0, 5.0),
    ]
