"""Reading the hand-checked gold of pre-2019 statistics tables and narrative figures.

A gold file (tests/fixtures/expected/legacy/*.txt) names its source document on a `source`
line, then one line per cell the document prints, in reading order:

    legacy <row_code|-> <col_code|?> <value|_|?digits> <unit|-> [raw label, unmapped rows]
    narrative <row_code> <col_code> <value|text> <unit|-> <scope>

`_` is a printed blank, `?digits` a run-together row left ambiguous, `text` a figure given in
words (未收到…). A line starting with `missed` is a figure a reader sees that the ingest does not
(yet) extract: counted against the measured figures, asserted absent so the gold stays true.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from ingest.document import parse_document

ROOT = Path(__file__).resolve().parents[2]
GOLD_DIR = ROOT / "tests" / "fixtures" / "expected" / "legacy"


def parse(source: str | Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    path = ROOT / source
    return parse_document(path.read_bytes(), path.name, "gold")


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def cell_line(cell: dict[str, Any]) -> str | None:
    table = cell["table_code"]
    unit = cell["unit"] or "-"
    if table == "legacy":
        row = cell["row_code"] or "-"
        if cell["status"] == "ambiguous":
            return f"legacy {row} ? ?{cell['raw_text']} {unit}"
        value = "_" if cell["value_kind"] == "blank" else _number(cell["value"])
        extra = f" {cell['row_label_raw']}" if cell["status"] == "unmapped" else ""
        return f"legacy {row} {cell['col_code']} {value} {unit}{extra}"
    if table == "narrative":
        value = "text" if cell["value"] is None else _number(cell["value"])
        return f"narrative {cell['row_code']} {cell['col_code']} {value} {unit} {cell['scope']}"
    return None


def cell_lines(cells: list[dict[str, Any]]) -> list[str]:
    return [line for line in (cell_line(c) for c in cells) if line is not None]


def read_gold(path: Path) -> tuple[str, list[str], list[str]]:
    """(source, expected lines, missed lines)."""
    source, expected, missed = "", [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("source "):
            source = line.removeprefix("source ").strip()
        elif line.startswith("missed "):
            missed.append(line.removeprefix("missed ").strip())
        else:
            expected.append(line.strip())
    return source, expected, missed


def measure(path: Path) -> dict[str, Counter[str]]:
    """Per table: gold cells, exact cells, wrong (extracted but not in gold), missed."""
    source, expected, missed = read_gold(path)
    _, cells = parse(source)
    got = Counter(cell_lines(cells))
    want = Counter(expected)
    result: dict[str, Counter[str]] = {}
    for line in set(want) | set(got) | set(missed):
        table = line.split()[0]
        counts = result.setdefault(table, Counter())
        exact = min(want[line], got[line])
        counts["gold"] += want[line] + missed.count(line)
        counts["exact"] += exact if not line.split()[3].startswith("?") else 0
        counts["ambiguous"] += exact if line.split()[3].startswith("?") else 0
        counts["wrong"] += max(got[line] - want[line], 0)
    return result
