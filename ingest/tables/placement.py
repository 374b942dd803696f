"""Place the value tokens of one table section into the template grid.

Values appear in reading order in every layout we have met; labels are anchors that may be
missing, repeated or misplaced (PDF text). So the table is cut into segments at row labels, and
each segment's values fill its rows in order. Counts that do not fit are never forced: they end
up `ambiguous` (raw text kept, no column) or `unplaced`, and the document is `partial`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.schema import CELL_AMBIGUOUS, CELL_INFERRED, CELL_OK, CELL_UNPLACED, KIND_BLANK
from ingest.tables.digits import split_digits, totals_check
from ingest.tables.labels import RowSpec
from ingest.tables.segments import Segment, cut_segments
from ingest.tables.tokens import VALUE, Token
from ingest.values import parse_value

_UNIT_RE = re.compile(r"单位:?(万元|亿元|元)")


@dataclass
class Placed:
    """One cell as found: where it goes (codes may be None) and the token it came from."""

    row_code: str | None
    col_code: str | None
    row_label_raw: str | None
    raw_text: str
    locator: str
    status: str
    unit_hint: str | None = None


@dataclass
class TableResult:
    cells: list[Placed]
    problems: list[str]  # what makes the table incomplete or doubtful
    notes: list[str]  # what was set aside without doubt about the cells (a page number)


def parse_table(tokens: list[Token], specs: tuple[RowSpec, ...], use_anchors: bool) -> TableResult:
    """Place the tokens of one table section; `specs` are the template's rows in order."""
    segments = cut_segments(tokens, specs, use_anchors)
    anchored = sorted(s.row for s in segments if s.row is not None)
    result = TableResult([], [], [])
    cells, problems = result.cells, result.problems
    for segment in segments:
        if not segment.values:
            continue
        if segment.row is None:
            if anchored:
                _leading_values(segment, specs, anchored, cells, problems)
                continue
            segment.row = 0
        following = [row for row in anchored if row > segment.row]
        end = following[0] if following else len(specs)
        _fill(segment, specs[segment.row : end], result)
    return result


def _leading_values(
    segment: Segment,
    specs: tuple[RowSpec, ...],
    anchored: list[int],
    cells: list[Placed],
    problems: list[str],
) -> None:
    """Values before the first row label: header padding, or rows whose labels were lost."""
    # Blank markers before any row label are header padding ("-" under OCR'd headings).
    values = [v for v in segment.values if parse_value(v.text).kind != KIND_BLANK]
    if not values:
        return
    first = anchored[0]
    if sum(len(spec.columns) for spec in specs[:first]) == len(values):
        segment.row, segment.values = 0, values
        _fill(segment, specs[:first], TableResult(cells, problems, []))
        return
    problems.append(f"{len(values)} values before the first row label could not be placed")
    cells.extend(_unplaced(values))


def _fill(segment: Segment, span: tuple[RowSpec, ...], result: TableResult) -> None:
    """Fill the rows of `span` in order with the segment's values, or say why not."""
    cells, problems = result.cells, result.problems
    values = _trim_padding(segment.values, len(span[0].columns))
    need = sum(len(spec.columns) for spec in span)
    unit = _unit_in(segment.context)
    first_row = span[0].row_code
    if len(values) > need:
        values, orphans = _drop_orphan_chunks(values, need, len(span[0].columns))
        if orphans:
            cells.extend(_unplaced(orphans))
            stray = " ".join(t.text for t in orphans)
            result.notes.append(
                f"{first_row}: stray '{stray}' between rows (a page number?) left unplaced"
            )
    if len(values) > need and values[need - 1].chunk != values[need].chunk:
        cells.extend(_unplaced(values[need:]))
        problems.append(
            f"{first_row}: {len(values) - need} value(s) beyond the table left unplaced"
        )
        values = values[:need]
    if len(values) < need and len(values) == len(span[0].columns):
        # A labelled row followed by labels of rows missing from the report: fill it alone.
        missing = ", ".join(spec.row_code for spec in span[1:])
        problems.append(f"rows missing from the report: {missing}")
        span, need = span[:1], len(values)
    if len(values) != need:
        if len(values) < need and _fill_run_together(segment, span, values, unit, cells):
            return
        problems.append(
            f"{first_row}: {len(values)} values where {need} expected; kept as ambiguous"
        )
        cells.extend(_ambiguous(values, first_row if len(span) == 1 else None, segment))
        return
    targets = [
        (row_index, spec, col) for row_index, spec in enumerate(span) for col in spec.columns
    ]
    for token, (row_index, spec, col) in zip(values, targets, strict=True):
        label = segment.label_raw if row_index == 0 else None
        cells.append(Placed(spec.row_code, col, label, token.text, token.locator, CELL_OK, unit))


