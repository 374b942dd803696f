"""Benchmark the same project on DuckDB and on Spark (local mode): the ingest and the build.

Two comparisons, each measured as a whole process (wall, CPU, peak memory of the process
tree, load average before/after), repeated `--repeat` times and summarised by the median:

  * ingest (`--ingest-sizes`): `gongkai ingest` with the local worker pool and with
    `--engine spark` (Spark local[N] in the ingest process, the parse in Spark tasks),
    each into a fresh lake; the two lakes are checked to hold the same shard bytes;
  * build (`--sizes`): `dbt build` on DuckDB into a fresh file and `dbt build --target
    spark` (dbt-spark session mode: Spark runs inside the dbt process, local[N]) with a
    fresh metastore, over the same lake (ingested on first use, incrementally after).

A size is `sample` (corpus/sample) or N generated reports (bench/generate.py, seed
`--seed`); or, with `--lake PATH`, the builds read that lake as it is (e.g. the 100k lake of
`bench.generate_lake --copies 10`), named by its folder.
A Spark build that runs past `--spark-timeout` seconds is stopped and reported as such, with
the nodes it finished. Figures go to bench/out/engines/bench_engines.json.
Needs Java and the spark dependency group:

    uv run --frozen --group spark python -m bench.bench_engines --sizes sample,10000 \\
        --ingest-sizes sample,10000 --repeat 3
    uv run --frozen --group spark python -m bench.bench_engines --ingest-sizes '' \\
        --lake bench/out/lake/copies-10 --spark-timeout 10800
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import sys
from pathlib import Path

import duckdb

from bench.bench_ingest import OUT, corpus, summary_counts
from bench.measure import MEMORY_NOTE, Measurement, load_average, run_measured
from ingest.lake.parquet import CELLS_DIR, DOCUMENTS_DIR

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENGINES_OUT = OUT / "engines"
# dbt's progress lines: "12 of 170 OK created sql table model ..." / "... PASS ..."
_NODE_DONE = re.compile(r"^\S*\s*\d+ of (\d+) (?:OK|PASS|WARN|ERROR|FAIL|SKIP)\b", re.MULTILINE)


def source_of(size: str, seed: int) -> Path:
    return ROOT / "corpus" / "sample" if size == "sample" else corpus(int(size), seed)


def spark_environment(threads: int, work: Path) -> dict[str, str]:
    return {
        "GONGKAI_SPARK_MASTER": f"local[{threads}]",
        "GONGKAI_SPARK_SHUFFLE_PARTITIONS": os.environ.get("GONGKAI_SPARK_SHUFFLE_PARTITIONS", "4"),
        # As much memory as DuckDB may take (its memory_limit, GONGKAI_DUCKDB_MEMORY 6GB).
        "GONGKAI_SPARK_DRIVER_MEMORY": os.environ.get("GONGKAI_SPARK_DRIVER_MEMORY", "6g"),
        "GONGKAI_SPARK_WAREHOUSE": str(work / "spark-warehouse"),
        "GONGKAI_SPARK_METASTORE": str(work / "spark"),
    }


def ingest(engine: str, source: Path, lake: Path, workers: int) -> Measurement:
    """`gongkai ingest SOURCE --out LAKE` with the local pool or Spark tasks."""
    command = [str(BIN / "gongkai"), "ingest", str(source), "--out", str(lake)]
    command += ["--workers", str(workers)]
    environment = dict(os.environ)
    if engine == "spark":
        command += ["--engine", "spark"]
        environment |= spark_environment(workers, lake.parent / f"{lake.name}-spark")
    return run_measured(command, cwd=ROOT, env=environment)


def shard_digests(lake: Path) -> dict[str, str]:
    return {
        path.relative_to(lake).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(lake.rglob("*.parquet"))
    }


def build_lake(size: str, seed: int, workers: int) -> tuple[Path, dict[str, int]]:
    """The lake the builds read (ingested locally on first use, incrementally afterwards)."""
    lake = ENGINES_OUT / f"lake-{size}"
    fresh = ENGINES_OUT / f"ingest-local-{size}"  # the ingest comparison's local lake
    if not lake.exists() and fresh.exists():
        shutil.copytree(fresh, lake)  # the same lake; the ingest below finds it unchanged
    measured = ingest("local", source_of(size, seed), lake, workers)
    if measured.returncode not in (0, 1):  # 1: some documents are error rows, as designed
        print(measured.stderr[-3000:], file=sys.stderr)
    return lake, summary_counts(measured.stderr)


def dbt_build(
    engine: str, lake: Path, size: str, threads: int, timeout_s: float | None
) -> Measurement:
    """`dbt build` on `engine` from a clean slate: fresh DuckDB file or fresh Spark metastore."""
    work = ENGINES_OUT / f"{engine}-{size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    environment = os.environ | {
        "GONGKAI_LAKE": str(lake.resolve()),
        "GONGKAI_DB": str(work / "gongkai.duckdb"),
    }
    environment |= spark_environment(threads, work)
    command = [str(BIN / "dbt"), "build", "--target", "spark" if engine == "spark" else "dev"]
    command += ["--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    return run_measured(command, cwd=ROOT, env=environment, timeout_s=timeout_s)


def nodes_done(measured: Measurement) -> tuple[int, int]:
    """(nodes finished, nodes in the build) from dbt's progress lines (hooks count 1 of 1)."""
    totals = [int(total) for total in _NODE_DONE.findall(measured.stdout)]
    total = max(totals, default=0)
    return sum(1 for each in totals if each == total), total


