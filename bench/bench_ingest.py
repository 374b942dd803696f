"""Benchmark the ingest: full run, incremental re-run, re-run after editing 1% of the files.

For each size, a generated corpus (bench/generate.py, cached under bench/out/corpus/) is
ingested by `python -m gongkai ingest DIR --out LAKE --workers 2` in a fresh subprocess, into a
fresh lake. Prints figures; asserts nothing about timings.

    uv run python -m bench.bench_ingest --sizes 1000,5000,20000
    uv run python -m bench.bench_ingest --sizes 1000 --profile 500
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import pstats
import random
import re
import shutil
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench.generate import corpus_digest, generate, read_manifest
from bench.measure import MEMORY_NOTE, Measurement, load_average, run_measured

ROOT = Path(__file__).resolve().parent.parent

OUT = ROOT / "bench" / "out"
COMPLETE = ".complete"  # hidden marker: the corpus folder was fully written

# Which layout group each generated kind belongs to, for the per-layout throughput.
LAYOUT_GROUPS = {
    "html": "html",
    "sample:2023": "html",
    "pipe": "text (pipe)",
    "sample:000": "text (pipe)",
    "sample:001": "text (pipe)",
    "sample:004": "text (pipe)",
    "newline": "text (newline)",
    "blank_line": "text (newline)",
    "sample:002": "text (newline)",
    "markdown": "markdown / PDF text",
    "sample:2024": "markdown / PDF text",
    "sample:2025": "markdown / PDF text",
    "run_together": "run-together",
    "sample:2021": "run-together",
    "narrative": "narrative only",
    "sample:2013": "narrative only",
    "sample:2018": "narrative only",
    "sample:003": "narrative only",
}
# Kinds whose partial parses are expected (run-together digits that cannot be split uniquely).
EXPECTED_PARTIAL = {"run_together", "sample:2021"}


# --------------------------------------------------------------------------- corpus & lake


def corpus(count: int, seed: int) -> Path:
    """The cached generated corpus of `count` documents (generated on first use)."""
    folder = OUT / "corpus" / f"n{count}-seed{seed}"
    marker = folder / COMPLETE
    digest = corpus_digest(seed, count)
    if marker.exists() and marker.read_text() == digest:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    generate(folder, count, seed)
    marker.write_text(digest)
    print(f"  generated {count} documents in {time.perf_counter() - started:.1f} s -> {folder}")
    return folder


def ingest(folder: Path, lake: Path, workers: int = 2) -> Measurement:
    command = [sys.executable, "-m", "gongkai", "ingest", str(folder), "--out", str(lake)]
    return run_measured([*command, "--workers", str(workers)], cwd=ROOT)


def summary_counts(stderr: str) -> dict[str, int]:
    """documents / cells / parsed / unchanged from the ingest's printed summary."""
    counts = {}
    for key in ("documents", "cells"):
        match = re.search(rf"^{key}: (\d+)", stderr, re.MULTILINE)
        counts[key] = int(match.group(1)) if match else -1
    match = re.search(r"parsed (\d+), unchanged (\d+)", stderr)
    counts["parsed"], counts["unchanged"] = (
        (int(match.group(1)), int(match.group(2))) if match else (-1, -1)
    )
    return counts


