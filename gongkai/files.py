"""Atomic file writes, shared by the lake, the exports, the report and the docs."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Call `write(temporary)` on a temporary name beside `path`, then rename it over `path`.

    Readers see the old file or the new one, never half a file; a failed write leaves the old
    file and no temporary behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_text_atomic(path: Path, text: str) -> None:
    """`text` to `path` as UTF-8 with newline line ends, atomically."""
    write_atomic(path, lambda temporary: temporary.write_text(text, encoding="utf-8", newline="\n"))
