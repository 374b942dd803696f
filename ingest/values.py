"""Printed cell text -> number, unit and kind. Pure functions, no I/O.

A blank or a dash is never read as zero: the kind says what was printed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from gongkai.text import fold
from ingest.schema import KIND_BLANK, KIND_NOT_APPLICABLE, KIND_NUMBER, KIND_TEXT, KIND_ZERO
from ingest.vocabulary import alternation, units, value_markers

# Printed markers (seeds/value_markers.csv), folded the way cell text is. An empty cell is
# blank without any marker: nothing was printed.
_MARKERS = {fold(marker).replace(" ", ""): kind for marker, kind in value_markers().items()}
BLANK_MARKERS = frozenset({""} | {m for m, kind in _MARKERS.items() if kind == KIND_BLANK})
NOT_APPLICABLE_MARKERS = frozenset(m for m, kind in _MARKERS.items() if kind == KIND_NOT_APPLICABLE)

# A printed number: optional sign, digits with thousands separators, decimals, a unit from
# seeds/units.csv.
NUMBER_RE = re.compile(
    r"(?P<sign>[+\-]?)(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<decimals>\.\d+)?"
    rf"(?P<unit>{alternation(list(units()))})?"
)


class ParsedValue(NamedTuple):
    value: float | None
    unit: str | None
    kind: str


@lru_cache(maxsize=8192)
def is_value_text(text: str) -> bool:
    """True when a cell's whole text is a number or a blank/not-applicable marker."""
    if text.isascii() and text.isdigit():
        return True
    folded = fold(text).replace(" ", "")
    return (
        folded in BLANK_MARKERS
        or folded in NOT_APPLICABLE_MARKERS
        or NUMBER_RE.fullmatch(folded) is not None
    )


@lru_cache(maxsize=8192)
def parse_value(text: str) -> ParsedValue:
    """Parse one printed cell. Text that is no number keeps kind `text` and no value."""
    folded = fold(text).replace(" ", "")
    if folded in BLANK_MARKERS:
        return ParsedValue(None, None, KIND_BLANK)
    if folded in NOT_APPLICABLE_MARKERS:
        return ParsedValue(None, None, KIND_NOT_APPLICABLE)
    match = NUMBER_RE.fullmatch(folded)
    if match is None:
        return ParsedValue(None, None, KIND_TEXT)
    number = float(match["digits"].replace(",", "") + (match["decimals"] or ""))
    if match["sign"] == "-":
        number = -number
    kind = KIND_ZERO if number == 0 else KIND_NUMBER
    return ParsedValue(number, match["unit"], kind)
