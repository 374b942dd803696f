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
    # (rebuilt in full, not per report) included: the removed series had year-over-year
    # results, the added reports bring their own.
    for cross_report in (True, False):
        gone, new = _results_changed(first_build, database, cross_report)
        assert gone > 0 and new > 0, (cross_report, gone, new)
    # ... and their data tests checked the rebuilt rows: the changed reports' and those.
    compiled = sorted((target / "compiled").rglob("not_null_fct_finding_cells_report_id.sql"))
    assert compiled, "no compiled not_null test of fct_finding_cells"
    assert "cross_rules" in compiled[0].read_text(encoding="utf-8")
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
