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
Copies 0..K-1 of the full lake are written as the ingest writes its shards: one cells and one
documents Parquet file per id bucket (the id's first two hex digits), in the lake's schema,
through `ingest.lake.parquet`. A batch of further copies (`--batch NAME`) goes into one shard
pair of its own (`part-NAME.parquet`), as an ingest that keeps new documents together would.

    uv run python -m bench.generate_lake --copies 100 --out bench/out/lake/n1m
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pyarrow as pa

from gongkai.paths import project_dir
from ingest.lake.parquet import CELLS_DIR, DOCUMENTS_DIR, shard_path, write_atomic
from ingest.schema import CELLS_SCHEMA, DOCUMENTS_SCHEMA

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BASE = OUT / "lake" / "base-n10000"
BUCKETS = [f"{i:02x}" for i in range(256)]


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


def _documents_sql(where: str) -> str:
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
        select {columns}
        from base_documents as documents
        inner join copies on documents.report_id = copies.report_id
        left join divisions as original
            on documents.agency_division_code = original.division_code
        left join divisions as shifted
            on original.division_level = shifted.division_level
            and shifted.level_position
                = (original.level_position + copies.k * 47) % original.level_count
        where {where}
        order by report_id, source_path
    """


def _cells_sql(where: str) -> str:
    scaled = "cells.value * (copies.k + 1)"
    columns = ", ".join(
        {
            "report_id": "copies.new_id as report_id",
            "source_path": "'copy-' || copies.k || '/' || cells.source_path as source_path",
            "value": f"case when cells.unit is null then {scaled} else cells.value end as value",
            "raw_text": "case when cells.unit is null and cells.value is not null "
            "and cells.raw_text = cast(cast(cells.value as bigint) as varchar) "
            f"then cast(cast({scaled} as bigint) as varchar) else cells.raw_text end as raw_text",
        }.get(field.name, f"cells.{field.name}")
        for field in CELLS_SCHEMA
    )
    return f"""
        select {columns}
        from base_cells as cells
        inner join copies on cells.report_id = copies.report_id
        where {where}
        order by report_id, cell_seq
    """


def _shard(connection: duckdb.DuckDBPyConnection, lake: Path, name: str, where: str) -> int:
    cursor = connection.cursor()
    documents = cursor.execute(_documents_sql(where)).to_arrow_table()
    cells = cursor.execute(_cells_sql(where)).to_arrow_table()
    cursor.close()
    write_atomic(_cast(cells, CELLS_SCHEMA), shard_path(lake, CELLS_DIR, name))
    write_atomic(_cast(documents, DOCUMENTS_SCHEMA), shard_path(lake, DOCUMENTS_DIR, name))
    return cells.num_rows


def _cast(table: pa.Table, schema: pa.Schema) -> pa.Table:
    return pa.Table.from_batches(table.to_batches(), schema=table.schema).cast(schema)


def generate(
    base: Path,
    lake: Path,
    copies: int,
    first: int = 0,
    batch: str | None = None,
    reports: int | None = None,
) -> int:
    """Write copies [first, first + copies) of `base` (of its first `reports` reports) into
    `lake`; returns the cells written.

    Without `batch` one shard pair per id bucket (an existing shard is replaced); with it
    one shard pair named after it.
    """
    connection = connect(base)
    map_copies(connection, first, copies, reports)
    if batch is not None:
        return _shard(connection, lake, batch, "true")
    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = pool.map(
            lambda bucket: _shard(connection, lake, bucket, f"copies.new_id like '{bucket}%'"),
            BUCKETS,
        )
        return sum(counts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--base", type=Path, default=BASE, help="the lake to copy")
    parser.add_argument("--out", type=Path, required=True, help="the lake to write")
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--first", type=int, default=0, help="first copy number")
    parser.add_argument("--batch", help="write the copies as one shard pair of this name")
    parser.add_argument("--reports", type=int, help="copy only the first N base reports")
    arguments = parser.parse_args(argv)
    started = time.perf_counter()
    cells = generate(
        arguments.base,
        arguments.out,
        arguments.copies,
        arguments.first,
        arguments.batch,
        arguments.reports,
    )
    print(f"{cells} cells in {time.perf_counter() - started:.1f} s -> {arguments.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
