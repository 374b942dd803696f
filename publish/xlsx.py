"""Deterministic XLSX workbooks: fixed document timestamps and fixed zip entry dates.

openpyxl's `save_workbook` stamps the current time into docProps/core.xml and the zip
entries; here the workbook is written through openpyxl's ExcelWriter into memory with fixed
properties, then the archive is rewritten entry by entry with a fixed date, so the same
sheets give the same bytes.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

FIXED_TIMESTAMP = datetime.datetime(2000, 1, 1, 0, 0, 0)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry
HEADER_FONT = Font(bold=True)


class Sheet:
    """One worksheet: a name (≤ 31 characters), a header row and data rows."""

    def __init__(self, name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        if len(name) > 31:
            raise ValueError(f"sheet name {name!r} is longer than Excel's 31 characters")
        self.name = name
        self.header = list(header)
        self.rows = rows


def write_workbook(sheets: Sequence[Sheet], path: Path, title: str) -> None:
    """Write `sheets` to `path` as one XLSX file, byte-identical for identical sheets."""
    workbook = Workbook(write_only=True)
    properties = workbook.properties
    properties.created = FIXED_TIMESTAMP
    properties.modified = FIXED_TIMESTAMP
    properties.creator = "gongkai"
    properties.lastModifiedBy = "gongkai"
    properties.title = title
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.name)
        worksheet.freeze_panes = "A2"
        worksheet.append([_header_cell(worksheet, name) for name in sheet.header])
        for row in sheet.rows:
            worksheet.append([_cell_value(value) for value in row])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    path.write_bytes(_with_fixed_dates(buffer.getvalue()))


def _header_cell(worksheet: Any, text: str) -> Any:
    cell = WriteOnlyCell(worksheet, value=text)
    cell.font = HEADER_FONT
    return cell


def _cell_value(value: Any) -> Any:
    """Excel has no null: a missing value is an empty cell (never 0)."""
    if isinstance(value, list | dict | tuple):
        return str(value)
    return value


def _with_fixed_dates(archive_bytes: bytes) -> bytes:
    """The same archive, every entry dated ZIP_DATE with fixed permissions, in the same order."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(archive_bytes)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            entry.create_system = 0
            target.writestr(entry, source.read(info.filename), compresslevel=6)
    return output.getvalue()