def figures_of(measured: Measurement, passing: tuple[int, ...] = (0,)) -> dict:
    return {
        "ok": measured.returncode in passing and not measured.timed_out,
        "returncode": measured.returncode,
        "timed_out": measured.timed_out,
        "wall_s": round(measured.wall_s, 1),
        "cpu_s": round(measured.cpu_s, 1),
        "peak_tree_rss_mib": round(measured.peak_tree_rss_mib),
        "peak_tree_pss_mib": round(measured.peak_tree_pss_mib),
        "load_before": measured.load_before,
        "load_after": measured.load_after,
    }


def show(label: str, figures: dict, extra: str = "") -> None:
    status = "timed out" if figures["timed_out"] else "ok" if figures["ok"] else "FAILED"
    print(
        f"  {label:22} {status:9} {figures['wall_s']:7.1f} s wall {figures['cpu_s']:7.1f} s cpu"
        f" {figures['peak_tree_rss_mib']:6} / {figures['peak_tree_pss_mib']:6} MiB tree RSS/PSS"
        f"{extra}; load {figures['load_before']} -> {figures['load_after']}",
        flush=True,
    )


def median(runs: list[dict], key: str) -> float:
    return round(statistics.median(run[key] for run in runs), 1)


def summary(runs: list[dict]) -> dict:
    """Medians over the runs that finished; all runs are kept beside them."""
    finished = [run for run in runs if run["ok"]] or runs
    return {
        "runs": runs,
        "finished": sum(1 for run in runs if run["ok"]),
        **{key: median(finished, key) for key in ("wall_s", "cpu_s", "peak_tree_rss_mib")},
    }


def ratios(first: dict, second: dict) -> dict:
    return {
        "wall": round(second["wall_s"] / max(first["wall_s"], 0.1), 1),
        "cpu": round(second["cpu_s"] / max(first["cpu_s"], 0.1), 1),
    }


def bench_ingest(size: str, seed: int, workers: int, repeat: int) -> dict:
    source = source_of(size, seed)
    print(f"\n== ingest {size}: local worker pool vs Spark tasks (local[{workers}])", flush=True)
    runs: dict[str, list[dict]] = {"local": [], "spark": []}
    counts: dict[str, int] = {}
    same = True
    for attempt in range(repeat):
        digests = {}
        for engine in ("local", "spark"):
            lake = ENGINES_OUT / f"ingest-{engine}-{size}"
            shutil.rmtree(lake, ignore_errors=True)
            shutil.rmtree(lake.parent / f"{lake.name}-spark", ignore_errors=True)
            measured = ingest(engine, source, lake, workers)
            counts = summary_counts(measured.stderr)
            figures = figures_of(measured, passing=(0, 1))  # 1: some documents are errors
            runs[engine].append(figures)
            show(f"{engine} ingest #{attempt + 1}", figures, f", {counts.get('documents')} docs")
            if not figures["ok"]:
                print(measured.stderr[-3000:], file=sys.stderr)
            digests[engine] = shard_digests(lake)
        same = same and digests["local"] == digests["spark"] and bool(digests["local"])
    result = {"size": size, **counts, "same_shards": same}
    result |= {engine: summary(engine_runs) for engine, engine_runs in runs.items()}
    result["spark_over_local"] = ratios(result["local"], result["spark"])
    print(
        f"  median: local {result['local']['wall_s']} s, Spark {result['spark']['wall_s']} s;"
        f" Spark / local {result['spark_over_local']['wall']}x wall,"
        f" {result['spark_over_local']['cpu']}x cpu; same shards: {same}",
        flush=True,
    )
    return result


