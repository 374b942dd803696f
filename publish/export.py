"""`gongkai export`: every mart to Parquet, CSV (UTF-8 with BOM) and one XLSX workbook.

Output folder layout:

    parquet/<mart>.parquet   one file per mart, rows sorted by the mart's key
    csv/<mart>.csv           the same rows, UTF-8 with BOM (Excel on Chinese Windows reads it)
    gongkai.xlsx             a sheet per mart plus `data_dictionary` (EN/中文 names, caveats)
    manifest.json            row count, size and SHA-256 of every file above

The warehouse is opened read-only. Output is deterministic: the same warehouse gives
byte-identical files (sorted rows, no timestamps, fixed XLSX dates).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from publish import dictionary
from publish.warehouse import MART_KEYS, MARTS, mart_table, read_only
from publish.xlsx import Sheet, write_workbook

DEFAULT_OUT = Path("warehouse/export")
WORKBOOK = "gongkai.xlsx"
DICTIONARY_SHEET = "data_dictionary"
MANIFEST = "manifest.json"


def export_warehouse(database: Path, out: Path = DEFAULT_OUT) -> dict[str, Any]:
    """Export every mart of `database` into `out`; return the manifest (also written)."""
    with read_only(database) as connection:
        tables = {mart: mart_table(connection, mart) for mart in MARTS}
        entries = dictionary.entries(connection)
    files: list[dict[str, Any]] = []
    for mart, table in tables.items():
        parquet_path = out / "parquet" / f"{mart}.parquet"
        _atomic(parquet_path, lambda path, table=table: _write_parquet(table, path))
        csv_path = out / "csv" / f"{mart}.csv"
        _atomic(csv_path, lambda path, table=table: _write_csv(table, path))
        for kind, path in (("parquet", parquet_path), ("csv", csv_path)):
            files.append(_file_entry(out, path, kind, mart, table.num_rows))
    sheets = [Sheet(mart, table.column_names, _rows(table)) for mart, table in tables.items()]
    sheets.append(Sheet(DICTIONARY_SHEET, dictionary.HEADER, [e.as_row() for e in entries]))
    workbook = out / WORKBOOK
    _atomic(workbook, lambda path: write_workbook(sheets, path, "gongkai marts 政务公开年报数据"))
    rows = {mart: table.num_rows for mart, table in tables.items()}
    rows[DICTIONARY_SHEET] = len(entries)
    files.append(_file_entry(out, workbook, "xlsx", None, sum(rows.values()), sheets=rows))
    manifest = {
        "database": database.name,
        "marts": {mart: {"key": list(MART_KEYS[mart]), "rows": rows[mart]} for mart in MARTS},
        "files": files,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    _atomic(out / MANIFEST, lambda path: path.write_text(text, encoding="utf-8"))
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
    return str(value)


def _write_parquet(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd", row_group_size=1_000_000)


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


def _atomic(path: Path, write: Any) -> None:
    """Call `write(temporary_path)`, then rename over `path`: no half-written export file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
