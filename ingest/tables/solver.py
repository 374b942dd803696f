"""Solve a table's run-together cells jointly under every identity its printed cells allow.

Each run-together segment (an *unknown*) has candidate splits (digits.py) that satisfy its own
rows' totals. Printed cells are fixed. An identity takes part when all its cells are known
(printed counts, or cells of an unknown that has splits); a blank, missing or text cell takes
the identity out, never as 0. A bounded backtracking search with interval pruning finds every
assignment of splits that satisfies all those identities, per group of unknowns that share
identities:

- a cell whose text and position agree in every assignment found is settled (`inferred`, with a
  note naming the identities that ruled the other splits out); the other splits stay open and
  are stored as candidates for a reviewer;
- when the printed cells break an identity by themselves, or no assignment exists, the table
  does not add up as printed and is never made to: only each unknown's own row totals count;
- when a group's search runs out of steps or assignments, that group falls back the same way;
- where several splits remain, a figure the report's own text quotes for one of the cells (the
  body's own figure, not an aggregate's) breaks the tie when it equals that cell's text in some
  of the remaining splits and not in others: only those are kept (the note names the quote). A
  quoted figure that fits no remaining split is another quantity or a misprint: it decides
  nothing, and two quotes that fit no common split decide nothing either.

Work is bounded by step counts, not the clock, so the result is a pure function of the input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.tables.digits import Budget, BudgetExceeded, Split, enumerate_splits
from ingest.tables.identities import Identity, Key

TABLE_STEPS = 150_000  # enumeration steps for all unknowns of one table (a 19-digit row: 22k)
UNKNOWN_STEPS = 50_000  # of which one unknown may take at most this many
MAX_SPLITS = 2_000  # splits under the row totals beyond which an unknown counts as unsplittable
SEARCH_STEPS = 50_000  # nodes of one group's joint search
MAX_ASSIGNMENTS = 64  # complete assignments of one group before it counts as undecided
MAX_STORED_CANDIDATES = 24  # splits written to the candidates column of an ambiguous cell


@dataclass
class Unknown:
    """Digits printed without separators that fill `targets` (cells in reading order)."""

    targets: tuple[Key, ...]
    pieces: tuple[str, ...]
    money: tuple[bool, ...]


@dataclass(frozen=True)
class Quote:
    """A figure the report's text quotes about the body itself, for one cell of the table."""

    value: float
    unit: str | None
    locator: str


Quotes = dict[Key, tuple[Quote, ...]]


