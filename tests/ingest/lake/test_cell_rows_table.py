"""A document's cell rows become the same Arrow table however they are converted.

`cell_rows_table` builds the table column by column and repeats a column holding one value;
`CellColumns` gathers the cells of many documents and converts each column once (how a
worker builds a shard, from the columns the parser makes); `Table.from_pylist` converts every
value. The lake's cells must not depend on which one ran.
"""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow as pa
import pytest

from ingest.cells import CellBatch
from ingest.document import parse_document, parse_document_columns
from ingest.lake.parquet import CellColumns, cell_columns_table, cell_rows_table
from ingest.schema import CELLS_SCHEMA
from tests.conftest import FIXTURES, SAMPLE

REPORTS = sorted(
    path
    for folder in (SAMPLE, FIXTURES / "real", FIXTURES / "rendered")
    for path in folder.iterdir()
    if path.is_file()
    and path.suffix in (".txt", ".md", ".html", ".htm")
    and path.name != "SOURCES.md"  # notes on where the fixtures come from
)


def _row(**values: object) -> dict[str, object]:
    row: dict[str, object] = {name: None for name in CELLS_SCHEMA.names}
    row.update(
        report_id="r1",
        cell_seq=0,
        source_path="a/b.txt",
        table_code="applications",
        raw_text="0",
        value_kind="zero",
        status="ok",
        locator="L1",
    )
    row.update(values)
    return row


def _same(rows: list[dict[str, object]]) -> None:
    expected = pa.Table.from_pylist(rows, schema=CELLS_SCHEMA)
    built = cell_rows_table(rows)
    assert built.schema.equals(CELLS_SCHEMA)
    assert built.equals(expected)
    assert built.to_pylist() == expected.to_pylist()


@pytest.mark.parametrize("path", REPORTS, ids=lambda path: path.name)
def test_real_reports_give_the_same_table(path: Path) -> None:
    _, cells = parse_document(path.read_bytes(), path.name, "r1")
    assert cells, f"{path.name} gave no cells: nothing compared"
    _same(cells)


def test_a_negative_zero_keeps_its_sign_beside_a_zero() -> None:
    # 0.0 == -0.0: a column is repeated only when its values are text or all missing.
    rows = [_row(cell_seq=0, value=0.0), _row(cell_seq=1, raw_text="-0", value=-0.0)]
    _same(rows)
    values = cell_rows_table(rows)["value"].to_pylist()
    assert [math.copysign(1, v) for v in values] == [1, -1]


def test_columns_of_one_value_or_none_and_no_rows() -> None:
    rows = [_row(cell_seq=seq, note="same note", confidence=None) for seq in range(5)]
    _same(rows)
    _same([_row(cell_seq=0, note="only one")])
    assert cell_rows_table([]).equals(CELLS_SCHEMA.empty_table())


def test_the_rows_of_many_reports_gathered_give_the_same_table() -> None:
    everything: list[dict[str, object]] = []
    gathered = CellColumns()
    for number, path in enumerate(REPORTS):
        _, cells = parse_document(path.read_bytes(), path.name, f"r{number}")
        everything.extend(cells)
        gathered.add(cells)
        gathered.add([])
    assert len(gathered) == len(everything) > 0
    expected = pa.Table.from_pylist(everything, schema=CELLS_SCHEMA)
    assert gathered.table().equals(expected)
    assert gathered.table().equals(pa.concat_tables([cell_rows_table(everything)]))
    assert CellColumns().table().equals(CELLS_SCHEMA.empty_table())


def test_the_parsers_columns_give_the_same_table_as_its_rows() -> None:
    everything: list[dict[str, object]] = []
    gathered = CellColumns()
    for number, path in enumerate(REPORTS):
        _, batch = parse_document_columns(path.read_bytes(), path.name, f"r{number}")
        rows = batch.rows()
        assert len(batch) == len(rows) > 0 and list(rows[0]) == CELLS_SCHEMA.names
        assert cell_columns_table(batch.columns.values()).equals(cell_rows_table(rows))
        everything.extend(rows)
        gathered.extend(batch)
        gathered.extend(CellBatch())
    assert len(gathered) == len(everything)
    assert gathered.table().equals(pa.Table.from_pylist(everything, schema=CELLS_SCHEMA))
    assert cell_columns_table(CellBatch().columns.values()).equals(CELLS_SCHEMA.empty_table())
