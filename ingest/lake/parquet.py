"""Deterministic, atomic Parquet files: the only module that writes the lake."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

import gongkai.files as files
from gongkai.files import Staged
from ingest.cells import CellBatch
from ingest.schema import CELLS_SCHEMA, DOCUMENTS_SCHEMA

CELLS_DIR = "cells"
DOCUMENTS_DIR = "documents"


def shard_path(lake: Path, kind: str, bucket: str) -> Path:
    return lake / kind / f"part-{bucket}.parquet"


def stage(table: pa.Table, path: Path) -> Staged:
    """Write `table` under a temporary name beside `path`; returns (temporary, path).

    The caller renames it into place once every shard of the run is written, so a failure
    part way (a full disk) leaves the lake as it was; it unlinks the temporary otherwise.
    """
    return files.stage(
        path,
        lambda temporary: pq.write_table(
            table,
            temporary,
            compression="zstd",
            row_group_size=1_000_000,
            write_statistics=True,
        ),
    )


JOURNAL = ".commit.json"


def commit(lake: Path, staged: list[tuple[Path, Path]], gone: list[Path]) -> None:
    """Put the staged shards in place and remove the `gone` ones, as one step.

    A shard can move (its documents now belong to shards with other names), so a run
    killed between two renames could leave a document in an old and a new shard. The
    journal, written before the first rename, lets the next run finish the step.
    """
    if not staged and not gone:
        return
    journal = lake / JOURNAL
    steps = {
        "rename": [[str(t.relative_to(lake)), str(f.relative_to(lake))] for t, f in staged],
        "remove": [str(path.relative_to(lake)) for path in gone],
    }
    temporary = journal.with_name(f"{JOURNAL}.tmp")
    temporary.write_text(json.dumps(steps), encoding="utf-8")
    os.replace(temporary, journal)
    _apply(lake, steps)
    journal.unlink()


def finish_commit(lake: Path) -> bool:
    """Finish what a killed run left half done (the caller holds the lake's lock)."""
    (lake / f"{JOURNAL}.tmp").unlink(missing_ok=True)  # killed before its commit began
    journal = lake / JOURNAL
    if not journal.exists():
        return False
    _apply(lake, json.loads(journal.read_text(encoding="utf-8")))
    journal.unlink()
    return True


def _apply(lake: Path, steps: dict[str, list]) -> None:
    for temporary, final in steps["rename"]:
        if (lake / temporary).exists():
            os.replace(lake / temporary, lake / final)
    for path in steps["remove"]:
        (lake / path).unlink(missing_ok=True)


def write_atomic(table: pa.Table, path: Path) -> None:
    """Write to a temporary name in the same folder, then rename: readers never see half a file."""
    temporary, _ = stage(table, path)
    try:
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def remove_temporaries(lake: Path) -> list[Path]:
    """Shards staged but not renamed into place (the caller holds the lake's lock)."""
    removed = []
    for kind in (CELLS_DIR, DOCUMENTS_DIR):
        for path in sorted((lake / kind).glob(".part-*.parquet.*.tmp")):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def remove_orphans(lake: Path) -> list[Path]:
    """What a killed run can leave (the caller holds the lake's lock): temporary shards, and
    a cells shard whose documents shard was already removed."""
    finish_commit(lake)
    removed = remove_temporaries(lake)
    for path in sorted((lake / CELLS_DIR).glob("part-*.parquet")):
        if not (lake / DOCUMENTS_DIR / path.name).exists():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def documents_table(rows: list[dict[str, Any]]) -> pa.Table:
    rows = sorted(rows, key=lambda row: (row["report_id"], row["source_path"]))
    return pa.Table.from_pylist(rows, schema=DOCUMENTS_SCHEMA)


_CELL_FIELDS = itemgetter(*CELLS_SCHEMA.names)
# Columns whose equal values are identical (text): 0.0 == -0.0, so numbers are converted.
_CELL_TEXT = tuple(pa.types.is_string(column.type) for column in CELLS_SCHEMA)


def cell_rows_table(rows: list[dict[str, Any]]) -> pa.Table:
    """One document's cell rows as a table: the same as `Table.from_pylist`, built column by
    column (see `cell_columns_table`)."""
    if not rows:
        return CELLS_SCHEMA.empty_table()
    return cell_columns_table(list(zip(*map(_CELL_FIELDS, rows), strict=True)))


def cell_columns_table(columns: Iterable[Sequence[Any]]) -> pa.Table:
    """Cells given column by column (the schema's order) as a table. A text column holding
    one value throughout (the report's id and path) and a column with no value at all are
    repeated in Arrow instead of converted value by value."""
    arrays = []
    for values, column, text in zip(columns, CELLS_SCHEMA, _CELL_TEXT, strict=True):
        count = len(values)
        if not count:
            return CELLS_SCHEMA.empty_table()
        first = values[0]
        if (text or first is None) and values.count(first) == count:
            arrays.append(pa.repeat(pa.scalar(first, column.type), count))
        else:
            arrays.append(pa.array(values, column.type))
    return pa.Table.from_arrays(arrays, schema=CELLS_SCHEMA)


class CellColumns:
    """Cells of many documents gathered column by column, made one table at the end:
    the same table as `cell_rows_table` over all the rows, without a dict per cell kept."""

    def __init__(self) -> None:
        self.columns: list[list[Any]] = [[] for _ in CELLS_SCHEMA]
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def add(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        for column, values in zip(
            self.columns, zip(*map(_CELL_FIELDS, rows), strict=True), strict=True
        ):
            column.extend(values)
        self.count += len(rows)

    def extend(self, batch: CellBatch) -> None:
        """A document's cells as its parser made them, column by column."""
        for column, values in zip(self.columns, batch.columns.values(), strict=True):
            column.extend(values)
        self.count += len(batch)

    def table(self) -> pa.Table:
        if not self.count:
            return CELLS_SCHEMA.empty_table()
        return pa.Table.from_arrays(
            [
                _cell_array(values, field.type)
                for values, field in zip(self.columns, CELLS_SCHEMA, strict=True)
            ],
            schema=CELLS_SCHEMA,
        )


def _cell_array(values: list[Any], type_: pa.DataType) -> pa.Array:
    """A column without any value is repeated in Arrow, not converted value by value."""
    if values[0] is None and values.count(None) == len(values):
        return pa.nulls(len(values), type_)
    return pa.array(values, type_)


def cells_table(batches: list[pa.Table]) -> pa.Table:
    if not batches:
        return CELLS_SCHEMA.empty_table()
    table = pa.concat_tables(batches)
    return table.sort_by([("report_id", "ascending"), ("cell_seq", "ascending")])


def read_shard(path: Path, schema: pa.Schema) -> pa.Table | None:
    """The shard as written by this version, or None when absent or from another schema."""
    if not path.exists():
        return None
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowInvalid):
        return None
    return table if table.schema.equals(schema) else None


def remove(path: Path) -> None:
    if path.exists():
        path.unlink()
