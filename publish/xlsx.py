"""Deterministic XLSX workbooks written with XlsxWriter, laid out for people who open them.

Every data sheet has two header rows (the Chinese name, then the English column code), an
autofilter on the code row, frozen headers, column widths from the content, and both header
rows repeated on every printed page. Text from the reports is always written as a string
cell, never parsed as a formula or a link (a title like `=HYPERLINK(...)` stays text); dates
are Excel dates; a null is an empty cell, never 0. XlsxWriter dates the zip entries from the
document's creation time, which is fixed, so the same sheets give the same bytes.
"""

from __future__ import annotations

import datetime
import decimal
import itertools
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

FIXED_TIMESTAMP = datetime.datetime(2000, 1, 1, 0, 0, 0)
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_STRING = 32_767
HEADER_ROWS = 2
WIDTH_SAMPLE_ROWS = 500
MIN_WIDTH, MAX_WIDTH = 6, 60
FIT_TO_WIDTH_COLUMNS = 12  # a printed page shrinks to its width up to this many columns


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its code (the mart's column name) and its Chinese name."""

    code: str
    name_zh: str = ""


@dataclass
class Sheet:
    """One data worksheet: a name (≤ 31 characters), its columns and its rows."""

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    row_count: int | None = None  # when known, a sheet too long for Excel is not written
    note: str = ""  # written instead of the rows when they do not fit

    def __post_init__(self) -> None:
        if len(self.name) > 31:
            raise ValueError(f"sheet name {self.name!r} is longer than Excel's 31 characters")


@dataclass
class Grid:
    """A free-form sheet (e.g. a table as printed): rows of cells, merged ranges, widths."""

    name: str
    rows: Sequence[Sequence[Any]]
    merges: Sequence[tuple[int, int, int, int]] = field(default_factory=list)
    header_rows: int = 1
    widths: Sequence[float] = field(default_factory=list)


def fits_in_excel(row_count: int) -> bool:
    """True when `row_count` data rows and the two header rows fit in one worksheet."""
    return row_count + HEADER_ROWS <= EXCEL_MAX_ROWS


def write_workbook(sheets: Sequence[Sheet | Grid], path: Path, title: str) -> None:
    """Write `sheets` to `path` as one XLSX file, byte-identical for identical sheets."""
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,  # rows are streamed: flat memory for big marts
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    workbook.set_properties(
        {"title": title, "author": "gongkai", "created": FIXED_TIMESTAMP, "comments": ""}
    )
    formats = _Formats(workbook)
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet.name)
        if isinstance(sheet, Grid):
            _write_grid(worksheet, sheet, formats)
        else:
            _write_sheet(worksheet, sheet, formats)
    workbook.close()


class _Formats:
    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.header_zh = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.header_code = workbook.add_format(
            {"italic": True, "font_color": "#555555", "bg_color": "#F2F2F2", "border": 1}
        )
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.text = workbook.add_format({})
        self.note = workbook.add_format({"italic": True, "font_color": "#7F4F00"})
        self.grid = workbook.add_format({"border": 1, "text_wrap": True, "valign": "vcenter"})
        self.grid_header = workbook.add_format(
            {
                "border": 1,
                "bold": True,
                "bg_color": "#DDEBF7",
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
            }
        )


