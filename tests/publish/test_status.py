"""`gongkai status` and the command line's surface: help, version, one-line user errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Built

from gongkai.build import build
from publish.status import warehouse_status
from tests.conftest import SAMPLE

PINGTAN_2021 = "2021_pingtan-zone_2021template_concatenated.txt"


def _gongkai(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongkai", *arguments], capture_output=True, text=True, timeout=600
    )


def test_status_names_the_partial_report_and_what_is_missing(built: Built) -> None:
    status = warehouse_status(built.database)
    text = status.render()
    assert status.exit_code == 1
    assert text.splitlines()[-1] == "exit 1: 1 report is partial (listed above)."
    partial = next(line for line in text.splitlines() if PINGTAN_2021 in line)
    assert "693665" in partial  # why: the run-together digits that split ten ways
    assert "missing: proactive: missing: normative_documents/issued" in text
    assert "R06 template_complete: 1 failing" in text
    assert "files that failed: none" in text


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus of one good report and three files that cannot be read, built without docs
    or report (`build --no-docs --no-report`)."""
    folder = tmp_path_factory.mktemp("broken")
    corpus = folder / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLE / "000_428f89f9cabfe0c4.txt", corpus)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    (corpus / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip archive")
    database = folder / "warehouse" / "gongkai.duckdb"
    code = build(
        [str(corpus)],
        folder / "lake",
        database=database,
        target=folder / "target",
        docs=False,
        report=False,
    )
    assert code == 1  # files in error
    assert not (database.parent / "report").exists() and not (database.parent / "docs").exists()
    return database


def test_status_on_a_broken_corpus_names_each_failed_file(broken_build: Path) -> None:
    result = _gongkai("status", "--database", str(broken_build))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "files that failed (3):" in lines
    for name in ("empty.txt", "broken.pdf", "broken.docx"):
        line = next(
            (
                line
                for line in lines
                if line.strip().startswith(str(Path(name))) or f"/{name}:" in line
            ),
            None,
        )
        assert line is not None, f"{name} is not named: {result.stdout}"
        assert line.split(":", 1)[1].strip(), f"{name} has no reason"
    assert lines[-1] == "exit 1: 3 files could not be read (listed above)."
    assert any("gongkai remove" in line for line in lines)


def test_user_errors_are_one_line_without_a_traceback(tmp_path: Path) -> None:
    for command in ("status", "export", "report"):
        result = _gongkai(command, "--database", str(tmp_path / "missing.duckdb"))
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert result.stderr.strip().count("\n") == 0, result.stderr
        assert "missing.duckdb" in result.stderr and "gongkai build" in result.stderr


def test_help_shows_user_text_defaults_and_the_version() -> None:
    top = _gongkai("--help")
    assert top.returncode == 0
    assert "政府信息公开工作年度报告" in top.stdout and "examples:" in top.stdout
    assert "status" in top.stdout
    build_help = _gongkai("build", "--help").stdout
    for option in ("--database", "--no-docs", "--no-report"):
        assert option in build_help
    assert "(default: warehouse/gongkai.duckdb)" in build_help
    assert "(default: corpus/sample)" in build_help
    version = _gongkai("--version")
    assert version.returncode == 0 and version.stdout.startswith("gongkai ")


def test_export_sqlite_writes_the_datasette_copy(built: Built, tmp_path: Path) -> None:
    result = _gongkai(
        "export", "--database", str(built.database), "--out", str(tmp_path), "--sqlite"
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "datasette" / "gongkai.sqlite").is_file()
    assert (tmp_path / "datasette" / "metadata.json").is_file()
    commands = [
        line.split()[0]
        for line in _gongkai("--help").stdout.splitlines()
        if line.startswith("    ") and line.split()
    ]
    assert "serve" in commands
