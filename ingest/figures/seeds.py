"""The seeds the pre-2019 readers use: label map, header words, units, identities, patterns.

All of them are CSV files under seeds/ that the dbt models read too; nothing here is a literal
vocabulary of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from gongkai.seeds import read_seed

STATISTICS_TABLE = "legacy"
NARRATIVE_TABLE = "narrative"


@cache
def legacy_labels() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(row_code, pattern) for the indicator labels of pre-2019 statistics tables."""
    return tuple(
        (r["row_code"], re.compile(r["match_pattern"])) for r in read_seed("legacy_labels.csv")
    )


@cache
def legacy_columns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(col_code, pattern) for the value-column headings (本年度 / 历年累计 …)."""
    return tuple(
        (r["col_code"], re.compile(r["match_pattern"])) for r in read_seed("legacy_columns.csv")
    )


@cache
def marker(kind: str) -> re.Pattern[str]:
    """All markers.csv patterns of one kind as one alternation."""
    patterns = [r["pattern"] for r in read_seed("markers.csv") if r["kind"] == kind]
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@cache
def table_start_markers() -> dict[str, re.Pattern[str]]:
    """name -> pattern of the legacy_table_start markers (header words, table title)."""
    return {
        r["name"]: re.compile(r["pattern"])
        for r in read_seed("markers.csv")
        if r["kind"] == "legacy_table_start"
    }


@dataclass(frozen=True)
class Identity:
    """A statistics-table identity: `actual` (one row) compared with the sum of `parts`.

    `relation` is the rule's evaluation: `present_sum_equal` (actual = Σ printed parts) or
    `present_sum_at_least` (actual ≥ Σ printed parts). `scope_axis` col_code means the identity
    holds in each value column; row_code means it holds within each row (cumulative ≥ year).
    """

    rule_id: str
    relation: str
    scope_axis: str
    actual: tuple[str, str | None]  # (row_code, col_code); None = the scope axis
    parts: tuple[tuple[str, str | None], ...]


@cache
def identities() -> tuple[Identity, ...]:
    """The legacy rules of seeds/reconciliation_rules.csv with their terms."""
    rules = {
        r["rule_id"]: r
        for r in read_seed("reconciliation_rules.csv")
        if r["table_code"] == STATISTICS_TABLE
    }
    terms: dict[str, list[dict[str, str]]] = {}
    for term in read_seed("reconciliation_terms.csv"):
        if term["rule_id"] in rules:
            terms.setdefault(term["rule_id"], []).append(term)
    result = []
    for rule_id, rule in rules.items():
        rule_terms = terms.get(rule_id, [])
        actual = [
            (t["row_code"], t["col_code"] or None) for t in rule_terms if t["side"] == "actual"
        ]
        parts = [
            (t["row_code"], t["col_code"] or None) for t in rule_terms if t["side"] == "expected"
        ]
        if len(actual) != 1 or not parts:
            continue
        result.append(
            Identity(rule_id, rule["evaluation"], rule["scope_axis"], actual[0], tuple(parts))
        )
    return tuple(result)


@dataclass(frozen=True)
class NarrativePattern:
    row_code: str
    standard_row_code: str | None
    standard_col_code: str | None
    kind: str  # number: the pattern captures a figure; none: words saying there was none
    pattern: re.Pattern[str]


@cache
def narrative_patterns() -> tuple[NarrativePattern, ...]:
    return tuple(
        NarrativePattern(
            row_code=r["row_code"],
            standard_row_code=r["standard_row_code"] or None,
            standard_col_code=r["standard_col_code"] or None,
            kind=r["kind"],
            pattern=re.compile(r["pattern"]),
        )
        for r in read_seed("narrative_patterns.csv")
    )
