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


def read_text(data: bytes, path: str, file_format: str = "text") -> Decoded:
    text, encoding = decode(data, path)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Decoded(
        rows=rows_from_lines(lines), lines=lines, encoding=encoding, file_format=file_format
    )


def rows_from_lines(lines: list[str], first_line_no: int = 1) -> list[SourceRow]:
    """Split each line into cells; locators are `L<line>` or `L<line>C<cell>`."""
    rows: list[SourceRow] = []
    for offset, line in enumerate(lines):
        line_no = first_line_no + offset
        stripped = _MD_HEADING_RE.sub("", line.strip())
        if not stripped or _MD_SEPARATOR_RE.match(stripped):
            continue
        if "|" not in stripped:
            rows.append(SourceRow((stripped,), (f"L{line_no}",), explicit=False))
            continue
        pieces = stripped.split("|")
        is_markdown_row = (
            stripped.startswith("|")
            and stripped.endswith("|")
            and len(pieces) >= 3
            and any(piece.strip() for piece in pieces)
        )
        if is_markdown_row:
            pieces = pieces[1:-1]
        cells = tuple(piece.strip() for piece in pieces)
        locators = tuple(f"L{line_no}C{index}" for index in range(len(cells)))
        rows.append(SourceRow(cells, locators, explicit=is_markdown_row))
    return rows
