"""End to end on the dbt side: ingest into a temporary lake, `dbt build` into a temporary
DuckDB file, then query the marts.

The bundled sample is the session's shared warehouse (tests/conftest.py); one more build
holds copies of a seed report with one number changed per rule, whose findings must be
exactly the ones the change implies.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.conftest import Built

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample"
DBT = Path(sys.executable).parent / "dbt"

STANDARD_REPORTS = (
    "000_428f89f9cabfe0c4.txt",
    "001_f034b2af3da2120e.txt",
    "002_9484449f81fef721.txt",
    "004_b946b0eb2e73828a.txt",
)
SHANGHAI_2024 = "2024_shanghai-science-commission_2021template_pdftext.md"
BASE_REPORT = "000_428f89f9cabfe0c4.txt"  # 浔阳区 2019, 2019 template, one value per line
# 平潭 2018's statistics table as pipe-separated text (tests/fixtures/legacy/make_layouts.py)
LEGACY_BASE = ROOT / "tests/fixtures/legacy/2018_pingtan-zone_statistics_pipes.txt"

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Warehouse:
    database: Path
    run_results: dict

    def query(self, sql: str, parameters: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.database), read_only=True) as connection:
            return connection.execute(sql, parameters or []).fetchall()

    def report_id(self, file_name: str) -> str:
        rows = self.query(
            "select report_id from dim_reports where source_path like '%/' || ?", [file_name]
        )
        assert len(rows) == 1, f"expected one dim_reports row for {file_name}, got {rows}"
        return rows[0][0]

    def outcomes(self, file_name: str, outcome: str) -> set[tuple[str, str]]:
        rows = self.query(
            "select rule_id, scope_code from fct_reconciliation_results"
            " where report_id = ? and outcome = ?",
            [self.report_id(file_name), outcome],
        )
        return set(rows)


def build_warehouse(inputs: Path, workdir: Path) -> Warehouse:
    """Ingest `inputs` into workdir/lake, then `dbt build` into workdir/gongkai.duckdb."""
    lake = workdir / "lake"
    database = workdir / "gongkai.duckdb"
    target = workdir / "target"
    ingest = subprocess.run(
        [sys.executable, "-m", "gongkai", "ingest", str(inputs), "--out", str(lake)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    environment = {**os.environ, "GONGKAI_LAKE": str(lake), "GONGKAI_DB": str(database)}
    build = subprocess.run(
        [
            str(DBT),
            "build",
            "--target-path",
            str(target),
            "--log-path",
            str(workdir / "logs"),
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stdout[-5000:] + build.stderr[-2000:]
    run_results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    return Warehouse(database, run_results)


def change_number(text: str, anchor: str, position: int, new: str) -> str:
    """Replace the `position`-th number (0-based) printed after the unique `anchor`."""
    assert text.count(anchor) == 1, f"anchor {anchor!r} is not unique"
    start = text.index(anchor) + len(anchor)
    match = list(NUMBER.finditer(text, start))[position]
    return text[: match.start()] + new + text[match.end() :]


def remove_number(text: str, anchor: str, position: int) -> str:
    """Delete the `position`-th number after `anchor` with the cell separator after it."""
    assert text.count(anchor) == 1, f"anchor {anchor!r} is not unique"
    start = text.index(anchor) + len(anchor)
    match = list(NUMBER.finditer(text, start))[position]
    end = match.end()
    rest = text[end:]
    separator = re.match(r" \|\n", rest)
    if separator:
        end += separator.end()
    return text[: match.start()] + text[end:]


NEW_RECEIVED = "一、本年新收政府信息公开申请数量 |"
GRANTED = "(一)予以公开 |"
UNCLEAR = "3.补正后申请内容仍不明确 |"
REVIEWS = "四、政府信息公开行政复议、行政诉讼情况\n"
REGULATIONS = "\n规章 |"

# Applicant columns in printed order: natural_person .. other_org are 0-5, total is 6.
ALTERATIONS: dict[str, tuple] = {
    # new_received 13 -> 14 for natural persons and in the total: the flow no longer
    # balances in both columns, the row still sums.
    "alter_r01.txt": (
        lambda text: change_number(
            change_number(text, NEW_RECEIVED, 0, "14"), NEW_RECEIVED, 6, "14"
        ),
        # the text still says 13: R16 flags it too
        {
            ("R01", "applications/natural_person"),
            ("R01", "applications/total"),
            ("R16", "narrative/new_received/total"),
        },
    ),
    # granted 10 -> 11 for natural persons and in the total: outcomes exceed total_processed.
    "alter_r02.txt": (
        lambda text: change_number(change_number(text, GRANTED, 0, "11"), GRANTED, 6, "11"),
        {("R02", "applications/natural_person"), ("R02", "applications/total")},
    ),
    # granted total 10 -> 11 and unavailable_unclear total 3 -> 2: the column still sums
    # to total_processed, but neither row's total equals its applicant columns.
    "alter_r03.txt": (
        lambda text: change_number(change_number(text, GRANTED, 6, "11"), UNCLEAR, 6, "2"),
        {("R03", "applications/granted"), ("R03", "applications/unavailable_unclear")},
    ),
    # admin_review upheld 0 -> 1 while its total stays 0.
    "alter_r04.txt": (
        lambda text: change_number(text, REVIEWS, 0, "1"),
        {("R04", "reviews_litigation/admin_review")},
    ),
    # regulations newly made 0 -> 1.5: not a whole number; proactive is in no sum rule.
    # R05 has one result per report and table, naming the invalid cell in its detail.
    "alter_r05.txt": (
        lambda text: change_number(text, REGULATIONS, 0, "1.5"),
        {("R05", "proactive")},
    ),
    # the last review/litigation number (lawsuit_after_review total) is not printed:
    # the table is incomplete; R04 for that proceeding becomes not_assessable, not fail.
    "alter_r06.txt": (
        lambda text: remove_number(text, REVIEWS, 14),
        {("R06", "reviews_litigation")},
    ),
    # the text says 14 applications came in while the table keeps 13.
    "alter_r16.txt": (
        lambda text: change_number(text, "收到依申请公开", 0, "14"),
        {("R16", "narrative/new_received/total")},
    ),
}

# The pre-2019 identities on the statistics table; each value column is position 0 (本年度)
# or 1 (历年累计) after the label and its unit.
LEGACY_ALTERATIONS: dict[str, tuple] = {
    # requests received 0 -> 3 | 5 while every channel stays 0.
    "alter_l01.txt": (
        lambda text: change_number(
            change_number(text, "受理依申请公开信息总数 |", 0, "3"),
            "受理依申请公开信息总数 |",
            1,
            "5",
        ),
        {("L01", "legacy/year"), ("L01", "legacy/cumulative")},
    ),
    # replies 0 -> 2 | 2 while every kind of reply stays 0.
    "alter_l02.txt": (
        lambda text: change_number(
            change_number(text, "对申请的答复总数 |", 0, "2"), "对申请的答复总数 |", 1, "2"
        ),
        {("L02", "legacy/year"), ("L02", "legacy/cumulative")},
    ),
    # disclosed on the website this year 2069 -> 2070, more than disclosed in all.
    "alter_l03.txt": (
        lambda text: change_number(text, "1.政府网站公开数 |", 0, "2070"),
        {("L03", "legacy/year")},
    ),
    # disclosed in the gazette 0 -> 2100 | 2100: more than disclosed this year.
    "alter_l04.txt": (
        lambda text: change_number(
            change_number(text, "2.政府公报公开数 |", 0, "2100"), "2.政府公报公开数 |", 1, "2100"
        ),
        {("L04", "legacy/year")},
    ),
    # one review this year while the cumulative figure stays 0.
    "alter_l05.txt": (
        lambda text: change_number(text, "行政复议数 |", 0, "1"),
        {("L05", "legacy/admin_reviews")},
    ),
}


@pytest.fixture(scope="session")
def sample_warehouse(sample_build: Built) -> Warehouse:
    """The session's sample warehouse (tests/conftest.py), with its dbt build results."""
    return Warehouse(sample_build.database, sample_build.run_results)


