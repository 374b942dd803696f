"""Inputs that are not reports, or are hostile: every one ends as a counted skip or one error
row that says why, within a per-document budget, and the batch goes on.

Every hostile file is built here by the test itself.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gongkai.cli import main
from ingest.lake import workers
from ingest.lake.inputs import display_path, filesystem_path
from ingest.lake.pipeline import run
from ingest.lake.workers import Budget
from tests.conftest import ROOT, SAMPLE

REPORT = "004_b946b0eb2e73828a.txt"
GONGKAI = [sys.executable, "-m", "gongkai"]


def documents(lake: Path) -> dict[str, dict]:
    return {d["source_path"]: d for d in pq.read_table(lake / "documents").to_pylist()}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder `in` (named relatively, from tmp_path) holding one real report."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    shutil.copy(SAMPLE / REPORT, tmp_path / "in" / REPORT)
    return tmp_path / "in"


def _ingest(*arguments: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`gongkai ingest` in its own process: a file that blocks the reader cannot hang the
    test run (the timeout is a guard, not a measurement)."""
    return subprocess.run(
        [*GONGKAI, "ingest", *arguments],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_a_fifo_and_a_link_to_dev_zero_are_error_rows_not_reads(folder: Path) -> None:
    os.mkfifo(folder / "stuck.txt")
    os.mkfifo(folder / "pipe")
    (folder / "zero.html").symlink_to("/dev/zero")
    result = _ingest("in", "--out", "lake")
    assert result.returncode == 1, result.stderr
    docs = documents(Path("lake"))
    assert docs["in/stuck.txt"]["status"] == "error"
    assert "not a regular file (a FIFO)" in docs["in/stuck.txt"]["error"]
    assert "a character device" in docs["in/zero.html"]["error"]
    assert docs["in/" + REPORT]["status"] == "parsed"
    assert "in/pipe" not in docs  # no report name, not a file: counted as skipped
    assert "not regular files 1" in result.stderr


def _bomb(path: Path, member: str, megabytes: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open(member, "w") as handle:
            chunk = b" " * (1 << 20)
            for _ in range(megabytes):
                handle.write(chunk)


def test_zip_bombs_are_measured_before_they_are_opened(folder: Path) -> None:
    _bomb(folder / "bomb.docx", "word/document.xml", 300)
    _bomb(folder / "bomb.xlsx", "xl/worksheets/sheet1.xml", 300)
    assert (folder / "bomb.docx").stat().st_size < 2_000_000
    run(["in"], Path("lake"), workers=2, budget=Budget(memory_mb=1500))
    docs = documents(Path("lake"))
    for name in ("bomb.docx", "bomb.xlsx"):
        assert docs[f"in/{name}"]["status"] == "error"
        assert "unpacks to 315 MB" in docs[f"in/{name}"]["error"], docs[f"in/{name}"]["error"]
    assert docs["in/" + REPORT]["status"] == "parsed"


def test_a_file_too_big_to_be_a_report_is_not_read(folder: Path) -> None:
    with open(folder / "video.pdf", "wb") as handle:
        handle.truncate(600_000_000)  # sparse: no disk used
    run(["in"], Path("lake"), workers=1, budget=Budget(max_mb=512))
    doc = documents(Path("lake"))["in/video.pdf"]
    assert doc["status"] == "error"
    assert "600 MB, over the 512 MB a document may be; not read" in doc["error"]


def test_huge_rowspans_and_colspans_stay_small(folder: Path) -> None:
    cell = '<td rowspan="100" colspan="100">1</td>'
    rows = "".join(f"<tr>{cell * 40}</tr>" for _ in range(150))
    (folder / "spans.html").write_text(
        f"<html><body><p>政府信息公开工作年度报告</p><table>{rows}</table></body></html>",
        encoding="utf-8",
    )
    assert (folder / "spans.html").stat().st_size > 228_000
    # Before cells were counted per column, this page held 6e7 grid positions (> 5 GB).
    run(["in"], Path("lake"), workers=1, budget=Budget(memory_mb=1500))
    doc = documents(Path("lake"))["in/spans.html"]
    assert doc["status"] != "error", doc["error"]


def test_one_long_whitespace_line_is_read_in_linear_time(folder: Path) -> None:
    text = (SAMPLE / REPORT).read_text(encoding="utf-8")
    title, rest = text.split("\n", 1)
    (folder / "spaces.txt").write_text(
        f"{title}\n索引号" + " \u3000\t" * 100_000 + f"x\n{rest}", encoding="utf-8"
    )
    # Quadratic patterns took over a minute on this line; the budget turns that into an
    # error row. Linear ones read it in well under a second.
    run(["in"], Path("lake"), workers=1, budget=Budget(seconds=60))
    doc = documents(Path("lake"))["in/spaces.txt"]
    assert doc["status"] == "parsed", doc["error"]


def _poisoned(behaviour: str):  # noqa: ANN202
    """parse_document_columns that misbehaves on files named poison*, in the worker process."""
    real = workers.parse_document_columns

    def parse(data: bytes, source_path: str, report_id: str):  # noqa: ANN202
        if Path(source_path).name.startswith("poison"):
            if behaviour == "die":
                os.kill(os.getpid(), signal.SIGKILL)
            if behaviour == "hang":
                time.sleep(3600)
            if behaviour == "eat":
                hoard = [bytearray(100 * 1024 * 1024) for _ in range(15)]
                time.sleep(3600)
                del hoard
        return real(data, source_path, report_id)

    return parse


@pytest.mark.parametrize(
    ("behaviour", "budget", "message"),
    [
        ("die", Budget(), "the parser process died on this document: SIGKILL"),
        ("hang", Budget(seconds=20), "took longer than 20 s, the per-document time budget"),
        ("eat", Budget(memory_mb=800), "used more than 800 MB, the per-document memory budget"),
    ],
)
def test_a_worker_that_dies_or_runs_past_its_budget_is_an_error_row(
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    behaviour: str,
    budget: Budget,
    message: str,
) -> None:
    for name in sorted(p.name for p in SAMPLE.iterdir())[:10]:
        shutil.copy(SAMPLE / name, folder / name)
    (folder / "poison.txt").write_text("政府信息公开工作年度报告 poison", encoding="utf-8")
    monkeypatch.setattr(workers, "parse_document_columns", _poisoned(behaviour))
    summary = run(["in"], Path("lake"), workers=2, budget=budget)
    docs = documents(Path("lake"))
    assert message in docs["in/poison.txt"]["error"], docs["in/poison.txt"]["error"]
    assert len(docs) == 11 and summary.documents["error"] == 1
    assert all(d["status"] != "error" for p, d in docs.items() if p != "in/poison.txt")


def test_names_that_are_not_utf8_are_kept_losslessly(folder: Path) -> None:
    raw_folder = os.fsdecode(b"in/\xb9\xab\xbf\xaa")  # 公开 in GBK: not UTF-8
    os.mkdir(raw_folder)
    shutil.copy(SAMPLE / REPORT, os.path.join(raw_folder, os.fsdecode(b"\xc4\xea\xb1\xa8.txt")))
    shutil.copy(SAMPLE / "000_428f89f9cabfe0c4.txt", os.fsdecode(b"in/back\\slash\xff.txt"))
    assert main(["ingest", "in", "--out", "lake"]) == 0
    docs = documents(Path("lake"))
    names = sorted(docs)
    # Undecodable bytes become \xNN (a backslash \\); what decodes stays readable (걨).
    expected = ["in/" + REPORT, "in/back\\\\slash\\xff.txt", "in/\\xb9\\xab\\xbf\\xaa/\\xc4걨.txt"]
    assert names == sorted(expected)
    for name in names:
        assert filesystem_path(name).is_file()
        assert display_path(str(filesystem_path(name))) == name
    # The two copies of one report: the original is found again, the other is its copy.
    again = run(["in"], Path("lake"), workers=1)
    assert (again.parsed, again.unchanged) == (0, 3)


def test_a_folder_that_cannot_be_read_is_an_error_row(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "locked").mkdir()
    shutil.copy(SAMPLE / "000_428f89f9cabfe0c4.txt", folder / "locked" / "hidden_from_us.txt")
    real_scandir = os.scandir

    def scandir(path):  # noqa: ANN001, ANN202 (as root, chmod 000 does not stop a read)
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    summary = run(["in"], Path("lake"), workers=1)
    doc = documents(Path("lake"))["in/locked"]
    assert doc["status"] == "error"
    assert "cannot read folder: Permission denied" in doc["error"]
    assert summary.documents["error"] == 1


def test_page_assets_and_stray_files_are_skipped_and_counted(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, data in {
        "style.css": b"body { color: red }",
        "app.js": b"console.log(1)",
        "logo.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
        "archive.zip": b"PK\x05\x06" + b"\0" * 18,
        "README.md": b"# Notes\n\nEnglish only.\n",
        "LICENSE": b"MIT License\n",
        ".hidden.txt": (SAMPLE / REPORT).read_bytes(),
        "old.bak": b"whatever",
        "draft.txt": (SAMPLE / "000_428f89f9cabfe0c4.txt").read_bytes(),
    }.items():
        (folder / name).write_bytes(data)
    shutil.copy(SAMPLE / "001_f034b2af3da2120e.txt", folder / "page.html")
    (folder / "page_files").mkdir()
    for name in ("jquery.js", "site.css", "frame.html"):
        (folder / "page_files" / name).write_text("<html>ad</html>", encoding="utf-8")
    (folder / "drafts").mkdir()
    shutil.copy(SAMPLE / "002_9484449f81fef721.txt", folder / "drafts" / "draft2.txt")
    (folder / ".gongkaiignore").write_text("# not ours\ndrafts/\n", encoding="utf-8")
    assert main(["ingest", "in", "--out", "lake", "--exclude", "draft.txt"]) == 0
    assert set(documents(Path("lake"))) == {"in/" + REPORT, "in/page.html"}
    err = capsys.readouterr().err
    assert "skipped 12 paths:" in err
    for counted in (
        "not a report type (.css) 1",
        "not a report type (.png) 1",
        "not a report type (.bak) 1",
        "hidden 2",
        "excluded 2",
        "saved-page asset folders 1",
        "text without Chinese or HTML (.md) 1",
        "text without Chinese or HTML (no extension) 1",
    ):
        assert counted in err, (counted, err)


def test_a_full_disk_leaves_the_lake_as_it_was(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno

    from ingest.lake import parquet

    run(["in"], Path("lake"), workers=1)
    before = {p: p.read_bytes() for p in sorted(Path("lake").rglob("*")) if p.is_file()}
    orphan = Path("lake/cells/.part-zz.parquet.12345.tmp")
    orphan.write_bytes(b"left by a killed run")
    for name in sorted(p.name for p in SAMPLE.iterdir()):
        shutil.copy(SAMPLE / name, folder / name)
    real, calls = parquet.pq.write_table, []

    def write_table(table, where, **options):  # noqa: ANN001, ANN202
        calls.append(where)
        if len(calls) == 2:  # the documents shard, after its cells shard was written
            Path(where).write_bytes(b"PAR1 half")
            raise OSError(errno.ENOSPC, "No space left on device", str(where))
        return real(table, where, **options)

    monkeypatch.setattr(parquet.pq, "write_table", write_table)
    capsys.readouterr()
    assert main(["ingest", "in", "--out", "lake"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "No space left on device; the lake was left as it was" in err
    after = {p: p.read_bytes() for p in sorted(Path("lake").rglob("*")) if p.is_file()}
    assert after == before  # the orphan is gone, no temporary is left, nothing changed


def test_an_unwritable_lake_is_one_line(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("file").write_text("not a folder", encoding="utf-8")
    assert main(["ingest", "in", "--out", "file/lake"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("gongkai: cannot update the lake file/lake: ")
    assert "File exists" in err and len(err.strip().splitlines()) == 1


def test_the_progress_bar_reaches_the_end_and_ends_its_line(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in sorted(p.name for p in SAMPLE.iterdir()):
        shutil.copy(SAMPLE / name, folder / name)
    summary = run(["in"], Path("lake"), workers=2, progress=True)
    err = capsys.readouterr().err
    assert f"] {summary.parsed}/{summary.parsed} documents\n" in err
    assert err.endswith("\n")
