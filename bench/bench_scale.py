"""The warehouse at national scale, one command: full build, analyst queries, incremental build.

1. The base lake (bench/out/lake/base-n10000: the 10,000-document generated corpus,
   ingested) is generated and ingested if missing; then copied to `--copies` copies under
   new report ids (bench/generate_lake.py; 100 copies ≈ 1M reports, 190M cells), kept in
   bench/out/lake/copies-N for the next run.
2. `dbt build` into a fresh DuckDB file (target: < 180 s, peak memory < 16 GiB).
3. The analyst queries of bench_warehouse.QUERIES (target: < 1 s each).
4. A changed lake (a hard-linked copy, bench/out/lake/copies-N-changed): `--add` new reports
   (one more copy of the first base reports), `--remove` reports deleted and `--change`
   reports given a new source path and parser version (the first in path order), each
   written as the ingest writes shards (only the shards whose paths change); then `dbt build`
   on a copy of the built file, incrementally (target: < 30 s).
   With `--verify`, a fresh build of the changed lake is compared with the incremental one,
   mart by mart (EXCEPT ALL both ways). The changed lake is removed afterwards.

Every figure is printed with its ratio to the target and the load averages around it.

    uv run python -m bench.bench_scale                      # 1M reports
    uv run python -m bench.bench_scale --copies 10 --verify # 100k reports, and compare
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

import duckdb

from bench.bench_ingest import OUT, corpus, ingest
from bench.bench_warehouse import slowest_nodes, time_queries
from bench.compare_builds import mart_differences
from bench.generate_lake import BASE, added_cells_table, extend, generate
from bench.measure import Measurement, load_average, run_measured
from ingest.lake.parquet import CELLS_DIR, DOCUMENTS_DIR
from ingest.schema import CELLS_SCHEMA, DOCUMENTS_SCHEMA

ROOT = Path(__file__).resolve().parent.parent
BUILD_TARGET_S = 180.0
MEMORY_TARGET_GIB = 16.0
INCREMENTAL_TARGET_S = 30.0
QUERY_TARGET_S = 1.0


def base_lake(seed: int = 7) -> Path:
    if not (BASE / DOCUMENTS_DIR).exists():
        run = ingest(corpus(10_000, seed), BASE)
        print(f"  base lake ingested in {run.wall_s:.1f} s -> {BASE}")
    return BASE


def copied_lake(copies: int) -> Path:
    lake = OUT / "lake" / f"copies-{copies}"
    marker = lake / ".complete"
    if not marker.exists():
        shutil.rmtree(lake, ignore_errors=True)
        started, load = time.perf_counter(), load_average()
        cells, _, _ = generate(base_lake(), lake, copies)
        marker.write_text(str(cells))
        print(
            f"generated: {copies} copies, {cells:,} cells in "
            f"{time.perf_counter() - started:.0f} s (load {load} -> {load_average()}) -> {lake}"
        )
    return lake


def dbt_build(lake: Path, database: Path, name: str) -> tuple[Measurement, Path]:
    target = OUT / "dbt" / f"target-{name}"
    shutil.rmtree(target, ignore_errors=True)
    env = os.environ | {
        "GONGKAI_LAKE": str(lake.resolve()),
        "GONGKAI_DB": str(database.resolve()),
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(OUT / "dbt" / f"logs-{name}"),
        "GONGKAI_DUCKDB_TEMP": str(OUT / "dbt" / f"tmp-{name}"),
    }
    measurement = run_measured(["uv", "run", "--frozen", "dbt", "build"], cwd=ROOT, env=env)
    return measurement, target


def fresh(database: Path) -> Path:
    for leftover in (database, database.with_name(database.name + ".wal")):
        leftover.unlink(missing_ok=True)
    database.parent.mkdir(parents=True, exist_ok=True)
    return database


def report_build(label: str, run: Measurement, target: Path, target_s: float) -> dict:
    nodes, by_type, bad = slowest_nodes(target, top=8)
    summary = [line for line in run.stdout.splitlines() if "PASS=" in line]
    peak_gib = run.peak_tree_rss_mib / 1024
    print(
        f"{label}: {run.wall_s:.1f} s wall (target {target_s:.0f} s: ratio "
        f"{run.wall_s / target_s:.2f}), cpu {run.cpu_s:.1f} s, peak tree RSS {peak_gib:.1f} GiB "
        f"(target {MEMORY_TARGET_GIB:.0f}: ratio {peak_gib / MEMORY_TARGET_GIB:.2f}), exit "
        f"{run.returncode}, load {run.load_before} -> {run.load_after}"
    )
    print("  " + (summary[-1].strip() if summary else run.stdout[-400:]))
    print("  seconds by node type: " + ", ".join(f"{k} {v:.1f}" for k, v in by_type.items()))
    print("\n".join(nodes))
    if bad:
        print("  not success/pass:\n" + "\n".join(bad[:10]))
    return {
        "wall_s": run.wall_s,
        "cpu_s": run.cpu_s,
        "peak_gib": peak_gib,
        "returncode": run.returncode,
        "load": [run.load_before, run.load_after],
        "nodes": nodes,
    }


def change_lake(lake: Path, copies: int, add: int, remove: int, change: int) -> Path:
    """A changed copy of the lake (hard links: shards are replaced, never written in place):
    `remove` reports deleted and `change` reports moved (a new source path and parser
    version), the first in path order, and `add` new reports (one more copy of the
    first base reports), each written as an ingest writes it: only the shards whose paths
    change are rewritten."""
    changed_lake = lake.with_name(lake.name + "-changed")
    shutil.rmtree(changed_lake, ignore_errors=True)
    shutil.copytree(lake, changed_lake, copy_function=os.link)
    (changed_lake / ".complete").unlink(missing_ok=True)
    with duckdb.connect() as connection:
        # The first reports in path order, as if a folder were deleted and another moved.
        connection.execute(
            f"""
            create table picked as
            select report_id, row_number() over (order by first_path) <= {int(remove)} as removed
            from (
                select report_id, min(source_path) as first_path
                from read_parquet('{changed_lake / DOCUMENTS_DIR}/part-*.parquet')
                group by report_id
                order by first_path
                limit {int(remove + change)}
            )
            """
        )
        moved = {
            "source_path": "'moved/' || source_path as source_path",
            "parser_version": "parser_version || '+bench' as parser_version",
        }
        for kind, schema in ((DOCUMENTS_DIR, DOCUMENTS_SCHEMA), (CELLS_DIR, CELLS_SCHEMA)):
            columns = ", ".join(moved.get(name, name) for name in schema.names)
            connection.execute(
                f"""
                create table added_{kind} as
                select {columns}
                from read_parquet('{changed_lake / kind}/part-*.parquet')
                where report_id in (select report_id from picked where not removed)
                """
            )
        dropped = [
            path
            for (path,) in connection.execute(
                f"""
                select source_path from read_parquet('{changed_lake / DOCUMENTS_DIR}/*.parquet')
                where report_id in (select report_id from picked)
                """
            ).fetchall()
        ]
        _, written, gone = extend(connection, changed_lake, added_cells_table, dropped)
    print(f"  {remove} reports removed, {change} moved: {written} shards written, {gone} removed")
    _, written, gone = generate(base_lake(), changed_lake, 1, first=copies, reports=add)
    print(f"  {add} reports added: {written} shards written, {gone} removed")
    return changed_lake


def compare(incremental: Path, fresh_db: Path) -> dict[str, tuple[int, int]]:
    return mart_differences(incremental, fresh_db)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--copies", type=int, default=100, help="copies of the 10k base lake")
    parser.add_argument("--add", type=int, default=1000)
    parser.add_argument("--remove", type=int, default=100)
    parser.add_argument("--change", type=int, default=100)
    parser.add_argument("--verify", action="store_true", help="compare with a fresh build")
    parser.add_argument(
        "--skip-full", action="store_true", help="reuse the last full build's file (no full build)"
    )
    arguments = parser.parse_args(argv)
    print(f"load average at start: {load_average()}")
    lake = copied_lake(arguments.copies)
    with duckdb.connect() as connection:
        reports, cells = connection.execute(
            f"select count(distinct report_id), sum(cells_total) from "
            f"read_parquet('{lake}/{DOCUMENTS_DIR}/*.parquet')"
        ).fetchone()
    print(f"lake: {reports:,} reports, {cells:,} cells ({lake})")
    database = OUT / "warehouse" / f"copies-{arguments.copies}.duckdb"
    results: dict = {"copies": arguments.copies, "reports": reports, "cells": cells}
    if not arguments.skip_full:
        run, target = dbt_build(lake, fresh(database), f"copies-{arguments.copies}-full")
        results["full"] = report_build("full dbt build", run, target, BUILD_TARGET_S)
    load = load_average()
    queries = time_queries(database)
    print(f"queries (first / best of 3, target {QUERY_TARGET_S:.0f} s), load {load}:")
    for name, first, best, rows, _ in queries:
        print(
            f"  {name:40} {first:6.3f} s / {best:6.3f} s (ratio {first / QUERY_TARGET_S:.2f}), "
            f"{rows} rows"
        )
    results["queries"] = queries

    working = database.with_name(f"copies-{arguments.copies}-incremental.duckdb")
    shutil.copyfile(database, fresh(working))
    changed_lake = change_lake(
        lake, arguments.copies, arguments.add, arguments.remove, arguments.change
    )
    try:
        run, target = dbt_build(changed_lake, working, f"copies-{arguments.copies}-incremental")
        results["incremental"] = report_build(
            "incremental dbt build", run, target, INCREMENTAL_TARGET_S
        )
        with duckdb.connect(str(working), read_only=True) as connection:
            rebuilt = connection.execute(
                "select count(*) from intermediate.int_reports_changed"
            ).fetchone()[0]
        print(f"  reports rebuilt: {rebuilt}")
        if arguments.verify:
            check = database.with_name(f"copies-{arguments.copies}-check.duckdb")
            run, target = dbt_build(changed_lake, fresh(check), f"copies-{arguments.copies}-check")
            differences = compare(working, check)
            print(
                f"verify: fresh build {run.wall_s:.1f} s; marts differing from it: "
                f"{differences or 'none'}"
            )
            results["differences"] = differences
    finally:
        shutil.rmtree(changed_lake, ignore_errors=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (OUT / f"scale-{stamp}.json").write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
