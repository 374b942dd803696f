"""Figures the report's text quotes -> cells of table `narrative`.

"主动公开政府信息45条", "共受理政府信息公开申请7件", "行政复议申请0件": one cell per figure, the
sentence as raw text, the figure's unit, and its scope: `self`, or the aggregate the clause
names (全市, 全区, 各级行政机关, 区直各部门 …), since such totals cover more than the body's
own table. Words are not numbers: "未收到…申请" gives a `text` cell with no value, never 0;
percentages and rates are not counts (patterns need a count unit after the number).
For reports on 2019 and later a figure with a standard equivalent carries the standard codes
(applications new_received / total), so it meets its table cell in rule R16.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from ingest.figures.seeds import NARRATIVE_TABLE, NarrativePattern, marker, narrative_patterns
from ingest.schema import CELL_OK, KIND_NUMBER, KIND_TEXT, KIND_ZERO

SCOPE_SELF = "self"
# A sentence ends at these; a clause (for the scope) also at commas.
_SENTENCE_END_RE = re.compile(r"[。；;!！?？\n]")
_CLAUSE_END = ",，:："
_DIGIT_RE = re.compile(r"\d")
# A piece of a flattened page shorter than this is a table cell or a menu, not prose.
MIN_SENTENCE_CHARS = 8
# The words kept as a figure's label: this many characters before the number at most.
LABEL_CHARS = 16
# Statistics tables and the standard tables are read elsewhere: prose stops at them.
_TABLE_START_RE = re.compile(r"统计表(?:指标|[|\s]*指标名称)|指标名称|计量单位")


# (start, end, confidence) of each word OCR read in a piece of text.
WordSpans = tuple[tuple[int, int, float], ...]
Piece = str | tuple[str, str] | tuple[str, str, WordSpans | None]


def read_narrative(pieces: list[Piece], report_year: int | None) -> list[dict[str, Any]]:
    """Figures quoted in the prose `pieces` ((text, locator) of each paragraph or line
    piece, with the OCR words' spans when it was read from an image, or plain lines), in
    reading order; a figure's locator is its piece's plus the character offset of the figure
    (`L7C0+45`, `P12+8`). A figure read by OCR carries the lowest confidence of the words its
    number and unit came from."""
    standard = report_year is not None and report_year >= 2019
    cells: list[dict[str, Any]] = []
    for index, item in enumerate(pieces, 1):
        if isinstance(item, str):
            text, locator, spans = item, f"L{index}", None
        else:
            text, locator, spans = item[0], item[1], (item[2] if len(item) > 2 else None)
        if len(text.strip()) < MIN_SENTENCE_CHARS:
            continue
        cut = _TABLE_START_RE.search(text)
        prose = text[: cut.start()] if cut else text
        for sentence_start, sentence in _sentences(prose):
            found = _figures(sentence, locator, sentence_start, standard)
            if spans is not None:
                for cell in found:
                    cell["confidence"] = _confidence(spans, cell.pop("_span"))
            cells.extend(found)
    return cells


def _confidence(spans: WordSpans, figure: tuple[int, int]) -> float | None:
    """The lowest confidence of the OCR words overlapping the figure's characters."""
    overlapping = [conf for start, end, conf in spans if _overlaps((start, end), figure)]
    return min(overlapping) if overlapping else None


def _sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) with the offset of the sentence's first printed character."""
    found = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text + "\n"):
        sentence = text[start : match.start()]
        if sentence.strip():
            found.append((start + len(sentence) - len(sentence.lstrip()), sentence.strip()))
        start = match.end()
    return found


def _figures(sentence: str, locator: str, offset: int, standard: bool) -> list[dict[str, Any]]:
    folded = _fold(sentence)
    # The patterns that capture a number match only where it has its unit right after it.
    has_digit = _number_then_unit().search(folded) is not None
    if _any_pattern(has_digit).search(folded) is None:
        return []  # most sentences quote no figure: one search says so
    taken: list[tuple[int, int]] = []
    figures: list[tuple[int, dict[str, Any]]] = []
    seen_none: set[str] = set()
    for pattern, needs_digit in _patterns():
        if needs_digit and not has_digit:
            continue
        for match in pattern.pattern.finditer(folded):
            span = match.span("n") if pattern.kind == "number" else match.span()
            if pattern.kind == "number" and any(_overlaps(span, t) for t in taken):
                continue
            if pattern.kind == "none" and (
                pattern.row_code in seen_none or _has_number_for(figures, pattern.row_code)
            ):
                continue
            row_code, col_code = pattern.row_code, "year"
            if standard and pattern.standard_row_code:
                row_code, col_code = pattern.standard_row_code, pattern.standard_col_code
            if not row_code:
                continue  # a 2019+ concept (carry-over) in a pre-2019 report
            if pattern.kind == "number":
                taken.append(span)
                value = float(match["n"])
                kind = KIND_ZERO if value == 0 else KIND_NUMBER
                unit = match["unit"]
                label = folded[max(match.start(), span[0] - LABEL_CHARS) : match.end()]
            else:
                seen_none.add(pattern.row_code)
                value, kind, unit, label = None, KIND_TEXT, None, match.group()
            figures.append(
                (
                    match.start(),
                    {
                        "table_code": NARRATIVE_TABLE,
                        "row_code": row_code,
                        "col_code": col_code,
                        "row_label_raw": label,
                        "raw_text": sentence,
                        "value": value,
                        "unit": unit,
                        "value_kind": kind,
                        "status": CELL_OK,
                        "locator": f"{locator}+{offset + span[0]}",
                        "scope": scope_of(folded, span[0]),
                        "_legacy_code": pattern.row_code or pattern.standard_row_code,
                        # The number and its unit (or the words saying none) in the piece.
                        "_span": (offset + span[0], offset + _figure_end(match, span)),
                    },
                )
            )
    return [cell for _, cell in sorted(figures, key=lambda f: f[0])]