@dataclass
class Resolution:
    """What the identities say about one unknown."""

    splits: list[Split]  # the splits still possible (one: fully solved; none: unsplittable)
    note: str
    settled: set[int] = field(default_factory=set)  # target indexes equal in every split

    def candidates_json(self, targets: tuple[Key, ...]) -> str | None:
        """The open splits as JSON: one object per split, `row.col` -> the cell's text."""
        if len(self.splits) < 2:
            return None
        rows = [
            {f"{row}.{col}": part for (row, col), part in zip(targets, split.parts, strict=True)}
            for split in self.splits[:MAX_STORED_CANDIDATES]
        ]
        return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def solve(
    unknowns: list[Unknown],
    fixed: dict[Key, int | None],
    identities: tuple[Identity, ...],
    quotes: Quotes | None = None,
) -> list[Resolution]:
    """Resolve every unknown; `fixed` maps printed cells to their count (None: not a count),
    `quotes` the figures the report's text gives for cells of the table."""
    own = [_own_identities(u, identities) for u in unknowns]
    table_budget = Budget(TABLE_STEPS)
    candidates = [
        _candidates(unknown, local, table_budget)
        for unknown, local in zip(unknowns, own, strict=True)
    ]
    known = {key for key, value in fixed.items() if value is not None}
    for unknown, splits in zip(unknowns, candidates, strict=True):
        if splits:
            known.update(unknown.targets)
    owned = {i for local in own for i in local}
    usable = [i for i in identities if i not in owned and all(k in known for k, _ in i.terms)]
    owner = {
        key: u for u, unknown in enumerate(unknowns) if candidates[u] for key in unknown.targets
    }
    values = {key: value for key, value in fixed.items() if value is not None}
    printed_break = any(
        not any(key in owner for key, _ in i.terms) and not i.holds(values) for i in usable
    )
    groups = _groups(len(unknowns), [[owner[k] for k, _ in i.terms if k in owner] for i in usable])
    results: dict[int, list[Split] | None] = {}
    assignment = dict(values)  # one satisfying assignment, to say which identity rules out what
    failed = printed_break
    tie_notes: dict[int, str] = {}
    for group in groups:
        group_identities = [i for i in usable if any(owner.get(k) in group for k, _ in i.terms)]
        found = _search(group, unknowns, candidates, values, group_identities, owner)
        splittable = any(candidates[u] for u in group)
        if found is not None and splittable and not any(found[u] for u in group):
            failed = True  # no assignment at all: the table does not add up as printed
        elif found is not None and quotes:
            narrowed, notes = _break_ties(group, unknowns, found, quotes)
            tie_notes.update({u: note for u, note in notes.items() if u not in narrowed})
            if narrowed:
                # The kept splits, searched again: the identities carry the quote to the others.
                restricted = [narrowed.get(u, splits) for u, splits in enumerate(candidates)]
                again = _search(group, unknowns, restricted, values, group_identities, owner)
                if again is not None and all(again[u] for u in group if candidates[u]):
                    found = again
                    tie_notes.update({u: notes[u] for u in narrowed})
        for u in group:
            results[u] = found[u] if found is not None else None
            if found is not None and found[u]:
                assignment.update(_counts(unknowns[u].targets, found[u][0].parts))
    resolutions = []
    for u, (unknown, splits) in enumerate(zip(unknowns, candidates, strict=True)):
        if splits is None:
            resolutions.append(Resolution([], "too many ways to split these digits"))
        elif not splits:
            resolutions.append(Resolution([], "no split of these digits fits the row totals"))
        elif failed or results.get(u) is None:
            resolutions.append(_by_own_rows(unknown, splits, own[u], failed))
        else:
            touching = [i for i in usable if any(owner.get(k) == u for k, _ in i.terms)]
            open_splits = results[u] or []
            tie = tie_notes.get(u)
            resolutions.append(
                _settle(unknown, splits, open_splits, own[u], touching, assignment, tie)
            )
    return resolutions


def _break_ties(
    group: list[int], unknowns: list[Unknown], found: dict[int, list[Split]], quotes: Quotes
) -> tuple[dict[int, list[Split]], dict[int, str]]:
    """Per unknown with several splits left, the splits every usable quote agrees with."""
    narrowed: dict[int, list[Split]] = {}
    notes: dict[int, str] = {}
    for u in group:
        open_splits = found.get(u) or []
        if len(open_splits) < 2:
            continue
        kept = set(range(len(open_splits)))
        deciding: list[str] = []
        idle: list[str] = []
        for target, key in enumerate(unknowns[u].targets):
            quoted = quotes.get(key, ())
            if len({quote.value for quote in quoted}) != 1:
                continue  # no quote, or the text quotes several figures: none decides
            quote = quoted[0]
            words = f"the text's {_figure(quote)} for {key[0]}.{key[1]} ({quote.locator})"
            fitting = {
                s for s, split in enumerate(open_splits) if _fits(split.parts[target], quote)
            }
            if not fitting:
                idle.append(f"{words} fits no split")
            elif len(fitting) < len(open_splits):
                kept &= fitting
                deciding.append(words)
        if not deciding:
            continue
        if not kept:
            notes[u] = f"{'; '.join(deciding)} fit no common split: no tie broken"
            continue
        narrowed[u] = [split for s, split in enumerate(open_splits) if s in kept]
        verb = "break" if len(deciding) > 1 else "breaks"
        notes[u] = "; ".join([f"{' and '.join(deciding)} {verb} the tie", *idle])
    return narrowed, notes


_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")


def _fits(part: str, quote: Quote) -> bool:
    """The cell's text is the quoted figure (its unit, where the cell prints one, the same)."""
    match = _NUMBER_RE.match(part)
    if match is None or float(match.group()) != quote.value:
        return False
    unit = part[match.end() :]
    return not unit or quote.unit is None or unit == quote.unit


def _figure(quote: Quote) -> str:
    value = int(quote.value) if quote.value == int(quote.value) else quote.value
    return f"{value}{quote.unit or ''}"


def _own_identities(unknown: Unknown, identities: tuple[Identity, ...]) -> tuple[Identity, ...]:
    """Identities over this unknown's cells only (its rows' own totals)."""
    inside = set(unknown.targets)
    return tuple(i for i in identities if all(key in inside for key, _ in i.terms))


def _candidates(
    unknown: Unknown, own: tuple[Identity, ...], table_budget: Budget
) -> list[Split] | None:
    """The splits that satisfy the unknown's own rows' totals; None when there are too many."""
    budget = Budget(min(UNKNOWN_STEPS, max(table_budget.steps, 0)))
    try:
        return enumerate_splits(
            unknown.pieces, unknown.money, _row_check(unknown, own), budget=budget, limit=MAX_SPLITS
        )
    except BudgetExceeded:
        return None
    finally:
        table_budget.steps -= min(UNKNOWN_STEPS, max(table_budget.steps, 0)) - max(budget.steps, 0)


def _row_check(
    unknown: Unknown, own: tuple[Identity, ...]
) -> Callable[[tuple[str, ...]], bool] | None:
    if not own:
        return None
    index = {key: position for position, key in enumerate(unknown.targets)}
    equations = [[(index[key], coefficient) for key, coefficient in i.terms] for i in own]

    def check(parts: tuple[str, ...]) -> bool:
        if not all(part.isdigit() for part in parts):
            return False  # a decimal or a unit in a count identity's cell
        values = [int(part) for part in parts]
        return all(sum(c * values[p] for p, c in equation) == 0 for equation in equations)

    return check


def _groups(count: int, links: list[list[int]]) -> list[list[int]]:
    """Unknowns connected through shared identities (union-find), each group in index order."""
    parent = list(range(count))

    def root(u: int) -> int:
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        return u

    for members in links:
        for other in members[1:]:
            parent[root(other)] = root(members[0])
    grouped: dict[int, list[int]] = {}
    for u in range(count):
        grouped.setdefault(root(u), []).append(u)
    return list(grouped.values())


def _search(
    group: list[int],
    unknowns: list[Unknown],
    candidates: list[list[Split] | None],
    values: dict[Key, int],
    identities: list[Identity],
    owner: dict[Key, int],
) -> dict[int, list[Split]] | None:
    """Per unknown of the group, its splits over all satisfying assignments; None: undecided."""
    active = [u for u in group if candidates[u]]
    if not identities:
        return {u: list(candidates[u] or []) for u in group}
    position = {key: t for u in active for t, key in enumerate(unknowns[u].targets)}
    # Each identity: low/high bounds of its sum, and per unknown the contribution of each split.
    low: list[int] = []
    high: list[int] = []
    contributions: list[dict[int, list[int]]] = []
    for identity in identities:
        constant = 0
        per_unknown: dict[int, list[int]] = {}
        for key, coefficient in identity.terms:
            if key in owner:
                u = owner[key]
                splits = candidates[u] or []
                sums = per_unknown.setdefault(u, [0] * len(splits))
                for s, split in enumerate(splits):
                    sums[s] += coefficient * int(split.parts[position[key]])
            else:
                constant += coefficient * values[key]
        low.append(constant + sum(min(v) for v in per_unknown.values()))
        high.append(constant + sum(max(v) for v in per_unknown.values()))
        contributions.append(per_unknown)
    touching = {u: [e for e, c in enumerate(contributions) if u in c] for u in active}
    order = sorted(active, key=lambda u: len(candidates[u] or []))
    chosen: dict[int, int] = {}
    solutions: list[dict[int, int]] = []
    steps = Budget(SEARCH_STEPS)

    def descend(depth: int) -> None:
        steps.spend()
        if depth == len(order):
            solutions.append(dict(chosen))
            if len(solutions) > MAX_ASSIGNMENTS:
                raise BudgetExceeded
            return
        u = order[depth]
        for s in range(len(candidates[u] or [])):
            shifted = []
            for e in touching[u]:
                sums = contributions[e][u]
                shifted.append((e, sums[s] - min(sums), sums[s] - max(sums)))
            for e, up_low, up_high in shifted:
                low[e] += up_low
                high[e] += up_high
            if all(low[e] <= 0 <= high[e] for e, _, _ in shifted):
                chosen[u] = s
                descend(depth + 1)
                del chosen[u]
            for e, up_low, up_high in shifted:
                low[e] -= up_low
                high[e] -= up_high

    try:
        descend(0)
    except BudgetExceeded:
        return None
    found: dict[int, list[Split]] = {u: [] for u in group}
    for u in active:
        # The first assignment's split first: the other unknowns' values are taken from it.
        picked = list(dict.fromkeys(solution[u] for solution in solutions))
        found[u] = [(candidates[u] or [])[s] for s in picked]
    return found


def _counts(targets: tuple[Key, ...], parts: tuple[str, ...]) -> dict[Key, int]:
    return {key: int(part) for key, part in zip(targets, parts, strict=True) if part.isdigit()}


def _settle(
    unknown: Unknown,
    own_splits: list[Split],
    open_splits: list[Split],
    own: tuple[Identity, ...],
    touching: list[Identity],
    assignment: dict[Key, int],
    tie_break: str | None = None,
) -> Resolution:
    """Cells that agree in every remaining split are settled; name the identities that did it."""
    ruled_out: list[Identity] = []
    for split in own_splits:
        if split in open_splits:
            continue
        trial = dict(assignment)
        trial.update(_counts(unknown.targets, split.parts))
        ruled_out += [i for i in touching if not i.holds(trial) and i not in ruled_out]
    rows = f" under {_names(list(own))}" if own else ""
    if len(own_splits) == 1:
        parts = [f"the only split{rows}"]
    else:
        parts = [f"{len(own_splits)} splits{rows}"]
        if ruled_out:
            parts.append(f"{_names(ruled_out)} rule out {len(own_splits) - len(open_splits)}")
        elif len(open_splits) == len(own_splits) or tie_break:
            parts.append("no identity tells them apart")
        if tie_break:
            parts.append(tie_break)
        if len(open_splits) == 1:
            parts.append("split fixed")
        elif len(open_splits) < len(own_splits):
            parts.append(f"{len(open_splits)} remain")
    resolution = Resolution(open_splits, "; ".join(parts))
    resolution.settled = _agreeing(open_splits, len(unknown.targets))
    return resolution


def _by_own_rows(
    unknown: Unknown, splits: list[Split], own: tuple[Identity, ...], failed: bool
) -> Resolution:
    """Fallback: the row's own totals only (the table does not add up, or the search gave up)."""
    why = "the table does not add up as printed" if failed else "the joint search ran out of steps"
    totals = f"{_names(list(own))} alone" if own else "no identity"
    state = "the only split" if len(splits) == 1 else f"{len(splits)} splits remain"
    resolution = Resolution(splits, f"{why}, so split under {totals}: {state}")
    resolution.settled = _agreeing(splits, len(unknown.targets))
    return resolution


def _agreeing(splits: list[Split], width: int) -> set[int]:
    """Targets whose text and position are the same in every split."""
    return {
        target
        for target in range(width)
        if splits
        and len({(s.parts[target], s.pieces[target], s.offsets[target]) for s in splits}) == 1
    }


def _names(identities: list[Identity]) -> str:
    """R02[natural_person], R02[total] -> 'R02 (natural_person, total)'."""
    grouped: dict[str, list[str]] = {}
    for identity in identities:
        grouped.setdefault(identity.rule_id, []).append(identity.scope)
    return "; ".join(f"{rule} ({', '.join(scopes)})" for rule, scopes in sorted(grouped.items()))
