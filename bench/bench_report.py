"""Benchmark the static HTML report: a full render of a large warehouse, then an incremental one.

Prepares (once, cached under bench/out/) two warehouses over the generated corpus:
  * n: documents 0..n-1 of `bench.generate` (seed 7), ingested into a lake, `dbt build`;
  * n + k: the same lake with documents n..n+k-1 added (a copy, then an incremental ingest),
    `dbt build` again.
With `--database FILE` that file is used as warehouse n (e.g. the 100k warehouse of
`bench_scale.py --copies 10`, bench/out/warehouse/copies-10.duckdb), as with --by-deletion.
With `--by-deletion` only warehouse n is built, and the first render is of a copy of it with
k reports deleted from the marts the report reads: quicker to prepare, and the second render
sees k reports added all the same.
Then times, each in a fresh process (`python -m gongkai report --database … --out …`):
  1. full: the report of warehouse n into an empty folder;
  2. incremental: the report of warehouse n + k into the same folder (k reports added, and
     the lists and summaries that change with them);
  3. unchanged: the same again (nothing to write).
Prints wall and CPU time, the ratio to the target (full under 120 s, incremental under 10 s),
pages written / unchanged / deleted, the folder's size, peak memory and the load averages.

    uv run python -m bench.bench_report --size 100000 --added 1000
    uv run python -m bench.bench_report --database bench/out/warehouse/copies-10.duckdb
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from bench.bench_ingest import OUT, corpus, ingest, summary_counts
from bench.bench_warehouse import dbt_build
from bench.generate import MANIFEST, _write_range
from bench.measure import MEMORY_NOTE, Measurement, load_average, run_measured

ROOT = Path(__file__).resolve().parent.parent
TARGET_FULL_S = 120.0
TARGET_INCREMENTAL_S = 10.0
READY = ".ready"  # hidden marker: the warehouse was fully built


def added_corpus(start: int, count: int, seed: int) -> Path:
    """Documents start..start+count-1 of the generated corpus, in a folder of their own."""
    folder = OUT / "corpus" / f"added-{start}-{count}-seed{seed}"
    marker = folder / READY
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    lines = _write_range((folder, seed, start, start + count))
    (folder / MANIFEST).write_text("".join(lines), encoding="utf-8")
    marker.write_text("")
    return folder


def warehouse_only(size: int, seed: int, workers: int) -> Path:
    """The DuckDB file of `size` reports (built on first use)."""
    lake = OUT / "lake" / f"report-n{size}"
    database = OUT / "warehouse" / f"report-n{size}.duckdb"
    marker = database.with_name(database.name + READY)
    if not (marker.exists() and database.exists()):
        if not (lake / "documents").exists():
            ingest(corpus(size, seed), lake, workers)
        dbt_build(lake, database, size)
        marker.write_text("")
    return database


def warehouse(size: int, added: int, seed: int, workers: int) -> tuple[Path, Path]:
    """The DuckDB files of `size` and `size + added` reports (built on first use)."""
    base_lake = OUT / "lake" / f"report-n{size}"
    grown_lake = OUT / "lake" / f"report-n{size}+{added}"
    base_db = OUT / "warehouse" / f"report-n{size}.duckdb"
    grown_db = OUT / "warehouse" / f"report-n{size}+{added}.duckdb"
    for lake, database, folders in (
        (base_lake, base_db, [corpus(size, seed)]),
        (grown_lake, grown_db, [added_corpus(size, added, seed)]),
    ):
        marker = database.with_name(database.name + READY)
        if marker.exists() and database.exists():
            continue
        if lake == grown_lake:
            shutil.rmtree(grown_lake, ignore_errors=True)
            shutil.copytree(base_lake, grown_lake)
        for folder in folders:
            run = ingest(folder, lake, workers)
            print(
                f"  ingest {folder.name} -> {lake.name}: {run.wall_s:.1f} s, "
                f"{summary_counts(run.stderr)}, load {run.load_before} -> {run.load_after}",
                flush=True,
            )
            if run.returncode not in (0, 1):  # 1: some documents failed, as intended
                raise SystemExit(f"ingest failed:\n{run.stderr[-2000:]}")
        build, _ = dbt_build(lake, database, size if lake == base_lake else size + added)
        print(
            f"  dbt build -> {database.name}: exit {build.returncode}, {build.wall_s:.1f} s, "
            f"load {build.load_before} -> {build.load_after}",
            flush=True,
        )
        if not database.exists():
            raise SystemExit(f"dbt build failed:\n{build.stdout[-3000:]}")
        marker.write_text("")
    return base_db, grown_db


REPORT_MARTS = (
    "dim_reports",
    "fct_cells",
    "fct_reconciliation_results",
    "fct_finding_cells",
    "fct_applications",
    "fct_application_outcomes",
)


def without_reports(database: Path, count: int) -> Path:
    """A copy of `database` (under bench/out/warehouse) with `count` reports (the first by
    id) deleted from the marts the report reads; the rate mart keeps its rows (its sums then
    include them, as before)."""
    import duckdb

    # Under this checkout's bench/out, whichever folder `database` is in: a warehouse given
    # with --database may be another's (read, never written).
    copy = OUT / "warehouse" / f"{database.stem}-minus{count}.duckdb"
    copy.parent.mkdir(parents=True, exist_ok=True)
    marker = copy.with_name(copy.name + READY)
    if marker.exists() and copy.exists():
        return copy
    shutil.copyfile(database, copy)
    with duckdb.connect(str(copy)) as connection:
        connection.execute(
            "create temp table removed as select report_id from main.dim_reports"
            f" order by report_id limit {count}"
        )
        for mart in REPORT_MARTS:
            connection.execute(
                f"delete from main.{mart} where report_id in (select report_id from removed)"
            )
    marker.write_text("")
    return copy


def render(database: Path, out: Path) -> Measurement:
    command = [sys.executable, "-m", "gongkai", "report", "--database", str(database)]
    return run_measured([*command, "--out", str(out)], cwd=ROOT)


def folder_size(folder: Path) -> tuple[int, int]:
    files = [path for path in folder.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000, help="reports in the first build")
    parser.add_argument("--added", type=int, default=1_000, help="reports added for the second")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--by-deletion", action="store_true", help="k reports deleted from a copy, not ingested"
    )
    parser.add_argument(
        "--database",
        type=Path,
        help="an already built warehouse to use (e.g. bench_scale's generated 100k); implies "
        "--by-deletion",
    )
    arguments = parser.parse_args(argv)
    print(f"load average at start: {load_average()}\n{MEMORY_NOTE}", flush=True)
    if arguments.database is not None:
        grown_db = arguments.database
        base_db = without_reports(grown_db, arguments.added)
    elif arguments.by_deletion:
        grown_db = warehouse_only(arguments.size, arguments.seed, arguments.workers)
        base_db = without_reports(grown_db, arguments.added)
    else:
        base_db, grown_db = warehouse(
            arguments.size, arguments.added, arguments.seed, arguments.workers
        )
    out = OUT / "report" / f"n{arguments.size}"
    shutil.rmtree(out, ignore_errors=True)
    runs = []
    for name, database, target in (
        ("full", base_db, TARGET_FULL_S),
        (f"+{arguments.added} reports", grown_db, TARGET_INCREMENTAL_S),
        ("unchanged", grown_db, TARGET_INCREMENTAL_S),
    ):
        run = render(database, out)
        if run.returncode != 0:
            raise SystemExit(f"report failed:\n{run.stderr[-3000:]}")
        files, size = folder_size(out)
        summary = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else ""
        runs.append((name, run, target, files, size, summary))
        print(
            f"  {name:16} {run.wall_s:7.1f} s wall "
            f"({run.wall_s / target:.2f} of the {target:.0f} s target), cpu {run.cpu_s:.1f} s, "
            f"tree RSS {run.peak_tree_rss_mib:.0f} MiB, "
            f"{files} files {size / 2**20:.0f} MiB, load {run.load_before} -> {run.load_after}\n"
            f"                   {summary}",
            flush=True,
        )
    stamp = time.strftime("%Y%m%d-%H%M%S")
    results = [
        {"run": name, "target_s": target, "files": files, "bytes": size, "summary": summary}
        | (run.__dict__ | {"stdout": "", "stderr": run.stderr[-1000:]})
        for name, run, target, files, size, summary in runs
    ]
    (OUT / f"report-{stamp}.json").write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