@cache
def _any_pattern(has_digit: bool) -> re.Pattern[str]:
    """Matches where any narrative pattern tried on a sentence matches (their groups made
    plain): without a digit in the sentence, only the patterns that need none."""
    patterns = [p.pattern.pattern for p, needs in _patterns() if has_digit or not needs]
    if any(re.search(r"\(\?P=|\\\d", p) for p in patterns):
        return re.compile("")  # a back-reference needs its group: no shortcut
    plain = [re.sub(r"\(\?P<\w+>", "(?:", p) for p in patterns]
    try:
        return re.compile("|".join(f"(?:{p})" for p in plain))
    except re.error:  # a pattern with its own flags: no shortcut
        return re.compile("")


# A pattern's number and the unit right after it, as the seeds write them; its units plain
# words: `(?P<n>\d+)(?P<unit>件|个)`, `(?P<n>\d+(?:\.\d+)?)(?P<unit>元|万元)`.
_NUMBER_UNIT_RE = re.compile(
    r"\(\?P<n>\\d\+(?:\(\?:\\\.\\d\+\)\?)?\)\(\?P<unit>([^()\[\]\\.?*+{}^$]+)\)"
)


@cache
def _number_then_unit() -> re.Pattern[str]:
    """Matches a digit followed by the first character of a unit some pattern captures
    after its number: where it does not match, no pattern capturing a number can. Any
    pattern written otherwise leaves just a digit to look for (no shortcut)."""
    units: set[str] = set()
    for pattern, needs_digit in _patterns():
        if not needs_digit:
            continue
        found = _NUMBER_UNIT_RE.findall(pattern.pattern.pattern)
        if len(found) != 1 or pattern.pattern.flags & re.IGNORECASE:
            return _DIGIT_RE
        units.update(unit[0] for unit in found[0].split("|") if unit)
    return re.compile(f"\\d[{re.escape(''.join(sorted(units)))}]") if units else _DIGIT_RE


@cache
def _patterns() -> tuple[tuple[NarrativePattern, bool], ...]:
    """The patterns, each with whether it captures digits (`(?P<n>\\d`): those cannot match
    a sentence without a digit, so they are not tried on one."""
    return tuple(
        (pattern, "(?P<n>\\d" in pattern.pattern.pattern) for pattern in narrative_patterns()
    )


def _figure_end(match: re.Match[str], span: tuple[int, int]) -> int:
    """Where the figure's unit ends (its number's end when the pattern names no unit)."""
    if "unit" in match.re.groupindex and match.group("unit"):
        return max(span[1], match.end("unit"))
    return span[1]


def _has_number_for(figures: list[tuple[int, dict[str, Any]]], code: str) -> bool:
    return any(cell["_legacy_code"] == code for _, cell in figures)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def scope_of(sentence: str, position: int) -> str:
    """The aggregate named in the clause before the figure at `position`, else `self`.

    The clause runs from the last comma before the figure to the figure; when it names no
    aggregate, one named earlier in the sentence ("全区…共受理申请79件,其中予以公开26件")
    still counts unless the body itself (我办, 本机关 …) is named in between.
    """
    clause_start = max(sentence.rfind(c, 0, position) for c in _CLAUSE_END) + 1
    aggregate = marker("narrative_scope")
    found = aggregate.search(sentence, clause_start, position + 1)
    if found is None:
        head = aggregate.search(sentence, 0, clause_start)
        opening = sentence[:clause_start]
        if head and not re.search(r"[我本](?:局|办|委|镇|乡|街道|单位|机关|部门)", opening):
            found = head
    return found.group() if found else SCOPE_SELF


class _FoldTable(dict[int, str]):
    """Code point -> its NFKC form when that is one character; filled as text is met."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char)
        self[code] = result = folded if len(folded) == 1 else char
        return result


_FOLD_TABLE = _FoldTable()


def _fold(text: str) -> str:
    """NFKC (full-width digits and commas to ASCII) with one character per character."""
    return text.translate(_FOLD_TABLE)
