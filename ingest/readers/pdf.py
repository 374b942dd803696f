"""PDF with a text layer: ruled tables become grid rows, the rest text lines, in reading order.

Characters and drawn lines come from pdfium (pdf_pages.py), a few milliseconds a page; files
pdfium cannot open, or lays out unlike pdfminer (rotated pages and text), are read by
pdfplumber's own pdfminer pages instead, which also word the errors for damaged and encrypted
files. Either way the same code below turns them into rows.

Ruled tables are found from their drawn lines by pdfplumber's table finder (its own on
pdfminer's pages; on pdfium's, the same steps over tuples in pdf_layout.py); a merged cell
comes back as one cell followed by None for the grid positions it covers, so a grid row keeps
only real cells, each with its grid column. Text outside ruled tables (narrative, and tables
printed without rulings) becomes non-explicit rows of a line's phrases, as in page text
(pdf_text.py). A table that runs on to the next page continues the same stream; a header the
next page repeats is dropped, so its labels do not come twice.

Locators: `P3T1R5C2` = page 3, table 1 of that page, row 5, grid column 2 (rows and columns
counted from 0 as in HTML); `P3L12` = page 3, text line 12 (`P3L12C1` for its second cell).
"""

from __future__ import annotations

import io
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import pdfplumber
import pypdfium2
from pdfplumber.page import Page
from pdfplumber.table import Table
from pdfplumber.utils import extract_text
from pdfplumber.utils.exceptions import PdfminerException

from ingest.readers import Decoded, ReadError, SourceRow
from ingest.readers.cjk import join_cjk
from ingest.readers.ocr import read_scanned_pdf
from ingest.readers.pdf_pages import PdfiumPage, read_pages
from ingest.readers.pdf_text import Line, drop_page_furniture, lines_from_words, reflow
from ingest.values import is_value_text


@dataclass
class _Table:
    """One ruled table of a page: its top and its non-empty rows as (row index, cells)."""

    top: float
    number: int
    rows: list[tuple[int, list[tuple[int, str]]]] = field(default_factory=list)

    def texts(self) -> list[tuple[str, ...]]:
        """Printed texts of each row, empty cells left out (they differ across a page break)."""
        return [tuple(text for _, text in cells if text) for _, cells in self.rows]


@dataclass
class _Page:
    number: int
    height: float
    lines: list[Line]
    tables: list[_Table]


def read_pdf(data: bytes, path: str) -> Decoded:
    """Rows of every page in reading order; ReadError for scanned, encrypted or broken files."""
    pages = _read_with_pdfium(data)
    if pages is None:
        pages = _read_with_pdfplumber(data, path)
    if not pages:
        raise ReadError(f"{path}: PDF has no pages")
    if not any(page.lines or page.tables for page in pages):
        return read_scanned_pdf(data, path)
    kept = drop_page_furniture([p.lines for p in pages], [p.height for p in pages])
    for page, lines in zip(pages, kept, strict=True):
        page.lines = lines
    _join_page_breaks(pages)
    return _decoded(pages)


def _read_with_pdfium(data: bytes) -> list[_Page] | None:
    """Pages read from pdfium's characters and paths, or None for a file pdfium cannot open
    (pdfminer then says why) or lays out unlike pdfminer (see pdf_pages.py)."""
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return None
    try:
        pages = read_pages(document, data)
        return None if pages is None else [_read_page(p, n) for n, p in enumerate(pages, 1)]
    finally:
        document.close()


def _read_with_pdfplumber(data: bytes, path: str) -> list[_Page]:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [_read_page(page, number) for number, page in enumerate(pdf.pages, 1)]
    except PdfminerException as error:
        raise ReadError(_pdfminer_message(path, error)) from None
    except ReadError:
        raise
    except Exception as error:  # pdfminer raises many types on damaged files
        raise ReadError(f"{path}: damaged PDF ({type(error).__name__}: {error})") from None


def _read_page(page: Page | PdfiumPage, number: int) -> _Page:
    found = sorted(page.find_tables(), key=lambda t: (t.bbox[1], t.bbox[0]))
    tables = []
    for index, table in enumerate(found, start=1):
        parsed = _Table(top=table.bbox[1], number=index)
        for row_index, row in enumerate(_cell_texts(page, table)):
            cells = [
                (column, join_cjk(text.split()))
                for column, text in enumerate(row)
                if text is not None  # None: a position covered by a merged cell
            ]
            # A row with nothing printed in it is a page-break remnant of a merged cell.
            if any(text for _, text in cells):
                parsed.rows.append((row_index, cells))
        tables.append(parsed)
    boxes = [table.bbox for table in found]
    if isinstance(page, PdfiumPage):
        page_words = page.words()
    else:
        page_words = page.extract_words(extra_attrs=["size"])
    words = [word for word in page_words if not any(_inside(word, box) for box in boxes)]
    return _Page(number, float(page.height), lines_from_words(words), tables)


Box = tuple[float, float, float, float]


def _cell_texts(page: Page | PdfiumPage, table: Table) -> list[list[str | None]]:
    """Each cell's text, every printed character in exactly one cell.

    When a ruling is missing (Word exports drop borders), a merged cell is detected over its
    neighbours; pdfplumber then gives their text to both. A character belongs to the smallest
    cell around it, so the grid position decides the cell and nothing is read twice.
    """
    rows = table.rows
    boxes = [box for row in rows for box in row.cells if box is not None]
    covers = _any_covers(boxes)
    if isinstance(page, PdfiumPage):
        return page.cell_texts(table, rows, covers)
    if not covers:
        return _extract(table, page.chars)
    by_area = sorted(boxes, key=lambda box: (box[2] - box[0]) * (box[3] - box[1]))
    owned: dict[Box, list[dict]] = {box: [] for box in boxes}
    for char in page.crop(table.bbox).chars:
        owner = next((box for box in by_area if _inside(char, box)), None)
        if owner is not None:
            owned[owner].append(char)
    return [
        [None if box is None else extract_text(owned[box]) for box in row.cells]
        for row in table.rows
    ]