@pytest.fixture(scope="session")
def altered_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    workdir = tmp_path_factory.mktemp("altered")
    corpus = workdir / "corpus"
    corpus.mkdir()
    base = (SAMPLE / BASE_REPORT).read_text(encoding="utf-8")
    shutil.copy(SAMPLE / BASE_REPORT, corpus / BASE_REPORT)
    for file_name, (alter, _expected) in ALTERATIONS.items():
        altered = alter(base)
        assert altered != base
        (corpus / file_name).write_text(altered, encoding="utf-8")
    legacy = LEGACY_BASE.read_text(encoding="utf-8")
    shutil.copy(LEGACY_BASE, corpus / LEGACY_BASE.name)
    for file_name, (alter, _expected) in LEGACY_ALTERATIONS.items():
        altered = alter(legacy)
        assert altered != legacy
        (corpus / file_name).write_text(altered, encoding="utf-8")
    return build_warehouse(corpus, workdir)


def statuses(warehouse: Warehouse) -> dict[str, str]:
    return {result["unique_id"]: result["status"] for result in warehouse.run_results["results"]}


def test_sample_builds_without_errors(sample_warehouse: Warehouse) -> None:
    by_node = statuses(sample_warehouse)
    broken = {node: status for node, status in by_node.items() if status in ("error", "fail")}
    assert broken == {}
    # structural tests and unit tests ran and passed, not just the models
    assert any(node.startswith("unit_test.") for node in by_node)
    assert any(".assert_placed_cells_land_in_exactly_one_fact_row" in n for n in by_node)


