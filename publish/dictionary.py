"""The data dictionary: every mart and column with its English and Chinese name and caveats.

Descriptions are the ones written in models/marts/_marts__models.yml. dbt renders them (doc
blocks included) into `target/manifest.json` and, through `persist_docs`, into the comments
of the warehouse's tables and columns; we read the comments, so the dictionary depends only on
the warehouse file being exported. The Chinese name is the parenthesised text of a
description that contains Chinese (e.g. "Number of cases (案件数)." gives 案件数).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from publish.warehouse import MARTS, fetch_dicts

HEADER: tuple[str, ...] = (
    "mart 数据表",
    "column 字段",
    "name_zh 中文名",
    "data_type 类型",
    "description 说明",
    "caveats 注意事项",
)
TABLE_ROW_MARKER = "(table 表)"
CJK = re.compile(r"[\u3400-\u9fff]")
OPENING = "(（"
CLOSING = {"(": ")", "（": "）"}
ASCII_WORD = re.compile(r"[A-Za-z0-9]")


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


def chinese_name(description: str, last: bool = False) -> str:
    """The Chinese name in a description: the first (or `last`) bracketed Chinese label.

    A label is a comma-separated part of a bracketed span that contains Chinese and no ASCII
    letters or digits: "Outcome group (办理结果类别): granted (予以公开) …" gives 办理结果类别,
    "(status ok, 已定位)" gives 已定位, "count, signed_count (2019 本年增/减) or money
    (数值类型)" gives 数值类型; nested full-width brackets stay: "(三、本年度办理结果（七）总计)".
    """
    labels = [
        part.strip()
        for span in _parenthesised(description)
        for part in re.split(r",\s*|，", span)
        if CJK.search(part) and not ASCII_WORD.search(part)
    ]
    if not labels:
        return ""
    return labels[-1] if last else labels[0]


def split_caveats(description: str) -> tuple[str, str]:
    """(definition, caveats): the first sentence defines, what follows it is a caveat.

    A clause after a top-level semicolon in the first sentence ("…; null when blank.") is a
    caveat too; semicolons inside brackets or quotes are not split.
    """
    text = " ".join(description.split())
    sentences = re.split(r"(?<=[.。])\s+(?=[A-Z`*(])", text)
    first, rest = sentences[0], sentences[1:]
    cut = _top_level_semicolon(first)
    if cut is None:
        return first, " ".join(rest)
    head, tail = first[:cut].rstrip(), first[cut + 1 :].strip()
    caveats = ([tail[0].upper() + tail[1:]] if tail else []) + rest
    return head + ("" if head.endswith(".") else "."), " ".join(caveats)


def first_sentence(description: str) -> str:
    """The first sentence of a description (the grain, for a mart)."""
    text = " ".join(description.split())
    return re.split(r"(?<=[.。])\s+(?=[A-Z`*(])", text)[0]


def entries(connection: duckdb.DuckDBPyConnection) -> list[Entry]:
    """The dictionary of every mart in MARTS order, columns in table order."""
    tables = {
        row["table_name"]: row["comment"] or ""
        for row in fetch_dicts(
            connection, "select table_name, comment from duckdb_tables() where schema_name = 'main'"
        )
    }
    columns = fetch_dicts(
        connection,
        "select table_name, column_name, data_type, comment from duckdb_columns()"
        " where schema_name = 'main' order by table_name, column_index",
    )
    result: list[Entry] = []
    for mart in MARTS:
        result.append(_entry(mart, TABLE_ROW_MARKER, "TABLE", tables.get(mart, "")))
        for column in columns:
            if column["table_name"] == mart:
                result.append(
                    _entry(mart, column["column_name"], column["data_type"], column["comment"])
                )
    return result


def _entry(mart: str, column: str, data_type: str, comment: str | None) -> Entry:
    """A mart's Chinese name is the last label of its first sentence (the grain sentence names
    the grain first, then the table, e.g. 申请人类型 … 收到和处理政府信息公开申请情况)."""
    description = " ".join((comment or "").split())
    definition, caveats = split_caveats(description) if description else ("", "")
    if column == TABLE_ROW_MARKER:
        name_zh = chinese_name(first_sentence(description), last=True)
    else:
        name_zh = chinese_name(description)
    return Entry(mart, column, name_zh, data_type, definition, caveats)


def _parenthesised(text: str) -> list[str]:
    """Top-level bracketed spans of `text`, ASCII or full-width, nesting respected."""
    spans: list[str] = []
    stack: list[str] = []
    start = 0
    for position, character in enumerate(text):
        if character in OPENING:
            if not stack:
                start = position + 1
            stack.append(CLOSING[character])
        elif stack and character == stack[-1]:
            stack.pop()
            if not stack:
                spans.append(text[start:position])
    return spans


def _top_level_semicolon(text: str) -> int | None:
    """Index of the first "; " outside brackets and quotes, or None."""
    depth = 0
    quoted = False
    for position, character in enumerate(text):
        if character in OPENING:
            depth += 1
        elif character in ")）":
            depth = max(depth - 1, 0)
        elif character == "'" and not quoted and (position == 0 or text[position - 1] == " "):
            quoted = True
        elif character == "'" and quoted:
            quoted = False
        elif character == ";" and depth == 0 and not quoted:
            if text[position + 1 : position + 2] == " ":
                return position
    return None
