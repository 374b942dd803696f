"""A national-scale lake in minutes: copies of a real lake under new report ids.

The base is a lake the ingest wrote (by default from the 10,000-document generated corpus,
`bench/generate.py`, ingested into bench/out/lake/base-n10000). Copy k of each base report
gets:
- a new report_id (16 hex of md5(report_id#k)) and sha256 (sha256 of sha256#k), and a source
  path under `copy-k/`;
- its numbers (cells without a unit: counts, and the narrative's figures) multiplied by k+1,
  so that the sums of R01-R04 still hold and no two copies print identical tables (R15 would
  pair every copy with every other);
- another division of the same level for its body (the k-th shift through seeds/divisions),
  so that the bodies of one copy are not the bodies of another (the cross-report rules pair a
  body's reports by year, and an area's report with its parts).
The copies are written as the ingest writes its shards: runs of sorted source paths cut where
a path's hash says (`ingest.lake.pipeline.shards_of`), one cells and one documents Parquet file
per shard, in the lake's schema, through `ingest.lake.parquet`. So an ingest can extend a
generated lake, and further copies (`--first K`) added to a lake rewrite only the shards whose
paths change, as an ingest would (`extend`, which bench_scale also uses to remove and move
reports).

    uv run python -m bench.generate_lake --copies 100 --out bench/out/lake/n1m
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from gongkai.paths import project_dir
from ingest.lake.parquet import CELLS_DIR, DOCUMENTS_DIR, shard_path, write_atomic
from ingest.lake.pipeline import shards_of
from ingest.schema import CELLS_SCHEMA, DOCUMENTS_SCHEMA

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BASE = OUT / "lake" / "base-n10000"
SHARDS_PER_CHUNK = 16  # written from one query: ~4,000 documents, ~750k cells


def connect(base: Path, memory: str = "4GB") -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding the base lake and the division shifts."""
    connection = duckdb.connect(config={"memory_limit": memory, "threads": 2})
    for kind in (CELLS_DIR, DOCUMENTS_DIR):
        connection.execute(
            f"create table base_{kind} as select * from "
            f"read_parquet('{base / kind}/*.parquet', union_by_name = true)"
        )
    divisions = project_dir() / "seeds" / "divisions.csv"
    connection.execute(
        f"""
        create table divisions as
        select division_code, division_level,
               row_number() over (partition by division_level order by division_code) - 1
                   as level_position,
               count(*) over (partition by division_level) as level_count
        from read_csv('{divisions}', all_varchar = true, header = true)
        """
    )
    return connection


def map_copies(
    connection: duckdb.DuckDBPyConnection, first: int, count: int, reports: int | None = None
) -> None:
    """The table `copies`: every base report (the first `reports` by id) × copy number in
    [first, first + count)."""
    limit = "" if reports is None else f"limit {int(reports)}"
    connection.execute(
        f"""
        create or replace table copies as
        select base.report_id, copy.k,
               substr(md5(base.report_id || '#' || copy.k), 1, 16) as new_id
        from (
            select distinct report_id from base_documents order by report_id {limit}
        ) as base
        cross join range({first}, {first + count}) as copy(k)
        """
    )


def _documents_sql() -> str:
    """Every copy's documents rows, with the base row they come from (for their cells)."""
    columns = ", ".join(
        {
            "report_id": "copies.new_id as report_id",
            "source_path": "'copy-' || copies.k || '/' || documents.source_path as source_path",
            "sha256": "sha256(documents.sha256 || '#' || copies.k) as sha256",
            "agency_division_code": "coalesce(shifted.division_code, "
            "documents.agency_division_code) as agency_division_code",
        }.get(field.name, f"documents.{field.name}")
        for field in DOCUMENTS_SCHEMA
    )
    return f"""
        select {columns}, documents.report_id as base_report_id,
               documents.source_path as base_path, copies.k as copy_k
        from base_documents as documents
        inner join copies on documents.report_id = copies.report_id
        left join divisions as original
            on documents.agency_division_code = original.division_code
        left join divisions as shifted
            on original.division_level = shifted.division_level
            and shifted.level_position
                = (original.level_position + copies.k * 47) % original.level_count
    """


