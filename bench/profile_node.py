"""One dbt node alone: its compiled SQL run into a temporary table of a built warehouse, with
the profile's DuckDB settings, and the operators that took longest (DuckDB's JSON profile).

For finding why a build is slow or runs out of memory: build once (bench_scale,
bench_warehouse), then run a node's compiled SQL (target/compiled/gongkai/models/...) under
`/usr/bin/time -v` to see its own time and peak memory. Nothing in the warehouse changes.

    /usr/bin/time -v uv run python -m bench.profile_node bench/out/warehouse/copies-10.duckdb \\
        bench/out/dbt/target-copies-10-full/compiled/gongkai/models/intermediate/X.sql
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import duckdb


def operators(node: dict, depth: int = 0) -> list[tuple[float, int, str, str]]:
    """(seconds, rows, operator, details) of every operator in a JSON profile tree."""
    extra = node.get("extra_info") or {}
    found = [
        (
            float(node.get("operator_timing") or 0.0),
            int(node.get("operator_cardinality") or 0),
            str(node.get("operator_type") or node.get("name") or ""),
            json.dumps(extra, ensure_ascii=False)[:160],
        )
    ]
    for child in node.get("children", []):
        found += operators(child, depth + 1)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("database", type=Path)
    parser.add_argument("sql", type=Path, help="a compiled model (select ...)")
    parser.add_argument("--memory", default="6GB", help="DuckDB memory_limit (the profile's)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--top", type=int, default=12)
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as spill:
        connection = duckdb.connect(
            str(arguments.database),
            config={
                "memory_limit": arguments.memory,
                "threads": arguments.threads,
                "temp_directory": spill,
                "preserve_insertion_order": False,
            },
        )
        profile = Path(spill) / "profile.json"
        connection.execute("pragma enable_profiling = 'json'")
        connection.execute(f"pragma profiling_output = '{profile}'")
        started = time.perf_counter()
        connection.execute("create temp table node_rows as " + arguments.sql.read_text())
        elapsed = time.perf_counter() - started
        connection.execute("pragma disable_profiling")
        rows = connection.execute("select count(*) from node_rows").fetchone()[0]
        found = operators(json.loads(profile.read_text()))
        connection.close()
    print(f"{arguments.sql.name}: {rows:,} rows in {elapsed:.1f} s")
    for seconds, cardinality, name, details in sorted(found, key=lambda o: -o[0])[: arguments.top]:
        print(f"  {seconds:7.2f} s {cardinality:>12,} {name} {details}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
