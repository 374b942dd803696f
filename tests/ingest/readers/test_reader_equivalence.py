"""The fast readers give what the libraries' own slower paths give, row for row.

PDF: pages read from pdfium's characters and paths (pdf_pages.py) against pdfplumber's own
pdfminer pages, which the reader still uses for files pdfium cannot open or lays out
differently. XLSX: the lxml sheet reader against a full openpyxl workbook (the reader before
it), on a workbook made here with every kind of cell value.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pypdfium2
import pytest
import xlsxwriter

from ingest.readers import SourceRow, pdf
from ingest.readers.pdf import _read_with_pdfium, read_pdf
from ingest.readers.pdf_pages import read_pages
from ingest.readers.xlsx import display, read_xlsx
from tests.conftest import FIXTURES

TEXT_PDFS = sorted(
    path
    for path in FIXTURES.rglob("*.pdf")
    if path.name not in ("encrypted.pdf", "scanned.pdf")  # no text layer to compare
)


@pytest.mark.parametrize("path", TEXT_PDFS, ids=lambda path: path.name)
def test_pdfium_pages_read_like_pdfplumber_pages(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = path.read_bytes()
    assert _read_with_pdfium(data) is not None, "pdfium reads the file"
    fast = read_pdf(data, path.name)
    monkeypatch.setattr(pdf, "_read_with_pdfium", lambda data: None)  # pdfminer's pages
    slow = read_pdf(data, path.name)
    assert fast.rows == slow.rows
    assert fast.lines == slow.lines


def test_pages_drawn_as_forms_read_like_pdfplumber_and_the_original(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rulings and text inside form XObjects (a page placed on another, as imposition and
    some exporters do) come through pdfium's form objects like pdfminer's."""
    original = (FIXTURES / "formats" / "shuyang.pdf").read_bytes()
    source = pypdfium2.PdfDocument(original)
    placed = pypdfium2.PdfDocument.new()
    for index in range(len(source)):
        page = placed.new_page(*source[index].get_size())
        page.insert_obj(source.page_as_xobject(index, placed).as_pageobject())
        page.gen_content()
    buffer = io.BytesIO()
    placed.save(buffer)
    data = buffer.getvalue()
    assert _read_with_pdfium(data) is not None, "pdfium reads the file"
    fast = read_pdf(data, "placed.pdf")
    assert sum(row.explicit for row in fast.rows) > 40, "the ruled tables are found"
    assert fast.rows == read_pdf(original, "shuyang.pdf").rows
    monkeypatch.setattr(pdf, "_read_with_pdfium", lambda data: None)
    slow = read_pdf(data, "placed.pdf")
    assert (fast.rows, fast.lines) == (slow.rows, slow.lines)


def test_a_rotated_page_is_read_by_pdfplumber() -> None:
    document = pypdfium2.PdfDocument((FIXTURES / "formats" / "rendered.pdf").read_bytes())
    document[0].set_rotation(90)
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    assert read_pages(pypdfium2.PdfDocument(data), data) is None
    rows = read_pdf(data, "rotated.pdf").rows
    assert any("三、本年度办理结果" in row.cells for row in rows)


def _openpyxl_rows(data: bytes) -> list[SourceRow]:
    """The previous reader: a full workbook, every sheet's grid from A1, merged positions
    skipped, columns cut after the last one with text."""
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    rows = []
    for number, sheet in enumerate(book.worksheets, start=1):
        covered = {
            (row, column)
            for merged in sheet.merged_cells.ranges
            for row in range(merged.min_row, merged.max_row + 1)
            for column in range(merged.min_col, merged.max_col + 1)
            if (row, column) != (merged.min_row, merged.min_col)
        }
        grid, last = [], 0
        for cells in sheet.iter_rows():
            kept = [
                (cell.column, display(cell.value, cell.number_format))
                for cell in cells
                if (cell.row, cell.column) not in covered
            ]
            used = [column for column, text in kept if text]
            if used:
                grid.append((cells[0].row, kept))
                last = max(last, used[-1])
        for row, kept in grid:
            kept = [(column, text) for column, text in kept if column <= last]
            rows.append(
                SourceRow(
                    tuple(text for _, text in kept),
                    tuple(f"S{number}R{row}C{column}" for column, _ in kept),
                    explicit=True,
                )
            )
    return rows


def _workbook() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("报表")
    border = book.add_format({"border": 1})
    sheet.merge_range("B2:D3", "合并 标题", border)
    sheet.write("A5", 1.5)
    sheet.write("B5", 3)
    sheet.write_datetime(
        "C5", dt.datetime(2024, 3, 1), book.add_format({"num_format": "yyyy-mm-dd"})
    )
    sheet.write("D5", 0.1234, book.add_format({"num_format": "0.00%"}))
    sheet.write_boolean("E5", True)
    sheet.write_formula("F5", "=B5*2", None, 6)
    sheet.write_formula("G5", '="x"&"y"', None, "xy")
    sheet.write("H5", 0.5, book.add_format({"num_format": "[h]:mm"}))
    sheet.write("A7", "  多 行\n文本 ")
    sheet.write_blank("J9", None, border)
    sheet.write_formula("A8", "=1/0", None, "#DIV/0!")
    sheet.write_rich_string("B8", "ab", book.add_format({"bold": True}), "cd")
    other = book.add_worksheet("二")
    other.write("C3", 12345678901234)
    other.write("D3", 1e-7)
    other.write("E3", -2.5)
    book.add_worksheet("空")
    book.close()
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name", ["made here", "rendered.xlsx", "shuyang.xlsx"], ids=lambda name: name
)
def test_xlsx_reader_reads_like_a_full_openpyxl_workbook(name: str) -> None:
    data = _workbook() if name == "made here" else (FIXTURES / "formats" / name).read_bytes()
    assert read_xlsx(data, name).rows == _openpyxl_rows(data)
