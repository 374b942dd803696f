"""Place the value tokens of one table section into the template grid.

Values appear in reading order in every layout we have met; labels are anchors that may be
missing, repeated or misplaced (PDF text). So the table is cut into segments at row labels, and
each segment's values fill its rows in order. Counts that do not fit are never forced: they end
up `ambiguous` (raw text kept, no column) or `unplaced`, and the document is `partial`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import partial
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from ingest.schema import CELL_AMBIGUOUS, CELL_INFERRED, CELL_OK, CELL_UNPLACED, KIND_BLANK
from ingest.tables.identities import Identity, table_identities
from ingest.tables.labels import RowSpec, column_labels
from ingest.tables.segments import Segment, cut_segments
from ingest.tables.solver import Quotes, Resolution, Unknown, solve
from ingest.tables.tokens import VALUE, Token
from ingest.values import parse_value
from ingest.vocabulary import alternation, money_units

_UNIT_RE = re.compile(rf"单位:?({alternation(money_units())})")


class Placed(NamedTuple):
    """One cell as found: where it goes (codes may be None) and the token it came from.

    A tuple, so a table's cells turn into columns (one list per field) in one `zip`."""

    row_code: str | None
    col_code: str | None
    row_label_raw: str | None
    raw_text: str
    locator: str
    status: str
    unit_hint: str | None = None
    note: str | None = None  # why the cell has this status (the identities that fixed a split)
    candidates: str | None = None  # ambiguous cells: the splits still possible, as JSON
    confidence: float | None = None  # cells read by OCR: the engine's confidence, 0-1
    alternatives: tuple[str, ...] = ()  # cells read by OCR: other readings that disagree


@dataclass
class RunTogether:
    """Digits of one segment printed without separators, to be split with the whole table."""

    segment: Segment
    span: tuple[RowSpec, ...]
    values: list[Token]
    unit: str | None
    at: int  # index in the cells list where its cells go (keeps reading order)


@dataclass
class TableResult:
    cells: list[Placed]
    problems: list[str]  # what makes the table incomplete or doubtful
    notes: list[str]  # what was set aside without doubt about the cells (a page number)
    run_together: list[RunTogether] = field(default_factory=list)
    first_col: int | None = None  # grid column of the first data cell, for real grids
    short: int = 0  # values the row filled last lacked (printed fewer than its cells)


def parse_table(
    tokens: list[Token],
    specs: tuple[RowSpec, ...],
    use_anchors: bool,
    template: str,
    quotes: Quotes | None = None,
) -> TableResult:
    """Place the tokens of one table section; `specs` are the template's rows in order;
    `quotes` are the figures the report's text gives for its cells (ties of run-together
    splits)."""
    segments = cut_segments(tokens, specs, use_anchors)
    anchored = sorted(s.row for s in segments if s.row is not None)
    widest = max(len(spec.columns) for spec in specs)
    result = TableResult([], [], [], first_col=first_data_column(tokens, widest))
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
        _fill(segment, _span(specs, segment.row, end), result)
    if result.run_together:
        _solve_run_together(result, specs[0].table_code, template, quotes)
    _place_each_cell_once(result)
    _choose_between_readings(result, specs[0].table_code, template, quotes or {})
    _doubt_uncertain_readings(result, specs[0].table_code, template)
    printed = {cell.row_code for cell in result.cells if cell.status in (CELL_OK, CELL_INFERRED)}
    for spec in specs:
        if spec.optional and spec.row_code in printed:
            result.notes.append(
                f"prints {spec.row_code} ({spec.label_zh}), a row of another template: placed"
            )
    return result


# An OCR reading below this confidence is uncertain: if it breaks an identity, it is no value.
OCR_SURE = 0.9


def _whole_counts(cells: list[Placed]) -> dict[tuple[str, str], int]:
    """Placed cells whose text is a whole number, by (row, column)."""
    values: dict[tuple[str, str], int] = {}
    for cell in cells:
        if cell.status == CELL_OK and cell.row_code and cell.col_code:
            parsed = parse_value(cell.raw_text)
            if parsed.value is not None and parsed.value == int(parsed.value):
                values[(cell.row_code, cell.col_code)] = int(parsed.value)
    return values


