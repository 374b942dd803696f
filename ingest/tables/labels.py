"""Label dictionaries: the seeds/ CSV files that both this package and the dbt models read.

Printed labels vary (full-width brackets, "1、" / "1." / "１．", spaces and line breaks inside
labels, quotes); `gongkai.text.normalize` folds those variants so one regex per row code
matches them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from gongkai.seeds import read_seed
from gongkai.text import normalize


@dataclass(frozen=True)
class RowSpec:
    """One row of a template table: its code, the column codes it holds, its label regex."""

    table_code: str
    row_code: str
    label_zh: str
    columns: tuple[str, ...]
    pattern: re.Pattern[str] | None
    # A row of another template that reports of this one sometimes print (the 2019 single
    # （六）其他处理 in a 2021 table, or the reverse): placed when its label is printed, never
    # expected, never counted missing.
    optional: bool = False


@cache
def row_labels() -> dict[tuple[str, str], dict[str, str]]:
    """(table_code, row_code) -> the row_labels.csv record."""
    return {(r["table_code"], r["row_code"]): r for r in read_seed("row_labels.csv")}


@cache
def column_labels() -> dict[tuple[str, str], dict[str, str]]:
    """(table_code, col_code) -> the column_labels.csv record."""
    return {(r["table_code"], r["col_code"]): r for r in read_seed("column_labels.csv")}


def column_label(table_code: str, col_code: str | None) -> str | None:
    """The column heading as the template prints it (None for an unplaced cell)."""
    if col_code is None:
        return None
    return column_labels()[(table_code, col_code)]["label_zh"]


@cache
def template_rows(template: str, table_code: str) -> tuple[RowSpec, ...]:
    """The rows of one table of one template, in printed order, from template_cells.csv."""
    columns: dict[str, list[tuple[int, str]]] = {}
    order: dict[str, int] = {}
    for record in read_seed("template_cells.csv"):
        if record["template"] != template or record["table_code"] != table_code:
            continue
        row = record["row_code"]
        order[row] = int(record["row_order"])
        columns.setdefault(row, []).append((int(record["col_order"]), record["col_code"]))
    specs = []
    for row in sorted(order, key=order.__getitem__):
        label = row_labels()[(table_code, row)]
        pattern = label["match_pattern"]
        specs.append(
            RowSpec(
                table_code=table_code,
                row_code=row,
                label_zh=label["label_zh"],
                columns=tuple(code for _, code in sorted(columns[row])),
                pattern=re.compile(pattern) if pattern else None,
            )
        )
    return tuple(specs)


@cache
def placement_rows(template: str, table_code: str) -> tuple[RowSpec, ...]:
    """The template's rows, plus the other templates' rows a report of it may print instead.

    A row of another template joins (as optional, at its place in that template) when its
    columns are ones this template's table has, so its cells fit the same grid.
    """
    own = list(template_rows(template, table_code))
    codes = {spec.row_code for spec in own}
    grid = {col for spec in own for col in spec.columns}
    templates = sorted({r["template"] for r in read_seed("template_cells.csv")} - {template})
    for other in templates:
        other_rows = template_rows(other, table_code)
        for index, spec in enumerate(other_rows):
            if spec.row_code in codes or not set(spec.columns) <= grid:
                continue
            # Before the first of our rows that follows it in its own template; a group
            # heading (（六）其他处理) goes before the rows it heads.
            after = [s.row_code for s in other_rows[index + 1 :] if s.row_code in codes]
            headed = [i for i, s in enumerate(own) if heading_of(spec, s)]
            at = next((i for i, s in enumerate(own) if after and s.row_code == after[0]), len(own))
            own.insert(min(headed, default=at), _optional(spec))
            codes.add(spec.row_code)
    return tuple(own)


def _optional(spec: RowSpec) -> RowSpec:
    return RowSpec(spec.table_code, spec.row_code, spec.label_zh, spec.columns, spec.pattern, True)


def heading_of(upper: RowSpec, lower: RowSpec) -> bool:
    """Is `upper`'s label the group heading printed over `lower` (（六）其他处理 over its 1.)?"""
    return lower.label_zh.startswith(upper.label_zh + " ")


@cache
def markers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """kind -> [(name, regex)] from markers.csv: section bounds and template fingerprints."""
    grouped: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for record in read_seed("markers.csv"):
        grouped.setdefault(record["kind"], []).append(
            (record["name"], re.compile(record["pattern"]))
        )
    return grouped


@cache
def vocabulary_pattern() -> re.Pattern[str]:
    """Any printed table text: row and column labels, captions, headers, section markers.

    Tells a label glued to digits from ordinary text, and a text cell from a label.
    """
    words = {normalize(r["label_zh"]).split(".")[-1] for r in read_seed("column_labels.csv")}
    patterns = [r["match_pattern"] for r in read_seed("row_labels.csv") if r["match_pattern"]]
    patterns += [p.pattern for kind in ("section_start", "table_text") for _, p in markers()[kind]]
    alternatives = sorted(re.escape(w) for w in words if len(w) >= 2) + patterns
    return re.compile("|".join(f"(?:{a})" for a in alternatives))
