"""Benchmark the same dbt project on DuckDB and on Spark (local mode) over the same lake.

For each size (`sample` = corpus/sample, or N generated reports): ingest into a lake under
bench/out/engines/, then `dbt build` on DuckDB into a fresh file and `dbt build --target
spark` (dbt-spark session mode: Spark runs inside the dbt process, local[2]) with a fresh
metastore, each measured as a whole process (wall, CPU, peak memory, load before/after).
Prints the Spark/DuckDB ratio. Needs Java and the spark dependency group:

    uv run --group spark python -m bench.bench_engines --sizes sample,10000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

from bench.bench_ingest import OUT, corpus, ingest, summary_counts
from bench.measure import MEMORY_NOTE, Measurement, load_average, run_measured

ROOT = Path(__file__).resolve().parent.parent
DBT = Path(sys.executable).with_name("dbt")
ENGINES_OUT = OUT / "engines"


def lake_for(size: str, seed: int, workers: int) -> tuple[Path, dict[str, int]]:
    """The lake of `size` (ingested on first use, incrementally afterwards)."""
    source = ROOT / "corpus" / "sample" if size == "sample" else corpus(int(size), seed)
    lake = ENGINES_OUT / f"lake-{size}"
    measured = ingest(source, lake, workers)
    if measured.returncode != 0:
        print(measured.stderr[-3000:], file=sys.stderr)
    return lake, summary_counts(measured.stderr)


def dbt_build(engine: str, lake: Path, size: str, threads: int) -> Measurement:
    """`dbt build` on `engine` from a clean slate: fresh DuckDB file or fresh Spark metastore."""
    work = ENGINES_OUT / f"{engine}-{size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    environment = os.environ | {
        "GONGKAI_LAKE": str(lake.resolve()),
        "GONGKAI_DB": str(work / "gongkai.duckdb"),
        "GONGKAI_SPARK_WAREHOUSE": str(work / "spark-warehouse"),
        "GONGKAI_SPARK_METASTORE": str(work / "spark"),
        "GONGKAI_SPARK_MASTER": f"local[{threads}]",
        "GONGKAI_SPARK_SHUFFLE_PARTITIONS": os.environ.get("GONGKAI_SPARK_SHUFFLE_PARTITIONS", "4"),
    }
    command = [str(DBT), "build", "--target", "spark" if engine == "spark" else "dev"]
    command += ["--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    return run_measured(command, cwd=ROOT, env=environment)


def _nodes(work: Path) -> int:
    results = work / "target" / "run_results.json"
    if not results.exists():
        return 0
    return len(json.loads(results.read_text(encoding="utf-8"))["results"])


def bench_size(size: str, seed: int, workers: int) -> dict:
    lake, counts = lake_for(size, seed, workers)
    print(f"\n== {size}: {counts.get('documents')} documents, {counts.get('cells')} cells")
    figures = {"size": size, **counts}
    for engine in ("duckdb", "spark"):
        measured = dbt_build(engine, lake, size, workers)
        nodes = _nodes(ENGINES_OUT / f"{engine}-{size}")
        status = "ok" if measured.returncode == 0 else f"FAILED ({measured.returncode})"
        print(
            f"  {engine:6} dbt build {status}: {measured.wall_s:7.1f} s wall, "
            f"{measured.cpu_s:7.1f} s cpu, {measured.peak_tree_rss_mib:6.0f} MiB tree RSS, "
            f"{nodes} nodes; load {measured.load_before} -> {measured.load_after}"
        )
        if measured.returncode != 0:
            print(measured.stdout[-3000:], file=sys.stderr)
        figures[engine] = {
            "ok": measured.returncode == 0,
            "wall_s": round(measured.wall_s, 1),
            "cpu_s": round(measured.cpu_s, 1),
            "peak_tree_rss_mib": round(measured.peak_tree_rss_mib),
            "nodes": nodes,
            "load_before": measured.load_before,
            "load_after": measured.load_after,
        }
    ratio = figures["spark"]["wall_s"] / max(figures["duckdb"]["wall_s"], 0.1)
    cpu_ratio = figures["spark"]["cpu_s"] / max(figures["duckdb"]["cpu_s"], 0.1)
    figures["spark_over_duckdb_wall"] = round(ratio, 1)
    figures["spark_over_duckdb_cpu"] = round(cpu_ratio, 1)
    print(f"  Spark / DuckDB: {ratio:.1f}x wall, {cpu_ratio:.1f}x cpu")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="sample", help="comma-separated: sample and/or N")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2, help="ingest workers, Spark threads")
    arguments = parser.parse_args(argv)
    print(f"load {load_average()}; {MEMORY_NOTE}")
    results = [
        bench_size(size, arguments.seed, arguments.workers) for size in arguments.sizes.split(",")
    ]
    ENGINES_OUT.mkdir(parents=True, exist_ok=True)
    out = ENGINES_OUT / "bench_engines.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nfigures: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
