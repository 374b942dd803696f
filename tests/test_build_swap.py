"""A reader that queries the warehouse in a loop during a full rebuild never sees an error or
a partial table, and the rebuild succeeds (the new file is swapped in by an atomic rename)."""

from __future__ import annotations

import multiprocessing
import shutil
import time
from pathlib import Path

import duckdb

from gongkai.build import build
from tests.conftest import SAMPLE, Built

QUERIES = {
    "reports": "select count(*) from dim_reports",
    "applications": "select count(*) from fct_applications",
    "findings": "select count(*) from fct_reconciliation_results",
}


def _reader(database: str, stop: multiprocessing.Event, results: multiprocessing.Queue) -> None:
    seen: list[tuple[str, int]] = []
    errors: list[str] = []
    while not stop.is_set():
        try:
            connection = duckdb.connect(database, read_only=True)
            try:
                for name, sql in QUERIES.items():
                    seen.append((name, connection.execute(sql).fetchone()[0]))
            finally:
                connection.close()
        except Exception as error:  # everything a BI tool would show the user
            errors.append(f"{type(error).__name__}: {error}")
        time.sleep(0.01)
    results.put((seen, errors))


def test_readers_never_see_a_half_built_warehouse(sample_build: Built, tmp_path: Path) -> None:
    # A copy of the session's sample warehouse, so the rebuild below changes only the copy.
    database = tmp_path / "gongkai.duckdb"
    lake = tmp_path / "lake"
    shutil.copyfile(sample_build.database, database)
    shutil.copytree(sample_build.lake, lake)
    connection = duckdb.connect(str(database), read_only=True)
    expected = {name: connection.execute(sql).fetchone()[0] for name, sql in QUERIES.items()}
    connection.close()

    context = multiprocessing.get_context("spawn")
    stop, results = context.Event(), context.Queue()
    reader = context.Process(target=_reader, args=(str(database), stop, results))
    reader.start()
    try:
        time.sleep(2)  # the reader is querying before the rebuild starts
        rebuilt = build([str(SAMPLE)], lake, database=database, target=tmp_path / "target")
        time.sleep(1)
    finally:
        stop.set()
        seen, errors = results.get(timeout=60)
        reader.join(timeout=60)
    assert rebuilt == 0

    assert errors == []
    assert len(seen) > 30
    assert {value for name, value in seen if name == "reports"} == {expected["reports"]}
    for name, value in seen:
        assert value == expected[name], name
    assert not list(tmp_path.glob(".*building*")), "no temporary warehouse left behind"