def _extract(table: Table, chars: list[dict]) -> list[list[str | None]]:
    """pdfplumber's Table.extract(), over the characters inside the table only: a character
    belongs to the first cell of its row whose box (right and bottom edges open) holds its
    centre."""
    left, top, right, bottom = table.bbox
    inside = [
        (char, (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2)
        for char in chars
        if left <= (char["x0"] + char["x1"]) / 2 <= right
        and top <= (char["top"] + char["bottom"]) / 2 <= bottom
    ]
    rows = []
    for row in table.rows:
        x0, y0, x1, y1 = row.bbox
        in_row = [item for item in inside if x0 <= item[1] < x1 and y0 <= item[2] < y1]
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            x0, y0, x1, y1 = cell
            cell_chars = [c for c, x, y in in_row if x0 <= x < x1 and y0 <= y < y1]
            texts.append(extract_text(cell_chars) if cell_chars else "")
        rows.append(texts)
    return rows


def _any_covers(boxes: list[Box]) -> bool:
    """Does any cell contain the centre of another (a merged cell found over its neighbours)?
    Each cell is checked against the centres within its own columns only."""
    centres = sorted(
        ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, index) for index, box in enumerate(boxes)
    )
    xs = [x for x, _, _ in centres]
    for index, big in enumerate(boxes):
        for _, y, other in centres[bisect_left(xs, big[0]) : bisect_right(xs, big[2])]:
            if other != index and big[1] <= y <= big[3] and big != boxes[other]:
                return True
    return False


def _inside(word: dict, box: tuple[float, float, float, float]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _join_page_breaks(pages: list[_Page]) -> None:
    """Mend tables that run on to the next page.

    A table that opens a page right after a table that closed the previous one continues it.
    Leading rows that repeat the start of the table (its header) are dropped; in its first
    row without numbers, empty cells are the rest of cells merged across the break, not blanks.
    """
    chain: list[tuple[str, ...]] = []
    previous_ends_with_table = False
    for page in pages:
        first_line = min((line.top for line in page.lines), default=float("inf"))
        for table in page.tables:
            continues = (
                table is page.tables[0] and previous_ends_with_table and table.top < first_line
            )
            if not continues:
                chain = []
            texts = table.texts()
            repeated = 0
            while (
                continues
                and repeated < len(texts) - 1
                and repeated < len(chain)
                and texts[repeated] == chain[repeated]
            ):
                repeated += 1
            del table.rows[:repeated]
            if (
                continues
                and table.rows
                and not any(map(is_value_text, texts[repeated]))
                and not _starts_item(texts[repeated])
            ):
                row_index, cells = table.rows[0]
                table.rows[0] = (row_index, [(c, text) for c, text in cells if text])
            chain.extend(texts[repeated:] if chain else texts)
        last_line = max((line.top for line in page.lines), default=float("-inf"))
        previous_ends_with_table = bool(page.tables) and page.tables[-1].top > last_line


# An item number opens a new row ("5.属于…", "（四）无法提供"); a label's continuation does not.
_ITEM_START_RE = re.compile(r"^[(（]?[一二三四五六七八九十\d]{1,2}[)）.、．]")


def _starts_item(texts: tuple[str, ...]) -> bool:
    return bool(texts) and _ITEM_START_RE.match(texts[0]) is not None


def _decoded(pages: list[_Page]) -> Decoded:
    rows: list[SourceRow] = []
    lines: list[str] = []
    for page in pages:
        right = max((line.x1 for line in page.lines), default=0.0)
        items: list[tuple[float, Line | _Table]] = [(line.top, line) for line in page.lines]
        items += [(table.top, table) for table in page.tables]
        items.sort(key=lambda item: item[0])
        paragraph: list[Line] = []
        for _, item in items:
            if isinstance(item, Line):
                rows.append(_line_row(page.number, item))
                paragraph.append(item)
                continue
            lines.extend(reflow(paragraph, right))
            paragraph = []
            for row_index, cells in item.rows:
                prefix = f"P{page.number}T{item.number}R{row_index}C"
                texts = tuple(text for _, text in cells)
                rows.append(SourceRow(texts, tuple(f"{prefix}{c}" for c, _ in cells), True))
                lines.append(" | ".join(texts))
        lines.extend(reflow(paragraph, right))
    return Decoded(rows=rows, lines=lines, encoding="binary", file_format="pdf")


def _line_row(page: int, line: Line) -> SourceRow:
    base = f"P{page}L{line.number}"
    if len(line.cells) == 1:
        return SourceRow((line.cells[0],), (base,), explicit=False)
    locators = tuple(f"{base}C{index}" for index in range(len(line.cells)))
    return SourceRow(tuple(line.cells), locators, explicit=False)


def _pdfminer_message(path: str, error: PdfminerException) -> str:
    cause = error.args[0] if error.args else error
    name = type(cause).__name__
    if name in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"):
        return f"{path}: encrypted PDF, it needs a password to open; save an unprotected copy"
    return f"{path}: damaged or not a PDF ({name}: {cause})"
