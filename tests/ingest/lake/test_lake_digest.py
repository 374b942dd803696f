"""The lake of a fixed set of inputs holds exactly the rows a committed digest records.

The inputs: every bundled real report (the sample, the real pages and their PDFs, the
rendered grids, the per-format fixtures but the scan and the legacy Office files, which need
OCR and LibreOffice) and 300 generated reports of every layout (bench/generate.py, seed 7).
They go through the whole ingest with two workers, as users run it. The digest
(bench/lake_digest.py) hashes every column of every documents row and cell row but the
parser version, so a speed-up that changes one value, one locator or one note fails here,
naming the documents whose rows changed.

When a change is meant to change cells (a parser fix), regenerate the digest and commit it
with the fix, saying why the rows changed:

    GONGKAI_WRITE_DIGEST=1 uv run pytest tests/ingest/lake/test_lake_digest.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bench.generate import generate
from bench.lake_digest import digest_lines
from ingest.lake.pipeline import run
from tests.conftest import EXPECTED, FIXTURES, SAMPLE

DIGEST = EXPECTED / "lake_digest.tsv"
GENERATED = 300
SKIPPED = {"scanned.pdf", "shuyang.doc", "shuyang.xls", "SOURCES.md"}


def _inputs(root: Path) -> list[str]:
    folders = {
        "sample": SAMPLE,
        "real": FIXTURES / "real",
        "rendered": FIXTURES / "rendered",
        "formats": FIXTURES / "formats",
        "legacy": FIXTURES / "legacy",
    }
    for name, source in folders.items():
        (root / name).mkdir(parents=True)
        for path in sorted(source.iterdir()):
            if path.is_file() and path.suffix != ".py" and path.name not in SKIPPED:
                shutil.copy(path, root / name / path.name)
    generate(root / "generated", GENERATED, seed=7, workers=1)
    return [*folders, "generated"]


def test_the_lake_holds_the_committed_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    arguments = _inputs(Path("reports"))
    monkeypatch.chdir(tmp_path / "reports")
    run(arguments, tmp_path / "lake", workers=2, progress=False)
    lines = list(digest_lines(tmp_path / "lake"))
    if os.environ.get("GONGKAI_WRITE_DIGEST"):
        DIGEST.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = DIGEST.read_text(encoding="utf-8").splitlines()
    assert len(lines) > GENERATED + 30
    changed = sorted(set(lines) ^ set(expected))
    names = sorted({line.split("\t")[0] for line in changed})
    assert not changed, f"{len(names)} document(s) whose rows changed: {names[:20]}"
