"""Shared fixtures: the bundled sample corpus, golden cells written by hand, and the one
sample warehouse every end-to-end test reads (built once per session)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from gongkai.build import BUILD_RESULTS, build

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTED = FIXTURES / "expected"


# A golden value as written by hand: the printed digits, an optional unit after them.
GOLDEN_LITERAL = re.compile(r"(-?\d+(?:\.\d+)?)(\D*)")


def golden_literal(printed: str) -> tuple[float, str | None]:
    """The number and unit of a golden file entry, read with float(), never with the parser
    under test."""
    match = GOLDEN_LITERAL.fullmatch(printed)
    assert match, f"golden value {printed!r} is not a literal number"
    return float(match[1]), match[2] or None


def sample_file(prefix: str) -> Path:
    """The one sample report whose name starts with `prefix`."""
    matches = sorted(SAMPLE.glob(f"{prefix}*"))
    assert len(matches) == 1, f"expected one sample file starting with {prefix}, got {matches}"
    return matches[0]


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@dataclass(frozen=True)
class Built:
    """A warehouse `gongkai build` made: the DuckDB file, its lake, docs, report, dbt output."""

    database: Path
    lake: Path
    target: Path

    @property
    def report(self) -> Path:
        return self.database.parent / "report"

    @property
    def docs(self) -> Path:
        return self.database.parent / "docs"

    @property
    def run_results(self) -> dict:
        """dbt's results of the `dbt build` step, node by node."""
        return json.loads((self.target / BUILD_RESULTS).read_text(encoding="utf-8"))

    def query(self, sql: str, parameters: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.database), read_only=True) as connection:
            return connection.execute(sql, parameters or []).fetchall()


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The bundled sample built once, as `gongkai build` does: ingest, dbt build, docs, report.

    Shared read-only by every test that only reads the sample warehouse; a test that changes
    a warehouse copies it first.
    """
    folder = tmp_path_factory.mktemp("sample_build")
    built = Built(folder / "gongkai.duckdb", folder / "lake", folder / "target")
    # The sample named relatively from the repository root, as `gongkai build` names it: no
    # report page (nor the screenshot of one) shows a path of the machine it ran on.
    where = os.getcwd()
    os.chdir(ROOT)
    try:
        sample = SAMPLE.relative_to(ROOT).as_posix()
        assert build([sample], built.lake, database=built.database, target=built.target) == 0
    finally:
        os.chdir(where)
    return built
