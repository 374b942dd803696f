"""An incremental build equals a fresh one, row for row in every mart.

The lake first holds part of the sample, three reports that will be removed, and a copy of
a sample report under another path that holds it; `gongkai build` builds that. Then the rest
of the sample is added, the three reports and the copy are removed (so the copied report
keeps its id but gets a new source path: a changed report), and `gongkai build` builds
again, incrementally, in the same build file. Its marts must equal those of the session's
fresh build of the sample (`sample_build`), compared with EXCEPT ALL both ways; and the
second build must have rebuilt only the reports that changed, and tested only their rows.

A report whose cells depend on another's (a run-together row split by the same body's report
of the year before) is rebuilt when that report is added or removed, and so is the next year's
whose row that split resolves in turn (a chain, tests/test_legacy_splits.py).

The rules that pair reports (last year's report, an area's parts, identical tables elsewhere)
rebuild the changed reports and their partners before and after the change: a test moves
each kind of partner while the report it pairs with stays as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import yaml

from bench.compare_builds import mart_differences
from gongkai.build import build
from ingest.lake.pipeline import remove_paths
from tests.conftest import ROOT, SAMPLE, Built
from tests.test_cross_report import _derived_part, first_and_total_set_to_two
from tests.test_legacy_splits import CHAIN_2016, CHAIN_2017, TABLE_ONLY_2018, chain_2016, chain_2017
from tests.test_series import DERIVED_2017, _derived_2017

SERIES = ROOT / "tests" / "fixtures" / "real"  # its three pages, in the first build only
HELD_BACK = 3  # sample files added by the second build
QUICK = {"docs": False, "report": False}


def test_incremental_build_equals_a_fresh_build(sample_build: Built, tmp_path: Path) -> None:
    database, lake, target = tmp_path / "gongkai.duckdb", tmp_path / "lake", tmp_path / "target"
    copies, removed = tmp_path / "copies", tmp_path / "removed"
    copies.mkdir()
    removed.mkdir()
    series = sorted(SERIES.glob("*.html"))
    for path in series:
        shutil.copyfile(path, removed / path.name)
    sample_files = sorted(path for path in SAMPLE.iterdir() if path.is_file())
    copied = sample_files[HELD_BACK]  # in the first build under two paths, the copy's first
    shutil.copyfile(copied, copies / copied.name)
    first = [path.relative_to(ROOT).as_posix() for path in sample_files[HELD_BACK:]]
    # Named relatively from the repository root, as the session's sample build names them.
    where = os.getcwd()
    os.chdir(ROOT)
    try:
        inputs = [*first, str(removed), str(copies)]
        assert build(inputs, lake, database=database, target=target, **QUICK) == 0
        first_reports = _query(database, "select count(*) from dim_reports")
        first_build = tmp_path / "first.duckdb"
        shutil.copyfile(database, first_build)
        remove_paths([str(removed), str(copies)], lake)
        sample = SAMPLE.relative_to(ROOT).as_posix()
        assert build([sample], lake, database=database, target=target, **QUICK) == 0
    finally:
        os.chdir(where)

    assert mart_differences(database, sample_build.database) == {}
    # Only the new, removed and changed reports were rebuilt, not the whole sample.
    state = database.with_name(".gongkai.incremental.duckdb")
    changed = _query(state, "select count(*) from intermediate.int_reports_changed")
    assert len(series) == 3
    assert first_reports == len(sample_files) - HELD_BACK + len(series)
    # added + removed + the copied report (same id, a new source path)
    assert changed == HELD_BACK + len(series) + 1
    # ... and the data tests of the incremental models checked the rebuilt reports' rows.
    compiled = sorted(
        (target / "compiled").rglob("unique_int_cells_completed_to_template_cell_id.sql")
    )
    assert compiled, "no compiled uniqueness test of int_cells_completed_to_template"
    assert "int_reports_changed" in compiled[0].read_text(encoding="utf-8")
    # The rule results changed with the reports, those of the rules that pair reports
    # (rebuilt for the changed reports and their partners) included: the removed series had
    # year-over-year results, the added reports bring their own.
    for cross_report in (True, False):
        gone, new = _results_changed(first_build, database, cross_report)
        assert gone > 0 and new > 0, (cross_report, gone, new)
    # ... and their data tests checked the rebuilt rows: the changed reports' and partners'.
    compiled = sorted((target / "compiled").rglob("not_null_fct_finding_cells_report_id.sql"))
    assert compiled, "no compiled not_null test of fct_finding_cells"
    assert "int_reports_changed_with_partners" in compiled[0].read_text(encoding="utf-8")
    # A test storing its failures (findings) reads every row, as in a fresh build.
    stored = sorted((target / "compiled").rglob("reconciliation_rule_holds_fct_*_R01.sql"))
    assert stored, "no compiled R01 findings test"
    assert "int_reports_changed" not in stored[0].read_text(encoding="utf-8")


def _results_changed(before: Path, after: Path, cross_report: bool) -> tuple[int, int]:
    """Rows of fct_reconciliation_results only in `before`, only in `after`: of the rules
    that pair reports (var cross_report_rule_evaluations) or of the others."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{before}' as before (read_only)")
        connection.execute(f"attach '{after}' as after (read_only)")
        project = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
        evaluations = project["vars"]["cross_report_rule_evaluations"]
        assert evaluations
        listed = ", ".join(f"'{evaluation}'" for evaluation in evaluations)
        rules = (
            "select rule_id from after.dictionaries.reconciliation_rules"
            f" where evaluation {'' if cross_report else 'not '}in ({listed})"
        )
        counts = [
            connection.execute(
                f"select count(*) from (select * from {a}.main.fct_reconciliation_results"
                f" where rule_id in ({rules}) except all"
                f" select * from {b}.main.fct_reconciliation_results where rule_id in ({rules}))"
            ).fetchone()[0]
            for a, b in (("before", "after"), ("after", "before"))
        ]
    return counts[0], counts[1]