def test_every_sample_file_has_one_report_row(sample_warehouse: Warehouse) -> None:
    files = sorted(path.name for path in SAMPLE.iterdir() if path.is_file())
    rows = sample_warehouse.query(
        "select source_path, duplicate_file_count from dim_reports order by source_path"
    )
    assert sorted(Path(path).name for path, _ in rows) == files
    assert all(count == 0 for _, count in rows)


@pytest.mark.parametrize("file_name", STANDARD_REPORTS)
def test_standard_seed_reports_reconcile(sample_warehouse: Warehouse, file_name: str) -> None:
    assert sample_warehouse.outcomes(file_name, "fail") == set()
    passed = {rule for rule, _scope in sample_warehouse.outcomes(file_name, "pass")}
    # The core rules all pass (R07-R17 apply by year, template and body; see
    # tests/test_cross_report.py).
    assert {"R01", "R02", "R03", "R04", "R05", "R06"} <= passed


def test_blank_total_makes_flow_balance_not_assessable(sample_warehouse: Warehouse) -> None:
    rows = sample_warehouse.query(
        "select outcome, unusable_inputs, expected, actual from fct_reconciliation_results"
        " where report_id = ? and rule_id = 'R01' and col_code = 'total'",
        [sample_warehouse.report_id(SHANGHAI_2024)],
    )
    assert rows == [("not_assessable", "carried_forward/total (blank)", None, None)]


def test_blank_total_stays_null_with_its_value_kind(sample_warehouse: Warehouse) -> None:
    rows = sample_warehouse.query(
        "select carried_forward, carried_forward_value_kind from fct_applications"
        " where report_id = ? and applicant_type = 'total'",
        [sample_warehouse.report_id(SHANGHAI_2024)],
    )
    assert rows == [(None, "blank")]


def test_unaltered_copy_has_no_findings(altered_warehouse: Warehouse) -> None:
    for name in (BASE_REPORT, LEGACY_BASE.name):
        assert altered_warehouse.outcomes(name, "fail") == set()
    assert altered_warehouse.outcomes(BASE_REPORT, "not_assessable") == set()
    # The legacy fixture is the table alone: no publication date for R17 to check.
    assert altered_warehouse.outcomes(LEGACY_BASE.name, "not_assessable") == {("R17", "")}


@pytest.mark.parametrize("file_name", sorted(ALTERATIONS | LEGACY_ALTERATIONS))
def test_one_changed_number_yields_exactly_its_findings(
    altered_warehouse: Warehouse, file_name: str
) -> None:
    _alter, expected = (ALTERATIONS | LEGACY_ALTERATIONS)[file_name]
    assert altered_warehouse.outcomes(file_name, "fail") == expected


