"""The data dictionary: every exported mart and column with its Chinese name and caveats.

It is a mart itself (`dim_data_dictionary`): dbt builds it from models/marts/_marts__models.yml
when it runs, with the Chinese name and caveats written in each entry's `meta`
(`label_zh`, `caveats`), the type its contract states and its description. Reading it keeps
the dictionary true to the warehouse file being exported, and nothing is guessed from the
English text.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from publish.warehouse import DICTIONARY_MART, fetch_dicts

HEADER: tuple[str, ...] = (
    "mart 数据表",
    "column 字段",
    "name_zh 中文名",
    "data_type 类型",
    "description 说明",
    "caveats 注意事项",
)
TABLE_ROW_MARKER = "(table 表)"


@dataclass(frozen=True)
class Entry:
    """One line of the dictionary: a mart (column is TABLE_ROW_MARKER) or one of its columns."""

    mart: str
    column: str
    name_zh: str
    data_type: str
    description: str
    caveats: str

    def as_row(self) -> tuple[str, ...]:
        return (
            self.mart,
            self.column,
            self.name_zh,
            self.data_type,
            self.description,
            self.caveats,
        )


def entries(connection: duckdb.DuckDBPyConnection) -> list[Entry]:
    """The dictionary of every exported mart in export order, columns in YAML order."""
    rows = fetch_dicts(
        connection,
        f"""
        select mart_name, column_name, label_zh, data_type, description, caveats
        from main.{DICTIONARY_MART}
        where is_exported
        order by export_order, mart_name, column_position
        """,
    )
    return [
        Entry(
            row["mart_name"],
            row["column_name"] or TABLE_ROW_MARKER,
            row["label_zh"] or "",
            row["data_type"] or "TABLE",
            row["description"] or "",
            row["caveats"] or "",
        )
        for row in rows
    ]