def _trim_padding(values: list[Token], width: int) -> list[Token]:
    """Drop trailing empty cells of grid rows that are longer than a template row."""
    trimmed: list[Token] = []
    chunk_values: list[Token] = []
    for token in values + [Token(VALUE, "", "", -2, False, False, "")]:
        if chunk_values and token.chunk != chunk_values[0].chunk:
            while len(chunk_values) > width and not chunk_values[-1].text.strip():
                chunk_values.pop()
            trimmed.extend(chunk_values)
            chunk_values = []
        chunk_values.append(token)
    return trimmed


def _drop_orphan_chunks(
    values: list[Token], need: int, width: int
) -> tuple[list[Token], list[Token]]:
    """Remove one short physical row (a page number, a footnote mark) if that makes counts fit."""
    chunks: dict[int, list[Token]] = {}
    for token in values:
        chunks.setdefault(token.chunk, []).append(token)
    if len(chunks) < 2:
        return values, []
    for chunk_tokens in chunks.values():
        if len(chunk_tokens) < width and len(values) - len(chunk_tokens) == need:
            kept = [t for t in values if t.chunk != chunk_tokens[0].chunk]
            return kept, chunk_tokens
    return values, []


def _fill_run_together(
    segment: Segment,
    span: tuple[RowSpec, ...],
    values: list[Token],
    unit: str | None,
    cells: list[Placed],
) -> bool:
    """Split digit strings printed without separators when exactly one split fits the totals."""
    texts = [t.text.strip() for t in values]
    # Only digits printed inside running text are split; a cell of its own is one number.
    pairs = zip(values, texts, strict=True)
    if not texts or any(t.delimited or not text.isdigit() for t, text in pairs):
        return False
    widths = [len(spec.columns) for spec in span]
    totals = [spec.columns.index("total") if "total" in spec.columns else None for spec in span]
    solutions = split_digits(texts, sum(widths), totals_check(widths, totals))
    if len(solutions) != 1:
        return False
    parts = iter(solutions[0])
    targets = [(spec, col) for spec in span for col in spec.columns]
    target_index = 0
    for token, text in zip(values, texts, strict=True):
        offset = 0
        while offset < len(text):
            part = next(parts)
            spec, col = targets[target_index]
            label = segment.label_raw if spec is span[0] else None
            cells.append(
                Placed(
                    spec.row_code,
                    col,
                    label,
                    part,
                    f"{token.locator}@{offset}",
                    CELL_INFERRED,
                    unit,
                )
            )
            offset += len(part)
            target_index += 1
    return True


def _unit_in(context: str) -> str | None:
    match = _UNIT_RE.search(context)
    return match.group(1) if match else None


def _ambiguous(values: list[Token], row_code: str | None, segment: Segment) -> list[Placed]:
    return [
        Placed(row_code, None, segment.label_raw, t.text, t.locator, CELL_AMBIGUOUS) for t in values
    ]


def _unplaced(values: list[Token]) -> list[Placed]:
    return [Placed(None, None, None, t.text, t.locator, CELL_UNPLACED) for t in values]