def test_missing_cells_are_named_not_read_as_zero(altered_warehouse: Warehouse) -> None:
    report_id = altered_warehouse.report_id("alter_r06.txt")
    # With 14 of 15 numbers the ingest cannot place the last proceeding's row at all.
    review_sum = altered_warehouse.query(
        "select outcome, unusable_inputs from fct_reconciliation_results"
        " where report_id = ? and rule_id = 'R04' and row_code = 'lawsuit_after_review'",
        [report_id],
    )
    assert len(review_sum) == 1
    outcome, unusable_inputs = review_sum[0]
    assert outcome == "not_assessable"
    assert "lawsuit_after_review/total (missing)" in unusable_inputs.split(", ")
    completeness = altered_warehouse.query(
        "select detail from fct_reconciliation_results"
        " where report_id = ? and rule_id = 'R06' and table_code = 'reviews_litigation'",
        [report_id],
    )
    assert "lawsuit_after_review/total" in completeness[0][0]


def test_invalid_value_is_named_in_its_tables_result(altered_warehouse: Warehouse) -> None:
    rows = altered_warehouse.query(
        "select outcome, detail, expected - actual from fct_reconciliation_results"
        " where report_id = ? and rule_id = 'R05' and table_code = 'proactive'",
        [altered_warehouse.report_id("alter_r05.txt")],
    )
    assert rows == [("fail", "invalid: regulations/new_made (not a whole number: 1.5)", 1)]


def test_each_rule_warns_once_its_fixture_breaks_it(altered_warehouse: Warehouse) -> None:
    by_node = statuses(altered_warehouse)
    rule_tests = {
        node.rsplit("_", 1)[-1].split(".")[0]: status
        for node, status in by_node.items()
        if ".reconciliation_rule_holds_" in node
    }
    core = ("R01", "R02", "R03", "R04", "R05", "R06", "R16", "L01", "L02", "L03", "L04", "L05")
    assert {rule: status for rule, status in rule_tests.items() if rule in core} == {
        rule: "warn" for rule in core
    }
    # One changed number breaks no rule across reports or on publication.
    assert {status for rule, status in rule_tests.items() if rule not in core} == {"pass"}
    assert not {node for node, status in by_node.items() if status in ("error", "fail")}


def test_run_together_pingtan_resolves_under_the_identities(sample_warehouse: Warehouse) -> None:
    # 平潭 2021 prints every cell run together; the joint solver splits the applications table
    # completely (R02 fixes the two rows their own totals split two ways), so it is complete
    # and balances; 行政规范性文件 693665 splits ten ways with no identity to decide: R06 names it.
    name = "2021_pingtan-zone_2021template_concatenated.txt"
    passed = sample_warehouse.outcomes(name, "pass")
    assert ("R06", "applications") in passed
    assert {rule for rule, _ in passed} >= {"R01", "R02", "R03", "R04", "R05", "R06"}
    assert sample_warehouse.outcomes(name, "fail") == {("R06", "proactive")}


def test_every_template_cell_has_a_fact_row_unknown_stays_unknown(
    sample_warehouse: Warehouse,
) -> None:
    # 平潭 2021 prints 行政规范性文件 as 693665, run together with no identity to split it:
    # its three cells are printed but ambiguous. They are fact rows with a null value and
    # their status, so a sum over the column is visibly incomplete, never silently short.
    report_id = sample_warehouse.report_id("2021_pingtan-zone_2021template_concatenated.txt")
    rows = sample_warehouse.query(
        "select measure, raw_text, cell_status, is_placed, value from fct_proactive_disclosure"
        " where report_id = ? and item = 'normative_documents' order by measure",
        [report_id],
    )
    assert rows == [
        ("in_force", "693665", "ambiguous", False, None),
        ("issued", "693665", "ambiguous", False, None),
        ("repealed", "693665", "ambiguous", False, None),
    ]
    in_force = sample_warehouse.query(
        "select sum(value), bool_and(is_placed or value_kind = 'blank')"
        " from fct_proactive_disclosure where report_id = ? and measure = 'in_force'",
        [report_id],
    )
    assert in_force[0][1] is False  # the documented completeness check flags the sum
    # Every reconcilable report has one fact row per cell of its template.
    per_report = sample_warehouse.query("""
        with template_size as (
            select template, count(*) as cells from dictionaries.template_cells group by 1
        ),
        facts as (
            select report_id, count(*) as cells from (
                select report_id from fct_application_outcomes where is_in_template
                union all select report_id from fct_reviews_litigation where is_in_template
                union all select report_id from fct_proactive_disclosure where is_in_template
                union all select report_id from fct_applications, (values (1), (2), (3), (4))
            ) group by 1
        )
        select dim_reports.report_id, template_size.cells, facts.cells
        from dim_reports
        inner join template_size on dim_reports.template = template_size.template
        left join facts on dim_reports.report_id = facts.report_id
        where dim_reports.is_reconcilable
    """)
    assert len(per_report) >= 6
    assert all(expected == found for _, expected, found in per_report), per_report