def given_lake(lake: Path) -> tuple[Path, dict[str, int]]:
    """A lake made elsewhere (e.g. bench.generate_lake), read as it is: its counts."""
    documents, cells = (
        duckdb.sql(f"select count(*) from read_parquet('{lake / kind}/**/*.parquet')").fetchone()[0]
        for kind in (DOCUMENTS_DIR, CELLS_DIR)
    )
    return lake, {"documents": documents, "cells": cells}


def bench_build(
    size: str, seed: int, workers: int, repeat: int, timeout_s: float, lake: Path | None = None
) -> dict:
    lake, counts = given_lake(lake) if lake else build_lake(size, seed, workers)
    print(
        f"\n== dbt build {size}: {counts.get('documents')} documents, {counts.get('cells')} cells",
        flush=True,
    )
    result: dict = {"size": size, **counts}
    for engine in ("duckdb", "spark"):
        runs = []
        for attempt in range(repeat):
            measured = dbt_build(
                engine, lake, size, workers, timeout_s if engine == "spark" else None
            )
            done, total = nodes_done(measured)
            figures = figures_of(measured) | {"nodes_done": done, "nodes": total}
            runs.append(figures)
            show(f"{engine} build #{attempt + 1}", figures, f", {done}/{total} nodes")
            if not figures["ok"] and not measured.timed_out:
                print(measured.stdout[-3000:], file=sys.stderr)
            if measured.timed_out:
                break  # another attempt would time out too
        result[engine] = summary(runs)
    result["spark_over_duckdb"] = ratios(result["duckdb"], result["spark"])
    print(
        f"  median: DuckDB {result['duckdb']['wall_s']} s, Spark {result['spark']['wall_s']} s"
        f"{' (timed out)' if not result['spark']['finished'] else ''};"
        f" Spark / DuckDB {result['spark_over_duckdb']['wall']}x wall,"
        f" {result['spark_over_duckdb']['cpu']}x cpu",
        flush=True,
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="sample", help="builds: sample and/or N, comma-separated"
    )
    parser.add_argument("--ingest-sizes", default="sample", help="ingests: likewise ('' for none)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; medians reported")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2, help="ingest workers, Spark threads")
    parser.add_argument(
        "--spark-timeout", type=float, default=3600.0, help="seconds a Spark build may take"
    )
    parser.add_argument("--lake", type=Path, help="build from this lake instead of --sizes")
    parser.add_argument("--json", default="bench_engines.json", help="file under bench/out/engines")
    arguments = parser.parse_args(argv)
    print(f"load {load_average()}; {MEMORY_NOTE}", flush=True)
    ENGINES_OUT.mkdir(parents=True, exist_ok=True)
    results: dict[str, list[dict]] = {"ingest": [], "build": []}
    out = ENGINES_OUT / arguments.json
    for size in filter(None, arguments.ingest_sizes.split(",")):
        results["ingest"].append(
            bench_ingest(size, arguments.seed, arguments.workers, arguments.repeat)
        )
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    builds = [arguments.lake.name] if arguments.lake else arguments.sizes.split(",")
    for size in filter(None, builds):
        results["build"].append(
            bench_build(
                size,
                arguments.seed,
                arguments.workers,
                arguments.repeat,
                arguments.spark_timeout,
                arguments.lake,
            )
        )
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nfigures: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