def _write_sheet(worksheet: Worksheet, sheet: Sheet, formats: _Formats) -> None:
    columns = list(sheet.columns)
    if sheet.row_count is not None and not fits_in_excel(sheet.row_count):
        worksheet.write_string(
            0,
            0,
            sheet.note
            or (f"{sheet.row_count} rows do not fit in a worksheet; use the CSV or Parquet file."),
            formats.note,
        )
        return
    rows = iter(sheet.rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    for index, column in enumerate(columns):
        texts = [column.name_zh, column.code, *(_shown(row[index]) for row in sample)]
        worksheet.set_column(index, index, _width(texts))
    # constant_memory streams rows: each row is written whole before the next one.
    for index, column in enumerate(columns):
        worksheet.write_string(0, index, column.name_zh or column.code, formats.header_zh)
    for index, column in enumerate(columns):
        worksheet.write_string(1, index, column.code, formats.header_code)
    last_row = HEADER_ROWS - 1
    for row_number, row in enumerate(itertools.chain(sample, rows), start=HEADER_ROWS):
        for index, value in enumerate(row):
            _write_value(worksheet, row_number, index, value, formats)
        last_row = row_number
    if columns:
        worksheet.autofilter(1, 0, last_row, len(columns) - 1)
    worksheet.freeze_panes(HEADER_ROWS, 0)
    worksheet.repeat_rows(0, HEADER_ROWS - 1)
    worksheet.set_landscape()
    worksheet.set_paper(9)  # A4
    if len(columns) <= FIT_TO_WIDTH_COLUMNS:
        worksheet.fit_to_pages(1, 0)
    else:  # too wide to shrink onto one page: the key column repeats on every page instead
        worksheet.repeat_columns(0, 0)


def _write_grid(worksheet: Worksheet, grid: Grid, formats: _Formats) -> None:
    columns = max((len(row) for row in grid.rows), default=0)
    for index in range(columns):
        texts = [_shown(row[index]) for row in grid.rows if index < len(row)]
        width = grid.widths[index] if index < len(grid.widths) else _width(texts)
        worksheet.set_column(index, index, width)
    merges_by_row: dict[int, list[tuple[int, int, int, int]]] = {}
    for merge in grid.merges:
        merges_by_row.setdefault(merge[0], []).append(merge)
    merged = {
        (row, column)
        for first_row, first_column, last_row, last_column in grid.merges
        for row in range(first_row, last_row + 1)
        for column in range(first_column, last_column + 1)
    }
    for row_number, row in enumerate(grid.rows):
        cell_format = formats.grid_header if row_number < grid.header_rows else formats.grid
        for first_row, first_column, last_row, last_column in merges_by_row.get(row_number, []):
            value = row[first_column] if first_column < len(row) else None
            worksheet.merge_range(first_row, first_column, last_row, last_column, "", cell_format)
            _write_value(worksheet, first_row, first_column, value, formats, cell_format)
        for index, value in enumerate(row):
            if (row_number, index) not in merged:
                _write_value(worksheet, row_number, index, value, formats, cell_format)
    worksheet.freeze_panes(grid.header_rows, 1)
    worksheet.repeat_rows(0, grid.header_rows - 1)
    worksheet.set_paper(9)
    worksheet.fit_to_pages(1, 0)


def _write_value(
    worksheet: Worksheet,
    row: int,
    column: int,
    value: Any,
    formats: _Formats,
    cell_format: Any = None,
) -> None:
    """One cell, typed explicitly: text is always a string cell (no formulas, no links)."""
    if value is None:
        if cell_format is not None:
            worksheet.write_blank(row, column, None, cell_format)
        return
    if isinstance(value, bool):
        worksheet.write_boolean(row, column, value, cell_format)
    elif isinstance(value, int | float | decimal.Decimal):
        number = float(value)
        if math.isfinite(number):
            worksheet.write_number(row, column, number, cell_format)
        else:
            worksheet.write_string(row, column, str(value), cell_format)
    elif isinstance(value, datetime.datetime):
        worksheet.write_datetime(row, column, value, cell_format or formats.datetime)
    elif isinstance(value, datetime.date):
        worksheet.write_datetime(row, column, value, cell_format or formats.date)
    else:
        text = value if isinstance(value, str) else str(value)
        if len(text) > EXCEL_MAX_STRING:
            text = text[: EXCEL_MAX_STRING - 1] + "…"
        worksheet.write_string(row, column, text, cell_format or formats.text)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date):
        return value.isoformat()[:19]
    return str(value)


def _width(texts: Iterable[str]) -> float:
    """A column width in Excel's character units: wide (CJK) characters count twice."""
    widest = max((_display_width(text) for text in texts), default=0)
    return float(min(max(widest + 2, MIN_WIDTH), MAX_WIDTH))


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