def test_no_group_sum_test_ran_and_passed(sample_warehouse: Warehouse) -> None:
    by_node = statuses(sample_warehouse)
    nodes = [node for node in by_node if ".assert_no_group_sum_hides_an_unknown_cell" in node]
    assert [by_node[node] for node in nodes] == ["pass"]


PINGTAN_2021 = "2021_pingtan-zone_2021template_concatenated.txt"
XUNYANG_2019 = BASE_REPORT


def test_ambiguous_cell_leaves_its_counts_unknown_not_zero(sample_warehouse: Warehouse) -> None:
    # 平潭 2021 prints 行政规范性文件 as run-together digits (693665) that split ten ways: the
    # row's counts in rpt_reports are unknown, never a 0 or a guess, and say why.
    report_id = sample_warehouse.report_id(PINGTAN_2021)
    row = sample_warehouse.query(
        "select normative_documents_issued, normative_documents_issued_status,"
        " normative_documents_in_force, normative_documents_in_force_status,"
        " regulations_issued_status, has_printed_not_placed"
        " from rpt_reports where report_id = ?",
        [report_id],
    )
    assert row == [(None, "printed_not_placed", None, "printed_not_placed", "known", True)]
    raw = sample_warehouse.query(
        "select raw_text, cell_status from fct_cells"
        " where report_id = ? and row_code = 'normative_documents' and not is_placed",
        [report_id],
    )
    assert raw == [("693665", "ambiguous")]


def test_cells_mart_keeps_the_ingest_notes_candidates_and_confidence(
    sample_warehouse: Warehouse,
) -> None:
    # The ambiguous 平潭 2021 cells keep the splits a reviewer picks from, inferred cells the
    # identities that fixed them; OCR confidence is a column (null: no sample report is a scan).
    rows = sample_warehouse.query(
        "select cell_status, count(*), count(candidates), count(note), count(confidence)"
        " from fct_cells where cell_status in ('ambiguous', 'inferred')"
        " group by cell_status order by cell_status"
    )
    by_status = {status: counts for status, *counts in rows}
    total, with_candidates, _, with_confidence = by_status["ambiguous"]
    assert total > 0 and with_candidates == total and with_confidence == 0
    total, _, with_note, _ = by_status["inferred"]
    assert total > 0 and with_note == total


def test_no_count_of_the_wide_mart_sums_over_an_unplaced_cell(
    sample_warehouse: Warehouse,
) -> None:
    # Every template cell the report left unplaced in a row that holds an ambiguous or
    # unplaced number makes each rpt_reports count over it null and printed_not_placed,
    # whatever the other cells add up to. Counts are named after the group (table 三's
    # total column) or row_col (tables 二 and 四).
    unplaced = sample_warehouse.query("""
        select distinct reports.report_id, cells.table_code,
            coalesce(row_labels.outcome_group, cells.row_code), template_cells.col_code
        from fct_cells as cells
        inner join dim_reports as reports on cells.report_id = reports.report_id
        inner join dictionaries.row_labels as row_labels
            on cells.table_code = row_labels.table_code and cells.row_code = row_labels.row_code
        inner join dictionaries.template_cells as template_cells
            on reports.template = template_cells.template
            and cells.table_code = template_cells.table_code
            and cells.row_code = template_cells.row_code
        where cells.cell_status in ('ambiguous', 'unplaced') and cells.row_code is not null
            and not exists (
                select 1 from fct_cells as placed
                where placed.report_id = cells.report_id and placed.is_placed
                    and placed.table_code = cells.table_code
                    and placed.row_code = cells.row_code
                    and placed.col_code = template_cells.col_code)
    """)
    columns = {
        name
        for (name,) in sample_warehouse.query(
            "select column_name from duckdb_columns() where table_name = 'rpt_reports'"
        )
    }
    checked = 0
    for report_id, table_code, group_code, col_code in unplaced:
        if table_code == "applications":
            name = group_code if col_code == "total" else None
        else:
            name = f"{group_code}_{col_code}"
        if name not in columns:
            continue
        value, status = sample_warehouse.query(
            f"select {name}, {name}_status from rpt_reports where report_id = ?", [report_id]
        )[0]
        assert (value, status) == (None, "printed_not_placed"), (report_id, name)
        checked += 1
    assert checked >= 2  # 平潭 2021: 规范性文件 issued and in force