def _query(database: Path, sql: str) -> int:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchone()[0]


def test_adding_or_removing_last_years_report_re_resolves_the_next(tmp_path: Path) -> None:
    """平潭 2018's run-together rows depend on its 2017 report (tests/test_legacy_splits.py):
    built alone they stay ambiguous; an incremental build that adds 2017 resolves them as a
    fresh build of both does, and one that removes 2017 again leaves them ambiguous, as a
    fresh build of 2018 alone does."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    this_year = corpus / TABLE_ONLY_2018.name
    shutil.copyfile(TABLE_ONLY_2018, this_year)
    last_year = corpus / DERIVED_2017
    last_year.write_text(_derived_2017(), encoding="utf-8")
    database, lake, target = tmp_path / "gongkai.duckdb", tmp_path / "lake", tmp_path / "target"
    state = database.with_name(".gongkai.incremental.duckdb")

    assert build([str(this_year)], lake, database=database, target=target, **QUICK) == 0
    alone = tmp_path / "alone.duckdb"  # a fresh build of 2018 alone
    shutil.copyfile(database, alone)
    assert _ambiguous_rows(alone) == ["proactive_disclosed", "proactive_via_website"]

    fresh = tmp_path / "fresh"
    both = [str(this_year), str(last_year)]
    assert (
        build(
            both,
            fresh / "lake",
            database=fresh / "gongkai.duckdb",
            target=fresh / "target",
            **QUICK,
        )
        == 0
    )
    assert _ambiguous_rows(fresh / "gongkai.duckdb") == []

    # Adding 2017 changes 2018's cells: both reports are rebuilt.
    assert build([str(last_year)], lake, database=database, target=target, **QUICK) == 0
    assert _query(state, "select count(*) from intermediate.int_reports_changed") == 2
    assert mart_differences(database, fresh / "gongkai.duckdb") == {}

    # Removing it again: 2018 is rebuilt as it was alone.
    remove_paths([str(last_year)], lake)
    assert build([str(this_year)], lake, database=database, target=target, **QUICK) == 0
    assert _query(state, "select count(*) from intermediate.int_reports_changed") == 2
    assert mart_differences(database, alone) == {}
    assert _ambiguous_rows(database) == ["proactive_disclosed", "proactive_via_website"]


def test_adding_or_removing_the_first_year_of_a_chain_re_resolves_the_two_after(
    tmp_path: Path,
) -> None:
    """2016 resolves 2017's run-together rows, whose figures resolve 2018's: built without
    2016, both later years stay ambiguous; adding 2016 rebuilds all three as a fresh build
    of them does, removing it again leaves both ambiguous as before."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    later = [corpus / TABLE_ONLY_2018.name, corpus / CHAIN_2017]
    shutil.copyfile(TABLE_ONLY_2018, later[0])
    later[1].write_text(chain_2017(), encoding="utf-8")
    first = corpus / CHAIN_2016
    first.write_text(chain_2016(), encoding="utf-8")
    database, lake, target = tmp_path / "gongkai.duckdb", tmp_path / "lake", tmp_path / "target"
    state = database.with_name(".gongkai.incremental.duckdb")
    both_ambiguous = ["proactive_disclosed"] * 2 + ["proactive_via_website"] * 2

    assert build([str(p) for p in later], lake, database=database, target=target, **QUICK) == 0
    without = tmp_path / "without.duckdb"  # a fresh build of 2017 and 2018
    shutil.copyfile(database, without)
    assert _ambiguous_rows(without) == both_ambiguous

    fresh = tmp_path / "fresh"
    everything = [str(first), *(str(p) for p in later)]
    assert (
        build(
            everything,
            fresh / "lake",
            database=fresh / "gongkai.duckdb",
            target=fresh / "target",
            **QUICK,
        )
        == 0
    )
    assert _ambiguous_rows(fresh / "gongkai.duckdb") == []

    assert build([str(first)], lake, database=database, target=target, **QUICK) == 0
    assert _query(state, "select count(*) from intermediate.int_reports_changed") == 3
    assert mart_differences(database, fresh / "gongkai.duckdb") == {}

    remove_paths([str(first)], lake)
    assert build([str(p) for p in later], lake, database=database, target=target, **QUICK) == 0
    assert _query(state, "select count(*) from intermediate.int_reports_changed") == 3
    assert mart_differences(database, without) == {}
    assert _ambiguous_rows(database) == both_ambiguous


