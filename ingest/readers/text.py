"""Plain text, page text and markdown: one SourceRow per line.

Pipes split cells. A markdown table row (`| a | b |`) is an explicit grid row, so an empty cell
there is a printed blank; in flattened web-page text (`规章 |` lines, `||||` padding) it is not.
"""

from __future__ import annotations

import re

from ingest.readers import Decoded, SourceRow
from ingest.readers.encoding import decode

_MD_SEPARATOR_RE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_MD_HEADING_RE = re.compile(r"^#{1,6}\s+")


def read_text(
    data: bytes, path: str, file_format: str = "text", start: re.Pattern[str] | None = None
) -> Decoded:
    """All lines (for metadata); rows only from the line where `start` first matches, since
    the narrative before the tables is not needed for them (from the top if it never does)."""
    text, encoding = decode(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    match = start.search(text) if start is not None else None
    first = text.count("\n", 0, match.start()) if match else 0
    rows = rows_from_lines(lines[first:], first_line_no=first + 1)
    return Decoded(rows, lines, encoding, file_format, rows_from_line=first)


def rows_from_lines(lines: list[str], first_line_no: int = 1) -> list[SourceRow]:
    """Split each line into cells; locators are `L<line>` or `L<line>C<cell>`."""
    rows: list[SourceRow] = []
    append = rows.append
    for line_no, line in enumerate(lines, first_line_no):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped[0] == "#":
            stripped = _MD_HEADING_RE.sub("", stripped)
        elif stripped[0] in "|-:" and _MD_SEPARATOR_RE.match(stripped):
            continue
        if "|" not in stripped:
            append(SourceRow((stripped,), (f"L{line_no}",), False))
            continue
        pieces = stripped.split("|")
        cells = [piece.strip() for piece in pieces]
        is_markdown_row = (
            stripped.startswith("|") and stripped.endswith("|") and len(pieces) >= 3 and any(cells)
        )
        if is_markdown_row:
            cells = cells[1:-1]
        locators = tuple([f"L{line_no}C{index}" for index in range(len(cells))])
        append(SourceRow(tuple(cells), locators, is_markdown_row))
    return rows