def _choose_between_readings(
    result: TableResult, table: str, template: str, quotes: Quotes
) -> None:
    """OCR'd cells read as two different numbers: the identities choose, or no value at all.

    An identity covers the cell when every other cell of it is a number read one way. When
    covering identities hold with exactly one of the readings, that reading is placed (the
    note names them); where no identity covers the cell, a figure the report's text quotes
    for it (about the body itself, one figure only) chooses the reading equal to it;
    otherwise the cell is `ambiguous` with both readings as candidates, never a guess.
    """
    if not any(
        cell.alternatives and len(set(cell.alternatives) - {cell.raw_text}) for cell in result.cells
    ):
        return
    sure = [cell for cell in result.cells if not cell.alternatives]
    values = _whole_counts(sure)
    identities = table_identities(template, table)
    for index, cell in enumerate(result.cells):
        readings = list(dict.fromkeys([cell.raw_text, *cell.alternatives]))
        if cell.status != CELL_OK or len(readings) < 2 or not cell.row_code or not cell.col_code:
            continue
        key = (cell.row_code, cell.col_code)
        covering = [
            identity
            for identity in identities
            if key in dict(identity.terms)
            and all(term == key or term in values for term, _ in identity.terms)
        ]
        shown = " and ".join(f"'{reading}'" for reading in readings)
        where = f"{key[0]}.{key[1]}"
        quoted = quotes.get(key, ())
        fitting: list[str] = []
        reason = ""
        if covering:
            fitting = [r for r in readings if _holds_with(covering, values, key, r)]
            reason = f"{', '.join(identity.name for identity in covering)} hold only with"
        elif len({quote.value for quote in quoted}) == 1:
            fitting = [r for r in readings if parse_value(r).value == quoted[0].value]
            figure = int(quoted[0].value) if quoted[0].value.is_integer() else quoted[0].value
            reason = f"the text's {figure} ({quoted[0].locator}) equals"
        if len(fitting) == 1:
            result.cells[index] = Placed(
                cell.row_code,
                cell.col_code,
                cell.row_label_raw,
                fitting[0],
                cell.locator,
                CELL_OK,
                cell.unit_hint,
                note=f"OCR read {shown} for {where}; {reason} '{fitting[0]}'",
                confidence=cell.confidence,
            )
            continue
        why = "no identity covers the cell" if not covering else "the identities do not decide"
        candidates = [{where: reading} for reading in readings]
        result.cells[index] = _kept_ambiguous(
            cell,
            f"OCR read {shown} for {where} and {why}",
            json.dumps(candidates, ensure_ascii=False, separators=(",", ":")),
        )
        result.problems.append(f"{where}: two OCR readings disagree ({why})")


def _kept_ambiguous(cell: Placed, note: str, candidates: str | None = None) -> Placed:
    """An OCR'd cell whose reading is not trusted: kept as printed on its row, not placed in
    a column, with the reason (and the readings still possible)."""
    return Placed(
        cell.row_code,
        None,
        cell.row_label_raw,
        cell.raw_text,
        cell.locator,
        CELL_AMBIGUOUS,
        note=note,
        candidates=candidates,
        confidence=cell.confidence,
    )


def _holds_with(
    identities: list[Identity], values: dict[tuple[str, str], int], key: tuple[str, str], text: str
) -> bool:
    parsed = parse_value(text)
    if parsed.value is None or parsed.value != int(parsed.value):
        return False
    trial = {**values, key: int(parsed.value)}
    return all(identity.holds(trial) for identity in identities)


def _doubt_uncertain_readings(result: TableResult, table: str, template: str) -> None:
    """OCR'd cells that are uncertain and break an identity become `ambiguous`, never guessed.

    An identity that fails with only confident readings is the report's own arithmetic: the
    cells stay as read (the warehouse's rules report it).
    """
    if all(cell.confidence is None for cell in result.cells):
        return
    placed = {
        (cell.row_code, cell.col_code): cell
        for cell in result.cells
        if cell.status == CELL_OK and cell.row_code and cell.col_code
    }
    values: dict[tuple[str, str], int] = {}
    for key, cell in placed.items():
        parsed = parse_value(cell.raw_text)
        if parsed.value is not None and parsed.value == int(parsed.value):
            values[key] = int(parsed.value)
    doubted: dict[tuple[str, str], list[str]] = {}
    for identity in table_identities(template, table):
        keys = [key for key, _ in identity.terms]
        if not all(key in values for key in keys) or identity.holds(values):
            continue
        for key in keys:
            confidence = placed[key].confidence
            if confidence is not None and confidence < OCR_SURE:
                doubted.setdefault(key, []).append(identity.name)
    for index, cell in enumerate(result.cells):
        key = (cell.row_code, cell.col_code)
        if cell.status != CELL_OK or key not in doubted:
            continue
        result.cells[index] = _kept_ambiguous(
            cell,
            f"OCR read '{cell.raw_text}' for {key[0]}.{key[1]} with confidence "
            f"{cell.confidence:.2f}, and {', '.join(doubted[key])} fails with it",
        )
        result.problems.append(f"{key[0]}.{key[1]}: uncertain OCR reading breaks an identity")


