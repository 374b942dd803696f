"""Parse documents in worker processes, each document within a time and memory budget.

The pool hands one document at a time to each worker and watches them: a worker that dies
(killed, out of memory) or runs past the budget is replaced, and the document it held
becomes an `error` row saying so; the batch goes on. Results come back in input order, and
at most a window of documents is parsed ahead of the one the caller waits for, so memory
stays flat.
"""

from __future__ import annotations

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

from ingest.document import empty_document_row, parse_document
from ingest.lake.inputs import Fingerprint, read_regular_file
from ingest.lake.lock import release_inherited
from ingest.schema import CELLS_SCHEMA, DOC_ERROR

Row = dict[str, Any]
Result = tuple[Row, pa.Table]
Parser = Callable[[list[Fingerprint]], Iterator[Result]]  # results in input order
_WINDOW = 64  # documents parsed ahead of the one being consumed
_POLL_SECONDS = 0.2
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class Budget:
    """What one document may cost: wall-clock seconds and resident memory of its worker."""

    seconds: float = 300.0
    memory_mb: int = 3072
    max_mb: int = 512  # a bigger file is not read at all (a report is a few MB at most)


def parse_all(
    fingerprints: list[Fingerprint],
    workers: int = 2,
    progress: bool | None = None,
    budget: Budget | None = None,
) -> Iterator[Result]:
    """(documents row, cells) for each fingerprint, in order."""
    if not fingerprints:
        return iter(())
    show = sys.stderr.isatty() if progress is None else progress
    budget = budget or Budget()
    stream = _Pool(fingerprints, max(1, workers), budget).results()
    return _progress(stream, len(fingerprints), show)


def _progress(stream: Iterator[Result], total: int, show: bool) -> Iterator[Result]:
    """A bar on stderr that reaches 100 % and ends its line once the last document is in."""
    step = max(1, total // 100)
    for done, result in enumerate(stream, 1):
        if show and (done % step == 0 or done == total):
            filled = int(30 * done / total)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} documents"
            end = "\n" if done == total else ""
            print(f"\r{bar}", end=end, file=sys.stderr, flush=True)
        yield result


def parse_one(fingerprint: Fingerprint, budget: Budget | None = None) -> Result:
    """Read and parse one file. Bad input becomes an error row, never an exception."""
    source = fingerprint.file.source_path
    if fingerprint.read_error:
        return error_result(fingerprint, fingerprint.read_error)
    limit = (budget or Budget()).max_mb
    if fingerprint.size > limit * 1_000_000:
        return error_result(
            fingerprint,
            f"{fingerprint.size / 1e6:,.0f} MB, over the {limit:,} MB a document may be; not read",
        )
    try:
        data = read_regular_file(fingerprint.file.path)
    except OSError as error:
        return error_result(fingerprint, f"cannot read: {error.strerror or error}")
    try:
        doc, cells = parse_document(data, source, fingerprint.report_id)
    except MemoryError:
        return error_result(fingerprint, "needs more memory than the per-document budget")
    except RecursionError:
        return error_result(fingerprint, "nested too deeply to read (recursion limit)")
    except Exception as error:  # a parser bug must not stop the batch; the row says what broke
        return error_result(fingerprint, f"parser failed: {type(error).__name__}: {error}")
    doc.update(sha256=fingerprint.sha256, bytes=fingerprint.size)
    return doc, pa.Table.from_pylist(cells, schema=CELLS_SCHEMA)


def error_result(fingerprint: Fingerprint, reason: str) -> Result:
    source = fingerprint.file.source_path
    doc = empty_document_row(fingerprint.report_id, source)
    doc.update(
        sha256=fingerprint.sha256,
        bytes=max(fingerprint.size, 0),
        status=DOC_ERROR,
        error=f"{source}: {reason}",
    )
    return doc, CELLS_SCHEMA.empty_table()


def _worker_main(connection: Connection, budget: Budget) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    release_inherited()
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, fingerprint = task
        connection.send((index, parse_one(fingerprint, budget)))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    task: int | None = None
    started: float = 0.0


class _Pool:
    def __init__(self, fingerprints: list[Fingerprint], size: int, budget: Budget) -> None:
        self.fingerprints = fingerprints
        self.size = min(size, len(fingerprints))
        self.budget = budget
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self.context = multiprocessing.get_context(method)
        self.workers: list[_Worker] = []

    def results(self) -> Iterator[Result]:
        done: dict[int, Result] = {}
        next_task = 0
        next_out = 0
        total = len(self.fingerprints)
        try:
            self.workers = [self._start() for _ in range(self.size)]
            while next_out < total:
                for worker in self.workers:
                    if worker.task is None and next_task < min(total, next_out + _WINDOW):
                        worker.task, worker.started = next_task, time.monotonic()
                        worker.connection.send((next_task, self.fingerprints[next_task]))
                        next_task += 1
                self._collect(done)
                while next_out in done:
                    yield done.pop(next_out)
                    next_out += 1
        finally:
            self._stop()

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker_main, args=(child, self.budget), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def _collect(self, done: dict[int, Result]) -> None:
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
                    index, result = worker.connection.recv()
                except (EOFError, OSError):
                    self._replace(slot, done, self._death_reason(worker))
                    continue
                done[index] = result
                worker.task = None
            elif worker.process.sentinel in ready:
                self._replace(slot, done, self._death_reason(worker))
            elif time.monotonic() - worker.started > self.budget.seconds:
                self._replace(
                    slot,
                    done,
                    f"took longer than {self.budget.seconds:g} s, the per-document time budget;"
                    " stopped",
                )
            elif _resident_mb(worker.process.pid) > self.budget.memory_mb:
                self._replace(
                    slot,
                    done,
                    f"used more than {self.budget.memory_mb} MB, the per-document memory"
                    " budget; stopped",
                )

    def _death_reason(self, worker: _Worker) -> str:
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            why = " (killed; perhaps out of memory)" if -code == signal.SIGKILL else ""
            return f"the parser process died on this document: {name}{why}"
        return f"the parser process died on this document (exit status {code})"

    def _replace(self, slot: int, done: dict[int, Result], reason: str) -> None:
        worker = self.workers[slot]
        assert worker.task is not None
        done[worker.task] = error_result(self.fingerprints[worker.task], reason)
        _kill(worker)
        self.workers[slot] = self._start()

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
