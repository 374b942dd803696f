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
A 2017 table printing 5000 items disclosed in all leaves no split that fits (none of 20, 206,
2069 added to 5000 gives the cumulative figure the split prints): the rows stay as printed and
L06 fails on them.

A chain: 2016 (the derived 2017 table moved to 2016, 1500 items this year and 8168 in all,
8168 = 10037 - 1869), 2017 (the real 2018 page moved to 2017, its rows printing 1869 | 10037 run
together as `186910037`: 18 | 6910037, 186 | 910037 or 1869 | 10037 on its own) and the real
2018 page. 2016 resolves 2017, and 2017's resolved figures resolve 2018.

The report's status follows: resolved rows make the report parsed (the notes name L06 and the
report of the year before); rows still ambiguous keep it partial with what the check found. The
ingest's own status and error stay in ingest_status and ingest_error.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from ingest.tables.solver import MAX_STORED_CANDIDATES
from tests.ingest.figures_gold import GOLD_DIR, read_gold
from tests.test_dbt_project import Warehouse, build_warehouse
from tests.test_series import DERIVED_2017, _derived_2017

ROOT = Path(__file__).resolve().parent.parent
TABLE_ONLY_2018 = (
    ROOT / "tests/fixtures/legacy/2018_pingtan-zone_statistics_run-together-table-only.txt"
)
REPUBLISHED_2017 = "2017_pingtan-zone_DERIVED-statistics-pipes-republished.txt"
NO_FIT_2017 = "2017_pingtan-zone_DERIVED-statistics-pipes-no-fit.txt"
CHAIN_2016 = "2016_pingtan-zone_DERIVED-statistics-pipes.txt"
CHAIN_2017 = "2017_pingtan-zone_DERIVED-run-together-table-only.txt"
# The hand-checked gold of the same real table, printed with its columns apart.
PIPES_GOLD = GOLD_DIR / "2018_pingtan-zone_statistics_pipes.txt"
# The ingest's error for the two rows, which the warehouse finds (macros/report_messages.sql).
LAKE_MESSAGE = "legacy: 2 run-together row(s) left ambiguous"
RUN_TOGETHER_ROWS = ("proactive_disclosed", "proactive_via_website")


def republished_2017() -> str:
    """The derived 2017 table with 911900 items disclosed in all, on the website too."""
    text = _derived_2017()
    old, new = "| 条 | 1800 | 10037 |", "| 条 | 1800 | 911900 |"
    assert text.count(old) == 2, old
    return text.replace(old, new)


def no_fit_2017() -> str:
    """The derived 2017 table with 5000 items disclosed in all, on the website too."""
    text = _derived_2017()
    old, new = "| 条 | 1800 | 10037 |", "| 条 | 1800 | 5000 |"
    assert text.count(old) == 2, old
    return text.replace(old, new)


def chain_2016() -> str:
    """The derived 2017 table moved to 2016: 1500 items this year, 8168 in all."""
    text = _derived_2017().replace("2017", "2016")
    old, new = "| 条 | 1800 | 10037 |", "| 条 | 1500 | 8168 |"
    assert text.count(old) == 2, old
    return text.replace(old, new)


def chain_2017() -> str:
    """The real 2018 page moved to 2017, its two rows printing 1869 | 10037 run together."""
    text = TABLE_ONLY_2018.read_text(encoding="utf-8").replace("2018", "2017")
    old, new = "条206912106", "条186910037"
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


