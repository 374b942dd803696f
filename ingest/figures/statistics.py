"""Pre-2019 statistics tables (政府信息公开情况统计表) -> cells of table `legacy`.

One reader for every layout: the table's rows (HTML grid rows, text lines, one flattened line)
become one character stream with cell boundaries kept, each character knowing its locator.
The stream is cut into indicator rows at the labels: a label, an optional unit (its own
column or glued to the label), then the row's values. Item numbers that run into the previous
row's digits ("条2069121062.政府公报") are taken off by the item-number sequence; digits of one
row printed without a separator are split jointly under the table's identities (solver.py).
An indicator the label map does not know keeps its raw label with status `unmapped`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ingest.figures.seeds import (
    STATISTICS_TABLE,
    Identity,
    identities,
    legacy_columns,
    legacy_labels,
    marker,
    table_start_markers,
)
from ingest.figures.solver import Constraint, Values, candidate_splits, solve
from ingest.readers import SourceRow
from ingest.schema import (
    CELL_AMBIGUOUS,
    CELL_INFERRED,
    CELL_OK,
    CELL_UNMAPPED,
    KIND_BLANK,
    KIND_NUMBER,
    KIND_ZERO,
)
from ingest.tables.solver import MAX_STORED_CANDIDATES
from ingest.values import BLANK_MARKERS

SEP = "\x1f"  # a cell boundary (grid cell, pipe, whitespace between words)
BLANK = "\x1e"  # an empty cell of a real grid: a printed blank
# A region of text this long without a label or a value ends the table.
MAX_GAP = 60
# Text before the first label that may still hold the header.
HEADER_WINDOW = 120

_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_TOKEN_RE = re.compile(
    rf"(?P<sep>[{SEP}]+)|(?P<blank>{BLANK})|(?P<num>\d+(?:\.\d+)?)|(?P<txt>[^\d{SEP}{BLANK}]+)"
)
_ITEM_AFTER_RE = re.compile(r"^[.、](?=\D)")
_PAREN_ITEM_RE = re.compile(r"[(]\d{1,2}[)]")
_CHINESE_ITEM_RE = re.compile(r"^[(]?[一二三四五六七八九十]+[)、.]?")
_STRIP = " :;,，；：|()（）、."
# What may stand before a label's first matched word: 其中, an item number, an ordinal.
_LABEL_PREFIX_RE = re.compile(
    r"(?:其中[:：]?)?(?:[(]?[一二三四五六七八九十]{1,3}[)、.]|[(]?\d{1,2}[)、.])?"
    r"(?:其中[:：]?)?$"
)


@dataclass
class Stream:
    """Folded text with one locator per character."""

    text: str = ""
    locators: list[str] = field(default_factory=list)

    def add(self, piece: str, locator: str) -> None:
        for offset, char in enumerate(piece):
            folded = unicodedata.normalize("NFKC", char) if not char.isascii() else char
            if char in "\u00a0\u3000":
                folded = SEP
            self.text += folded
            self.locators.extend([f"{locator}+{offset}"] * len(folded))

    def boundary(self, locator: str) -> None:
        self.text += SEP
        self.locators.append(locator)


@dataclass
class IndicatorRow:
    label: str  # as printed, item number included
    label_start: int
    unit: str | None = None
    values: list[tuple[str, int]] = field(default_factory=list)  # (digits or BLANK, position)
    joined: bool = False  # two value digits printed with no boundary between them
    item: int | None = None
    row_code: str | None = None


@dataclass
class StatisticsTable:
    cells: list[dict[str, Any]]
    notes: list[str]
    problems: list[str]


def find_statistics_table(rows: list[SourceRow]) -> Stream | None:
    """The stream of the statistics table, from its header to the end of the document."""
    stream = Stream()
    for row in rows:
        for cell, locator in zip(row.cells, row.locators, strict=True):
            if row.explicit and not cell.strip():
                stream.text += BLANK
                stream.locators.append(locator)
            else:
                for word_start, word in _words(cell):
                    stream.add(word, f"{locator}" if word_start == 0 else f"{locator}@{word_start}")
                    stream.boundary(locator)
            stream.boundary(locator)
    start = _table_start(stream.text)
    if start is None:
        return None
    return Stream(stream.text[start:], stream.locators[start:])


def _words(cell: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in re.finditer(r"\S+", cell)]


def _table_start(text: str) -> int | None:
    """The first header word (指标名称, 计量单位) followed by labels; else the table title."""
    for name in ("header", "title"):
        for match in table_start_markers()[name].finditer(text):
            window = text[match.start() : match.start() + HEADER_WINDOW + 200]
            if _first_label(window) is not None:
                return match.start()
    return None


def _first_label(text: str) -> int | None:
    for _, pattern in legacy_labels():
        found = pattern.search(_squash(text))
        if found and re.search(r"\d", _squash(text)[found.end() : found.end() + 12]):
            return found.start()
    return None


def _squash(text: str) -> str:
    return text.replace(SEP, "").replace(BLANK, "")


def read_statistics_table(
    rows: list[SourceRow], quoted: dict[str, set[float]] | None = None
) -> StatisticsTable | None:
    """Cells of the first statistics table in `rows`, or None when there is none.

    `quoted` holds this year's figures the same report's text quotes, by indicator code: when
    the identities leave a run-together row open, a candidate whose year value the text
    quotes, and the only such candidate, is taken (the text corroborates the table).
    """
    stream = find_statistics_table(rows)
    if stream is None:
        return None
    columns, body_start, has_unit_column = _header(stream.text)
    indicator_rows = _indicator_rows(stream, body_start, has_unit_column)
    if not indicator_rows:
        return None
    width = len(columns) if columns else _guess_width(indicator_rows)
    columns = columns or (["year", "cumulative"][:width] if width <= 2 else [])
    notes: list[str] = []
    problems: list[str] = []
    if not columns:
        problems.append("statistics table: value columns not recognised")
        return StatisticsTable([], notes, problems)
    _unmap_repeats(indicator_rows, notes)
    cells = _place(stream, indicator_rows, columns, notes, quoted or {})
    return StatisticsTable(cells, notes, problems)


def _header(text: str) -> tuple[list[str], int, bool]:
    """Column codes in printed order, where the body starts, and whether units have a column."""
    head = text[:HEADER_WINDOW]
    first = _first_label_position(text)
    if first is not None:
        head = text[:first]
    squashed = head.replace(SEP, " ")
    found: list[tuple[int, str]] = []
    for col_code, pattern in legacy_columns():
        for match in pattern.finditer(squashed.replace(" ", "")):
            found.append((match.start(), col_code))
    found.sort()
    columns: list[str] = []
    for _, code in found:
        if code not in columns:
            columns.append(code)
    has_unit = "单位" in squashed
    return columns, first if first is not None else 0, has_unit


def _first_label_position(text: str) -> int | None:
    """Position in `text` of the first indicator label, with its own item number or 其中."""
    best = None
    for _, pattern in legacy_labels():
        for match in pattern.finditer(text.replace(BLANK, SEP)):
            if SEP in match.group():
                continue
            if best is None or match.start() < best:
                best = match.start()
            break
    if best is None:
        return None
    prefix = _LABEL_PREFIX_RE.search(text[:best])
    return prefix.start() if prefix else best


def _indicator_rows(stream: Stream, start: int, has_unit_column: bool) -> list[IndicatorRow]:
    text = stream.text
    units = marker("legacy_unit")
    rows: list[IndicatorRow] = []
    current: IndicatorRow | None = None
    pending_item: int | None = None
    tokens = list(_TOKEN_RE.finditer(_mark_paren_items(text), start))
    for index, token in enumerate(tokens):
        kind = token.lastgroup
        piece = token.group()
        if kind == "sep":
            continue
        if kind == "num":
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            digits, item = _split_item_number(piece, following, current, rows, pending_item)
            if item is not None:
                pending_item = item
            if digits and current is not None:
                joined = bool(current.values) and _no_boundary(
                    text, current.values[-1], token.start()
                )
                current.joined = current.joined or joined
                current.values.append((digits, token.start()))
            continue
        if kind == "blank":
            if current is not None:
                current.values.append((BLANK, token.start()))
            continue
        stripped = piece.strip(_STRIP)
        if current is not None and piece.strip() and piece.strip() in BLANK_MARKERS:
            current.values.append((BLANK, token.start()))
            continue
        label, unit = _split_unit(stripped, piece.strip(" |" + SEP), units, has_unit_column)
        if not _CJK_RE.search(label):
            if unit and current is not None and current.unit is None:
                current.unit = unit
            continue
        if len(label) > MAX_GAP and not _is_label_text(label):
            break  # narrative after the table
        if label in ("其中",):
            continue
        current = IndicatorRow(
            label=_raw_label(piece, unit, pending_item),
            label_start=token.start(),
            unit=unit,
            item=pending_item,
            row_code=_row_code(label),
        )
        pending_item = None
        rows.append(current)
    return _trim_trailing(rows)


def _trim_trailing(rows: list[IndicatorRow]) -> list[IndicatorRow]:
    """Rows with values or a known label; after the last known indicator only rows that look
    like table rows (a unit, numbers without leading zeros), not a phone number in a footer."""
    kept = [row for row in rows if row.values or row.row_code]
    last_known = max((i for i, row in enumerate(kept) if row.row_code), default=-1)
    tail = []
    for row in kept[last_known + 1 :]:
        digits = [v for v, _ in row.values if v != BLANK]
        if row.unit is None or any(len(v) > 1 and v.startswith("0") for v in digits):
            break
        tail.append(row)
    return kept[: last_known + 1] + tail


def _mark_paren_items(text: str) -> str:
    """(1) before a label is an item number: hide its digits from the value reader."""
    return _PAREN_ITEM_RE.sub(lambda m: "(" + "#" * (len(m.group()) - 2) + ")", text)


def _no_boundary(text: str, previous: tuple[str, int], start: int) -> bool:
    return SEP not in text[previous[1] : start]


def _split_item_number(
    digits: str,
    following: re.Match[str] | None,
    current: IndicatorRow | None,
    rows: list[IndicatorRow],
    pending: int | None,
) -> tuple[str, int | None]:
    """Take a trailing item number ("…2069121062" + ".政府公报") off the digits."""
    if following is None or following.lastgroup != "txt":
        return digits, None
    if not _ITEM_AFTER_RE.match(following.group()):
        return digits, None
    expected = (current.item + 1) if current is not None and current.item else 1
    if current is not None and current.item is None and not current.values:
        expected = 1  # "其中：1." after a group heading
    for number in (expected, 1):
        text = str(number)
        if digits.endswith(text) and (len(digits) > len(text) or True):
            return digits[: -len(text)], number
    return digits[:-1], int(digits[-1])


def _split_unit(
    label: str, printed: str, units: re.Pattern[str], has_unit_column: bool
) -> tuple[str, str | None]:
    """(label, unit): a unit cell of its own, "(条)" after the label, or glued to it."""
    whole = units.fullmatch(label)
    if whole:
        return "", label
    paren = re.search(rf"[(]({units.pattern})[)]$", printed)
    if paren:
        return label, paren.group(1)
    if has_unit_column:
        tail = re.search(rf"(?:{units.pattern})$", label)
        if tail and tail.start() > 0:
            return label[: tail.start()], tail.group()
    return label, None


def _raw_label(piece: str, unit: str | None, item: int | None) -> str:
    """The label as printed: its item number back in front, a glued unit taken off."""
    label = piece.replace(SEP, "").strip(" |:：")
    if unit and label.endswith(unit) and len(label) > len(unit):
        label = label[: -len(unit)]
    return f"{item}{label}" if item is not None else label


def _is_label_text(label: str) -> bool:
    return _row_code(label) is not None


def _row_code(label: str) -> str | None:
    """The indicator code whose pattern matches the longest stretch of the label."""
    core = re.sub(r"^[\d#]*[.、]?", "", label.replace("其中", "").strip(_STRIP))
    core = _CHINESE_ITEM_RE.sub("", core)
    best: tuple[int, str] | None = None
    for code, pattern in legacy_labels():
        match = pattern.search(core)
        if match and (best is None or len(match.group()) > best[0]):
            best = (len(match.group()), code)
    return best[1] if best else None


def _guess_width(rows: list[IndicatorRow]) -> int:
    widths = [len(r.values) for r in rows if r.values and not r.joined]
    return max(set(widths), key=widths.count) if widths else 2


def _unmap_repeats(rows: list[IndicatorRow], notes: list[str]) -> None:
    """A code the label map gives to two rows stays with the first; the other is unmapped."""
    seen: set[str] = set()
    for row in rows:
        if row.row_code in seen:
            notes.append(f"legacy: '{row.label}' maps to {row.row_code} again; kept unmapped")
            row.row_code = None
        elif row.row_code:
            seen.add(row.row_code)


def _place(
    stream: Stream,
    rows: list[IndicatorRow],
    columns: list[str],
    notes: list[str],
    quoted: dict[str, set[float]],
) -> list[dict[str, Any]]:
    width = len(columns)
    row_bound = _row_bound(columns)
    key_of = {id(row): f"{index}" for index, row in enumerate(rows)}
    fixed: dict[str, Values] = {}
    candidates: dict[str, list[Values]] = {}
    blanks: dict[str, list[bool]] = {}
    for row in rows:
        key = key_of[id(row)]
        printed = [v for v, _ in row.values]
        if len(printed) == width and not any("." in v for v in printed if v != BLANK):
            blanks[key] = [v == BLANK for v in printed]
            if not any(blanks[key]):
                fixed[key] = tuple(int(v) for v in printed)
        elif len(printed) == 1 and printed[0] != BLANK and "." not in printed[0]:
            found = candidate_splits(printed[0], width, row_bound)
            if found:
                candidates[key] = found
    constraints = _constraints(rows, key_of, columns)
    solution = solve(candidates, fixed, constraints)
    year_at = columns.index("year") if "year" in columns else None
    row_of = {key_of[id(row)]: row for row in rows}
    corroborated: set[str] = set()
    for key, remaining in list(solution.ambiguous.items()):
        code = row_of[key].row_code
        if year_at is None or code not in quoted:
            continue
        chosen = [c for c in remaining if c[year_at] in quoted[code]]
        if len(chosen) == 1:
            fixed[key] = chosen[0]
            candidates.pop(key, None)
            corroborated.add(key)
            notes.append(f"legacy: '{row_of[key].label}' split as {chosen[0]}: the text quotes it")
    if corroborated:
        solution = solve(candidates, fixed, constraints)
    cells: list[dict[str, Any]] = []
    for row in rows:
        key = key_of[id(row)]
        note = (
            "split so that this year's figure is the one the text quotes"
            if key in corroborated
            else "run-together digits: the only split under the table's identities "
            "(legacy rules of the rule seeds; cumulative >= year)"
        )
        cells.extend(_row_cells(stream, row, key, columns, solution, note, notes))
    return cells


def _constraints(
    rows: list[IndicatorRow], key_of: dict[int, str], columns: list[str]
) -> list[Constraint]:
    """The identities of the seed, bound to the rows this table prints."""
    by_code: dict[str, str] = {}
    for row in rows:
        if row.row_code and row.row_code not in by_code:
            by_code[row.row_code] = key_of[id(row)]
    position = {key_of[id(row)]: index for index, row in enumerate(rows)}
    unmapped_at = [position[key_of[id(r)]] for r in rows if r.row_code is None]
    result: list[Constraint] = []
    for identity in identities():
        if identity.scope_axis == "row_code":
            result.extend(_within_row(identity, rows, key_of, columns))
            continue
        actual = by_code.get(identity.actual[0])
        parts = [by_code[code] for code, _ in identity.parts if code in by_code]
        if actual is None or not parts:
            continue
        span = [position[actual], *(position[p] for p in parts)]
        if identity.relation == "present_sum_equal" and any(
            min(span) < at < max(span) for at in unmapped_at
        ):
            continue  # an unknown indicator inside the group may be one of its parts
        result.append((frozenset([actual, *parts]), _sum_check(identity, actual, parts)))
    return result


def _sum_check(identity: Identity, actual: str, parts: list[str]):  # noqa: ANN202
    def check(values: dict[str, Values]) -> bool:
        for column in range(len(values[actual])):
            total = values[actual][column]
            summed = sum(values[p][column] for p in parts)
            if identity.relation == "present_sum_equal" and total != summed:
                return False
            if identity.relation == "present_sum_at_least" and total < summed:
                return False
        return True

    return check


def _row_bound(columns: list[str]) -> Callable[[Values], bool]:
    """A check of one row's values against the within-row identities its columns allow."""
    bounds = [
        (columns.index(identity.actual[1]), [columns.index(col) for _, col in identity.parts])
        for identity in identities()
        if identity.scope_axis == "row_code"
        and identity.actual[1] in columns
        and all(col in columns for _, col in identity.parts)
    ]

    def check(values: Values) -> bool:
        return all(values[a] >= sum(values[p] for p in parts) for a, parts in bounds)

    return check


