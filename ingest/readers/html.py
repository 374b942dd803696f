"""HTML pages (saved web pages, Word exports): tables become grid rows, the rest text lines.

Only leaf tables (no table inside) are data grids; tables that hold other tables are page
layout and are read as text. Locators give the grid position: T<table>R<row>C<column> with
rowspan/colspan taken into account.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ingest.readers import Decoded, SourceRow
from ingest.readers.encoding import decode

_SKIP = frozenset(
    {"script", "style", "head", "noscript", "template", "iframe", "svg", "select", "button"}
)
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
        "title",
        "caption",
        "center",
    }
)
_MAX_SPAN = 100


def read_html(data: bytes, path: str) -> Decoded:
    text, encoding = decode(data, path)
    tree = LexborHTMLParser(text)
    walker = _Walker()
    title = tree.css_first("title")
    if title is not None:
        walker.lines.append(title.text(deep=True).strip())
        walker.rows.append(SourceRow((walker.lines[-1],), ("title",), explicit=False))
    root = tree.body or tree.root
    if root is not None:
        walker.walk(root)
    walker.flush()
    return Decoded(rows=walker.rows, lines=walker.lines, encoding=encoding, file_format="html")


class _Walker:
    def __init__(self) -> None:
        self.rows: list[SourceRow] = []
        self.lines: list[str] = []
        self.buffer: list[str] = []
        self.tables = 0

    def flush(self) -> None:
        line = " ".join("".join(self.buffer).split())
        self.buffer = []
        if line:
            self.lines.append(line)
            self.rows.append(SourceRow((line,), (f"P{len(self.lines)}",), explicit=False))

    def walk(self, root: LexborNode) -> None:
        stack: list[tuple[LexborNode, bool]] = [(root, False)]
        while stack:
            node, closing = stack.pop()
            tag = node.tag
            if closing:
                self.flush()
                continue
            if tag == "-text":
                self.buffer.append(node.text(deep=False))
                continue
            if tag in _SKIP or tag == "-comment":
                continue
            if (
                tag == "table"
                and node.css_first("table table") is None
                and not _has_inner_table(node)
            ):
                self.flush()
                self._grid(node)
                continue
            if tag in _BLOCK:
                self.flush()
                stack.append((node, True))
            children = list(node.iter(include_text=True))
            stack.extend((child, False) for child in reversed(children))

    def _grid(self, table: LexborNode) -> None:
        self.tables += 1
        occupied: set[tuple[int, int]] = set()
        for row_index, tr in enumerate(table.css("tr")):
            cells: list[str] = []
            locators: list[str] = []
            column = 0
            for td in tr.css("td, th"):
                while (row_index, column) in occupied:
                    column += 1
                rowspan = _span(td.attributes.get("rowspan"))
                colspan = _span(td.attributes.get("colspan"))
                for dr in range(rowspan):
                    for dc in range(colspan):
                        occupied.add((row_index + dr, column + dc))
                cells.append(" ".join(td.text(deep=True, separator="").split()))
                locators.append(f"T{self.tables}R{row_index}C{column}")
                column += colspan
            if cells:
                self.rows.append(SourceRow(tuple(cells), tuple(locators), explicit=True))
                self.lines.append(" | ".join(cells))


def _has_inner_table(table: LexborNode) -> bool:
    return any(node is not table for node in table.css("table")[1:])


def _span(value: str | None) -> int:
    try:
        return max(1, min(_MAX_SPAN, int(str(value).strip())))
    except (TypeError, ValueError):
        return 1
