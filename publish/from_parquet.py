"""Publishing after a build on any engine: marts written as Parquet become a DuckDB file.

A build on Spark (or any engine) writes each mart and seed to `<folder>/<name>/*.parquet`
when GONGKAI_MARTS_PARQUET is set (macros/export_marts.sql). This module loads those files
into a fresh DuckDB file laid out like the DuckDB build (marts in `main`, seeds in
`dictionaries`), with dbt's descriptions from the run's manifest.json as table and column
comments, so exports, the HTML report and the data dictionary read it as they read the
DuckDB warehouse.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from gongkai.files import write_atomic

MARTS_SCHEMA = "main"
SEEDS_SCHEMA = "dictionaries"


def warehouse_from_parquet(marts: Path, manifest: Path, database: Path) -> list[str]:
    """Load every mart and seed the manifest names from `marts` into `database`.

    Built beside the target and renamed over it, so readers never see half a file.
    Returns the marts loaded. A mart of the manifest without Parquet files is an error.
    """
    nodes = _published_nodes(json.loads(manifest.read_text(encoding="utf-8")))
    missing = [name for name in nodes if not any((marts / name).glob("*.parquet"))]
    if missing:
        raise FileNotFoundError(f"{marts}: no Parquet files for {', '.join(sorted(missing))}")

    def load(building: Path) -> None:
        connection = duckdb.connect(str(building))
        try:
            connection.execute(f"create schema if not exists {SEEDS_SCHEMA}")
            for name, node in nodes.items():
                _load(connection, marts / name, node)
            connection.execute("checkpoint")
        finally:
            connection.close()

    write_atomic(database, load)
    return sorted(name for name, node in nodes.items() if node["resource_type"] == "model")


def _published_nodes(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Marts (models under models/marts/) and seeds, by name."""
    return {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "seed"
        or (node["resource_type"] == "model" and node["fqn"][1] == "marts")
    }


def _load(connection: duckdb.DuckDBPyConnection, folder: Path, node: dict[str, Any]) -> None:
    schema = MARTS_SCHEMA if node["resource_type"] == "model" else SEEDS_SCHEMA
    table = f"{schema}.{_quote(node['name'])}"
    files = _literal(f"{folder.as_posix()}/*.parquet")
    connection.execute(
        f"create table {table} as select * from read_parquet({files}, union_by_name = true)"
    )
    if node.get("description"):
        connection.execute(f"comment on table {table} is {_literal(node['description'])}")
    present = {row[0] for row in connection.execute(f"describe {table}").fetchall()}
    for column in node.get("columns", {}).values():
        if column["name"] in present and column.get("description"):
            connection.execute(
                f"comment on column {table}.{_quote(column['name'])}"
                f" is {_literal(column['description'])}"
            )


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
