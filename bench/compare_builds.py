"""Two DuckDB builds compared mart by mart, EXCEPT ALL both ways (a test and bench_scale)."""

from __future__ import annotations

from pathlib import Path

import duckdb


def mart_tables(connection: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    return [
        name
        for (name,) in connection.execute(
            "select table_name from duckdb_tables() "
            "where database_name = ? and schema_name = 'main' order by table_name",
            [catalog],
        ).fetchall()
    ]


def mart_differences(incremental: Path, fresh: Path) -> dict[str, tuple[int, int]]:
    """Per mart: (rows only in the incremental build, rows only in the fresh one)."""
    connection = duckdb.connect()
    try:
        connection.execute(f"attach '{incremental}' as incremental (read_only)")
        connection.execute(f"attach '{fresh}' as fresh (read_only)")
        marts = mart_tables(connection, "fresh")
        assert marts, "the fresh build has no marts"
        assert mart_tables(connection, "incremental") == marts
        differences = {}
        for mart in marts:
            counts = [
                connection.execute(
                    f"select count(*) from (select * from {a}.main.{mart} "
                    f"except all select * from {b}.main.{mart})"
                ).fetchone()[0]
                for a, b in (("incremental", "fresh"), ("fresh", "incremental"))
            ]
            if any(counts):
                differences[mart] = (counts[0], counts[1])
        return differences
    finally:
        connection.close()
