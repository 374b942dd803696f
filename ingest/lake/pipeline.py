"""Ingest a corpus into the lake: fingerprint, skip what is unchanged, parse, write shards.

The lake holds one cells shard and one documents shard per id bucket. A bucket is rewritten
only when one of its documents changed; unchanged documents keep their rows, so a re-run
re-parses only new or edited files and gives byte-identical output.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ingest.document import empty_document_row, parse_document
from ingest.lake.inputs import Fingerprint, InputFile, discover
from ingest.lake.parquet import (
    CELLS_DIR,
    DOCUMENTS_DIR,
    cells_table,
    documents_table,
    read_shard,
    remove,
    shard_path,
    write_atomic,
)
from ingest.schema import (
    CELL_STATUSES,
    CELLS_SCHEMA,
    DOC_DUPLICATE,
    DOC_ERROR,
    DOCUMENTS_SCHEMA,
    PARSER_VERSION,
)

Row = dict[str, Any]


@dataclass
class Summary:
    documents: Counter[str] = field(default_factory=Counter)
    cells: Counter[str] = field(default_factory=Counter)
    parsed: int = 0
    unchanged: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.documents[DOC_ERROR] > 0

    def render(self) -> str:
        docs = ", ".join(f"{k} {v}" for k, v in sorted(self.documents.items()))
        cells = ", ".join(f"{k} {v}" for k, v in sorted(self.cells.items())) or "none"
        return (
            f"documents: {sum(self.documents.values())} ({docs})\n"
            f"cells: {sum(self.cells.values())} ({cells})\n"
            f"parsed {self.parsed}, unchanged {self.unchanged}, in {self.seconds:.1f} s"
        )


def run(
    arguments: list[str], lake: Path, workers: int = 2, progress: bool | None = None
) -> Summary:
    """Ingest every file named in `arguments` into `lake`; returns counts for the summary.

    Buckets are parsed and written one after the other, so memory holds one bucket's results
    (about 1/256 of the corpus), not the corpus.
    """
    started = time.perf_counter()
    fingerprints = [f.fingerprint() for f in discover(arguments)]
    by_bucket: dict[str, list[Fingerprint]] = defaultdict(list)
    for fingerprint in fingerprints:
        by_bucket[fingerprint.bucket].append(fingerprint)
    summary = Summary()
    show = sys.stderr.isatty() if progress is None else progress
    plan: list[tuple[str, list[Fingerprint], pa.Table | None, list[Fingerprint]]] = []
    for bucket, members in sorted(by_bucket.items()):
        old_docs = read_shard(shard_path(lake, DOCUMENTS_DIR, bucket), DOCUMENTS_SCHEMA)
        if _unchanged(members, old_docs) and shard_path(lake, CELLS_DIR, bucket).exists():
            _count(summary, old_docs)
            continue
        plan.append((bucket, members, old_docs, _changed(members, old_docs)))
    _remove_stale_buckets(lake, set(by_bucket))
    to_parse = [fingerprint for *_, changed in plan for fingerprint in changed]
    results = _parse_stream(to_parse, workers, show)
    for bucket, members, old_docs, changed in plan:
        fresh = {_key(f): next(results) for f in changed}
        old_cells = read_shard(shard_path(lake, CELLS_DIR, bucket), CELLS_SCHEMA)
        docs, cells = _assemble_bucket(members, old_docs, old_cells, fresh)
        write_atomic(cells, shard_path(lake, CELLS_DIR, bucket))
        write_atomic(docs, shard_path(lake, DOCUMENTS_DIR, bucket))  # last: marks the bucket done
        _count(summary, docs)
    summary.parsed = len(to_parse)
    summary.unchanged = len(fingerprints) - len(to_parse)
    summary.seconds = time.perf_counter() - started
    return summary


def _key(fingerprint: Fingerprint) -> tuple[str, str]:
    return fingerprint.file.source_path, fingerprint.sha256


def _unchanged(members: list[Fingerprint], old_docs: pa.Table | None) -> bool:
    if old_docs is None:
        return False
    previous = set(
        zip(
            old_docs["source_path"].to_pylist(),
            old_docs["sha256"].to_pylist(),
            old_docs["parser_version"].to_pylist(),
            strict=True,
        )
    )
    return previous == {(*_key(m), PARSER_VERSION) for m in members}


def _changed(members: list[Fingerprint], old_docs: pa.Table | None) -> list[Fingerprint]:
    """Members whose (path, hash) the old shard does not hold, primaries only."""
    known = set()
    if old_docs is not None:
        versions = old_docs["parser_version"].to_pylist()
        pairs = zip(
            old_docs["source_path"].to_pylist(), old_docs["sha256"].to_pylist(), strict=True
        )
        known = {
            pair for pair, version in zip(pairs, versions, strict=True) if version == PARSER_VERSION
        }
    return [m for m in members if _key(m) not in known]


def _parse_stream(
    to_parse: list[Fingerprint], workers: int, show: bool
) -> Iterator[tuple[Row, pa.Table]]:
    """Parse results in the order of `to_parse`, from a pool of worker processes."""
    if not to_parse:
        return
    total = len(to_parse)
    if workers > 1 and total > 8:
        context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
        with context.Pool(workers) as pool:
            yield from _progress(pool.imap(_parse_one, to_parse, chunksize=16), total, show)
    else:
        yield from _progress(map(_parse_one, to_parse), total, show)


def _progress(stream: Iterator, total: int, show: bool) -> Iterator:
    for done, result in enumerate(stream, 1):
        yield result
        if show and (done % 50 == 0 or done == total):
            filled = int(30 * done / total)
            end = "" if done < total else "\n"
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} documents"
            print(f"\r{bar}", end=end, file=sys.stderr, flush=True)


def _parse_one(fingerprint: Fingerprint) -> tuple[Row, pa.Table]:
    """Worker: read and parse one file. Bad input becomes an error row, never an exception."""
    source = fingerprint.file.source_path
    if fingerprint.read_error:
        doc = _base_row(fingerprint)
        doc.update(status=DOC_ERROR, error=f"{source}: {fingerprint.read_error}")
        return doc, CELLS_SCHEMA.empty_table()
    try:
        data = fingerprint.file.path.read_bytes()
        doc, cells = parse_document(data, source, fingerprint.report_id)
    except Exception as error:  # a parser bug must not stop the batch; the row says what broke
        doc, cells = _base_row(fingerprint), []
        doc.update(
            status=DOC_ERROR, error=f"{source}: parser failed: {type(error).__name__}: {error}"
        )
    doc.update(sha256=fingerprint.sha256, bytes=fingerprint.size)
    return doc, pa.Table.from_pylist(cells, schema=CELLS_SCHEMA)


def _base_row(fingerprint: Fingerprint) -> Row:
    row = empty_document_row(fingerprint.report_id, fingerprint.file.source_path)
    row.update(sha256=fingerprint.sha256, bytes=max(fingerprint.size, 0))
    return row


def _assemble_bucket(
    members: list[Fingerprint],
    old_docs: pa.Table | None,
    old_cells: pa.Table | None,
    results: dict[tuple[str, str], tuple[Row, pa.Table]],
) -> tuple[pa.Table, pa.Table]:
    """This bucket's documents and cells: fresh results plus the unchanged old rows."""
    doc_rows: list[Row] = []
    cell_tables: list[pa.Table] = []
    kept_paths = [m.file.source_path for m in members if _key(m) not in results]
    if kept_paths and old_docs is not None and old_cells is not None:
        keep = pa.array(kept_paths)
        doc_rows.extend(old_docs.filter(pc.is_in(old_docs["source_path"], keep)).to_pylist())
        cell_tables.append(old_cells.filter(pc.is_in(old_cells["source_path"], keep)))
    for member in members:
        if _key(member) in results:
            doc, cells = results[_key(member)]
            doc_rows.append(doc)
            cell_tables.append(cells)
    _mark_duplicates(doc_rows, cell_tables)
    duplicates = [row["source_path"] for row in doc_rows if row["status"] == DOC_DUPLICATE]
    if duplicates:
        drop = pa.array(duplicates, pa.string())
        cell_tables = [t.filter(pc.invert(pc.is_in(t["source_path"], drop))) for t in cell_tables]
    return documents_table(doc_rows), cells_table(cell_tables)


