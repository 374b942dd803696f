"""The exact identities (勾稽关系) of one template table, instantiated cell by cell from the seeds.

seeds/reconciliation_rules.csv says which rules are exact sums (`evaluation` = terms) and
along which axis they repeat (`scope_axis`: one equation per column, or per row);
seeds/reconciliation_terms.csv names their cells, sides and signs. The dbt models evaluate the
same rows, so the parser infers run-together cells with exactly the rules the warehouse checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from gongkai.seeds import read_seed
from ingest.tables.labels import placement_rows

Key = tuple[str, str]  # (row_code, col_code)


@dataclass(frozen=True)
class Identity:
    """sum(coefficient * cell) == 0 over `terms`; `scope` is the column or row it holds for."""

    rule_id: str
    scope: str
    terms: tuple[tuple[Key, int], ...]

    def holds(self, values: dict[Key, int]) -> bool:
        return sum(coefficient * values[key] for key, coefficient in self.terms) == 0

    @property
    def name(self) -> str:
        return f"{self.rule_id}[{self.scope}]"


@cache
def table_identities(template: str, table_code: str) -> tuple[Identity, ...]:
    """Every exact identity of one table, one per column or row it holds for.

    A rule whose terms differ by template (R02's （六）: the 2019 single row, the 2021 three
    sub-rows) gives one variant per template, this template's first: a report printing the
    other template's row still has an identity, and the solver uses whichever variant's cells
    the report printed.
    """
    rows = placement_rows(template, table_code)
    cells = {(spec.row_code, col) for spec in rows for col in spec.columns}
    row_codes = [spec.row_code for spec in rows]
    col_codes = list(dict.fromkeys(col for spec in rows for col in spec.columns))
    terms = read_seed("reconciliation_terms.csv")
    found: list[Identity] = []
    for rule in read_seed("reconciliation_rules.csv"):
        if rule["evaluation"] != "terms" or rule["table_code"] != table_code:
            continue
        rule_terms = [t for t in terms if t["rule_id"] == rule["rule_id"]]
        tags = sorted({t["template"] for t in rule_terms} - {""}, key=lambda t: t != template)
        scopes = col_codes if rule["scope_axis"] == "col_code" else row_codes
        for tag in tags or [""]:
            variant = [t for t in rule_terms if t["template"] in ("", tag)]
            for scope in scopes:
                identity = _instantiate(rule["rule_id"], scope, variant, cells)
                if identity is not None and identity not in found:
                    found.append(identity)
    return tuple(found)


def _instantiate(
    rule_id: str, scope: str, terms: list[dict[str, str]], cells: set[Key]
) -> Identity | None:
    equation: dict[Key, int] = {}
    for term in terms:
        row = term["row_code"] or scope
        col = term["col_code"] or scope
        side = 1 if term["side"] == "expected" else -1
        equation[(row, col)] = equation.get((row, col), 0) + side * int(term["sign"])
    # A rule holds for a scope only where the grid has every one of its cells.
    if not equation or any(key not in cells for key in equation):
        return None
    return Identity(rule_id, scope, tuple(sorted(equation.items())))
