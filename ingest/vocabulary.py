"""The vocabularies as data: units, blank markers, value kinds, statuses and templates.

Each is one seed CSV that dbt loads as well, so Python and SQL read the same words. Adding a
unit or a marker is one line in its seed; the code names only the codes its logic depends on,
and `code` refuses a code the seed does not have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from gongkai.seeds import read_seed


@dataclass(frozen=True)
class Template:
    template: str
    first_report_year: int | None
    last_report_year: int | None
    has_standard_tables: bool
    is_reconcilable: bool


def _flag(text: str) -> bool:
    return text.strip().lower() == "true"


def _year(text: str) -> int | None:
    return int(text) if text.strip() else None


@cache
def units() -> dict[str, str]:
    """unit as printed -> unit_kind (money, count, percent), from units.csv."""
    return {row["unit"]: row["unit_kind"] for row in read_seed("units.csv")}


def money_units() -> tuple[str, ...]:
    return tuple(unit for unit, kind in units().items() if kind == "money")


@cache
def value_markers() -> dict[str, str]:
    """Printed blank / not-applicable marker -> its value_kind, from value_markers.csv."""
    return {row["marker"]: row["value_kind"] for row in read_seed("value_markers.csv")}


@cache
def value_kinds() -> tuple[str, ...]:
    return tuple(row["value_kind"] for row in read_seed("value_kinds.csv"))


@cache
def cell_statuses() -> tuple[str, ...]:
    return tuple(row["cell_status"] for row in read_seed("cell_statuses.csv"))


@cache
def placed_cell_statuses() -> frozenset[str]:
    """Statuses of cells sitting in a template cell, whose value counts."""
    return frozenset(
        row["cell_status"] for row in read_seed("cell_statuses.csv") if _flag(row["is_placed"])
    )


@cache
def document_statuses() -> tuple[str, ...]:
    return tuple(row["document_status"] for row in read_seed("document_statuses.csv"))


@cache
def templates() -> tuple[Template, ...]:
    return tuple(
        Template(
            template=row["template"],
            first_report_year=_year(row["first_report_year"]),
            last_report_year=_year(row["last_report_year"]),
            has_standard_tables=_flag(row["has_standard_tables"]),
            is_reconcilable=_flag(row["is_reconcilable"]),
        )
        for row in read_seed("templates.csv")
    )


def code(vocabulary: tuple[str, ...] | frozenset[str], name: str) -> str:
    """`name`, checked to be in `vocabulary`: code that names a code fails early if it drifts."""
    if name not in vocabulary:
        raise LookupError(f"{name!r} is not in the seed vocabulary {sorted(vocabulary)}")
    return name


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """A regex alternation of literal words, longest first so 人次 wins over 次."""
    return "|".join(re.escape(word) for word in sorted(words, key=lambda w: (-len(w), w)))


def table_templates() -> tuple[Template, ...]:
    """Templates whose reports print the standard tables, oldest first."""
    with_tables = [t for t in templates() if t.has_standard_tables]
    return tuple(sorted(with_tables, key=lambda t: t.first_report_year or 0))


def assumed_table_template(report_year: int | None) -> str:
    """The table template a report of `report_year` uses, when its labels do not say.

    The latest template in force by that year; the newest when the year is unknown, the
    oldest for a year before all of them.
    """
    candidates = table_templates()
    if report_year is None:
        return candidates[-1].template
    started = [t for t in candidates if (t.first_report_year or 0) <= report_year]
    return (started[-1] if started else candidates[0]).template


def template_of_year(report_year: int | None) -> Template | None:
    """The template in force for `report_year` (open-ended ranges allowed), if any."""
    if report_year is None:
        return None
    for template in templates():
        first, last = template.first_report_year, template.last_report_year
        if first is None and last is None:
            continue  # `unknown`: no years of its own
        if (first is None or first <= report_year) and (last is None or report_year <= last):
            return template
    return None