def test_wide_mart_counts_equal_the_facts(sample_warehouse: Warehouse) -> None:
    differences = sample_warehouse.query("""
        select rpt_reports.report_id
        from rpt_reports
        inner join fct_applications
            on rpt_reports.report_id = fct_applications.report_id
            and fct_applications.applicant_type = 'total'
        where rpt_reports.new_received is distinct from fct_applications.new_received
            or rpt_reports.carried_over is distinct from fct_applications.carried_over
            or rpt_reports.total_processed is distinct from fct_applications.total_processed
            or rpt_reports.carried_forward is distinct from fct_applications.carried_forward
    """)
    assert differences == []
    withheld = sample_warehouse.query("""
        select rpt_reports.withheld, sum(fct_application_outcomes.application_count)
        from rpt_reports
        inner join fct_application_outcomes
            on rpt_reports.report_id = fct_application_outcomes.report_id
        where fct_application_outcomes.applicant_type = 'total'
            and fct_application_outcomes.outcome_group = 'withheld'
            and fct_application_outcomes.is_in_template
            and rpt_reports.withheld_status = 'known'
        group by rpt_reports.report_id, rpt_reports.withheld
    """)
    assert len(withheld) >= 6 and all(mart == facts for mart, facts in withheld)
    # the dbt test compares every count of the wide mart the same way, on every build
    by_node = statuses(sample_warehouse)
    assert [
        status
        for node, status in by_node.items()
        if node.endswith(".assert_rpt_reports_counts_match_facts")
    ] == ["pass"]


def test_rates_are_defined_once_on_their_stated_denominators(
    sample_warehouse: Warehouse,
) -> None:
    # 浔阳区 2019 prints 予以公开 10, 部分公开 0, 办理结果总计 13.
    assert sample_warehouse.query(
        "select granted, partially_granted, total_processed, round(grant_rate, 4)"
        " from rpt_grant_rates where report_id = ? and applicant_type = 'total'",
        [sample_warehouse.report_id(XUNYANG_2019)],
    ) == [(10.0, 0.0, 13.0, 0.7692)]
    # Administrative review over the sample: 12 corrected of 60 concluded (81 - 21 pending).
    assert sample_warehouse.query(
        "select corrected_cases, concluded_cases, correction_rate, reports_rated"
        " from rpt_correction_rates_by_year"
        " where proceeding = 'admin_review' and is_all_years",
    ) == [(12.0, 60.0, 0.2, 6)]
    assert sample_warehouse.query(
        "select count(*) from rpt_reports where grant_rate > 1 or admin_review_correction_rate > 1"
    ) == [(0,)]


def test_a_report_whose_parts_exceed_its_total_gets_no_rate_and_is_counted(
    altered_warehouse: Warehouse,
) -> None:
    # alter_r04: 行政复议 结果维持 0 -> 1 while its 总计 stays 0.
    report_id = altered_warehouse.report_id("alter_r04.txt")
    assert altered_warehouse.query(
        "select upheld_cases, total_cases, correction_rate, rate_status"
        " from rpt_correction_rates where report_id = ? and proceeding = 'admin_review'",
        [report_id],
    ) == [(1.0, 0.0, None, "parts_exceed_total")]
    assert altered_warehouse.query(
        "select reports_parts_exceed_total from rpt_correction_rates_by_year"
        " where proceeding = 'admin_review' and is_all_years"
    ) == [(1,)]