def _place_each_cell_once(result: TableResult) -> None:
    """A template cell is placed at most once: a repeated row block keeps its first printing.

    Later cells for the same row and column (a table printing rows (六)-(七) twice) stay
    `unplaced`, with a note saying which cell they repeat.
    """
    placed = [
        (cell.row_code, cell.col_code)
        for cell in result.cells
        if cell.status in _PLACED and cell.row_code and cell.col_code
    ]
    if len(set(placed)) == len(placed):
        return  # every template cell printed once, as in nearly every report
    first: dict[tuple[str, str], Placed] = {}
    repeated = 0
    for index, cell in enumerate(result.cells):
        if cell.status not in (CELL_OK, CELL_INFERRED) or not cell.row_code or not cell.col_code:
            continue
        key = (cell.row_code, cell.col_code)
        if key not in first:
            first[key] = cell
            continue
        repeated += 1
        result.cells[index] = Placed(
            None,
            None,
            cell.row_label_raw,
            cell.raw_text,
            cell.locator,
            CELL_UNPLACED,
            note=f"{key[0]}.{key[1]} printed again (first at {first[key].locator}); not placed",
        )
    if repeated:
        result.problems.append(f"{repeated} cell(s) of rows printed twice left unplaced")


_PLACED = (CELL_OK, CELL_INFERRED)


def _span(specs: tuple[RowSpec, ...], start: int, end: int) -> tuple[RowSpec, ...]:
    """The rows from `start` (anchored) to `end` that values fill: optional rows only by label."""
    entry = _SPANS.get((id(specs), start, end))
    if entry is not None and entry[0] is specs:
        return entry[1]
    span = tuple(
        spec for index, spec in enumerate(specs[start:end]) if index == 0 or not spec.optional
    )
    _SPANS[(id(specs), start, end)] = (specs, span)
    _TARGETS[id(span)] = (span, _targets_of(span))
    return span


class _Targets(NamedTuple):
    """The cells a span's values fill, in order, as columns."""

    rows: tuple[str, ...]
    cols: tuple[str, ...]
    first_row: int  # how many of them are on the span's first row (they keep its label)


def _targets(span: tuple[RowSpec, ...]) -> _Targets:
    """The span's cells; looked up for a span `_span` made (every report fills the same)."""
    entry = _TARGETS.get(id(span))
    return entry[1] if entry is not None and entry[0] is span else _targets_of(span)


def _targets_of(span: tuple[RowSpec, ...]) -> _Targets:
    rows = tuple(spec.row_code for spec in span for _ in spec.columns)
    cols = tuple(col for spec in span for col in spec.columns)
    return _Targets(rows, cols, len(span[0].columns))


# Keyed by identity (hashing spec tuples is slow); each entry holds what its key is the id
# of, so that id is never another object's while the entry lives. As many entries as the
# templates' tables times their rows squared.
_SPANS: dict[tuple[int, int, int], tuple[tuple[RowSpec, ...], tuple[RowSpec, ...]]] = {}
_TARGETS: dict[int, tuple[tuple[RowSpec, ...], _Targets]] = {}

# A cell from its fields in order, made without a Python call per cell.
_placed_from = partial(tuple.__new__, Placed)
_TEXT, _LOCATOR, _CONFIDENCE, _ALTERNATIVES = (
    Token._fields.index(name) for name in ("text", "locator", "confidence", "alternatives")
)


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
    span = _span(specs, 0, first)
    if span and sum(len(spec.columns) for spec in span) == len(values):
        segment.row, segment.values = 0, values
        _fill(segment, span, TableResult(cells, problems, [], first_col=None))
        return
    problems.append(f"{len(values)} values before the first row label could not be placed")
    cells.extend(_unplaced(values))


