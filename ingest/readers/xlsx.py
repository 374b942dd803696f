"""Excel workbooks: every sheet's rows in order, each merged range once, values as displayed.

openpyxl's workbook reader finds the parts (the sheets in order, the date system); shared
strings, number formats and each sheet's XML (with its merged ranges) are parsed once with
lxml, by openpyxl's rules. A full
openpyxl workbook gives the same cells but spends most of its time re-drawing the borders of
every merged range and building objects for every cell. Values are the cached results of
formulas, which is what the sheet shows. The grid runs from A1 to the last row and column any
cell or merged range reaches, as openpyxl's rows do. Empty columns right of the last used
column are cut, so a table's printed blanks stay blanks but formatting-only columns do not
become a row of blank cells.

Locators: `S1R5C2` = sheet 1, row 5, column 2 (B), counted from 1 as Excel shows them.
Legacy `.xls` files are converted to .xlsx first.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from lxml import etree
from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.styles.numbers import (
    BUILTIN_FORMATS,
    BUILTIN_FORMATS_MAX_SIZE,
    BUILTIN_FORMATS_REVERSE,
    builtin_format_code,
    is_date_format,
    is_timedelta_format,
)
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._reader import WorkSheetParser, _cast_number
from openpyxl.xml.constants import ARC_STYLE, SHEET_MAIN_NS

from ingest.readers import Decoded, ReadError, SourceRow
from ingest.readers.cjk import join_cjk
from ingest.readers.convert import OLE_MAGIC, ZIP_MAGIC, convert
from ingest.readers.mhtml import read_html_like
from ingest.readers.packages import check_package


def read_xlsx(data: bytes, path: str) -> Decoded:
    """Rows of every sheet in order; ReadError when the file is no readable workbook."""
    check_package(data, path, "Excel .xlsx")
    try:
        reader = _ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        try:
            reader.read()
            sheets = [_read_sheet(reader, part) for part in reader.sheet_parts]
        finally:
            reader.archive.close()
    except (zipfile.BadZipFile, KeyError) as error:
        raise ReadError(
            f"{path}: damaged or not an Excel .xlsx file (not a valid ZIP package: {error})"
        ) from None
    except Exception as error:  # broken XML inside a valid ZIP, unsupported content
        raise ReadError(
            f"{path}: damaged Excel .xlsx file ({type(error).__name__}: {error})"
        ) from None
    rows: list[SourceRow] = []
    for index, (values, covered) in enumerate(sheets, start=1):
        rows.extend(_sheet_rows(values, covered, index))
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


Position = tuple[int, int]
_NUM_FMTS, _NUM_FMT, _CELL_XFS, _XF = (
    f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("numFmts", "numFmt", "cellXfs", "xf")
)
_SI, _T, _R, _SHEET_DATA, _ROW, _C, _V, _MERGES, _MERGE = (
    f"{{{SHEET_MAIN_NS}}}{tag}"
    for tag in ("si", "t", "r", "sheetData", "row", "c", "v", "mergeCells", "mergeCell")
)
_XML_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True)


class _ExcelReader(ExcelReader):
    """openpyxl's workbook reader, reading only what the cells need: the shared strings (by
    lxml in one pass: openpyxl builds a rich-text object per string, and the texts are the
    same: the plain text and the runs' texts, without phonetic runs), the workbook (sheets,
    date system), the cell styles' number formats and the worksheets' part names, in order."""

    sheet_parts: list[str]

    def read(self) -> None:
        self.read_manifest()
        self.read_strings()
        self.read_workbook()
        self.read_number_formats()
        self.read_worksheets()

    def read_number_formats(self) -> None:
        """Each cell style's number format, and which styles hold dates and durations, as
        openpyxl's stylesheet gives them (a custom format that is a built-in one becomes it;
        other custom formats are numbered from 164 in order of use) without building its
        fonts, fills, borders and named styles."""
        self.style_formats: list[int] = [0]  # openpyxl's default: one style, "General"
        self.custom_formats = IndexedList()
        self.date_styles: set[int] = set()
        self.duration_styles: set[int] = set()
        try:
            root = etree.fromstring(self.archive.read(ARC_STYLE), _XML_PARSER)
        except KeyError:
            return
        stated = {
            int(item.get("numFmtId")): item.get("formatCode")
            for item in root.iterfind(f"{_NUM_FMTS}/{_NUM_FMT}")
        }
        styles = [int(xf.get("numFmtId", 0)) for xf in root.iterfind(f"{_CELL_XFS}/{_XF}")]
        if not styles:
            return
        for index, number_format_id in enumerate(styles):
            if number_format_id in stated:
                code = stated[number_format_id]
                if code in BUILTIN_FORMATS_REVERSE:
                    styles[index] = BUILTIN_FORMATS_REVERSE[code]
                else:
                    styles[index] = self.custom_formats.add(code) + BUILTIN_FORMATS_MAX_SIZE
            else:
                code = builtin_format_code(number_format_id)
            if is_date_format(code):
                self.date_styles.add(index)
            if is_timedelta_format(code):
                self.duration_styles.add(index)
        self.style_formats = styles

    def number_format(self, style: int) -> str:
        """The number format of cell style `style`, as openpyxl's cell.number_format."""
        number_format_id = self.style_formats[style]
        if number_format_id < BUILTIN_FORMATS_MAX_SIZE:
            return BUILTIN_FORMATS.get(number_format_id, "General")
        return self.custom_formats[number_format_id - BUILTIN_FORMATS_MAX_SIZE]

    def read_worksheets(self) -> None:
        """Worksheets as the full reader lists them: chartsheets and missing parts left out."""
        self.sheet_parts = [
            rel.target
            for _, rel in self.parser.find_sheets()
            if rel.target in self.valid_files and "chartsheet" not in rel.Type
        ]

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is None:
            return
        root = etree.fromstring(self.archive.read(part.PartName[1:]), _XML_PARSER)
        strings = []
        for item in root.iterchildren(_SI):
            texts = [item.findtext(_T)] + [run.findtext(_T) for run in item.iterchildren(_R)]
            strings.append("".join(text for text in texts if text).replace("x005F_", ""))
        self.shared_strings = strings


