"""Run-together rows split by last year's report: this year's 历年累计 = last year's 历年累计 +
this year's 本年度 (rule L06, seeds/split_rules.csv), in the warehouse, where both reports are.

平潭综合实验区 2018: the real statistics table, run together as its web page prints it, without
the report's text (tests/fixtures/legacy/..._run-together-table-only.txt). On its own the rows
主动公开文件数 and 其中：1.政府网站公开数, each printed `206912106`, split three ways under the
table's identities (20 | 6912106, 206 | 912106, 2069 | 12106): the ingest leaves them
ambiguous with those candidates. The page's own figures, checked by hand: 2069 this year,
12106 cumulative.

The 2017 reports are derived (tests/test_series.py's `_derived_2017`: the 2018 table moved to
2017 with the cumulative figures the 2018 table implies, 10037 = 12106 - 2069). A second 2017
table of the body, as if published again with other cumulative figures (911900), makes a
second split fit (206 + 911900 = 912106): the rows stay ambiguous. Without a 2017 report the
rows stay ambiguous too (tests/test_incremental_build.py, which also adds and removes it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from ingest.tables.solver import MAX_STORED_CANDIDATES
from tests.test_dbt_project import Warehouse, build_warehouse
from tests.test_series import DERIVED_2017, _derived_2017

ROOT = Path(__file__).resolve().parent.parent
TABLE_ONLY_2018 = (
    ROOT / "tests/fixtures/legacy/2018_pingtan-zone_statistics_run-together-table-only.txt"
)
REPUBLISHED_2017 = "2017_pingtan-zone_DERIVED-statistics-pipes-republished.txt"
RUN_TOGETHER_ROWS = ("proactive_disclosed", "proactive_via_website")


def republished_2017() -> str:
    """The derived 2017 table with 911900 items disclosed in all, on the website too."""
    text = _derived_2017()
    old, new = "| 条 | 1800 | 10037 |", "| 条 | 1800 | 911900 |"
    assert text.count(old) == 2, old
    return text.replace(old, new)


def _warehouse(workdir: Path, derived: dict[str, str]) -> Warehouse:
    corpus = workdir / "corpus"
    corpus.mkdir()
    shutil.copy(TABLE_ONLY_2018, corpus / TABLE_ONLY_2018.name)
    for name, text in derived.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return build_warehouse(corpus, workdir)


@pytest.fixture(scope="module")
def one_fits(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    return _warehouse(tmp_path_factory.mktemp("split-one"), {DERIVED_2017: _derived_2017()})


@pytest.fixture(scope="module")
def two_fit(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    derived = {DERIVED_2017: _derived_2017(), REPUBLISHED_2017: republished_2017()}
    return _warehouse(tmp_path_factory.mktemp("split-two"), derived)


def _reports(warehouse: Warehouse, year: int) -> list[str]:
    rows = warehouse.query(
        "select report_id from dim_reports where report_year = ? order by report_id", [year]
    )
    return [report_id for (report_id,) in rows]


def test_last_years_cumulative_leaves_one_split(one_fits: Warehouse) -> None:
    (previous,) = _reports(one_fits, 2017)
    rows = one_fits.query(
        """
        select f.indicator, f.period, f.value, f.raw_text, f.cell_status, c.note,
            c.original_cell_status, c.candidates
        from fct_legacy_statistics f
        join dim_reports d using (report_id)
        join fct_cells c on c.cell_id = f.legacy_statistic_id
        where d.report_year = 2018 and f.indicator in ('proactive_disclosed',
            'proactive_via_website')
        order by f.indicator, f.period
        """
    )
    assert [row[:5] for row in rows] == [
        ("proactive_disclosed", "cumulative", 12106, "12106", "inferred"),
        ("proactive_disclosed", "year", 2069, "2069", "inferred"),
        ("proactive_via_website", "cumulative", 12106, "12106", "inferred"),
        ("proactive_via_website", "year", 2069, "2069", "inferred"),
    ]
    for *_, note, original_status, candidates in rows:
        assert "L06 legacy_cumulative_continuity" in note and previous in note
        assert original_status == "ambiguous" and candidates is None


def test_resolved_cells_reach_the_series_and_the_counts(one_fits: Warehouse) -> None:
    assert one_fits.query(
        "select report_year, value, source, value_status from fct_harmonised_measures"
        " where measure_code = 'items_disclosed' order by report_year"
    ) == [
        (2017, 1800, "statistics_table", "reported"),
        (2018, 2069, "statistics_table", "reported"),
    ]
    # 13 rows split by the table's identities, 2 by last year's: 30 inferred cells.
    assert one_fits.query(
        "select cells_total, cells_inferred, cells_ambiguous, cells_placed from dim_reports"
        " where report_year = 2018"
    ) == [(30, 30, 0, 30)]
    # L06 can now judge the rows: 12106 = 10037 + 2069 (it holds by construction).
    outcomes = one_fits.query(
        """
        select r.scope_code, r.outcome, r.expected, r.actual from fct_reconciliation_results r
        join dim_reports d using (report_id)
        where r.rule_id = 'L06' and d.report_year = 2018 and r.scope_code like 'legacy/proactive%'
        order by r.scope_code
        """
    )
    assert outcomes == [
        ("legacy/proactive_disclosed", "pass", 12106, 12106),
        ("legacy/proactive_via_gazette", "pass", 0, 0),
        ("legacy/proactive_via_website", "pass", 12106, 12106),
    ]


def test_two_fitting_splits_stay_ambiguous_with_their_candidates(two_fit: Warehouse) -> None:
    assert len(_reports(two_fit, 2017)) == 2
    rows = two_fit.query(
        """
        select c.row_code, c.col_code, c.raw_text, c.value, c.cell_status, c.note, c.candidates
        from fct_cells c join dim_reports d using (report_id)
        where d.report_year = 2018 and c.row_code in ('proactive_disclosed',
            'proactive_via_website')
        order by c.row_code
        """
    )
    assert [row[:5] for row in rows] == [
        ("proactive_disclosed", None, "206912106", None, "ambiguous"),
        ("proactive_via_website", None, "206912106", None, "ambiguous"),
    ]
    for row_code, *_, note, candidates in rows:
        assert "2 stored splits fit L06" in note
        assert all(report_id in note for report_id in _reports(two_fit, 2017))
        assert candidates.count(f'"{row_code}.year"') == 3, "the lake's candidates are kept"
    assert two_fit.query(
        "select count(*) from fct_legacy_statistics f join dim_reports d using (report_id)"
        " where d.report_year = 2018 and f.indicator in ('proactive_disclosed',"
        " 'proactive_via_website')"
    ) == [(0,)]
    # No figure in the series: the mart reads placed cells only.
    assert two_fit.query(
        "select value from fct_harmonised_measures"
        " where measure_code = 'items_disclosed' and report_year = 2018"
    ) == [(None,)]
    assert two_fit.query("select cells_ambiguous from dim_reports where report_year = 2018") == [
        (2,)
    ]


def test_the_warehouse_knows_how_many_candidates_the_ingest_stores() -> None:
    """A list of candidates as long as the ingest stores may be cut short: the warehouse must
    know that length to trust only lists that are whole."""
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["vars"]["stored_candidates_limit"] == MAX_STORED_CANDIDATES
