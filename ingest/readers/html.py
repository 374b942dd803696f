"""HTML pages (saved web pages, Word exports): tables become grid rows, the rest text lines.

Only leaf tables (no table inside) are data grids; tables that hold other tables are page
layout and are read as text. Locators give the grid position: T<table>R<row>C<column> with
rowspan/colspan taken into account; text lines are P<line>.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ingest.readers import Decoded, SourceRow
from ingest.readers.encoding import decode

_SKIP = "script, style, noscript, template, iframe, svg, select, button, head"
_BLOCK = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "td",
        "th",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "hr",
        "dd",
        "dt",
        "dl",
        "tbody",
        "thead",
        "form",
        "nav",
        "aside",
        "main",
        "caption",
        "center",
    }
)
# Each leaf table is swapped for this private-use marker before the text walk, so tables and
# text come out in document order without walking the table's own markup twice.
_TABLE_MARK = "\ue000"
_TABLE_MARK_RE = re.compile(f"{_TABLE_MARK}(\\d+){_TABLE_MARK}")
_MAX_SPAN = 100


def read_html(data: bytes, path: str) -> Decoded:
    text, encoding = decode(data, path)
    tree = LexborHTMLParser(text)
    rows: list[SourceRow] = []
    lines: list[str] = []
    title = tree.css_first("title")
    if title is not None and title.text(deep=True).strip():
        lines.append(" ".join(title.text(deep=True).split()))
        rows.append(SourceRow((lines[-1],), ("title",), False))
    for node in tree.css(_SKIP):
        node.decompose()
    grids: list[list[SourceRow]] = []
    for table in tree.css("table"):
        if len(table.css("table")) == 1:  # a leaf (css() includes the node itself)
            grids.append(_grid(table, len(grids) + 1))
            table.replace_with(f"{_TABLE_MARK}{len(grids) - 1}{_TABLE_MARK}")
    root = tree.body or tree.root
    if root is not None:
        _walk(root, grids, rows, lines)
    return Decoded(rows=rows, lines=lines, encoding=encoding, file_format="html")


def _walk(
    root: LexborNode, grids: list[list[SourceRow]], rows: list[SourceRow], lines: list[str]
) -> None:
    """Text lines break at block elements; table markers expand to their grid rows."""
    buffer: list[str] = []

    def flush() -> None:
        line = " ".join("".join(buffer).split())
        buffer.clear()
        if line:
            lines.append(line)
            rows.append(SourceRow((line,), (f"P{len(lines)}",), False))

    for node in root.traverse(include_text=True):
        tag = node.tag
        if tag == "-text":
            content = node.text_content or ""
            if _TABLE_MARK not in content:
                buffer.append(content)
                continue
            for index, piece in enumerate(_TABLE_MARK_RE.split(content)):
                if index % 2 == 0:
                    buffer.append(piece)
                    continue
                flush()
                for row in grids[int(piece)]:
                    rows.append(row)
                    lines.append(" | ".join(row.cells))
        elif tag in _BLOCK:
            flush()
    flush()


def _grid(table: LexborNode, number: int) -> list[SourceRow]:
    """The table's rows with each cell once; locators carry the grid column.

    A rowspan is remembered per column as the row where the column frees up, so a cell
    costs its colspan, never rowspan x colspan: a page of 100 x 100 spans stays small.
    """
    rows: list[SourceRow] = []
    busy_until: dict[int, int] = {}  # grid column -> first row no longer covered from above
    for row_index, tr in enumerate(table.css("tr")):
        cells: list[str] = []
        locators: list[str] = []
        column = 0
        for td in tr.css("td, th"):
            while busy_until.get(column, 0) > row_index:
                column += 1
            attributes = td.attributes
            rowspan = _span(attributes.get("rowspan")) if "rowspan" in attributes else 1
            colspan = _span(attributes.get("colspan")) if "colspan" in attributes else 1
            if rowspan > 1:
                for dc in range(colspan):
                    until = busy_until.get(column + dc, 0)
                    busy_until[column + dc] = max(until, row_index + rowspan)
            cells.append(" ".join(td.text(deep=True, separator="").split()))
            locators.append(f"T{number}R{row_index}C{column}")
            column += colspan
        if cells:
            rows.append(SourceRow(tuple(cells), tuple(locators), True))
    return rows


def _span(value: str | None) -> int:
    try:
        return max(1, min(_MAX_SPAN, int(str(value).strip())))
    except (TypeError, ValueError):
        return 1