def _within_row(
    identity: Identity, rows: list[IndicatorRow], key_of: dict[int, str], columns: list[str]
) -> list[Constraint]:
    actual_col = identity.actual[1]
    part_cols = [col for _, col in identity.parts]
    if actual_col not in columns or any(col not in columns for col in part_cols):
        return []
    a = columns.index(actual_col)
    parts = [columns.index(col) for col in part_cols if col is not None]

    def make(key: str):  # noqa: ANN202
        def check(values: dict[str, Values]) -> bool:
            row = values[key]
            return row[a] >= sum(row[p] for p in parts)

        return check

    return [(frozenset([key_of[id(row)]]), make(key_of[id(row)])) for row in rows]


def _row_cells(
    stream: Stream,
    row: IndicatorRow,
    key: str,
    columns: list[str],
    solution: Any,
    split_note: str,
    notes: list[str],
) -> list[dict[str, Any]]:
    label_locator = stream.locators[min(row.label_start, len(stream.locators) - 1)]
    base = {
        "table_code": STATISTICS_TABLE,
        "row_code": row.row_code,
        "row_label_raw": row.label,
        "unit": row.unit,
    }
    status_ok = CELL_OK if row.row_code else CELL_UNMAPPED
    printed = row.values
    out: list[dict[str, Any]] = []
    if not printed:
        return out  # a heading row (三、依申请公开) has no cells
    if len(printed) == len(columns):
        for col, (text, at) in zip(columns, printed, strict=True):
            blank = text == BLANK
            out.append(
                _cell(
                    base, col, "" if blank else text, _value(text), status_ok, stream.locators[at]
                )
            )
        return out
    if len(printed) == 1 and key in solution.values:
        text, at = printed[0]
        values = solution.values[key]
        status = CELL_INFERRED if row.row_code else CELL_UNMAPPED
        offset = 0
        for col, value in zip(columns, values, strict=True):
            digits = str(value)
            where = stream.locators[min(at + offset, len(stream.locators) - 1)]
            out.append(
                {**_cell(base, col, digits, float(value), status, where), "note": split_note}
            )
            offset += len(digits)
        return out
    raw = "".join(text if text != BLANK else "" for text, _ in printed)
    cell = _cell(
        base, None, raw, None, CELL_AMBIGUOUS, stream.locators[printed[0][1]] or label_locator
    )
    if key in solution.ambiguous:
        shown = " or ".join("|".join(str(v) for v in c) for c in solution.ambiguous[key])
        notes.append(f"legacy: '{row.label}' {raw} may be {shown}")
        cell["candidates"] = json.dumps(
            [
                {f"{row.row_code or '-'}.{col}": str(v) for col, v in zip(columns, c, strict=True)}
                for c in solution.ambiguous[key][:MAX_STORED_CANDIDATES]
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        cell["note"] = "run-together digits: several splits satisfy the table's identities"
    else:
        notes.append(
            f"legacy: '{row.label}' prints {len(printed)} values for {len(columns)} columns"
        )
    out.append(cell)
    return out


def _value(text: str) -> float | None:
    return None if text == BLANK else float(text)


def _cell(
    base: dict[str, Any], col: str | None, raw: str, value: float | None, status: str, locator: str
) -> dict[str, Any]:
    if value is None:
        kind = KIND_BLANK if raw == "" else KIND_NUMBER
    else:
        kind = KIND_ZERO if value == 0 else KIND_NUMBER
    if status == CELL_AMBIGUOUS:
        value = None
        kind = KIND_NUMBER
    return {
        **base,
        "col_code": col,
        "raw_text": raw,
        "value": value,
        "value_kind": kind,
        "status": status,
        "locator": locator,
    }
