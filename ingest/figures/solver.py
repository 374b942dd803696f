"""Split run-together digits of a statistics table jointly, under the table's own identities.

`candidate_splits` lists the ways one digit string can be cut into a row's cells (with the
standard tables' splitter, tables/digits.py); `solve` keeps, for every row with several
candidates, the values all joint solutions agree on. The standard tables' joint solver
(tables/solver.py) takes equalities only; the statistics tables also need inequalities
(网站公开数 <= 主动公开信息数, 历年累计 >= 本年度), so the search here takes any predicate.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ingest.tables.digits import Budget, BudgetExceeded, enumerate_splits
from ingest.tables.solver import MAX_SPLITS, UNKNOWN_STEPS

# Beyond this many joint combinations a group of rows stays ambiguous.
MAX_COMBINATIONS = 100_000

Values = tuple[int, ...]
# A constraint sees the chosen values of the rows it names (row key -> values).
Constraint = tuple[frozenset[str], Callable[[Mapping[str, Values]], bool]]


def candidate_splits(
    digits: str, cells: int, row_check: Callable[[Values], bool] | None = None
) -> list[Values]:
    """Every split of `digits` into `cells` counts (no leading zeros) passing `row_check`.

    The standard tables' splitter enumerates, under the same step budget; a string with too
    many splits gives none (the row stays ambiguous).
    """

    def check(parts: Sequence[str]) -> bool:
        return row_check is None or row_check(tuple(int(p) for p in parts))

    try:
        splits = enumerate_splits(
            [digits], [False] * cells, check, budget=Budget(UNKNOWN_STEPS), limit=MAX_SPLITS
        )
    except BudgetExceeded:
        return []
    return [tuple(int(p) for p in split.parts) for split in splits]


@dataclass
class Solution:
    values: dict[str, Values]  # rows the constraints decide, or that had one candidate
    ambiguous: dict[str, list[Values]]  # rows still open: the candidates that remain


def solve(
    candidates: Mapping[str, Sequence[Values]],
    fixed: Mapping[str, Values],
    constraints: Sequence[Constraint],
) -> Solution:
    """Joint choice among `candidates` (row -> possible values) given `fixed` rows."""
    values: dict[str, Values] = dict(fixed)
    open_rows = {row: list(c) for row, c in candidates.items() if len(c) > 1}
    values.update({row: c[0] for row, c in candidates.items() if len(c) == 1})
    ambiguous: dict[str, list[Values]] = {}
    for group in _groups(open_rows, constraints):
        rows = sorted(group)
        related = [c for c in constraints if c[0] & group]
        combos = 1
        for row in rows:
            combos *= len(open_rows[row])
        if combos > MAX_COMBINATIONS:
            ambiguous.update({row: open_rows[row] for row in rows})
            continue
        surviving: list[tuple[Values, ...]] = []
        for choice in itertools.product(*(open_rows[row] for row in rows)):
            trial = {**values, **dict(zip(rows, choice, strict=True))}
            if all(_applies(names, trial) is False or check(trial) for names, check in related):
                surviving.append(choice)
        for index, row in enumerate(rows):
            seen = sorted({choice[index] for choice in surviving})
            if len(seen) == 1:
                values[row] = seen[0]
            else:
                ambiguous[row] = seen or open_rows[row]
    return Solution(values, ambiguous)


def _applies(names: frozenset[str], trial: Mapping[str, Values]) -> bool:
    """A constraint is checked only once every row it names has a value."""
    return all(name in trial for name in names)


def _groups(open_rows: Mapping[str, object], constraints: Sequence[Constraint]) -> list[set[str]]:
    """Open rows linked through shared constraints, each group searched on its own."""
    parent = {row: row for row in open_rows}

    def find(row: str) -> str:
        while parent[row] != row:
            row = parent[row]
        return row

    for names, _ in constraints:
        linked = [name for name in names if name in parent]
        for other in linked[1:]:
            parent[find(other)] = find(linked[0])
    groups: dict[str, set[str]] = {}
    for row in open_rows:
        groups.setdefault(find(row), set()).add(row)
    return list(groups.values())


__all__ = ["candidate_splits", "solve", "Solution"]
