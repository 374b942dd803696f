"""Excel workbooks: every sheet's rows in order, each merged range once, values as displayed.

openpyxl needs the full (not read-only) workbook to see merged ranges; `data_only` gives the
cached results of formulas, which is what the sheet shows. Empty columns right of the last
used column are cut, so a table's printed blanks stay blanks but formatting-only columns do
not become a row of blank cells.

Locators: `S1R5C2` = sheet 1, row 5, column 2 (B), counted from 1 as Excel shows them.
Legacy `.xls` files are converted to .xlsx first.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from ingest.readers import Decoded, ReadError, SourceRow
from ingest.readers.cjk import join_cjk
from ingest.readers.convert import OLE_MAGIC, ZIP_MAGIC, convert
from ingest.readers.mhtml import read_html_like
from ingest.readers.packages import check_package


def read_xlsx(data: bytes, path: str) -> Decoded:
    """Rows of every sheet in order; ReadError when the file is no readable workbook."""
    check_package(data, path, "Excel .xlsx")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except (zipfile.BadZipFile, KeyError) as error:
        raise ReadError(
            f"{path}: damaged or not an Excel .xlsx file (not a valid ZIP package: {error})"
        ) from None
    except Exception as error:  # broken XML inside a valid ZIP, unsupported content
        raise ReadError(
            f"{path}: damaged Excel .xlsx file ({type(error).__name__}: {error})"
        ) from None
    rows: list[SourceRow] = []
    for index, sheet in enumerate(book.worksheets, start=1):
        rows.extend(_sheet_rows(sheet, index))
    lines = [" | ".join(cell for cell in row.cells if cell) for row in rows]
    return Decoded(rows=rows, lines=lines, encoding="binary", file_format="xlsx")


def read_xls(data: bytes, path: str) -> Decoded:
    """Legacy Excel: converted with LibreOffice. Files named .xls that are really .xlsx or an
    HTML table (a common "export to Excel") go to those readers instead."""
    if data.startswith(ZIP_MAGIC):
        return read_xlsx(data, path)
    if not data.startswith(OLE_MAGIC):
        return read_html_like(data, path, ".xls")
    decoded = read_xlsx(convert(data, path, ".xls", "xlsx", "Excel"), path)
    decoded.file_format = "xls"
    return decoded


def _sheet_rows(sheet: Worksheet, number: int) -> list[SourceRow]:
    covered: set[tuple[int, int]] = set()
    for merged in sheet.merged_cells.ranges:
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                if (row, column) != (merged.min_row, merged.min_col):
                    covered.add((row, column))
    grid: list[tuple[int, list[tuple[int, str]]]] = []
    last_column = 0
    for cells in sheet.iter_rows():
        row_cells = [
            (cell.column, display(cell.value, cell.number_format))
            for cell in cells
            if (cell.row, cell.column) not in covered
        ]
        used = [column for column, text in row_cells if text]
        if used:
            grid.append((cells[0].row, row_cells))
            last_column = max(last_column, used[-1])
    rows = []
    for row, row_cells in grid:
        kept = [(column, text) for column, text in row_cells if column <= last_column]
        rows.append(
            SourceRow(
                tuple(text for _, text in kept),
                tuple(f"S{number}R{row}C{column}" for column, _ in kept),
                explicit=True,
            )
        )
    return rows


def display(value: object, number_format: str = "General") -> str:
    """A cell value as the sheet shows it: whole numbers without ".0", percentages with "%",
    dates as ISO dates, text with its wrapped lines joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if "%" in number_format:
            decimals = len(number_format.split(".")[1].rstrip("%")) if "." in number_format else 0
            return f"{value * 100:.{decimals}f}%"
        if value.is_integer():
            return str(int(value))
        return repr(round(value, 10))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return join_cjk(str(value).split())