def _fill(segment: Segment, span: tuple[RowSpec, ...], result: TableResult) -> None:
    """Fill the rows of `span` in order with the segment's values, or say why not."""
    cells, problems = result.cells, result.problems
    need = sum(len(spec.columns) for spec in span)
    _set_aside_repeats(segment, need, result)
    # One physical row holding the whole span (table 四's 15 numbers) is trimmed as a whole.
    one_row = len({token.chunk for token in segment.values}) == 1
    width = need if one_row else len(span[0].columns)
    values = _trim_padding(segment.values, width, result.first_col)
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
    if len(values) > need and result.short == len(values) - need:
        # A row short of values right before, by as many as this one has too many: PDF text
        # out of reading order moved values between them. Neither is placed by position.
        problems.append(
            f"{first_row}: {len(values) - need} value(s) more than its cells right after a "
            f"row {result.short} short: values displaced between rows, kept as ambiguous"
        )
        cells.extend(_ambiguous(values, None, segment))
        result.short = 0
        return
    result.short = 0
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
        if len(values) < need and _is_run_together(values):
            digits = sum(len(re.sub(r"\D", "", token.text)) for token in values)
            if digits < need and len(span) > 1:
                # Too few digits for the rows up to the next label: those rows are missing.
                missing = ", ".join(spec.row_code for spec in span[1:])
                problems.append(f"rows missing from the report: {missing}")
                span = span[:1]
            need = sum(len(spec.columns) for spec in span)
            result.short = max(need - digits, 0)
            result.run_together.append(RunTogether(segment, span, values, unit, len(cells)))
            return
        problems.append(
            f"{first_row}: {len(values)} values where {need} expected; kept as ambiguous"
        )
        cells.extend(_ambiguous(values, first_row if len(span) == 1 else None, segment))
        result.short = max(need - len(values), 0)
        return
    if not values:
        return  # a span without cells, and no values for it
    # The values fill the span's cells in order: the cells are made from columns.
    targets = _targets(span)
    fields = list(zip(*values, strict=True))
    labels = [segment.label_raw] * targets.first_row + [None] * (need - targets.first_row)
    columns = (
        targets.rows,
        targets.cols,
        labels,
        fields[_TEXT],
        fields[_LOCATOR],
        [CELL_OK] * need,
        [unit] * need,
        [None] * need,
        [None] * need,
        fields[_CONFIDENCE],
        fields[_ALTERNATIVES],
    )
    cells.extend(map(_placed_from, zip(*columns, strict=True)))


def _set_aside_repeats(segment: Segment, need: int, result: TableResult) -> None:
    """Values after a repeated row label, beyond what the rows need, are left unplaced.

    Only when the values before the repeated label fill the rows by themselves (printed
    cells, or digits enough for a run-together split): a misplaced label in PDF text, with
    the values still fitting, changes nothing.
    """
    values = segment.values
    if len(values) == need:
        return
    for cut in segment.repeats:
        head = values[:cut]
        digits = sum(len(re.sub(r"\D", "", token.text)) for token in head)
        fits = cut == need or (
            cut < need and _is_run_together(head) and digits >= need and len(values) > cut
        )
        if not fits or cut >= len(values):
            continue
        rest = values[cut:]
        result.cells.extend(
            Placed(
                None,
                None,
                None,
                token.text,
                token.locator,
                CELL_UNPLACED,
                note="printed under the label of a row already placed (a repeated row block)",
            )
            for token in rest
        )
        result.problems.append(f"{len(rest)} value(s) under a repeated row label left unplaced")
        segment.values = head
        return


def _trim_padding(values: list[Token], width: int, first_col: int | None) -> list[Token]:
    """Drop empty cells outside the data columns of grid rows longer than a template row.

    The grid position decides: an empty cell left of the table's first data column, or at the
    start of a row that printed no label, is a label cell whose text was lost; one right of
    the data is padding.
    """
    trimmed: list[Token] = []
    for _, row in groupby(values, key=_CHUNK):
        chunk_values = list(row)
        if len(chunk_values) > width:
            # A row whose values start in its first cell printed no label at all.
            label_lost = _grid_col(chunk_values[0]) == 0
            while (
                len(chunk_values) > width
                and not chunk_values[0].text.strip()
                and (col := _grid_col(chunk_values[0])) is not None
                and (label_lost or (first_col is not None and col < first_col))
            ):
                chunk_values.pop(0)
            while len(chunk_values) > width and not chunk_values[-1].text.strip():
                chunk_values.pop()
        trimmed.extend(chunk_values)
    return trimmed


_CHUNK = itemgetter(Token._fields.index("chunk"))  # a token's physical row


_GRID_COL_RE = re.compile(r"C(\d+)$")


def _grid_col(token: Token) -> int | None:
    """The grid column of a cell of a real grid (`…R5C3`), None for text."""
    match = _GRID_COL_RE.search(token.locator) if token.explicit else None
    return int(match.group(1)) if match else None


