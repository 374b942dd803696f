"""Figures outside the standard tables: pre-2019 statistics tables and the report's text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.figures.narrative import MIN_SENTENCE_CHARS, read_narrative
from ingest.figures.statistics import read_statistics_table
from ingest.readers import Decoded, SourceRow
from ingest.readers.text import rows_from_lines


@dataclass
class Figures:
    cells: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    has_statistics_table: bool = False


def figure_cells(decoded: Decoded, report_year: int | None, statistics: bool) -> Figures:
    """Narrative figures, and (when `statistics`) the pre-2019 statistics table's cells."""
    rows = _all_rows(decoded)
    # A piece too short to hold a sentence is skipped by the narrative reader anyway.
    prose = [
        (cell, locator, spans)
        for row in rows
        if not row.explicit
        for cell, locator, spans in zip(
            row.cells,
            row.locators,
            row.word_confidences or (None,) * len(row.cells),
            strict=True,
        )
        if len(cell) >= MIN_SENTENCE_CHARS
    ]
    narrative = read_narrative(prose, report_year)
    figures = Figures()
    if statistics:
        quoted: dict[str, set[float]] = {}
        for cell in narrative:
            if cell["value"] is not None and cell["col_code"] == "year":
                quoted.setdefault(cell["_legacy_code"], set()).add(cell["value"])
        table = read_statistics_table(rows, quoted)
        if table is not None and table.cells:
            figures.has_statistics_table = True
            figures.cells.extend(table.cells)
            figures.notes.extend(table.notes)
            figures.problems.extend(table.problems)
    figures.cells.extend(narrative)
    return figures


def _all_rows(decoded: Decoded) -> list[SourceRow]:
    # Text readers keep rows only from the first standard-table marker; read every line here.
    if decoded.rows_from_line:
        return rows_from_lines(decoded.lines[: decoded.rows_from_line]) + decoded.rows
    return decoded.rows
