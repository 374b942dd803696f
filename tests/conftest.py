"""Shared fixtures: the bundled sample corpus and golden cells written by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTED = FIXTURES / "expected"


def sample_file(prefix: str) -> Path:
    """The one sample report whose name starts with `prefix`."""
    matches = sorted(SAMPLE.glob(f"{prefix}*"))
    assert len(matches) == 1, f"expected one sample file starting with {prefix}, got {matches}"
    return matches[0]


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE
