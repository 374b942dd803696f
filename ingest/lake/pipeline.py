"""Ingest into the lake: fingerprint, plan what changed, parse, stage shards, commit.

The lake is cumulative. Ingesting a folder adds its report files and re-syncs that folder
(new, changed and deleted files below it); reports ingested from elsewhere stay. `replace`
makes the lake exactly the given inputs; `remove_paths` drops what lies below some paths. An
argument holding no report file is warned about (re-synced: what the lake held from there
goes); a missing argument stops the run before anything changes.

Whatever the sequence of commands, the lake equals a fresh ingest of its current inputs:
byte-identical copies are resolved over the whole input set on every run (the first path
holds the report, the others are `duplicate` rows pointing to it), and a documents row is
reused only when its path, bytes, parser version and role (original or copy) are unchanged.

The lake holds its documents in shards: runs of source paths cut where a path's hash says
(about 256 documents each, see `_cut`), one cells and one documents file per shard. The
cuts depend on the paths alone, so a fresh ingest cuts the same way, and new documents below
one folder fall into a few shards: only the shards whose rows change are written again, each
by a worker. They are written under temporary names first and put in place together (a
journal lets the next run finish a commit a kill interrupted), so a failure (disk full, a
kill before the commit) leaves the lake as it was.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ingest.lake.inputs import (
    Discovery,
    Fingerprint,
    InputFile,
    discover,
    normalize_argument,
    under,
)
from ingest.lake.lock import lake_lock, locked
from ingest.lake.parquet import (
    CELLS_DIR,
    DOCUMENTS_DIR,
    CellColumns,
    cells_table,
    commit,
    documents_table,
    read_shard,
    remove_orphans,
    remove_temporaries,
    shard_path,
    stage,
)
from ingest.lake.workers import Budget, Parser, Result, Rows, run_jobs
from ingest.schema import (
    CELL_STATUSES,
    CELLS_SCHEMA,
    DOC_DUPLICATE,
    DOC_ERROR,
    DOC_PARTIAL,
    DOCUMENTS_SCHEMA,
    PARSER_VERSION,
)

Row = dict[str, Any]
Staged = tuple[Path, Path]  # (temporary, final) shard file
LISTED_PROBLEMS = 10  # files named in the console summary per status; the rest are counted
_INDEX_COLUMNS = ["report_id", "source_path", "sha256", "status", "parser_version", "error"]


@dataclass
class Summary:
    documents: Counter[str] = field(default_factory=Counter)
    cells: Counter[str] = field(default_factory=Counter)
    parsed: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, reason), sorted
    partial: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    lake: Path | None = None
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.documents[DOC_ERROR] > 0

    def render(self) -> str:
        docs = ", ".join(f"{k} {v}" for k, v in sorted(self.documents.items()))
        cells = ", ".join(f"{k} {v}" for k, v in sorted(self.cells.items())) or "none"
        lines = [*(f"warning: {w}" for w in self.warnings)]
        lines += [
            f"documents: {sum(self.documents.values())} ({docs})",
            f"cells: {sum(self.cells.values())} ({cells})",
            f"parsed {self.parsed}, unchanged {self.unchanged}, removed {self.removed}"
            f", in {self.seconds:.1f} s",
        ]
        if self.skipped:
            reasons = ", ".join(f"{k} {v}" for k, v in sorted(self.skipped.items()))
            lines.append(f"skipped {sum(self.skipped.values())} paths: {reasons}")
        where = self.lake / DOCUMENTS_DIR if self.lake else "the documents table"
        for status, listed in (("partial", self.partial), ("error", self.errors)):
            if not listed:
                continue
            lines.append(f"{status} ({len(listed)}):")
            lines += [
                f"  {path}: {_one_line(reason.removeprefix(f'{path}: '))}"
                for path, reason in listed[:LISTED_PROBLEMS]
            ]
            if len(listed) > LISTED_PROBLEMS:
                lines.append(
                    f"  … {len(listed) - LISTED_PROBLEMS} more: status = '{status}' in {where}"
                )
        if self.failed:
            lines.append(
                f"exit status 1: {self.documents[DOC_ERROR]} file(s) could not be read "
                "(listed above); every other file is in the lake"
            )
        return "\n".join(lines)


def _one_line(reason: str, limit: int = 160) -> str:
    text = " ".join(reason.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def run(
    arguments: list[str],
    lake: Path,
    workers: int = 2,
    progress: bool | None = None,
    replace: bool = False,
    exclude: tuple[str, ...] = (),
    budget: Budget | None = None,
    parse: Parser | None = None,
) -> Summary:
    """Ingest every report file named in `arguments` into `lake` (cumulative, see above).

    `parse` maps the files to parse to their results, in order (default: the local worker
    pool); `ingest.lake.spark.parse_on_spark` runs the same parser in Spark tasks.

    Raises FileNotFoundError, before changing anything, when an argument does not exist.
    """
    started = time.perf_counter()
    found = discover(arguments, exclude)
    if found.missing:
        raise FileNotFoundError(f"no such file or directory: {', '.join(found.missing)}")
    summary = Summary(skipped=found.skipped, lake=lake)
    for scope in found.empty:
        summary.warnings.append(f"{scope}: no report files found there")
    if replace and not found.files:
        summary.warnings.append("nothing to replace the lake with: it was left as it was")
        _finish(summary, lake, started)
        return summary
    scopes = ["."] if replace else found.scopes + found.empty
    with locked(lake_lock(lake), f"the lake at {lake}"):
        _sync(lake, found, scopes, replace, workers, progress, budget, summary, parse)
        del found  # its files are in the lake now; the summary is read from there
        _finish(summary, lake, None)
    summary.seconds = time.perf_counter() - started
    return summary


def remove_paths(arguments: list[str], lake: Path) -> Summary:
    """Drop every report whose path is, or lies below, one of `arguments`."""
    started = time.perf_counter()
    summary = Summary(lake=lake)
    scopes = [normalize_argument(a) for a in arguments]
    paths = _read_index(lake).keys()
    for scope in scopes:
        if not any(under(path, scope) for path in paths):
            summary.warnings.append(f"{scope}: the lake holds nothing from there")
    del paths
    with locked(lake_lock(lake), f"the lake at {lake}"):
        _sync(lake, Discovery(), scopes, False, 1, False, None, summary)
        _finish(summary, lake, None)
    summary.seconds = time.perf_counter() - started
    return summary


@dataclass(slots=True)
class _Member:
    """One input of the lake after this run: found now, or kept from an earlier ingest."""

    source_path: str
    report_id: str
    sha256: str
    fingerprint: Fingerprint | None  # None: kept from the lake, not looked at this run


@dataclass(slots=True)
class _Known:
    report_id: str
    sha256: str
    status: str
    parser_version: str
    error: str | None
    shard: str  # the name of the shard that holds its rows


def _sync(
    lake: Path,
    found: Discovery,
    scopes: list[str],
    replace: bool,
    workers: int,
    progress: bool | None,
    budget: Budget | None,
    summary: Summary,
    parse: Parser | None = None,
) -> None:
    remove_orphans(lake)
    index = _read_index(lake)
    members: dict[str, _Member] = {}
    for path, known in index.items():
        if not replace and not any(under(path, scope) for scope in scopes):
            members[path] = _Member(path, known.report_id, known.sha256, None)
    for file in found.files:
        fingerprint = file.fingerprint()
        members[file.source_path] = _Member(
            file.source_path, fingerprint.report_id, fingerprint.sha256, fingerprint
        )
    summary.removed = sum(1 for path in index if path not in members)
    _look_again_at_kept_originals(members, index)

    plans = _plan_shards(lake, sorted(members.values(), key=_path), index)
    to_parse = [fingerprint for plan in plans for fingerprint in plan.to_parse]
    staged: list[tuple[Path, Path]] = []
    try:
        if parse is not None:  # another engine parses; the shards are written here
            results = parse(to_parse)
            for plan in plans:
                staged.extend(_write_bucket(lake, plan, results))
        else:  # each worker parses and writes whole shards: only file names come back
            # The biggest shards first, so that no worker is left with a big one at the end.
            written = sorted(
                (plan for plan in plans if plan.members),
                key=lambda plan: (-len(plan.to_parse), -len(plan.members)),
            )
            jobs = [(_BucketJob(lake, plan), plan.to_parse) for plan in written]
            for pairs in run_jobs(_run_bucket_job, jobs, workers, progress, budget):
                staged.extend(pairs)
    except BaseException:
        remove_temporaries(lake)  # what the workers staged, finished or not
        raise
    gone = [
        shard_path(lake, kind, plan.bucket)
        for plan in plans
        if not plan.members
        for kind in (CELLS_DIR, DOCUMENTS_DIR)
    ]
    # From here on a failure (a kill) is finished by the next run, from the journal.
    commit(lake, sorted(staged, key=_documents_last), gone)
    parsed = {fingerprint.file.source_path for fingerprint in to_parse}
    summary.parsed = len(parsed)
    summary.unchanged = sum(
        1
        for path, member in members.items()
        if path not in parsed and path in index and index[path].sha256 == member.sha256
    )


def _path(member: _Member) -> str:
    return member.source_path


def _look_again_at_kept_originals(members: dict[str, _Member], index: dict[str, _Known]) -> None:
    """A kept file that must now be parsed (it becomes the original of its copies, or its
    row is from another parser version) is fingerprinted again from disk."""
    while True:
        originals: dict[str, str] = {}
        for path in sorted(members):
            originals.setdefault(members[path].report_id, path)
        stale = [
            members[path]
            for path in originals.values()
            if members[path].fingerprint is None and not _reusable(index.get(path))
        ]
        if not stale:
            return
        for member in stale:
            fingerprint = InputFile(member.source_path).fingerprint()
            members[member.source_path] = _Member(
                member.source_path, fingerprint.report_id, fingerprint.sha256, fingerprint
            )


def _reusable(known: _Known | None) -> bool:
    """An old row that can stand for its file as an original."""
    return (
        known is not None
        and known.parser_version == PARSER_VERSION
        and known.status != DOC_DUPLICATE
    )


def _documents_last(pair: Staged) -> tuple[bool, str]:
    """Cells shards go into place before documents shards: documents mark a shard done."""
    return pair[1].parent.name == DOCUMENTS_DIR, pair[1].name


# Shards are runs of documents in path order, cut after a path whose hash says so: one in
# SHARD_DOCUMENTS on average, at most SHARD_MAX in a row (small enough that two workers
# share even a few thousand documents, big enough that a million make 4,000 files). So the
# cuts depend only on the paths themselves (a fresh ingest cuts the same way), and documents
# added below one folder land in a few shards of their own: only those are written again.
SHARD_DOCUMENTS = 256
SHARD_MAX = 4 * SHARD_DOCUMENTS


def _ends_shard(source_path: str) -> bool:
    digest = hashlib.sha256(source_path.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:4], "big") % SHARD_DOCUMENTS == 0


def _cut(members: list[_Member]) -> list[list[_Member]]:
    """The members (sorted by path) cut into shards."""
    shards: list[list[_Member]] = []
    current: list[_Member] = []
    for member in members:
        current.append(member)
        if len(current) >= SHARD_MAX or _ends_shard(member.source_path):
            shards.append(current)
            current = []
    if current:
        shards.append(current)
    return shards


def shards_of(source_paths: list[str]) -> list[tuple[str, list[str]]]:
    """(shard name, its paths) for a lake holding these paths: what an ingest writes. For
    tools that write a lake directly (a generated one) and want ingests to extend it."""
    members = [_Member(path, "", "", None) for path in sorted(source_paths)]
    return [
        (_shard_name(shard[0].source_path), [m.source_path for m in shard])
        for shard in _cut(members)
    ]


def _shard_name(first_path: str) -> str:
    """A shard is named after the first path it holds."""
    return hashlib.sha256(first_path.encode("utf-8", "surrogateescape")).hexdigest()[:16]


@dataclass
class _BucketPlan:
    bucket: str  # the shard's name
    members: list[_Member]  # sorted by path
    originals: dict[str, str]  # report_id -> path of the file that holds the report
    reuse: list[tuple[str, str]]  # originals here whose old rows stay: (path, old shard)
    to_parse: list[Fingerprint]
    # Originals in other shards whose old documents row the copies here repeat.
    borrowed: list[tuple[str, str]] = field(default_factory=list)  # (path, old shard)


def _plan_shards(lake: Path, members: list[_Member], index: dict[str, _Known]) -> list[_BucketPlan]:
    """What to write (members sorted by path): the shards whose rows change, and the old
    shards that hold nothing any more (plans without members)."""
    originals: dict[str, str] = {}
    for member in members:
        originals.setdefault(member.report_id, member.source_path)
    by_path = {member.source_path: member for member in members}
    reparsed = {
        path for path in originals.values() if not _still_holds(index.get(path), by_path[path])
    }
    old_shards: dict[str, dict[str, _Known]] = defaultdict(dict)
    for path, known in index.items():
        old_shards[known.shard][path] = known
    plans: list[_BucketPlan] = []
    names: set[str] = set()
    for shard in _cut(members):
        name = _shard_name(shard[0].source_path)
        names.add(name)
        old = old_shards.get(name, {})
        if _unchanged(lake, name, shard, old, originals, reparsed):
            continue
        plans.append(_plan_shard(name, shard, originals, reparsed, index, by_path))
    for name in sorted(set(old_shards) - names):
        plans.append(_BucketPlan(name, [], {}, [], []))
    return plans


def _still_holds(known: _Known | None, member: _Member) -> bool:
    """The old row of an original can stand for it: same bytes, this parser, no copy."""
    return (
        _reusable(known)
        and known is not None
        and (known.report_id, known.sha256) == (member.report_id, member.sha256)
    )


def _unchanged(
    lake: Path,
    name: str,
    shard: list[_Member],
    old: dict[str, _Known],
    originals: dict[str, str],
    reparsed: set[str],
) -> bool:
    """Does the shard `name` already hold exactly these rows?"""
    if len(old) != len(shard) or not shard_path(lake, CELLS_DIR, name).exists():
        return False
    for member in shard:
        known = old.get(member.source_path)
        if (
            known is None
            or known.parser_version != PARSER_VERSION
            or (known.report_id, known.sha256) != (member.report_id, member.sha256)
        ):
            return False
        original = originals[member.report_id]
        if original in reparsed:
            return False
        if original != member.source_path and (
            known.status != DOC_DUPLICATE or known.error != _duplicate_error(original)
        ):
            return False
    return True


def _plan_shard(
    name: str,
    shard: list[_Member],
    originals: dict[str, str],
    reparsed: set[str],
    index: dict[str, _Known],
    by_path: dict[str, _Member],
) -> _BucketPlan:
    here = {member.source_path for member in shard}
    wanted = {originals[member.report_id]: None for member in shard}  # ordered, once each
    plan = _BucketPlan(name, shard, {m.report_id: originals[m.report_id] for m in shard}, [], [])
    for path in wanted:
        if path in reparsed:
            fingerprint = by_path[path].fingerprint
            assert fingerprint is not None, path  # kept originals were looked at again
            plan.to_parse.append(fingerprint)
        elif path in here:
            plan.reuse.append((path, index[path].shard))
        else:
            plan.borrowed.append((path, index[path].shard))
    return plan


@dataclass(frozen=True)
class _BucketJob:
    """What a worker needs to write one bucket's shards."""

    lake: Path
    plan: _BucketPlan


