"""A lake's content, one line per document: proof that a faster ingest writes the same cells.

Each line names a document and hashes its documents row (all columns but `parser_version`,
which is a hash of the code and changes with every edit) and its cell rows in `cell_seq`
order, every column. Two lakes with equal digests hold the same rows, byte for byte in
every value, however their shards are laid out.

    uv run python -m bench.lake_digest LAKE > before.tsv       # on the old code
    uv run python -m bench.lake_digest LAKE > after.tsv        # on the new code
    diff before.tsv after.tsv                                    # nothing: the same rows

`tests/ingest/lake/test_lake_digest.py` keeps a committed digest of the lake of the bundled
reports and a generated corpus (`--write` there regenerates it, see that test).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq

VOLATILE = ("parser_version",)  # columns that change with the code, not with the data


def _canonical(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)


def digest_lines(lake: Path) -> Iterator[str]:
    """`source_path  status  cells  documents-row hash  cells hash`, sorted by path."""
    docs = pq.read_table(sorted((lake / "documents").glob("*.parquet")))
    docs = docs.drop_columns(list(VOLATILE)).sort_by("source_path")
    cell_files = sorted((lake / "cells").glob("*.parquet"))
    cells = pq.read_table(cell_files) if cell_files else None
    by_path: dict[str, str] = {}
    if cells is not None and cells.num_rows:
        cells = cells.sort_by([("source_path", "ascending"), ("cell_seq", "ascending")])
        paths = cells["source_path"].to_pylist()
        starts = [0] + [i for i in range(1, len(paths)) if paths[i] != paths[i - 1]]
        for begin, end in zip(starts, [*starts[1:], len(paths)], strict=True):
            digest = hashlib.sha256()
            for row in cells.slice(begin, end - begin).to_pylist():
                digest.update(_canonical(row).encode())
                digest.update(b"\n")
            by_path[paths[begin]] = digest.hexdigest()[:16]
    empty = hashlib.sha256().hexdigest()[:16]
    for row in docs.to_pylist():
        path = row["source_path"]
        doc_hash = hashlib.sha256(_canonical(row).encode()).hexdigest()[:16]
        yield "\t".join(
            [path, row["status"], str(row["cells_total"]), doc_hash, by_path.get(path, empty)]
        )


def cell_count(lake: Path) -> int:
    files = sorted((lake / "cells").glob("*.parquet"))
    return sum(pq.read_metadata(f).num_rows for f in files)


def statuses(lake: Path) -> dict[str, int]:
    table = pq.read_table(sorted((lake / "documents").glob("*.parquet")), columns=["status"])
    counts = pc.value_counts(table["status"]).to_pylist()
    return {c["values"]: c["counts"] for c in counts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lake", type=Path)
    arguments = parser.parse_args(argv)
    for line in digest_lines(arguments.lake):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