def _ambiguous_rows(database: Path) -> list[str]:
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(
            "select row_code from fct_cells where table_code = 'legacy'"
            " and cell_status = 'ambiguous' order by row_code"
        ).fetchall()
    return [row_code for (row_code,) in rows]


# ---------------------------------------------------------------- partners of changed reports

PINGTAN = ROOT / "tests" / "fixtures" / "real"
COUNTY = "2025_shuyang-county-government_2021template_ocr.md"
DRB_2023 = "2023_shuyang-county-development-reform-bureau_2021template.html"


def _carried_forward_2023() -> str:
    """The real 平潭 2023 page with its 结转下年度继续办理 (carried forward) figures for natural
    persons and the total set to 2 (were 0): 2024's carryover check (R11) then fails."""
    text = (PINGTAN / "2023_pingtan-zone_2021template.html").read_text("utf-8")
    return first_and_total_set_to_two(text, "结转下年度继续办理")


def test_the_partners_of_changed_reports_are_rebuilt(tmp_path: Path) -> None:
    """The rules that pair reports, rebuilt for the changed reports and their partners only:
    each step moves a partner of a report that itself stays as it was, and the incremental
    build must equal a fresh build of the same files, mart by mart.

    - paired_terms (R11 carryover): 平潭 2023, the report 2024 is compared with, is removed,
      then added back with other carried-forward figures, then replaced by the real page;
    - aggregate_parts (R14): a part of 沭阳县 2025 (a derived 教育局 page whose new
      applications exceed the county's) is removed, then added back;
    - identical_tables (R15): the real 沭阳县发展和改革局 2023 page is added, whose tables a
      derived 2025 relabelling of it prints too (a fail for both), then removed.
    """
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    years = {year: corpus / f"{year}_pingtan-zone_2021template.html" for year in (2022, 2023, 2024)}
    for path in years.values():
        shutil.copyfile(PINGTAN / path.name, path)
    shutil.copyfile(SAMPLE / COUNTY, corpus / COUNTY)
    drb_2025 = corpus / "2025_DERIVED_shuyang-drb-relabelled.html"
    drb_2025.write_text(_derived_part(None, None), encoding="utf-8")
    part = corpus / "2025_DERIVED_shuyang-education-bureau.html"
    part.write_text(_derived_part("沭阳县教育局", "900"), encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"  # files of a later state, not yet in the corpus
    elsewhere.mkdir()
    changed_2023 = elsewhere / years[2023].name
    changed_2023.write_text(_carried_forward_2023(), encoding="utf-8")
    original_2023 = elsewhere / "original_2023.html"
    shutil.copyfile(years[2023], original_2023)
    drb_2023 = corpus / DRB_2023

    database, lake, target = tmp_path / "gongkai.duckdb", tmp_path / "lake", tmp_path / "target"
    state = database.with_name(".gongkai.incremental.duckdb")

    def fresh(name: str) -> Path:
        folder = tmp_path / name
        inputs = [str(path) for path in sorted(corpus.iterdir())]
        assert (
            build(
                inputs,
                folder / "lake",
                database=folder / "gongkai.duckdb",
                target=folder / "target",
                **QUICK,
            )
            == 0
        )
        return folder / "gongkai.duckdb"

    def incremental(removed: list[Path]) -> None:
        if removed:
            remove_paths([str(path) for path in removed], lake)
        inputs = [str(path) for path in sorted(corpus.iterdir())]
        assert build(inputs, lake, database=database, target=target, **QUICK) == 0

    # A: the three 平潭 years, the county with both parts, the 2025 relabelling alone.
    incremental([])
    first = tmp_path / "first.duckdb"
    shutil.copyfile(database, first)
    r11_2024 = _outcomes(first, years[2024].name, "R11")
    assert r11_2024 == {"pass"}
    assert _outcomes(first, COUNTY, "R14") >= {"fail"}
    assert _outcomes(first, drb_2025.name, "R15") == {"pass"}

    # B: 2023 and the 教育局 part removed, the 发展和改革局 2023 page added.
    years[2023].unlink()
    part.unlink()
    shutil.copyfile(SAMPLE / DRB_2023, drb_2023)
    incremental([years[2023], part])
    assert mart_differences(database, fresh("fresh_b")) == {}
    assert _outcomes(database, years[2024].name, "R11") == set()  # no year before
    assert "fail" not in _outcomes(database, COUNTY, "R14")
    assert _outcomes(database, drb_2025.name, "R15") == {"fail"}
    rebuilt = _rebuilt(state)
    # The partners were rebuilt for their evaluation, not every report for every one.
    assert _report(database, years[2024].name) in rebuilt["paired_terms"]
    assert _report(database, COUNTY) in rebuilt["aggregate_parts"]
    assert _report(database, drb_2025.name) in rebuilt["identical_tables"]
    assert _report(database, drb_2025.name) not in rebuilt["paired_terms"]
    assert _report(database, years[2022].name) not in rebuilt["identical_tables"]

    # C: 2023 back with other carried-forward figures, the part back, the page removed.
    shutil.copyfile(changed_2023, years[2023])
    part.write_text(_derived_part("沭阳县教育局", "900"), encoding="utf-8")
    drb_2023.unlink()
    incremental([drb_2023])
    assert mart_differences(database, fresh("fresh_c")) == {}
    assert _outcomes(database, years[2024].name, "R11") == {"pass", "fail"}
    assert _outcomes(database, COUNTY, "R14") >= {"fail"}
    assert _outcomes(database, drb_2025.name, "R15") == {"pass"}

    # A again: 2023 changed back to the real page, in place.
    shutil.copyfile(original_2023, years[2023])
    incremental([])
    assert mart_differences(database, first) == {}
    assert _outcomes(database, years[2024].name, "R11") == r11_2024


def _report(database: Path, file_name: str) -> str:
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(
            "select report_id from dim_reports where source_path like '%/' || ?", [file_name]
        ).fetchall()
    assert len(rows) == 1, (file_name, rows)
    return rows[0][0]


def _outcomes(database: Path, file_name: str, rule_id: str) -> set[str]:
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(
            "select distinct outcome from fct_reconciliation_results join dim_reports"
            " using (report_id) where dim_reports.source_path like '%/' || ? and rule_id = ?",
            [file_name, rule_id],
        ).fetchall()
    return {outcome for (outcome,) in rows}


def _rebuilt(state: Path) -> dict[str, set[str]]:
    """int_reports_changed_with_partners of the last build: report ids by evaluation."""
    with duckdb.connect(str(state), read_only=True) as connection:
        rows = connection.execute(
            "select evaluation, report_id from intermediate.int_reports_changed_with_partners"
        ).fetchall()
    rebuilt: dict[str, set[str]] = {}
    for evaluation, report_id in rows:
        rebuilt.setdefault(evaluation, set()).add(report_id)
    return rebuilt
