"""Parse documents in worker processes, each document within a time and memory budget.

Workers run jobs (one lake shard each): a job parses its documents one at a time and writes
its results to files itself, so only file names and counts come back through the pipe. The
pool watches each document: a worker that dies (killed, out of memory) or runs past the
budget on one is replaced, and that document becomes an `error` row saying so when its job
runs again; the batch goes on. Memory stays flat: a worker holds one shard's results, the
parent none.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

import pyarrow as pa

from ingest.cells import CellBatch
from ingest.document import empty_document_row, parse_document_columns
from ingest.lake.inputs import Fingerprint, read_regular_file
from ingest.lake.lock import release_inherited
from ingest.lake.parquet import cell_columns_table
from ingest.schema import CELLS_SCHEMA, DOC_ERROR

Row = dict[str, Any]
Result = tuple[Row, pa.Table]
Rows = tuple[Row, CellBatch]  # a documents row and its cells as columns, not yet a table
Parser = Callable[[list[Fingerprint]], Iterator[Result]]  # results in input order
Job = Callable[[Any, Callable[[Fingerprint], Rows]], Any]  # runs in a worker, see run_jobs
_POLL_SECONDS = 0.2
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class Budget:
    """What one document may cost: wall-clock seconds and resident memory of its worker."""

    seconds: float = 300.0
    memory_mb: int = 3072
    max_mb: int = 512  # a bigger file is not read at all (a report is a few MB at most)


def run_jobs(
    job: Job,
    tasks: list[tuple[Any, list[Fingerprint]]],
    workers: int = 2,
    progress: bool | None = None,
    budget: Budget | None = None,
) -> list[Any]:
    """Run `job(task, parse)` in worker processes for each (task, its files); the results in
    task order.

    A job parses its files with `parse` (one at a time, each within the budget) and writes
    what it made to files itself: only small results (file names, counts) come back through
    the pipe, so the parent neither unpickles cell tables nor holds them. A document whose
    worker dies or runs past the budget becomes an error row: its job runs again from the
    start in a new worker, which writes that row instead of parsing the document.
    An exception a job raises (a full disk) stops the run and is raised here.
    """
    if not tasks:
        return []
    show = sys.stderr.isatty() if progress is None else progress
    pool = _Pool(job, tasks, max(1, workers), budget or Budget())
    documents = len({file.file.source_path for _, files in tasks for file in files})
    return pool.run(_Progress(documents, show))


class _Progress:
    """A bar on stderr that reaches 100 % and ends its line once the last document is in."""

    def __init__(self, total: int, show: bool) -> None:
        self.total, self.show, self.done = total, show, 0
        self.step = max(1, total // 100)

    def advance(self, count: int = 1) -> None:
        before = self.done
        self.done = min(self.total, self.done + count)
        if not self.show or self.done == before:
            return
        if self.done // self.step != before // self.step or self.done == self.total:
            filled = int(30 * self.done / self.total)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} documents"
            end = "\n" if self.done == self.total else ""
            print(f"\r{bar}", end=end, file=sys.stderr, flush=True)


def parse_one(fingerprint: Fingerprint, budget: Budget | None = None) -> Result:
    """Read and parse one file. Bad input becomes an error row, never an exception."""
    doc, cells = parse_rows(fingerprint, budget)
    return doc, cell_columns_table(cells.columns.values())


def parse_rows(fingerprint: Fingerprint, budget: Budget | None = None) -> Rows:
    """`parse_one` with the cells as columns, not a table: a job that writes a whole shard
    makes one table of all its documents' cells (one conversion per column, not one per
    document)."""
    source = fingerprint.file.source_path
    if fingerprint.read_error:
        return error_rows(fingerprint, fingerprint.read_error)
    limit = (budget or Budget()).max_mb
    if fingerprint.size > limit * 1_000_000:
        return error_rows(
            fingerprint,
            f"{fingerprint.size / 1e6:,.0f} MB, over the {limit:,} MB a document may be; not read",
        )
    try:
        data = read_regular_file(fingerprint.file.path)
    except OSError as error:
        return error_rows(fingerprint, f"cannot read: {error.strerror or error}")
    try:
        doc, cells = parse_document_columns(data, source, fingerprint.report_id)
    except MemoryError:
        return error_rows(fingerprint, "needs more memory than the per-document budget")
    except RecursionError:
        return error_rows(fingerprint, "nested too deeply to read (recursion limit)")
    except Exception as error:  # a parser bug must not stop the batch; the row says what broke
        return error_rows(fingerprint, f"parser failed: {type(error).__name__}: {error}")
    doc.update(sha256=fingerprint.sha256, bytes=fingerprint.size)
    return doc, cells


def error_result(fingerprint: Fingerprint, reason: str) -> Result:
    doc, _ = error_rows(fingerprint, reason)
    return doc, CELLS_SCHEMA.empty_table()


def error_rows(fingerprint: Fingerprint, reason: str) -> Rows:
    source = fingerprint.file.source_path
    doc = empty_document_row(fingerprint.report_id, source)
    doc.update(
        sha256=fingerprint.sha256,
        bytes=max(fingerprint.size, 0),
        status=DOC_ERROR,
        error=f"{source}: {reason}",
    )
    return doc, CellBatch()


def _worker_main(
    connection: Connection, job: Job, budget: Budget, inherited: list[Connection]
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    release_inherited()
    # A forked worker holds copies of the parent's ends of every pipe opened before it, its
    # own included: closed, a parent that dies leaves each worker an end of file, not a
    # pipe nobody reads (two orphans blocked on each other).
    for other in inherited:
        other.close()
    # What the parent made before the fork is never garbage here: kept out of collections,
    # which then run less often (a document's objects mostly die by reference counts).
    gc.freeze()
    gc.set_threshold(10_000, 50, 100)
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, task, files, errors = message

        def parse(
            fingerprint: Fingerprint, index: int = index, errors: dict[str, str] = errors
        ) -> Rows:
            source = fingerprint.file.source_path
            if source in errors:
                return error_rows(fingerprint, errors[source])
            connection.send(("start", index, source))
            return parse_rows(fingerprint, budget)

        try:
            result = job(task, parse)
        except BaseException as error:  # raised again in the parent, which stops the run
            connection.send(("failed", index, error))
            continue
        connection.send(("done", index, result))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    task: int | None = None
    document: str | None = None  # the file it parses now
    started: float = 0.0
    parsed: int = 0  # documents of its task parsed so far


class _Pool:
    def __init__(
        self, job: Job, tasks: list[tuple[Any, list[Fingerprint]]], size: int, budget: Budget
    ) -> None:
        self.job = job
        self.tasks = tasks
        self.size = min(size, len(tasks))
        self.budget = budget
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self.context = multiprocessing.get_context(method)
        self.forking = method == "fork"
        self.workers: list[_Worker] = []
        self.errors: dict[int, dict[str, str]] = {}  # task -> source path -> why it is an error
        self.pids: set[int] = set()  # every worker started: their temporary files are known

    def run(self, progress: _Progress) -> list[Any]:
        results: dict[int, Any] = {}
        queue = list(range(len(self.tasks)))
        try:
            for _ in range(self.size):
                self.workers.append(self._start())
            while len(results) < len(self.tasks):
                for worker in self.workers:
                    if worker.task is None and queue:
                        index = queue.pop(0)
                        task, files = self.tasks[index]
                        worker.task, worker.document, worker.parsed = index, None, 0
                        worker.started = time.monotonic()
                        worker.connection.send((index, task, files, self.errors.get(index, {})))
                for index in self._collect(results, progress):
                    queue.insert(0, index)  # again, with the document that broke it an error
        finally:
            self._stop()
        return [results[index] for index in range(len(self.tasks))]

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        inherited = [parent, *(w.connection for w in self.workers if not w.connection.closed)]
        process = self.context.Process(
            target=_worker_main,
            args=(child, self.job, self.budget, inherited if self.forking else []),
            daemon=True,
        )
        process.start()
        child.close()
        if process.pid is not None:
            self.pids.add(process.pid)
        return _Worker(process, parent)

    def _collect(self, results: dict[int, Any], progress: _Progress) -> list[int]:
        """Messages from busy workers; returns the tasks to run again."""
        again: list[int] = []
        busy = [w for w in self.workers if w.task is not None]
        ready = wait(
            [w.connection for w in busy] + [w.process.sentinel for w in busy],
            timeout=_POLL_SECONDS,
        )
        for slot, worker in enumerate(self.workers):
            if worker.task is None:
                continue
            if worker.connection in ready:
                try:
                    failure = self._receive(worker, results, progress)
                except (EOFError, OSError):
                    again.append(self._replace(slot, self._death_reason(worker)))
                    continue
                if failure is not None:
                    raise failure
                continue
            if worker.process.sentinel in ready:
                again.append(self._replace(slot, self._death_reason(worker)))
            elif time.monotonic() - worker.started > self.budget.seconds:
                again.append(
                    self._replace(
                        slot,
                        f"took longer than {self.budget.seconds:g} s, the per-document time"
                        " budget; stopped",
                    )
                )
            elif _resident_mb(worker.process.pid) > self.budget.memory_mb:
                again.append(
                    self._replace(
                        slot,
                        f"used more than {self.budget.memory_mb} MB, the per-document memory"
                        " budget; stopped",
                    )
                )
        return again

    def _receive(
        self, worker: _Worker, results: dict[int, Any], progress: _Progress
    ) -> BaseException | None:
        """Read what the worker sent; the exception its job raised, if it did."""
        while worker.connection.poll():
            kind, index, payload = worker.connection.recv()
            if kind == "start":
                if worker.document is not None:
                    worker.parsed += 1
                    progress.advance()
                worker.document, worker.started = payload, time.monotonic()
                continue
            if kind == "failed":
                return payload
            results[index] = payload
            progress.advance(len(self.tasks[index][1]) - worker.parsed)
            worker.task = worker.document = None
            break
        return None

    def _death_reason(self, worker: _Worker) -> str:
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            why = " (killed; perhaps out of memory)" if -code == signal.SIGKILL else ""
            return f"the parser process died on this document: {name}{why}"
        return f"the parser process died on this document (exit status {code})"

    def _replace(self, slot: int, reason: str) -> int:
        """Stop the worker; the document it held is an error row when its task runs again."""
        worker = self.workers[slot]
        assert worker.task is not None
        task = worker.task
        if worker.document is None:  # died outside any document: nothing to blame
            raise RuntimeError(f"an ingest worker stopped outside a document: {reason}")
        self.errors.setdefault(task, {})[worker.document] = reason
        _kill(worker)
        self.workers[slot] = self._start()
        return task

    def _stop(self) -> None:
        for worker in self.workers:
            try:
                worker.connection.send(None)
            except (OSError, ValueError):
                pass
        for worker in self.workers:
            worker.process.join(timeout=1 if worker.task is None else 0)
            if worker.process.is_alive():
                _kill(worker)
            worker.connection.close()


def _kill(worker: _Worker) -> None:
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join()
    worker.connection.close()


def _resident_mb(pid: int | None) -> float:
    """Resident memory of a process in MB (Linux /proc; 0 elsewhere)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * _PAGE / 1e6
    except (OSError, ValueError, IndexError):
        return 0.0
