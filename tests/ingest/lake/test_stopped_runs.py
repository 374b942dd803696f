"""An ingest stopped from outside: SIGTERM stops its workers and leaves the lake as the last
complete run left it; a parent killed outright leaves no worker behind."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from tests.conftest import SAMPLE

POISON = "poison.txt"


def _ingest_with_a_slow_document(folder: str, lake: str, marker: str, seconds: float) -> None:
    """In a forked child: `gongkai ingest`, the worker that meets poison.txt writing its pid
    to marker, then taking `seconds` over it."""
    from gongkai.cli import main
    from ingest.lake import workers

    real = workers.parse_document_columns

    def parse(data: bytes, source_path: str, report_id: str):  # noqa: ANN202
        if source_path.endswith(POISON):
            Path(marker).write_text(str(os.getpid()))
            time.sleep(seconds)
        return real(data, source_path, report_id)

    workers.parse_document_columns = parse
    sys.exit(main(["ingest", folder, "--out", lake, "--workers", "2"]))


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
        return [int(child) for child in handle.read().split()]


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie waits for a reaper that may never come)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _lake_rows(lake: Path) -> list[list[dict]]:
    return [
        sorted(pq.read_table(lake / part).to_pylist(), key=repr) for part in ("documents", "cells")
    ]


def _start(tmp_path: Path, seconds: float) -> tuple[multiprocessing.process.BaseProcess, Path]:
    marker = tmp_path / "worker.pid"
    child = multiprocessing.get_context("fork").Process(
        target=_ingest_with_a_slow_document,
        args=(str(tmp_path / "in"), str(tmp_path / "lake"), str(marker), seconds),
    )
    child.start()
    while not marker.exists() or not marker.read_text():
        assert child.is_alive(), "the ingest ended before its worker reached the document"
        time.sleep(0.05)  # waits for the worker to reach the document; not a measurement
    return child, marker


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in sorted(p.name for p in SAMPLE.iterdir())[:5]:
        shutil.copy(SAMPLE / name, folder / name)
    return folder


def test_sigterm_stops_the_workers_and_keeps_the_last_complete_lake(tmp_path: Path) -> None:
    from gongkai.cli import main

    folder = _folder(tmp_path)
    assert main(["ingest", str(folder), "--out", str(tmp_path / "lake")]) == 0
    before = _lake_rows(tmp_path / "lake")
    (folder / POISON).write_text("政府信息公开工作年度报告", encoding="utf-8")
    child, marker = _start(tmp_path, seconds=3600)
    workers = _children(child.pid)
    try:
        os.kill(child.pid, signal.SIGTERM)
        child.join(timeout=60)
        assert child.exitcode == 130
        assert not any(_running(pid) for pid in workers), "a worker outlived the ingest"
    finally:
        for pid in [child.pid, *workers]:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
    assert _lake_rows(tmp_path / "lake") == before
    assert main(["ingest", str(folder), "--out", str(tmp_path / "lake")]) == 0


def test_workers_end_when_their_parent_is_killed(tmp_path: Path) -> None:
    _folder(tmp_path)
    (tmp_path / "in" / POISON).write_text("政府信息公开工作年度报告", encoding="utf-8")
    child, _ = _start(tmp_path, seconds=2)
    workers = _children(child.pid)
    assert workers  # one: the folder is one shard's task
    try:
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        deadline = time.monotonic() + 60
        while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)  # a bound for a hang, not a measurement
        assert not any(_running(pid) for pid in workers), "workers left behind, blocked"
    finally:
        for pid in workers:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
