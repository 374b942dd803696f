"""The lake on disk: one documents row per file, deterministic, incremental, atomic."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gongkai.cli import main
from ingest.lake import parquet
from ingest.lake.pipeline import run
from tests.conftest import SAMPLE


def _snapshot(lake: Path) -> dict[str, bytes]:
    return {
        p.relative_to(lake).as_posix(): p.read_bytes()
        for p in sorted(lake.rglob("*"))
        if p.is_file()
    }


def _documents(lake: Path) -> list[dict]:
    return pq.read_table(lake / "documents").to_pylist()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLE, folder)
    return folder


def test_one_documents_row_per_file_and_cells_for_tables(corpus: Path, tmp_path: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    shutil.copy(corpus / "004_b946b0eb2e73828a.txt", corpus / "copy_of_004.txt")
    summary = run([str(corpus)], tmp_path / "lake", workers=1)
    docs = {Path(d["source_path"]).name: d for d in _documents(tmp_path / "lake")}
    assert len(docs) == len(list(corpus.iterdir()))
    assert docs["empty.txt"]["status"] == "error"
    assert docs["copy_of_004.txt"]["status"] == "duplicate"
    assert "004_b946b0eb2e73828a.txt" in docs["copy_of_004.txt"]["error"]
    cells = pq.read_table(tmp_path / "lake" / "cells").to_pylist()
    assert not any(c["source_path"].endswith("copy_of_004.txt") for c in cells)
    assert summary.failed and summary.documents["error"] == 1


def test_same_input_gives_byte_identical_lake(corpus: Path, tmp_path: Path) -> None:
    run([str(corpus)], tmp_path / "one", workers=1)
    run([str(corpus)], tmp_path / "two", workers=2)
    assert _snapshot(tmp_path / "one") == _snapshot(tmp_path / "two")


def test_rerun_parses_only_what_changed(corpus: Path, tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    first = run([str(corpus)], lake, workers=1)
    again = run([str(corpus)], lake, workers=1)
    assert (again.parsed, again.unchanged) == (0, first.parsed)
    edited = corpus / "004_b946b0eb2e73828a.txt"
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("18858", "18859"), encoding="utf-8"
    )
    (corpus / "2013_xietang-town_pre2019-narrative.txt").unlink()
    third = run([str(corpus)], lake, workers=1)
    assert third.parsed == 1
    fresh = tmp_path / "fresh"
    run([str(corpus)], fresh, workers=1)
    assert _snapshot(lake) == _snapshot(fresh)


def test_interrupted_write_leaves_no_half_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = tmp_path / "lake"
    run([str(SAMPLE / "004_b946b0eb2e73828a.txt")], lake, workers=1)
    before = _snapshot(lake)

    def crash(table, where, **kwargs):  # noqa: ANN001
        Path(where).write_bytes(b"PAR1 half")
        raise KeyboardInterrupt

    monkeypatch.setattr(parquet.pq, "write_table", crash)
    with pytest.raises(KeyboardInterrupt):
        run([str(SAMPLE)], lake, workers=1)
    assert _snapshot(lake) == before


def test_cli_exit_status_says_whether_anything_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(SAMPLE), "--out", str(tmp_path / "ok")]) == 0
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    assert main(["ingest", str(bad), "--out", str(tmp_path / "bad")]) == 1
    docs = {Path(d["source_path"]).name: d for d in _documents(tmp_path / "bad")}
    assert docs["bad.txt"]["status"] == "error"
    err = capsys.readouterr().err
    assert f"{bad.as_posix()}: empty file (0 bytes)" in err
    assert "exit status 1: 1 file(s) could not be read" in err
    # The summary names the first files in error and partial, and where the rest are.
    many = tmp_path / "many"
    shutil.copytree(SAMPLE, many)
    for number in range(12):
        (many / f"empty{number:02}.txt").write_bytes(b"")
    assert main(["ingest", str(many), "--out", str(tmp_path / "many_lake")]) == 1
    err = capsys.readouterr().err
    assert "partial (1):\n" in err and "2021_pingtan-zone" in err
    assert "error (12):\n" in err and f"{many.as_posix()}/empty09.txt: empty file" in err
    assert "empty10.txt" not in err
    lake_docs = (tmp_path / "many_lake" / "documents").as_posix()
    assert f"… 2 more: status = 'error' in {lake_docs}" in err
    # A path that does not exist is no input: said so, nothing written.
    missing = tmp_path / "missing.html"
    assert main(["ingest", str(missing), "--out", str(tmp_path / "none")]) == 1
    assert "no such file or directory" in capsys.readouterr().err
    assert not (tmp_path / "none").exists()
