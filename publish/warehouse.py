"""Read-only access to the warehouse marts, each sorted by its natural key."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

# The data dictionary mart: built by dbt from the marts' YAML (meta.grain, meta.exported,
# meta.export_order), it says which marts there are, in which order, and the columns that
# identify a row of each.
DICTIONARY_MART = "dim_data_dictionary"


@contextmanager
def read_only(database: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection: it never blocks a rebuild for long."""
    if not database.exists():
        raise FileNotFoundError(f"{database}: no warehouse here; run `gongkai build` first")
    connection = duckdb.connect(str(database), read_only=True)
    try:
        yield connection
    finally:
        connection.close()


def fetch_table(
    connection: duckdb.DuckDBPyConnection, sql: str, parameters: list | None = None
) -> pa.Table:
    """Run `sql` and return the whole result as an Arrow table."""
    result = connection.execute(sql, parameters or []).arrow()
    return result.read_all() if isinstance(result, pa.RecordBatchReader) else result


def fetch_dicts(
    connection: duckdb.DuckDBPyConnection, sql: str, parameters: list | None = None
) -> list[dict[str, Any]]:
    """Run `sql` and return its rows as dictionaries keyed by column name."""
    cursor = connection.execute(sql, parameters or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def mart_keys(connection: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, ...]]:
    """Every exported mart, in export order, with the columns of its grain in key order."""
    rows = fetch_dicts(
        connection,
        f"""
        select mart_name, column_name, key_position
        from main.{DICTIONARY_MART}
        where is_exported
        order by export_order, mart_name, key_position nulls first
        """,
    )
    keys: dict[str, list[str]] = {}
    for row in rows:
        names = keys.setdefault(row["mart_name"], [])
        if row["key_position"] is not None:
            names.append(row["column_name"])
    missing = [mart for mart, names in keys.items() if not names]
    if missing:
        raise ValueError(f"marts without a grain (meta.grain in the YAML): {', '.join(missing)}")
    return {mart: tuple(names) for mart, names in keys.items()}


def mart_table(connection: duckdb.DuckDBPyConnection, mart: str, keys: tuple[str, ...]) -> pa.Table:
    """All rows of `mart`, ordered by its key columns (unique: dbt tests it)."""
    order = ", ".join(_quote(key) for key in keys)
    return fetch_table(connection, f"select * from main.{_quote(mart)} order by {order}")


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
