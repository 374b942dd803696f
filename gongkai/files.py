"""Atomic file writes, shared by the lake, the exports, the report, the review files and the
docs: each file is written under a temporary name beside it (`.NAME.PID.tmp`), then renamed
over it, so a reader sees the old file or the new one and a killed run leaves the old state."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

# A staged file: (temporary written, final path it replaces when committed).
Staged = tuple[Path, Path]


def temporary_beside(path: Path) -> Path:
    """The temporary name a write to `path` uses: hidden, in the same folder (so the rename
    is atomic), marked with the writer's process id."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def stage(path: Path, write: Callable[[Path], object]) -> Staged:
    """Call `write(temporary)` beside `path` without replacing `path` yet; `commit` (or
    `discard`) it later. A failed write leaves no temporary behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_beside(path)
    try:
        write(temporary)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary, path


def commit(staged: Iterable[Staged]) -> None:
    """Rename each staged temporary over its path, in the order given."""
    for temporary, path in staged:
        os.replace(temporary, path)


def discard(staged: Iterable[Staged]) -> None:
    """Remove the temporaries not committed (a no-op for those already renamed)."""
    for temporary, _ in staged:
        temporary.unlink(missing_ok=True)


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Call `write(temporary)` on a temporary name beside `path`, then rename it over `path`.

    Readers see the old file or the new one, never half a file; a failed write leaves the old
    file and no temporary behind.
    """
    staged = stage(path, write)
    try:
        commit([staged])
    finally:
        discard([staged])


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    """`text` to `path` with newline line ends, atomically."""
    write_atomic(
        path, lambda temporary: temporary.write_text(text, encoding=encoding, newline="\n")
    )