def _run_bucket_job(job: _BucketJob, parse: Callable[[Fingerprint], Rows]) -> list[Staged]:
    """In a worker: parse the bucket's files (in order) and stage its shards."""
    return _write_bucket(job.lake, job.plan, (parse(f) for f in job.plan.to_parse))


def _write_bucket(lake: Path, plan: _BucketPlan, results: Iterator[Result | Rows]) -> list[Staged]:
    """Stage this shard's files; returns (temporary, final) pairs, cells first. Parsed
    cells come as tables (another engine) or as columns, gathered into one table here."""
    if not plan.members:
        return []
    here = {member.source_path for member in plan.members}
    doc_rows: dict[str, Row] = {}
    elsewhere: dict[str, Row] = {}  # originals in other shards, for the copies here
    cell_tables: list[pa.Table] = []
    cell_rows = CellColumns()
    for shard, paths in _by_shard(plan.reuse):
        keep = pa.array(paths, pa.string())
        old_docs = read_shard(shard_path(lake, DOCUMENTS_DIR, shard), DOCUMENTS_SCHEMA)
        old_cells = read_shard(shard_path(lake, CELLS_DIR, shard), CELLS_SCHEMA)
        if old_docs is None or old_cells is None:
            raise RuntimeError(f"lake shard {shard} changed during the run")
        for row in old_docs.filter(pc.is_in(old_docs["source_path"], keep)).to_pylist():
            doc_rows[row["source_path"]] = row
        cell_tables.append(old_cells.filter(pc.is_in(old_cells["source_path"], keep)))
    for shard, paths in _by_shard(plan.borrowed):
        keep = pa.array(paths, pa.string())
        old_docs = read_shard(shard_path(lake, DOCUMENTS_DIR, shard), DOCUMENTS_SCHEMA)
        if old_docs is None:
            raise RuntimeError(f"lake shard {shard} changed during the run")
        for row in old_docs.filter(pc.is_in(old_docs["source_path"], keep)).to_pylist():
            elsewhere[row["source_path"]] = row
    for fingerprint in plan.to_parse:
        doc, cells = next(results)
        if fingerprint.file.source_path in here:
            doc_rows[fingerprint.file.source_path] = doc
            if isinstance(cells, pa.Table):
                cell_tables.append(cells)
            else:
                cell_rows.extend(cells)
        else:
            elsewhere[fingerprint.file.source_path] = doc
    for member in plan.members:
        original = plan.originals[member.report_id]
        if original != member.source_path:
            source = doc_rows[original] if original in here else elsewhere[original]
            doc_rows[member.source_path] = _duplicate_row(source, member)
    docs = documents_table(list(doc_rows.values()))
    if cell_rows:
        cell_tables.append(cell_rows.table())
    cells = stage(cells_table(cell_tables), shard_path(lake, CELLS_DIR, plan.bucket))
    try:
        return [cells, stage(docs, shard_path(lake, DOCUMENTS_DIR, plan.bucket))]
    except BaseException:
        cells[0].unlink(missing_ok=True)
        raise


