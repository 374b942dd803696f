"""One writer at a time: a second ingest or build waits for the lake's lock and says so, and
two ingests started together both end up in the lake."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from ingest.lake.lock import lake_lock, locked
from tests.conftest import ROOT, SAMPLE

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _start(tmp_path: Path, *arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "gongkai", *arguments],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=ENV,
    )


def _folders(tmp_path: Path) -> None:
    names = sorted(p.name for p in SAMPLE.iterdir())
    for folder, chosen in (("A", names[:5]), ("B", names[5:])):
        (tmp_path / folder).mkdir()
        for name in chosen:
            shutil.copy(SAMPLE / name, tmp_path / folder / name)


def test_a_second_writer_waits_for_the_lock_and_says_so(tmp_path: Path) -> None:
    _folders(tmp_path)
    lake = tmp_path / "lake"
    with locked(lake_lock(lake), "the lake"):
        second = _start(tmp_path, "ingest", "A", "--out", "lake")
        assert second.stderr is not None
        first_line = second.stderr.readline()  # blocks until the second run has spoken
        assert first_line.startswith(f"waiting: another gongkai run (pid {os.getpid()})")
        assert "is writing the lake at lake" in first_line
        assert not lake.exists() or not any(lake.rglob("*.parquet"))
    rest = second.stderr.read()
    assert second.wait() == 0, rest
    assert "documents: 5" in rest


def test_a_build_waits_for_an_ingest(tmp_path: Path) -> None:
    _folders(tmp_path)
    with locked(lake_lock(tmp_path / "lake"), "the lake"):
        build = _start(tmp_path, "build", "A", "--out", "lake")
        assert build.stderr is not None
        assert build.stderr.readline().startswith("waiting: another gongkai run")
        build.kill()  # started by this test; the rest of a build is tested elsewhere
        build.wait()
        build.stderr.close()
    assert not (tmp_path / "lake").exists() or not any((tmp_path / "lake").rglob("*.parquet"))


def test_two_ingests_at_once_lose_nothing(tmp_path: Path) -> None:
    _folders(tmp_path)
    runs = [_start(tmp_path, "ingest", folder, "--out", "lake") for folder in ("A", "B")]
    for process in runs:
        assert process.stderr is not None
        output = process.stderr.read()
        assert process.wait() == 0, output
        process.stderr.close()
    documents = pq.read_table(tmp_path / "lake" / "documents").to_pylist()
    assert len(documents) == len(list(SAMPLE.iterdir()))


def _ingest_with_a_hanging_document(folder: str, lake: str, marker: str) -> None:
    """In a forked child: ingest, with the worker hanging on poison.txt (its pid in marker)."""
    import time

    from ingest.lake import workers
    from ingest.lake.pipeline import run

    real = workers.parse_document_columns

    def parse(data: bytes, source_path: str, report_id: str):  # noqa: ANN202
        if source_path.endswith("poison.txt"):
            Path(marker).write_text(str(os.getpid()))
            time.sleep(3600)
        return real(data, source_path, report_id)

    workers.parse_document_columns = parse
    run([folder], Path(lake), workers=1)


def test_a_killed_ingest_releases_the_lock_though_its_worker_hangs(tmp_path: Path) -> None:
    import fcntl
    import multiprocessing
    import signal
    import time

    _folders(tmp_path)
    (tmp_path / "A" / "poison.txt").write_text("政府信息公开工作年度报告", encoding="utf-8")
    marker = tmp_path / "worker.pid"
    lake = tmp_path / "lake"
    child = multiprocessing.get_context("fork").Process(
        target=_ingest_with_a_hanging_document, args=(str(tmp_path / "A"), str(lake), str(marker))
    )
    child.start()
    worker = None
    try:
        while not marker.exists() or not marker.read_text():
            assert child.is_alive()
            time.sleep(0.05)  # waits for the worker to reach the document; not a measurement
        worker = int(marker.read_text())
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        with open(lake_lock(lake), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError if still held
    finally:
        if child.is_alive():
            child.kill()
        if worker is not None:
            os.kill(worker, signal.SIGKILL)  # the worker this test's child started
