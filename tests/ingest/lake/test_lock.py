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
