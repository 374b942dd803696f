"""Offline dbt docs: copy the single-file site `dbt docs generate --static` writes."""

from __future__ import annotations

import shutil
from pathlib import Path

from gongkai.files import write_atomic

STATIC_INDEX = "static_index.html"


def copy_static_docs(target_dir: Path, docs_dir: Path) -> Path:
    """Copy `target_dir/static_index.html` to `docs_dir/index.html`; return the new path."""
    source = target_dir / STATIC_INDEX
    if not source.exists():
        raise FileNotFoundError(f"{source}: run `dbt docs generate --static` first")
    destination = docs_dir / "index.html"
    write_atomic(destination, lambda temporary: shutil.copyfile(source, temporary))
    return destination