def copied_cells(chunk: str) -> str:
    """The cells of the copied documents whose paths are in the table `chunk` (source_path,
    shard): each base cell joined to its copy, the counts scaled."""
    scaled = "cells.value * (added.copy_k + 1)"
    columns = ", ".join(
        {
            "report_id": "added.report_id",
            "source_path": "added.source_path",
            "value": f"case when cells.unit is null then {scaled} else cells.value end as value",
            "raw_text": "case when cells.unit is null and cells.value is not null "
            "and cells.raw_text = cast(cast(cells.value as bigint) as varchar) "
            f"then cast(cast({scaled} as bigint) as varchar) else cells.raw_text end as raw_text",
        }.get(field.name, f"cells.{field.name}")
        for field in CELLS_SCHEMA
    )
    return f"""
        select {columns}, chunk.shard
        from {chunk} as chunk
        inner join added_documents as added on chunk.source_path = added.source_path
        inner join base_cells as cells
            on cells.report_id = added.base_report_id and cells.source_path = added.base_path
    """


def added_cells_table(chunk: str) -> str:
    """The cells of the table `added_cells` whose paths are in `chunk`."""
    return f"""
        select {", ".join(f"cells.{name}" for name in CELLS_SCHEMA.names)}, chunk.shard
        from {chunk} as chunk
        inner join added_cells as cells on chunk.source_path = cells.source_path
    """


def lake_index(lake: Path) -> dict[str, str]:
    """source_path -> the shard that holds it, read from the lake's documents shards."""
    folder = lake / DOCUMENTS_DIR
    if not folder.is_dir() or not any(folder.glob("part-*.parquet")):
        return {}
    with duckdb.connect() as connection:
        rows = connection.execute(
            f"select source_path, filename from read_parquet('{folder}/part-*.parquet', "
            "filename = true)"
        ).fetchall()
    return {path: Path(name).stem.removeprefix("part-") for path, name in rows}


