"""Offline dbt docs: copy the single-file site `dbt docs generate --static` writes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

STATIC_INDEX = "static_index.html"


def copy_static_docs(target_dir: Path, docs_dir: Path) -> Path:
    """Copy `target_dir/static_index.html` to `docs_dir/index.html`; return the new path."""
    source = target_dir / STATIC_INDEX
    if not source.exists():
        raise FileNotFoundError(f"{source}: run `dbt docs generate --static` first")
    docs_dir.mkdir(parents=True, exist_ok=True)
    destination = docs_dir / "index.html"
    temporary = docs_dir / ".index.html.tmp"
    shutil.copyfile(source, temporary)
    os.replace(temporary, destination)
    return destination