@pytest.fixture(scope="module")
def none_fits(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    return _warehouse(tmp_path_factory.mktemp("split-none"), {NO_FIT_2017: no_fit_2017()})


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    derived = {CHAIN_2016: chain_2016(), CHAIN_2017: chain_2017()}
    return _warehouse(tmp_path_factory.mktemp("split-chain"), derived)


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


def _run_together_cells_2018(warehouse: Warehouse) -> list[tuple]:
    """The 2018 report's two run-together rows: codes, raw text, value, status, note and
    stored candidates."""
    return warehouse.query(
        """
        select c.row_code, c.col_code, c.raw_text, c.value, c.cell_status, c.note, c.candidates
        from fct_cells c join dim_reports d using (report_id)
        where d.report_year = 2018 and c.row_code in ('proactive_disclosed',
            'proactive_via_website')
        order by c.row_code
        """
    )


def test_two_fitting_splits_stay_ambiguous_with_their_candidates(two_fit: Warehouse) -> None:
    assert len(_reports(two_fit, 2017)) == 2
    rows = _run_together_cells_2018(two_fit)
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
    # No figure in the series, and it says why: printed, but ambiguous.
    assert two_fit.query(
        "select value, source, value_status from fct_harmonised_measures"
        " where measure_code = 'items_disclosed' and report_year = 2018"
    ) == [(None, "statistics_table", "printed but ambiguous")]
    ((status, error, cells_ambiguous, ingest_status, ingest_error),) = two_fit.query(
        "select status, error, cells_ambiguous, ingest_status, ingest_error from dim_reports"
        " where report_year = 2018"
    )
    assert (status, cells_ambiguous, ingest_status, ingest_error) == (
        "partial",
        2,
        "partial",
        LAKE_MESSAGE,
    )
    assert error.startswith(f"{LAKE_MESSAGE} (run-together digits: 2 stored splits fit L06")
    assert all(report_id in error for report_id in _reports(two_fit, 2017))


def test_the_warehouse_knows_how_many_candidates_the_ingest_stores() -> None:
    """A list of candidates as long as the ingest stores may be cut short: the warehouse must
    know that length to trust only lists that are whole."""
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["vars"]["stored_candidates_limit"] == MAX_STORED_CANDIDATES


def _statistics_lines(warehouse: Warehouse, year: int) -> list[str]:
    """The report's fct_legacy_statistics as gold lines (tests/ingest/figures_gold.py)."""
    rows = warehouse.query(
        """
        select f.indicator, f.period, f.value, f.unit from fct_legacy_statistics f
        join dim_reports d using (report_id) where d.report_year = ?
        """,
        [year],
    )
    return sorted(f"legacy {row} {col} {_number(value)} {unit}" for row, col, value, unit in rows)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def test_resolved_table_equals_the_hand_checked_gold(one_fits: Warehouse) -> None:
    """The warehouse's 2018 table, its two rows split by 2017, is the page's: every one of
    the 30 cells of the gold of the same table printed with its columns apart."""
    _, expected, missed = read_gold(PIPES_GOLD)
    assert not missed and len(expected) == 30
    assert _statistics_lines(one_fits, 2018) == sorted(expected)


def test_resolved_report_is_parsed_and_says_by_what(one_fits: Warehouse) -> None:
    (previous,) = _reports(one_fits, 2017)
    ((status, error, notes, ingest_status, ingest_error),) = one_fits.query(
        "select status, error, notes, ingest_status, ingest_error from dim_reports"
        " where report_year = 2018"
    )
    assert (status, error) == ("parsed", None)
    assert (ingest_status, ingest_error) == ("partial", LAKE_MESSAGE)
    assert notes.endswith(
        "legacy: 2 run-together row(s) resolved across years by L06"
        " legacy_cumulative_continuity against the same body's report of the year before"
        f" ({previous})"
    )
    # The report list and `gongkai status` read the same status.
    assert one_fits.query("select status, error from rpt_reports where report_year = 2018") == [
        ("parsed", None)
    ]


def test_no_split_fits_stays_ambiguous_and_l06_reports_the_break(none_fits: Warehouse) -> None:
    (previous,) = _reports(none_fits, 2017)
    rows = _run_together_cells_2018(none_fits)
    # Nothing repaired: the digits as printed, no value, the lake's three candidates.
    assert [row[:5] for row in rows] == [
        ("proactive_disclosed", None, "206912106", None, "ambiguous"),
        ("proactive_via_website", None, "206912106", None, "ambiguous"),
    ]
    for row_code, *_, note, candidates in rows:
        assert "no stored split fits L06 legacy_cumulative_continuity" in note
        assert previous in note
        assert candidates.count(f'"{row_code}.year"') == 3
    outcomes = none_fits.query(
        """
        select r.scope_code, r.outcome, r.expected, r.actual, r.compared_report_id, r.detail
        from fct_reconciliation_results r join dim_reports d using (report_id)
        where r.rule_id = 'L06' and d.report_year = 2018 and r.scope_code like 'legacy/proactive%'
        order by r.scope_code
        """
    )
    assert [row[:5] for row in outcomes] == [
        ("legacy/proactive_disclosed", "fail", None, None, previous),
        ("legacy/proactive_via_gazette", "pass", 0, 0, previous),
        ("legacy/proactive_via_website", "fail", None, None, previous),
    ]
    assert "no stored split fits" in outcomes[0][5]
    assert none_fits.query(
        "select value, value_status from fct_harmonised_measures"
        " where measure_code = 'items_disclosed' and report_year = 2018"
    ) == [(None, "printed but ambiguous")]
    ((status, error, cells_ambiguous),) = none_fits.query(
        "select status, error, cells_ambiguous from dim_reports where report_year = 2018"
    )
    assert (status, cells_ambiguous) == ("partial", 2)
    assert error.startswith(f"{LAKE_MESSAGE} (run-together digits: no stored split fits L06")


def test_a_chain_resolves_year_by_year(chain: Warehouse) -> None:
    (first,), (middle,) = _reports(chain, 2016), _reports(chain, 2017)
    rows = chain.query(
        """
        select d.report_year, f.indicator, f.period, f.value, f.cell_status, c.note
        from fct_legacy_statistics f
        join dim_reports d using (report_id)
        join fct_cells c on c.cell_id = f.legacy_statistic_id
        where f.indicator = 'proactive_disclosed'
        order by d.report_year, f.period
        """
    )
    assert [row[:5] for row in rows] == [
        (2016, "proactive_disclosed", "cumulative", 8168, "ok"),
        (2016, "proactive_disclosed", "year", 1500, "ok"),
        (2017, "proactive_disclosed", "cumulative", 10037, "inferred"),
        (2017, "proactive_disclosed", "year", 1869, "inferred"),
        (2018, "proactive_disclosed", "cumulative", 12106, "inferred"),
        (2018, "proactive_disclosed", "year", 2069, "inferred"),
    ]
    assert all(f"({first})" in note for *_, note in rows[2:4])
    assert all(
        f"({middle}, its row resolved across years in turn)" in note for *_, note in rows[4:]
    )
    assert _statistics_lines(chain, 2018) == sorted(read_gold(PIPES_GOLD)[1])
    assert chain.query(
        "select report_year, value, value_status from fct_harmonised_measures"
        " where measure_code = 'items_disclosed' order by report_year"
    ) == [(2016, 1500, "reported"), (2017, 1869, "reported"), (2018, 2069, "reported")]
    assert chain.query(
        "select report_year, status, ingest_status, cells_ambiguous from dim_reports"
        " order by report_year"
    ) == [
        (2016, "parsed", "parsed", 0),
        (2017, "parsed", "partial", 0),
        (2018, "parsed", "partial", 0),
    ]