def extend(
    connection: duckdb.DuckDBPyConnection,
    lake: Path,
    cells_of: Callable[[str], str],
    dropped: Iterable[str] = (),
) -> tuple[int, int, int]:
    """Make `lake` hold its rows less those of the `dropped` paths, plus the documents of the
    table `added_documents` and their cells (`cells_of(chunk)`), cut into shards the way the
    ingest cuts them (`shards_of`). Only the shards whose paths change are written, and
    shards left empty are removed, as an ingest would. Returns (cells written, shards
    written, shards removed)."""
    old = lake_index(lake)
    dropped = set(dropped)
    added = [
        path for (path,) in connection.execute("select source_path from added_documents").fetchall()
    ]
    assert not set(added) & (set(old) - dropped), "added paths are already in the lake"
    plan = shards_of([path for path in old if path not in dropped] + added)
    old_members: dict[str, set[str]] = defaultdict(set)
    for path, shard in old.items():
        old_members[shard].add(path)
    written = [(name, paths) for name, paths in plan if set(paths) != old_members.get(name)]
    gone = sorted(set(old_members) - {name for name, _ in plan})
    assignment = pa.table(
        {
            "source_path": [path for _, paths in written for path in paths],
            "shard": [name for name, paths in written for _ in paths],
            "shard_no": [number for number, (_, paths) in enumerate(written) for _ in paths],
        },
        schema=pa.schema(
            [("source_path", pa.string()), ("shard", pa.string()), ("shard_no", pa.int64())]
        ),
    )
    connection.register("assignment_in", assignment)
    connection.execute("create or replace table assignment as select * from assignment_in")
    connection.unregister("assignment_in")
    # The rows kept from old shards are read before any shard is replaced.
    moving = assignment.column("source_path").to_pylist()
    read = sorted({old[path] for path in moving if path in old})
    for kind, schema in ((DOCUMENTS_DIR, DOCUMENTS_SCHEMA), (CELLS_DIR, CELLS_SCHEMA)):
        files = [str(shard_path(lake, kind, name)) for name in read]
        connection.register(f"empty_{kind}", schema.empty_table())
        source = f"read_parquet({files!r})" if files else f"empty_{kind}"
        connection.execute(
            f"create or replace table kept_{kind} as select * from {source} "
            "where source_path in (select source_path from assignment)"
        )
    chunks = [
        (first, min(first + SHARDS_PER_CHUNK, len(written)))
        for first in range(0, len(written), SHARDS_PER_CHUNK)
    ]

    def write_chunk(bounds: tuple[int, int]) -> int:
        cursor = connection.cursor()
        chunk = f"chunk_{bounds[0]}"
        cursor.execute(
            f"create table {chunk} as select source_path, shard from assignment "
            f"where shard_no >= {bounds[0]} and shard_no < {bounds[1]}"
        )
        documents = cursor.execute(
            f"""
            select {", ".join(f"rows.{name}" for name in DOCUMENTS_SCHEMA.names)}, chunk.shard
            from {chunk} as chunk
            inner join (
                select {", ".join(DOCUMENTS_SCHEMA.names)} from kept_documents
                union all
                select {", ".join(DOCUMENTS_SCHEMA.names)} from added_documents
            ) as rows on chunk.source_path = rows.source_path
            order by chunk.shard, rows.report_id, rows.source_path
            """
        ).to_arrow_table()
        cells = cursor.execute(
            f"""
            select * from (
                {added_cells_table(chunk).replace("added_cells", "kept_cells")}
                union all
                {cells_of(chunk)}
            ) order by shard, report_id, cell_seq
            """
        ).to_arrow_table()
        cursor.execute(f"drop table {chunk}")
        cursor.close()
        for name, _paths in written[bounds[0] : bounds[1]]:
            for kind, table, schema in (
                (CELLS_DIR, cells, CELLS_SCHEMA),
                (DOCUMENTS_DIR, documents, DOCUMENTS_SCHEMA),
            ):
                rows = table.filter(pc.equal(table.column("shard"), name)).drop_columns("shard")
                write_atomic(_cast(rows, schema), shard_path(lake, kind, name))
        return cells.num_rows

    with ThreadPoolExecutor(max_workers=2) as pool:
        cells_written = sum(pool.map(write_chunk, chunks))
    for name in gone:
        for kind in (CELLS_DIR, DOCUMENTS_DIR):
            shard_path(lake, kind, name).unlink(missing_ok=True)
    return cells_written, len(written), len(gone)


def _cast(table: pa.Table, schema: pa.Schema) -> pa.Table:
    return pa.Table.from_batches(table.to_batches(), schema=table.schema).cast(schema)


def generate(
    base: Path, lake: Path, copies: int, first: int = 0, reports: int | None = None
) -> tuple[int, int, int]:
    """Add copies [first, first + copies) of `base` (of its first `reports` reports) to
    `lake` (an empty or missing folder makes a new lake); returns (cells written, shards
    written, shards removed)."""
    connection = connect(base)
    map_copies(connection, first, copies, reports)
    connection.execute(f"create table added_documents as {_documents_sql()}")
    return extend(connection, lake, copied_cells)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--base", type=Path, default=BASE, help="the lake to copy")
    parser.add_argument("--out", type=Path, required=True, help="the lake to write")
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--first", type=int, default=0, help="first copy number")
    parser.add_argument("--reports", type=int, help="copy only the first N base reports")
    arguments = parser.parse_args(argv)
    started = time.perf_counter()
    cells = generate(
        arguments.base,
        arguments.out,
        arguments.copies,
        arguments.first,
        arguments.reports,
    )
    print(
        f"{cells[0]} cells written, {cells[1]} shards written, {cells[2]} removed, "
        f"in {time.perf_counter() - started:.1f} s -> {arguments.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
