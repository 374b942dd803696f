"""The served warehouse works when copied elsewhere: no relation in it refers to the build
machine's lake path or to the catalog name dbt built it under (issue: staging views over the
lake belong to the build, not to the served file)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
from conftest import Built

CLI = Path(sys.executable).with_name("duckdb")  # the duckdb-cli package of the dev group


def _relations(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return connection.execute("""
        select schema_name, table_name, coalesce(sql, '') from duckdb_tables()
        where not internal
        union all
        select schema_name, view_name, coalesce(sql, '') from duckdb_views()
        where not internal
        order by 1, 2
    """).fetchall()


def test_served_file_has_only_tables_naming_no_build_path(built: Built) -> None:
    with duckdb.connect(str(built.database), read_only=True) as connection:
        relations = _relations(connection)
        views = connection.execute(
            "select view_name from duckdb_views() where not internal"
        ).fetchall()
        schemas = {
            name
            for (name,) in connection.execute(
                "select schema_name from duckdb_schemas() where not internal"
            ).fetchall()
        }
    assert views == []
    assert {"staging", "intermediate"}.isdisjoint(schemas)
    assert "dictionaries" in schemas
    lake = str(built.database.parent / "lake")
    for schema, name, sql in relations:
        assert lake not in sql and "read_parquet" not in sql, (schema, name)
        assert "gongkai." not in sql, (schema, name)


def test_a_copy_elsewhere_answers_every_relation(built: Built, tmp_path: Path) -> None:
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    copy = elsewhere / "copied_warehouse.duckdb"
    shutil.copyfile(built.database, copy)
    with duckdb.connect(str(copy), read_only=True) as connection:
        relations = _relations(connection)
        assert len(relations) >= 10
        counts = {
            f"{schema}.{name}": connection.execute(
                f'select count(*) from "{schema}"."{name}"'
            ).fetchone()[0]
            for schema, name, _ in relations
        }
    assert counts["main.dim_reports"] == 11
    # The DuckDB 1.5 command-line client, run from another directory, reads every relation.
    script = "\n".join(
        f'select count(*) from "{r.split(".")[0]}"."{r.split(".")[1]}";' for r in counts
    )
    result = subprocess.run(
        [str(CLI), "-readonly", "-csv", "-noheader", copy.name, "-c", script],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert [int(line) for line in result.stdout.split()] == list(counts.values())
