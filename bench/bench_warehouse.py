"""Benchmark the warehouse: `dbt build` over a large lake, then a few analyst queries.

For each size: reuse the generated corpus (bench/out/corpus/), ingest it into a lake under
bench/out/lake/ (incremental when the lake is already there), then run `uv run dbt build`
from the repository root into a fresh DuckDB file with GONGKAI_LAKE / GONGKAI_DB pointing
at them. dbt's target/ and logs/ go under bench/out/ so the repository's own are untouched.
Prints wall time, peak memory, the DuckDB file size, the slowest dbt nodes and query times.
Target (from the issue): 100k reports (~20M cells) built in under 60 s; queries under 1 s.

    uv run python -m bench.bench_warehouse --sizes 10000,100000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

from bench.bench_ingest import OUT, corpus, ingest, summary_counts
from bench.measure import MEMORY_NOTE, Measurement, load_average, run_measured

ROOT = Path(__file__).resolve().parent.parent

# Analyst queries: name -> SQL against the marts (schema `main`). Edit freely; names and
# columns follow models/marts/*.sql and _marts__models.yml.
QUERIES: dict[str, str] = {
    "applications received per report_year": """
        select reports.report_year,
               count(distinct applications.report_id) as reports,
               sum(applications.new_received) as received
        from fct_applications as applications
        inner join dim_reports as reports on applications.report_id = reports.report_id
        where applications.applicant_type = 'total'
        group by 1 order by 1
    """,
    "grant rate by report": """
        select report_id,
               sum(application_count) filter (where outcome_code = 'granted')
                   / nullif(sum(application_count), 0) as grant_rate,
               sum(application_count) filter (
                   where outcome_code in ('granted', 'partially_granted')
               ) / nullif(sum(application_count), 0) as grant_or_partial_rate
        from fct_application_outcomes
        where applicant_type = 'total'
        group by 1
    """,
    "reports failing R01": """
        select distinct report_id
        from fct_reconciliation_results
        where rule_id = 'R01' and outcome = 'fail'
    """,
    "review/litigation correction rate": """
        select proceeding,
               sum(case_count) filter (where result = 'corrected') as corrected,
               sum(case_count) filter (where result = 'total') as total,
               sum(case_count) filter (where result = 'corrected')
                   / nullif(sum(case_count) filter (where result = 'total'), 0) as correction_rate
        from fct_reviews_litigation
        group by 1 order by 1
    """,
}
QUERY_REPEATS = 3


def dbt_build(lake: Path, database: Path, size: int) -> tuple[Measurement, Path]:
    """`uv run dbt build` into a fresh `database`; returns the measurement and the target dir."""
    for leftover in (database, database.with_name(database.name + ".wal")):
        leftover.unlink(missing_ok=True)
    database.parent.mkdir(parents=True, exist_ok=True)
    target = OUT / "dbt" / f"target-n{size}"
    shutil.rmtree(target, ignore_errors=True)
    env = os.environ | {
        "GONGKAI_LAKE": str(lake.resolve()),
        "GONGKAI_DB": str(database.resolve()),
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(OUT / "dbt" / f"logs-n{size}"),
    }
    measurement = run_measured(["uv", "run", "dbt", "build"], cwd=ROOT, env=env)
    return measurement, target


def slowest_nodes(target: Path, top: int = 12) -> tuple[list[str], dict[str, float], list[str]]:
    """(the slowest nodes, seconds per resource type, nodes that did not succeed)."""
    path = target / "run_results.json"
    if not path.exists():
        return [f"  (no {path})"], {}, []
    results = json.loads(path.read_text())["results"]
    by_type: dict[str, float] = {}
    for result in results:
        kind = result["unique_id"].split(".")[0]
        by_type[kind] = by_type.get(kind, 0.0) + result["execution_time"]
    ordered = sorted(results, key=lambda r: -r["execution_time"])[:top]
    lines = [
        f"  {r['execution_time']:7.2f} s  {r['status']:7} {r['unique_id'].split('.', 2)[-1]}"
        for r in ordered
    ]
    bad = [
        f"  {r['status']:7} {r['unique_id']}: {(r.get('message') or '')[:200]}"
        for r in results
        if r["status"] not in ("success", "pass")
    ]
    return lines, by_type, bad


def time_queries(database: Path) -> list[tuple[str, float, float, int, str]]:
    """(name, first run s, best of the repeats s, rows, first row or error) per query."""
    import duckdb

    timings = []
    with duckdb.connect(str(database), read_only=True) as connection:
        for name, sql in QUERIES.items():
            runs, rows, preview = [], [], ""
            try:
                for _ in range(QUERY_REPEATS):
                    started = time.perf_counter()
                    rows = connection.execute(sql).fetchall()
                    runs.append(time.perf_counter() - started)
                preview = str(rows[:3])[:150]
            except duckdb.Error as error:
                runs, preview = [float("nan")], f"ERROR {type(error).__name__}: {error}"[:200]
            timings.append((name, runs[0], min(runs), len(rows), preview))
    return timings


def table_sizes(database: Path) -> list[tuple[str, int]]:
    import duckdb

    with duckdb.connect(str(database), read_only=True) as connection:
        tables = connection.execute(
            "select table_name, estimated_size from duckdb_tables() "
            "where schema_name = 'main' order by table_name"
        ).fetchall()
    return [(name, int(rows)) for name, rows in tables]


def bench_size(size: int, seed: int, workers: int) -> dict:
    folder = corpus(size, seed)
    lake = OUT / "lake" / f"warehouse-n{size}"
    fresh_lake = not (lake / "documents").exists()
    ingest_run = ingest(folder, lake, workers)
    counts = summary_counts(ingest_run.stderr)
    print(
        f"  ingest ({'fresh' if fresh_lake else 'incremental'} lake): {ingest_run.wall_s:.1f} s, "
        f"{counts['documents']} documents, {counts['cells']} cells, tree RSS "
        f"{ingest_run.peak_tree_rss_mib:.0f} MiB, load {ingest_run.load_before} -> "
        f"{ingest_run.load_after}",
        flush=True,
    )
    database = OUT / "warehouse" / f"n{size}.duckdb"
    build, target = dbt_build(lake, database, size)
    db_bytes = database.stat().st_size if database.exists() else 0
    nodes, by_type, bad = slowest_nodes(target)
    print(
        f"  dbt build: exit {build.returncode}, {build.wall_s:.1f} s wall, "
        f"cpu {build.cpu_s:.1f} s, "
        f"tree RSS {build.peak_tree_rss_mib:.0f} MiB / PSS {build.peak_tree_pss_mib:.0f} MiB / "
        f"max1 {build.maxrss_single_mib:.0f} MiB, DuckDB file {db_bytes / 2**20:.0f} MiB, "
        f"load {build.load_before} -> {build.load_after}"
    )
    summary_line = [line for line in build.stdout.splitlines() if "PASS=" in line]
    print("  " + (summary_line[-1].strip() if summary_line else build.stdout[-500:]))
    print("  seconds by node type: " + ", ".join(f"{k} {v:.1f}" for k, v in by_type.items()))
    print("  slowest nodes:")
    print("\n".join(nodes))
    if bad:
        print("  nodes not success/pass:")
        print("\n".join(bad[:20]))
    queries = []
    if database.exists():
        load_before = load_average()
        queries = time_queries(database)
        print(
            f"  queries (first / best of {QUERY_REPEATS}), load {load_before} -> {load_average()}:"
        )
        for name, first, best, rows, preview in queries:
            print(f"    {name:40} {first:7.3f} s {best:7.3f} s {rows:>7} rows  {preview}")
        print("  mart rows: " + ", ".join(f"{n} {r}" for n, r in table_sizes(database)))
    return {
        "size": size,
        "ingest": ingest_run.__dict__ | {"stdout": "", "stderr": ingest_run.stderr[-1000:]},
        "ingest_counts": counts,
        "build": build.__dict__ | {"stdout": build.stdout[-3000:], "stderr": build.stderr[-2000:]},
        "db_bytes": db_bytes,
        "seconds_by_type": by_type,
        "slowest_nodes": nodes,
        "not_success": bad,
        "queries": queries,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated corpus sizes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args(argv)
    print(f"load average at start: {load_average()}\n{MEMORY_NOTE}")
    results = []
    for size in (int(s.replace("_", "")) for s in arguments.sizes.split(",") if s):
        print(f"size {size}:", flush=True)
        results.append(bench_size(size, arguments.seed, arguments.workers))
    print("\nsize      cells   dbt s  treeRSS   max1     db  slowest query")
    for r in results:
        slowest = max((q[2] for q in r["queries"]), default=float("nan"))
        print(
            f"{r['size']:<7} {r['ingest_counts']['cells']:>9} {r['build']['wall_s']:>6.1f} "
            f"{r['build']['peak_tree_rss_mib']:>7.0f}M {r['build']['maxrss_single_mib']:>5.0f}M "
            f"{r['db_bytes'] / 2**20:>5.0f}M {slowest:>7.3f} s"
        )
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (OUT / f"warehouse-{stamp}.json").write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