def _mark_duplicates(doc_rows: list[Row], cell_tables: list[pa.Table]) -> None:
    """Files with the same bytes: the first path keeps the report, the others point to it."""
    first_path: dict[str, str] = {}
    for row in sorted(doc_rows, key=lambda r: r["source_path"]):
        if not row["sha256"] or row["status"] == DOC_ERROR:
            continue  # unreadable or empty files each keep their own error
        original = first_path.setdefault(row["sha256"], row["source_path"])
        if original != row["source_path"]:
            row.update(
                status=DOC_DUPLICATE,
                error=f"same bytes as {original}",
                notes=None,
                **{k: 0 for k in row if k.startswith("cells_")},
            )


def _remove_stale_buckets(lake: Path, live: set[str]) -> None:
    for kind in (CELLS_DIR, DOCUMENTS_DIR):
        folder = lake / kind
        if not folder.exists():
            continue
        for path in folder.glob("part-*.parquet"):
            if path.stem.removeprefix("part-") not in live:
                remove(path)


def _count(summary: Summary, docs: pa.Table) -> None:
    """Documents by status, and cells by status from the documents' own counts."""
    summary.documents.update(docs["status"].to_pylist())
    for status in CELL_STATUSES:
        summary.cells[status] += sum(docs[f"cells_{status}"].to_pylist())
    summary.cells = +summary.cells  # drop zero counts


__all__ = ["run", "Summary", "InputFile"]
