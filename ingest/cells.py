"""One document's cell rows held column by column, in the order of the lake's cells schema.

A shard's cells become Arrow column by column: holding them as columns from the placement
on spares a dict per cell and turning those rows back into columns. Rows are made only
when asked for (tests, a person reading one report).
"""

from __future__ import annotations

from typing import Any

from ingest.schema import CELLS_SCHEMA

CELL_FIELDS: tuple[str, ...] = tuple(CELLS_SCHEMA.names)


class CellBatch:
    """The cells of one document: `columns[name]` lists every cell's value of that field."""

    __slots__ = ("columns",)

    def __init__(self) -> None:
        self.columns: dict[str, list[Any]] = {name: [] for name in CELL_FIELDS}

    def __len__(self) -> int:
        return len(self.columns["locator"])

    def rows(self) -> list[dict[str, Any]]:
        """The cells as rows, one dict per cell with the fields in the schema's order."""
        columns = zip(*self.columns.values(), strict=True)
        return [dict(zip(CELL_FIELDS, values, strict=True)) for values in columns]
