"""`gongkai export`: every mart to Parquet, CSV (UTF-8 with BOM) and one XLSX workbook.

Output folder layout:

    parquet/<mart>.parquet   one file per mart, rows sorted by the mart's key; every column's
                             description and Chinese name in the schema metadata
    csv/<mart>.csv           the same rows, UTF-8 with BOM (Excel on Chinese Windows reads it),
                             text that a spreadsheet would run as a formula neutralised
    gongkai.xlsx             rpt_reports first (one row per report), a sheet per mart (fact
                             sheets with agency and year after report_id), table 三 of one
                             report as printed, and `data_dictionary` (EN/中文 names, caveats)
    manifest.json            row count, size and SHA-256 of every file above

The warehouse is opened read-only. Output is deterministic: the same warehouse gives
byte-identical files (sorted rows, no timestamps, fixed XLSX dates).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from gongkai.files import write_atomic, write_text_atomic
from publish import dictionary, table3
from publish.warehouse import mart_keys, mart_table, read_only
from publish.xlsx import Column, Sheet, fits_in_excel, write_workbook

DEFAULT_OUT = Path("warehouse/export")
WORKBOOK = "gongkai.xlsx"
DICTIONARY_SHEET = "data_dictionary"
MANIFEST = "manifest.json"
# Spreadsheets run a cell that starts with one of these as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Fact sheets of the workbook repeat these report columns after report_id.
REPORT_CONTEXT = ("agency", "report_year")


def export_warehouse(
    database: Path, out: Path = DEFAULT_OUT, table3_report: str | None = None
) -> dict[str, Any]:
    """Export every mart of `database` into `out`; return the manifest (also written).

    `table3_report` chooses the report whose table 三 the workbook mirrors (default: the
    latest parsed report on a standard form).
    """
    with read_only(database) as connection:
        keys = mart_keys(connection)
        tables = {mart: mart_table(connection, mart, key) for mart, key in keys.items()}
        entries = dictionary.entries(connection)
        report_id = table3_report or table3.default_report(connection)
        grid = table3.table3_grid(connection, report_id) if report_id else None
    descriptions = {(e.mart, e.column): e for e in entries}
    files: list[dict[str, Any]] = []
    for mart, table in tables.items():
        parquet_path = out / "parquet" / f"{mart}.parquet"
        described = _described(table, mart, descriptions)
        write_atomic(parquet_path, lambda path, table=described: _write_parquet(table, path))
        csv_path = out / "csv" / f"{mart}.csv"
        write_atomic(csv_path, lambda path, table=table: _write_csv(table, path))
        for kind, path in (("parquet", parquet_path), ("csv", csv_path)):
            files.append(_file_entry(out, path, kind, mart, table.num_rows))
    sheets: list[Any] = [
        _sheet(mart, _with_report_context(table, tables["dim_reports"]), descriptions)
        for mart, table in tables.items()
    ]
    if grid is not None:
        sheets.append(grid)
    dictionary_columns = [
        Column(code=name.split(" ", 1)[0], name_zh=name.split(" ", 1)[-1])
        for name in dictionary.HEADER
    ]
    sheets.append(Sheet(DICTIONARY_SHEET, dictionary_columns, [e.as_row() for e in entries]))
    workbook = out / WORKBOOK
    write_atomic(
        workbook, lambda path: write_workbook(sheets, path, "gongkai marts 政务公开年报数据")
    )
    rows = {mart: table.num_rows for mart, table in tables.items()}
    rows[DICTIONARY_SHEET] = len(entries)
    files.append(_file_entry(out, workbook, "xlsx", None, sum(rows.values()), sheets=rows))
    manifest = {
        "database": database.name,
        "marts": {mart: {"key": list(key), "rows": rows[mart]} for mart, key in keys.items()},
        "table3_report": report_id,
        "files": files,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_text_atomic(out / MANIFEST, text)
    return manifest


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def csv_text(value: Any) -> str:
    """How a value is written to CSV: null → empty field (never 0), whole floats without .0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return neutralised(str(value))


def neutralised(text: str) -> str:
    """Text a spreadsheet will not run: a leading = + - @ tab or CR gets a ' before it.

    OWASP's advice for CSV injection. Only text is touched (a negative count is a number and
    stays one); the ' shows in the cell, so the text a person reads is unchanged after it.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _write_parquet(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd", row_group_size=1_000_000)


def _described(table: pa.Table, mart: str, descriptions: dict[tuple[str, str], Any]) -> pa.Table:
    """The table with each column's description and Chinese name in the Parquet schema."""
    fields = []
    for schema_field in table.schema:
        entry = descriptions.get((mart, schema_field.name))
        metadata = (
            {}
            if entry is None
            else {
                "description": " ".join(
                    part for part in (entry.description, entry.caveats) if part
                ),
                "name_zh": entry.name_zh,
            }
        )
        fields.append(schema_field.with_metadata(metadata))
    table_entry = descriptions.get((mart, dictionary.TABLE_ROW_MARKER))
    metadata = {"mart": mart}
    if table_entry is not None:
        metadata["description"] = " ".join(
            part for part in (table_entry.description, table_entry.caveats) if part
        )
        metadata["name_zh"] = table_entry.name_zh
    return pa.Table.from_arrays(table.columns, schema=pa.schema(fields, metadata=metadata))


def _with_report_context(table: pa.Table, reports: pa.Table) -> pa.Table:
    """A fact table with the report's agency and year right after report_id (row order kept)."""
    names = table.column_names
    if "report_id" not in names or any(column in names for column in REPORT_CONTEXT):
        return table
    context = pl.from_arrow(reports.select(["report_id", *REPORT_CONTEXT]))
    joined = pl.from_arrow(table).join(context, on="report_id", how="left", maintain_order="left")
    position = names.index("report_id") + 1
    order = [*names[:position], *REPORT_CONTEXT, *names[position:]]
    return joined.select(order).to_arrow()


def _sheet(mart: str, table: pa.Table, descriptions: dict[tuple[str, str], Any]) -> Sheet:
    columns = []
    for name in table.column_names:
        entry = descriptions.get((mart, name)) or descriptions.get(("dim_reports", name))
        columns.append(Column(name, entry.name_zh if entry else ""))
    note = (
        ""
        if fits_in_excel(table.num_rows)
        else (
            f"{mart}: {table.num_rows} rows do not fit in an Excel sheet (1,048,574 at most); "
            f"use csv/{mart}.csv or parquet/{mart}.parquet. "
            "行数超过 Excel 上限，请使用 CSV 或 Parquet 文件。"
        )
    )
    return Sheet(mart, columns, _rows(table), row_count=table.num_rows, note=note)


def _write_csv(table: pa.Table, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(table.column_names)
        for row in _rows(table):
            writer.writerow([csv_text(value) for value in row])


def _rows(table: pa.Table) -> Iterator[tuple[Any, ...]]:
    for batch in table.to_batches(max_chunksize=10_000):
        columns = [column.to_pylist() for column in batch.columns]
        yield from zip(*columns, strict=True)


def _file_entry(
    out: Path,
    path: Path,
    kind: str,
    mart: str | None,
    rows: int,
    sheets: dict[str, int] | None = None,
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "path": path.relative_to(out).as_posix(),
        "format": kind,
        "rows": rows,
        "bytes": path.stat().st_size,
        "sha256": sha256_of(path),
    }
    if mart is not None:
        entry["mart"] = mart
    if sheets is not None:
        entry["sheets"] = sheets
    return entry