def _read_sheet(reader: _ExcelReader, part: str) -> tuple[dict[Position, str], set]:
    """Each cell the sheet file names, as displayed, with the positions merged ranges cover
    (all but their top-left cell): merged positions are cells of the grid too, with no text.

    Numbers and shared strings, nearly every cell of a report, are read here; any other cell
    (dates, booleans, errors, inline and formula strings, cells without a reference) by
    openpyxl's own cell parser, so every value is what openpyxl gives."""
    book = reader.wb
    parser = WorkSheetParser(
        None,
        reader.shared_strings,
        data_only=True,
        epoch=book.epoch,
        date_formats=reader.date_styles,
        timedelta_formats=reader.duration_styles,
    )
    strings = reader.shared_strings
    formats: dict[int, str | None] = {}  # style id -> number format; None for dates
    shown_strings: dict[str, str] = {}  # shared string index -> its text as displayed
    columns: dict[str, int] = {}
    values: dict[Position, str] = {}
    root = etree.fromstring(reader.archive.read(part), _XML_PARSER)
    data = root.find(_SHEET_DATA)
    for row in data.iterchildren(_ROW) if data is not None else ():
        cells = list(row.iterchildren(_C))
        if "r" not in row.attrib or any("r" not in cell.attrib for cell in cells):
            for parsed in parser.parse_row(row)[1]:
                values[parsed["row"], parsed["column"]] = _display_parsed(reader, parsed)
            continue
        parser.row_counter = int(row.get("r"))
        for cell in cells:
            if not len(cell):  # no value: formatting only (most cells of a bordered table)
                reference = cell.get("r")
                letters = reference.rstrip("0123456789")
                column = columns.get(letters)
                if column is None:
                    column = columns[letters] = column_index_from_string(letters)
                values[int(reference[len(letters) :]), column] = ""
                continue
            kind = cell.get("t", "n")
            style = int(cell.get("s") or 0)
            number_format = formats.get(style, "")
            if number_format == "":
                number_format = formats[style] = (
                    None if style in reader.date_styles else reader.number_format(style)
                )
            if kind == "s" or (kind == "n" and number_format is not None):
                text = cell.findtext(_V)
                if not text:
                    shown = ""
                elif kind == "s":
                    shown = shown_strings.get(text)
                    if shown is None:
                        shown = shown_strings[text] = display(strings[int(text)])
                else:
                    shown = display(_cast_number(text), number_format)
                reference = cell.get("r")
                letters = reference.rstrip("0123456789")
                column = columns.get(letters)
                if column is None:
                    column = columns[letters] = column_index_from_string(letters)
                values[int(reference[len(letters) :]), column] = shown
            else:
                parsed = parser.parse_cell(cell)
                values[parsed["row"], parsed["column"]] = _display_parsed(reader, parsed)
    covered: set[Position] = set()
    merges = root.find(_MERGES)
    for merged in merges.iterchildren(_MERGE) if merges is not None else ():
        first_column, first_row, last_column, last_row = range_boundaries(merged.get("ref"))
        values.setdefault((first_row, first_column), "")
        for row in range(first_row, last_row + 1):
            for column in range(first_column, last_column + 1):
                if (row, column) != (first_row, first_column):
                    covered.add((row, column))
    return values, covered


def _display_parsed(reader: _ExcelReader, cell: dict) -> str:
    return display(cell["value"], reader.number_format(cell["style_id"]))


def _sheet_rows(values: dict[Position, str], covered: set, number: int) -> list[SourceRow]:
    positions = values.keys() | covered
    if not positions:
        return []
    # openpyxl's rows run from A1 to the last row and column any cell or merge reaches.
    first_row, last_row = 1, max(r for r, _ in positions)
    first_column, last_sheet_column = 1, max(c for _, c in positions)
    grid: list[tuple[int, list[tuple[int, str]]]] = []
    last_column = 0
    for row in range(first_row, last_row + 1):
        row_cells = [
            (column, values.get((row, column), ""))
            for column in range(first_column, last_sheet_column + 1)
            if (row, column) not in covered
        ]
        used = [column for column, text in row_cells if text]
        if used:
            grid.append((row, row_cells))
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