def first_data_column(tokens: list[Token], width: int) -> int | None:
    """The grid column where full rows of `width` values start (the most common), if a grid."""
    rows: dict[int, list[Token]] = {}
    for token in tokens:
        if token.kind == VALUE and token.explicit:
            rows.setdefault(token.chunk, []).append(token)
    starts = [
        col for row in rows.values() if len(row) == width and (col := _grid_col(row[0])) is not None
    ]
    return max(set(starts), key=lambda col: (starts.count(col), -col)) if starts else None


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


def _is_run_together(values: list[Token]) -> bool:
    """Digits printed inside running text; a cell of its own is one number, never split."""
    return bool(values) and all(
        not token.delimited and _RUN_PIECE_RE.fullmatch(token.text.strip()) for token in values
    )


_RUN_PIECE_RE = re.compile(rf"\d+(?:\.\d+)?(?:{alternation(money_units())})?")


def _solve_run_together(
    result: TableResult, table: str, template: str, quotes: Quotes | None
) -> None:
    """Split every run-together segment of the table at once, under all its identities."""
    fixed: dict[tuple[str, str], int | None] = {}
    for cell in result.cells:
        if cell.status == CELL_OK and cell.row_code and cell.col_code:
            parsed = parse_value(cell.raw_text)
            whole = parsed.value is not None and parsed.value == int(parsed.value)
            fixed[(cell.row_code, cell.col_code)] = int(parsed.value) if whole else None
    unknowns = []
    for run in result.run_together:
        targets = tuple((spec.row_code, col) for spec in run.span for col in spec.columns)
        money = tuple(column_labels()[(table, col)]["value_type"] == "money" for _, col in targets)
        pieces = tuple(token.text.strip() for token in run.values)
        unknowns.append(Unknown(targets, pieces, money))
    resolutions = solve(unknowns, fixed, table_identities(template, table), quotes)
    # Insert from the back so the recorded positions stay valid.
    runs = list(zip(result.run_together, unknowns, resolutions, strict=True))
    for run, unknown, resolution in reversed(runs):
        placed = _run_cells(run, unknown, resolution)
        result.cells[run.at : run.at] = placed
        if any(cell.status == CELL_AMBIGUOUS for cell in placed):
            digits = " ".join(unknown.pieces)
            result.problems.append(
                f"{run.span[0].row_code}: run-together '{digits}' not split uniquely "
                f"({resolution.note}); kept as ambiguous"
            )


def _run_cells(run: RunTogether, unknown: Unknown, resolution: Resolution) -> list[Placed]:
    """Settled cells as `inferred`, the rest of the digits as `ambiguous` runs, in order."""
    first_row = run.span[0].row_code
    if not resolution.splits:
        return [
            Placed(
                first_row if len(run.span) == 1 else None,
                None,
                run.segment.label_raw,
                token.text,
                token.locator,
                CELL_AMBIGUOUS,
                note=resolution.note,
            )
            for token in run.values
        ]
    candidates = resolution.candidates_json(unknown.targets)
    sample = resolution.splits[0]
    cells: list[Placed] = []
    for piece_index, token in enumerate(run.values):
        text = token.text.strip()
        settled = sorted(
            (sample.offsets[t], t) for t in resolution.settled if sample.pieces[t] == piece_index
        )
        open_rows = {
            unknown.targets[t][0]
            for t in range(len(unknown.targets))
            if t not in resolution.settled and sample.pieces[t] == piece_index
        }
        cursor = 0
        for offset, target in [*settled, (len(text), None)]:
            if offset > cursor:
                cells.append(
                    Placed(
                        next(iter(open_rows)) if len(open_rows) == 1 else None,
                        None,
                        run.segment.label_raw,
                        text[cursor:offset],
                        f"{token.locator}@{cursor}",
                        CELL_AMBIGUOUS,
                        note=resolution.note,
                        candidates=candidates,
                    )
                )
            if target is None:
                break
            row, col = unknown.targets[target]
            part = sample.parts[target]
            label = run.segment.label_raw if row == first_row else None
            cells.append(
                Placed(
                    row,
                    col,
                    label,
                    part,
                    f"{token.locator}@{offset}",
                    CELL_INFERRED,
                    run.unit,
                    note=resolution.note,
                )
            )
            cursor = offset + len(part)
    return cells


def _unit_in(context: str) -> str | None:
    match = _UNIT_RE.search(context)
    return match.group(1) if match else None


def _ambiguous(values: list[Token], row_code: str | None, segment: Segment) -> list[Placed]:
    return [
        Placed(row_code, None, segment.label_raw, t.text, t.locator, CELL_AMBIGUOUS) for t in values
    ]


def _unplaced(values: list[Token]) -> list[Placed]:
    return [Placed(None, None, None, t.text, t.locator, CELL_UNPLACED) for t in values]
