"""One writer at a time: an exclusive lock file beside what is written (the lake folder, the
warehouse file). A second `gongkai ingest` or `gongkai build` waits for the first and says so.

The lock files sit beside, not inside, the lake: the lake holds only its Parquet files.
"""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_held: dict[str, int] = {}  # lock path -> depth: the same process may nest them
_descriptors: dict[str, int] = {}  # lock path -> the open file that holds it


@contextmanager
def locked(path: Path, what: str) -> Iterator[None]:
    """Hold the exclusive lock `path` (created if needed) while the block runs."""
    key = os.path.abspath(path)
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip() or "?"
            print(
                f"waiting: another gongkai run (pid {holder}) is writing {what}; "
                "this one starts when it ends",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode("ascii"), 0)
        _held[key] = 1
        _descriptors[key] = descriptor
        try:
            yield
        finally:
            del _held[key]
            _descriptors.pop(key, None)
    finally:
        os.close(descriptor)  # releases the lock


def release_inherited() -> None:
    """In a forked child: close its copies of the parent's lock files, so the locks go when
    the parent ends (killed, too), not when its last worker does."""
    for descriptor in _descriptors.values():
        try:
            os.close(descriptor)
        except OSError:
            pass
    _descriptors.clear()
    _held.clear()


def lake_lock(lake: Path) -> Path:
    """`warehouse/.lake.lock` for the lake `warehouse/lake`."""
    lake = Path(os.path.abspath(lake))
    return lake.with_name(f".{lake.name}.lock")
