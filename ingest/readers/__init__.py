"""Readers turn the bytes of one document into rows of cell texts, one module per format.

Every reader returns a `Decoded`: the physical rows of the document (a text line, a table
row) as lists of cell strings with locators, plus plain text lines for metadata. The table
parser downstream never needs to know which format a row came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class ReadError(Exception):
    """The document cannot be read at all; the message says why, for a person to act on."""


class SourceRow(NamedTuple):
    """One physical row: a text line or a table row.

    `explicit` rows come from a real grid (HTML table, markdown table), where an empty cell is a
    printed blank; in flattened text an empty piece between separators is layout padding.
    """

    cells: tuple[str, ...]
    locators: tuple[str, ...]
    explicit: bool
    confidences: tuple[float | None, ...] | None = None  # OCR: the engine's, per cell
    # OCR: per cell, the other readings of it that disagree with the one in `cells`.
    alternatives: tuple[tuple[str, ...], ...] | None = None
    # OCR: per cell, (start, end, confidence) of each word the engine read in its text.
    word_confidences: tuple[tuple[tuple[int, int, float], ...], ...] | None = None


@dataclass
class Decoded:
    rows: list[SourceRow]
    lines: list[str]
    encoding: str
    file_format: str
    ocr: bool = False  # read from page images by OCR
    # Text readers split lines into rows only from this line on (where tables may start);
    # the lines before it are split when the whole text is needed (the narrative).
    rows_from_line: int = 0
