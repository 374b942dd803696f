"""`gongkai export --sqlite`: the marts as one SQLite file plus Datasette metadata.

Datasette reads SQLite, not DuckDB, so the marts (and the seed dictionaries) are copied into
`gongkai.sqlite`, each with its `*_id` key as primary key, so every report and every finding
has a stable URL (`/gongkai/rpt_reports/<report_id>`, `/gongkai/fct_reconciliation_results/
<finding_id>`). `metadata.json` carries every table and column description with its Chinese
name, the facets people start from (year, province, level, template, rule, outcome) and a
full-text index on agency and title (trigram: any 3 characters of a name; use a column
filter such as `agency__contains=平潭` for shorter ones).
"""

from __future__ import annotations

import datetime
import decimal
import json
import sqlite3
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from gongkai.files import write_atomic, write_text_atomic
from publish import dictionary
from publish.warehouse import fetch_dicts, fetch_table, mart_keys, mart_table, read_only

SQLITE_FILE = "gongkai.sqlite"
METADATA_FILE = "metadata.json"
DATABASE_NAME = "gongkai"
EXTRA_MARTS = ("dim_agencies", "fct_finding_cells")  # served too, when the warehouse has them
FACETS: dict[str, list[str]] = {
    "rpt_reports": ["report_year", "province_name", "agency_level", "template", "status"],
    "dim_reports": ["report_year", "agency_level", "template", "status"],
    "fct_reconciliation_results": ["rule_id", "outcome", "table_code"],
    "rpt_grant_rates": ["applicant_type", "rate_status"],
    "rpt_correction_rates": ["proceeding", "rate_status"],
}
SEARCHABLE: dict[str, tuple[str, ...]] = {
    "rpt_reports": ("agency", "agency_name", "title"),
    "dim_reports": ("agency", "agency_name", "title"),
}
LABEL_COLUMNS = {"rpt_reports": "agency", "dim_reports": "agency"}


def export_sqlite(database: Path, out: Path) -> Path:
    """Write `out/gongkai.sqlite` and `out/metadata.json` from `database`; return the file."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / SQLITE_FILE
    with read_only(database) as connection:
        tables = {
            mart: mart_table(connection, mart, keys) for mart, keys in mart_keys(connection).items()
        }
        present = _tables(connection)
        for extra in EXTRA_MARTS:
            if ("main", extra) in present and extra not in tables:
                tables[extra] = fetch_table(connection, f'select * from main."{extra}"')
        descriptions = _descriptions(connection)
        labels = {(e.mart, e.column): e.name_zh for e in dictionary.entries(connection)}

    def write(temporary: Path) -> None:
        temporary.unlink(missing_ok=True)  # sqlite3 would add to a file left by a killed run
        with sqlite3.connect(temporary) as sqlite:
            for name, table in tables.items():
                _write_table(sqlite, name, table)
            for name, columns in SEARCHABLE.items():
                if name in tables:
                    _full_text_index(
                        sqlite, name, [c for c in columns if c in tables[name].column_names]
                    )
        sqlite.close()

    write_atomic(target, write)
    metadata = _metadata(tables, descriptions, labels)
    text = json.dumps(metadata, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_text_atomic(out / METADATA_FILE, text)
    return target


def _tables(connection: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    rows = fetch_dicts(connection, "select schema_name, table_name from duckdb_tables()")
    return {(row["schema_name"], row["table_name"]) for row in rows}


def _descriptions(connection: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    """(table, column) → description, with (table, '') for the table itself."""
    found: dict[tuple[str, str], str] = {}
    for row in fetch_dicts(
        connection, "select table_name, comment from duckdb_tables() where schema_name = 'main'"
    ):
        found[(row["table_name"], "")] = " ".join((row["comment"] or "").split())
    for row in fetch_dicts(
        connection,
        "select table_name, column_name, comment from duckdb_columns() where schema_name = 'main'",
    ):
        found[(row["table_name"], row["column_name"])] = " ".join((row["comment"] or "").split())
    return found


def _write_table(sqlite: sqlite3.Connection, name: str, table: pa.Table) -> None:
    columns = table.column_names
    key = _primary_key(name, table)
    definitions = [
        f"{_quote(column)} {_sqlite_type(table.schema.field(column).type)}"
        + (" primary key" if column == key else "")
        for column in columns
    ]
    sqlite.execute(f"create table {_quote(name)} ({', '.join(definitions)})")
    placeholders = ", ".join("?" for _ in columns)
    insert = f"insert into {_quote(name)} values ({placeholders})"
    for batch in table.to_batches(max_chunksize=10_000):
        values = [column.to_pylist() for column in batch.columns]
        sqlite.executemany(
            insert, ([_sqlite_value(v) for v in row] for row in zip(*values, strict=True))
        )
    for column in FACETS.get(name, []):
        if column in columns:
            sqlite.execute(
                f"create index {_quote(f'{name}_{column}')} on {_quote(name)} ({_quote(column)})"
            )


def _primary_key(name: str, table: pa.Table) -> str | None:
    """The first column when it is an `*_id` key without nulls or repeats, else none."""
    first = table.column_names[0] if table.num_columns else ""
    if not first.endswith("_id"):
        return None
    values = table.column(first)
    if values.null_count or len(set(values.to_pylist())) != table.num_rows:
        return None
    return first


def _full_text_index(sqlite: sqlite3.Connection, name: str, columns: list[str]) -> None:
    fts = f"{name}_fts"
    listed = ", ".join(_quote(column) for column in columns)
    sqlite.execute(
        f"create virtual table {_quote(fts)} using fts5({listed}, content={_quote(name)},"
        " tokenize='trigram')"
    )
    sqlite.execute(
        f"insert into {_quote(fts)} (rowid, {listed}) select rowid, {listed} from {_quote(name)}"
    )


def _metadata(
    tables: dict[str, pa.Table],
    descriptions: dict[tuple[str, str], str],
    labels: dict[tuple[str, str], str],
) -> dict[str, Any]:
    entries: dict[str, Any] = {}
    for name, table in tables.items():
        table_description = descriptions.get((name, ""), "")
        columns = {}
        for column in table.column_names:
            text = descriptions.get((name, column), "")
            label = labels.get((name, column), "")
            columns[column] = f"{label} — {text}" if label else text
        entry: dict[str, Any] = {
            "title": f"{name} {labels.get((name, dictionary.TABLE_ROW_MARKER), '')}".strip(),
            "description": table_description,
            "columns": columns,
        }
        if name in FACETS:
            entry["facets"] = [c for c in FACETS[name] if c in table.column_names]
        if name in SEARCHABLE:
            entry["fts_table"] = f"{name}_fts"
            entry["fts_pk"] = "rowid"
        if name in LABEL_COLUMNS:
            entry["label_column"] = LABEL_COLUMNS[name]
        entries[name] = entry
    return {
        "title": "gongkai 政府信息公开工作年度报告",
        "description": "Government information-disclosure annual reports as reconciled data: "
        "one row per report in rpt_reports, the facts, and the reconciliation findings.",
        "databases": {DATABASE_NAME: {"tables": entries}},
    }


def _sqlite_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_integer(arrow_type) or pa.types.is_boolean(arrow_type):
        return "integer"
    if pa.types.is_floating(arrow_type) or pa.types.is_decimal(arrow_type):
        return "real"
    return "text"


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False)
    return value


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