def _by_shard(pairs: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """(path, shard) pairs grouped: (shard, its paths), shards in order."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for path, shard in pairs:
        grouped[shard].append(path)
    return sorted(grouped.items())


def _duplicate_row(original: Row, member: _Member) -> Row:
    """A byte-identical copy: the original's row, pointing to it, without cells."""
    row = dict(original)
    row.update(
        source_path=member.source_path,
        status=DOC_DUPLICATE,
        error=_duplicate_error(original["source_path"]),
        notes=None,
        **{k: 0 for k in original if k.startswith("cells_")},
    )
    return row


def _duplicate_error(original: str) -> str:
    return f"same bytes as {original}"


def _read_index(lake: Path) -> dict[str, _Known]:
    """source_path -> what the lake holds for it, from every documents shard."""
    index: dict[str, _Known] = {}
    folder = lake / DOCUMENTS_DIR
    if not folder.is_dir():
        return index
    for path in sorted(folder.glob("part-*.parquet")):
        table = _read_columns(path, _INDEX_COLUMNS)
        if table is None:
            continue  # not a shard this version can read: its files are parsed when ingested
        cells = lake / CELLS_DIR / path.name
        # Rows of a shard pair this version cannot reuse (another schema, cells missing)
        # still name the lake's inputs; an empty version makes them parsed again.
        reusable = _schema_is(path, DOCUMENTS_SCHEMA) and _schema_is(cells, CELLS_SCHEMA)
        shard = path.name.removeprefix("part-").removesuffix(".parquet")
        columns = [table[name].to_pylist() for name in _INDEX_COLUMNS]
        for report_id, source_path, sha256, status, version, error in zip(*columns, strict=True):
            index[source_path] = _Known(
                report_id, sha256, status, version if reusable else "", error, shard
            )
    return index


def _read_columns(path: Path, columns: list[str]) -> pa.Table | None:
    """These columns of a Parquet file, or None when it cannot be read or lacks one.

    Read in this thread, without the dataset layer: the parent reads every documents shard,
    and Arrow's thread pools and scanners would keep tens of MB it needs only once."""
    try:
        with pq.ParquetFile(path) as file:
            if not set(columns) <= set(file.schema_arrow.names):
                return None
            return file.read(columns=columns, use_threads=False)
    except (OSError, pa.ArrowInvalid):
        return None


def _schema_is(path: Path, schema: pa.Schema) -> bool:
    try:
        return pq.read_schema(path).equals(schema)
    except (OSError, pa.ArrowInvalid):
        return False


_LISTED_STATUSES = {DOC_ERROR: "error", DOC_PARTIAL: "partial"}


def _finish(summary: Summary, lake: Path, started: float | None) -> None:
    """Counts over the whole lake, and the files in error or partial, for the summary.

    Read from the documents shards column by column: the parent keeps nothing per
    document but the files it lists."""
    summary.documents = Counter()
    summary.cells = Counter()
    listed: dict[str, dict[str, str]] = {DOC_ERROR: {}, DOC_PARTIAL: {}}
    folder = lake / DOCUMENTS_DIR
    for path in sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []:
        table = _read_columns(path, _INDEX_COLUMNS)  # the shards `_read_index` counts
        if table is not None:
            statuses = table["status"].to_pylist()
            summary.documents.update(statuses)
            if listed.keys() & set(statuses):
                wanted = table.filter(pc.is_in(table["status"], pa.array(list(listed))))
                for source_path, status, error in zip(
                    *(wanted[name].to_pylist() for name in ("source_path", "status", "error")),
                    strict=True,
                ):
                    listed[status][source_path] = error or _LISTED_STATUSES[status]
        counts = _read_columns(path, [f"cells_{s}" for s in CELL_STATUSES])
        if counts is not None:
            for status in CELL_STATUSES:
                summary.cells[status] += pc.sum(counts[f"cells_{status}"]).as_py() or 0
    summary.cells = +summary.cells
    summary.errors = sorted(listed[DOC_ERROR].items())
    summary.partial = sorted(listed[DOC_PARTIAL].items())
    if started is not None:
        summary.seconds = time.perf_counter() - started


__all__ = ["run", "remove_paths", "shards_of", "Summary", "InputFile", "Budget"]
