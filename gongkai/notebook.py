"""Notebook access: `gongkai.read("fct_applications")` gives a mart as a polars DataFrame.

The warehouse is opened read-only for the one query and closed again, so a notebook never
holds a lock that blocks a rebuild. `gongkai.describe(name)` gives the columns with their
Chinese names and descriptions (the ones dbt documents), `gongkai.marts()` what there is.
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from publish.dictionary import entries
from publish.warehouse import fetch_dicts, fetch_table, mart_keys, read_only

DEFAULT_DB = Path("warehouse/gongkai.duckdb")
SCHEMAS = ("main", "dictionaries")  # marts, then the seed dictionaries


def warehouse_path(database: str | Path | None = None) -> Path:
    """The served warehouse: `database`, else $GONGKAI_DB, else warehouse/gongkai.duckdb."""
    return Path(database or os.environ.get("GONGKAI_DB") or DEFAULT_DB)


def read(name: str, database: str | Path | None = None) -> pl.DataFrame:
    """All rows of the mart (or dictionary) `name`, ordered by its key when it has one."""
    path = warehouse_path(database)
    with read_only(path) as connection:
        schema = _schema_of(connection, name, path)
        order = ", ".join(_quote(key) for key in mart_keys(connection).get(name, ()))
        sql = f"select * from {schema}.{_quote(name)}" + (f" order by {order}" if order else "")
        return pl.from_arrow(fetch_table(connection, sql))


def describe(name: str, database: str | Path | None = None) -> pl.DataFrame:
    """The columns of `name`: column, name_zh (中文名), data_type, description."""
    path = warehouse_path(database)
    with read_only(path) as connection:
        schema = _schema_of(connection, name, path)
        labels = {(e.mart, e.column): e.name_zh for e in entries(connection)}
        rows = fetch_dicts(
            connection,
            """
            select column_name as column, data_type, coalesce(comment, '') as description
            from duckdb_columns() where schema_name = ? and table_name = ?
            order by column_index
        """,
            [schema, name],
        )
    return pl.DataFrame(
        [
            {
                "column": r["column"],
                "name_zh": labels.get((name, r["column"]), ""),
                "data_type": r["data_type"],
                "description": " ".join(r["description"].split()),
            }
            for r in rows
        ],
        schema={
            "column": pl.String,
            "name_zh": pl.String,
            "data_type": pl.String,
            "description": pl.String,
        },
    )


def marts(database: str | Path | None = None) -> pl.DataFrame:
    """Every mart of the warehouse with its description (grain first)."""
    path = warehouse_path(database)
    with read_only(path) as connection:
        rows = fetch_dicts(
            connection,
            """
            select table_name as mart, coalesce(comment, '') as description
            from duckdb_tables() where schema_name = 'main' order by table_name
        """,
        )
    return pl.DataFrame(
        [{"mart": r["mart"], "description": " ".join(r["description"].split())} for r in rows],
        schema={"mart": pl.String, "description": pl.String},
    )


def _schema_of(connection, name: str, path: Path) -> str:
    rows = fetch_dicts(
        connection,
        """
        select schema_name, table_name from duckdb_tables()
        where schema_name in ('main', 'dictionaries')
    """,
    )
    found = {row["table_name"]: row["schema_name"] for row in rows}
    if name not in found:
        known = ", ".join(sorted(t for t, s in found.items() if s == "main"))
        raise ValueError(f"{name!r} is not a mart of {path}; the marts are: {known}")
    return found[name]


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