def edit_files(folder: Path, share: float, seed: int) -> dict[Path, bytes]:
    """Append a newline to `share` of the files (new bytes, new hash); returns the originals."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    chosen = random.Random(seed).sample(files, max(1, int(len(files) * share)))
    originals = {}
    for path in chosen:
        originals[path] = path.read_bytes()
        path.write_bytes(originals[path] + b"\n")
    return originals


def restore(originals: dict[Path, bytes]) -> None:
    for path, data in originals.items():
        path.write_bytes(data)


# --------------------------------------------------------------------------- statuses


def status_report(folder: Path, lake: Path, keep: int = 3) -> list[str]:
    """Documents not fully parsed, by generated kind; examples are copied to bench/out/suspect."""
    import pyarrow.parquet as pq

    manifest = read_manifest(folder)
    table = pq.read_table(sorted((lake / "documents").glob("*.parquet")))
    by_kind: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in table.select(["source_path", "status", "error", "layout"]).to_pylist():
        kind = manifest[str(Path(row["source_path"]).relative_to(folder))][0]
        by_kind[(kind, row["status"])].append(row)
    lines = []
    for (kind, status), rows in sorted(by_kind.items()):
        if status in ("parsed", "duplicate") or (
            status == "no_standard_tables" and LAYOUT_GROUPS.get(kind) == "narrative only"
        ):
            continue
        expected = status == "partial" and kind in EXPECTED_PARTIAL
        tag = "expected: run-together digits" if expected else "UNEXPECTED"
        lines.append(f"  {status:18} {kind:14} {len(rows):6}  ({tag})")
        target = OUT / "suspect" / folder.name / f"{status}-{kind.replace(':', '_')}"
        target.mkdir(parents=True, exist_ok=True)
        for row in rows[:keep]:
            source = Path(row["source_path"])
            shutil.copy2(source, target / source.name)
            (target / f"{source.name}.error.txt").write_text(
                f"{row['source_path']}\n{row['error']}\n", encoding="utf-8"
            )
            lines.append(f"      {row['source_path']}: {(row['error'] or '')[:160]}")
    return lines


# --------------------------------------------------------------------------- in-process figures


def per_layout_throughput(folder: Path, limit: int) -> list[tuple[str, int, float, float, float]]:
    """(group, documents, docs/s, MB/s, cells/doc) parsing in this process, one core."""
    from ingest.document import parse_document

    manifest = read_manifest(folder)
    seconds: Counter[str] = Counter()
    documents: Counter[str] = Counter()
    sizes: Counter[str] = Counter()
    cells: Counter[str] = Counter()
    for relative, (kind, _, _) in sorted(manifest.items())[:limit]:
        group = LAYOUT_GROUPS.get(kind, kind)
        data = (folder / relative).read_bytes()
        started = time.perf_counter()
        _, found = parse_document(data, relative, "bench")
        seconds[group] += time.perf_counter() - started
        documents[group] += 1
        sizes[group] += len(data)
        cells[group] += len(found)
    return [
        (
            g,
            documents[g],
            documents[g] / seconds[g],
            sizes[g] / seconds[g] / 1e6,
            cells[g] / documents[g],
        )
        for g in sorted(documents, key=lambda g: -documents[g])
    ]


def profile_worker(folder: Path, count: int, top: int = 25) -> str:
    """cProfile the ingest worker (read + parse + Arrow table) on the first `count` documents."""
    from ingest.lake.inputs import discover
    from ingest.lake.workers import parse_one

    fingerprints = [f.fingerprint() for f in discover([str(folder)]).files][:count]
    profiler = cProfile.Profile()
    profiler.enable()
    for fingerprint in fingerprints:
        parse_one(fingerprint)
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("tottime").print_stats(top)
    return stream.getvalue()


# --------------------------------------------------------------------------- main


def bench_size(count: int, seed: int, workers: int, edit_share: float) -> dict:
    folder = corpus(count, seed)
    lake = OUT / "lake" / f"ingest-n{count}"
    shutil.rmtree(lake, ignore_errors=True)
    full = ingest(folder, lake, workers)
    counts = summary_counts(full.stderr)
    incremental = ingest(folder, lake, workers)
    originals = edit_files(folder, edit_share, seed)
    buckets = {hashlib.sha256(p.read_bytes()).hexdigest()[:2] for p in originals}
    try:
        edited = ingest(folder, lake, workers)
    finally:
        restore(originals)
    result = {
        "size": count,
        **counts,
        "exit_code": full.returncode,
        "full": full.__dict__ | {"stdout": "", "stderr": full.stderr[-2000:]},
        "incremental": incremental.__dict__ | {"stdout": "", "stderr": incremental.stderr[-500:]},
        "edited": edited.__dict__ | {"stdout": "", "stderr": edited.stderr[-500:]},
        "edited_files": len(originals),
        "edited_buckets": len(buckets),
        "edited_counts": summary_counts(edited.stderr),
        "statuses": status_report(folder, lake),
    }
    return result


def print_table(results: list[dict]) -> None:
    header = (
        f"{'docs':>7} {'cells':>10} {'full s':>7} {'docs/s':>7} {'treeRSS':>8} {'treePSS':>8} "
        f"{'max1':>6} {'incr s':>7} {'1% s':>6} {'edited':>11}  load before -> after (full run)"
    )
    print(header)
    for r in results:
        full, incr, edited = r["full"], r["incremental"], r["edited"]
        print(
            f"{r['documents']:>7} {r['cells']:>10} {full['wall_s']:>7.1f} "
            f"{r['documents'] / full['wall_s']:>7.0f} {full['peak_tree_rss_mib']:>7.0f}M "
            f"{full['peak_tree_pss_mib']:>7.0f}M {full['maxrss_single_mib']:>5.0f}M "
            f"{incr['wall_s']:>7.1f} {edited['wall_s']:>6.1f} "
            f"{r['edited_files']:>4}f/{r['edited_buckets']:>3}b  "
            f"{full['load_before']} -> {full['load_after']}"
        )
    print(
        "incr = re-run with nothing changed; 1% = re-run after appending a newline to 1% of the "
        "files (f = files, b = of 256 buckets rewritten).\n" + MEMORY_NOTE
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,5000,20000", help="comma-separated corpus sizes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--edit-share", type=float, default=0.01, help="share of files edited")
    parser.add_argument(
        "--layout-docs", type=int, default=3000, help="documents for the per-layout run (0: skip)"
    )
    parser.add_argument("--profile", type=int, default=0, help="cProfile the worker on N documents")
    arguments = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in arguments.sizes.split(",") if s]
    print(f"load average at start: {load_average()}")
    results = []
    for count in sizes:
        print(f"size {count}:", flush=True)
        result = bench_size(count, arguments.seed, arguments.workers, arguments.edit_share)
        results.append(result)
        print(
            f"  full run exit code {result['exit_code']}; "
            + result["full"]["stderr"].strip().replace("\n", "; ")
        )
        print("  edited run: " + result["edited"]["stderr"].strip().splitlines()[-1])
        print("  documents not fully parsed (examples kept under bench/out/suspect/):")
        print("\n".join(result["statuses"]) or "    none")
    print()
    print_table(results)
    if arguments.layout_docs:
        folder = corpus(min(sizes), arguments.seed)
        load = load_average()
        rows = per_layout_throughput(folder, arguments.layout_docs)
        print(
            f"\nper-layout parse throughput, one process, in-process parse_document "
            f"(load {load} -> {load_average()}):"
        )
        print(f"{'layout':22} {'docs':>6} {'docs/s':>8} {'MB/s':>6} {'cells/doc':>9}")
        for group, n, rate, mbs, per_doc in rows:
            print(f"{group:22} {n:>6} {rate:>8.0f} {mbs:>6.2f} {per_doc:>9.0f}")
    if arguments.profile:
        folder = corpus(min(sizes), arguments.seed)
        print(f"\ncProfile of the ingest worker on {arguments.profile} documents (by tottime):")
        print(profile_worker(folder, arguments.profile))
    stamp = time.strftime("%Y%m%d-%H%M%S")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"ingest-{stamp}.json").write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
