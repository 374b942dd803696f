"""Every way to cut digits printed with no separator into cells ("801000081" -> 80,1,0,0,…).

Printed integers have no leading zeros, so "0" is a cell by itself; a decimal part and a unit
stay with the digits before them; a cell never spans two printed pieces. The enumeration is
bounded twice: by the digits a cell may hold (a count never has more than `COUNT_DIGITS`), which
makes an over-long string fail at once, and by a step budget, so no input costs more than a
fixed amount of work (a hostile 27 KB digit string included).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from ingest.vocabulary import alternation, money_units

# A count cell of one report's table never reaches ten million; money (元) may be longer.
COUNT_DIGITS = 7
MONEY_DIGITS = 12
# Recursion steps one table's enumerations may take before they give up (digits stay ambiguous).
STEP_BUDGET = 100_000


@cache
def _piece_re() -> re.Pattern[str]:
    """Digits, an optional decimal part, an optional money unit from seeds/units.csv."""
    unit = alternation(money_units())
    return re.compile(rf"(?P<digits>\d+)(?P<decimals>\.\d+)?(?P<unit>{unit})?")


class BudgetExceeded(Exception):
    """The work needed more steps than its budget: no answer, not a wrong one."""


class Budget:
    """Steps left for one table's work; shared by its enumerations and its joint search."""

    def __init__(self, steps: int = STEP_BUDGET) -> None:
        self.steps = steps

    def spend(self, steps: int = 1) -> None:
        self.steps -= steps
        if self.steps < 0:
            raise BudgetExceeded


@dataclass(frozen=True)
class Split:
    """One way to cut the pieces: each cell's text, its piece and its offset in that piece."""

    parts: tuple[str, ...]
    pieces: tuple[int, ...]
    offsets: tuple[int, ...]


Check = Callable[[tuple[str, ...]], bool]


def enumerate_splits(
    pieces: Sequence[str],
    money: Sequence[bool],
    check: Check | None = None,
    *,
    budget: Budget | None = None,
    limit: int | None = None,
) -> list[Split]:
    """All splits of `pieces` (in order) into `len(money)` cells that pass `check`.

    `money[i]` says whether cell i may hold decimals and a unit (money) or is a whole count.
    Raises BudgetExceeded when `budget` runs out or more than `limit` splits pass.
    """
    cells = len(money)
    parsed = [_piece_re().fullmatch(p) for p in pieces]
    if not pieces or any(m is None for m in parsed) or len(pieces) > cells:
        return []
    total_digits = sum(len(m["digits"]) for m in parsed if m)
    if total_digits < cells or total_digits > cells * MONEY_DIGITS:
        return []
    budget = budget or Budget()
    found: list[Split] = []
    for parts, owners, offsets in _split_pieces([m for m in parsed if m], 0, money, budget):
        if check is None or check(parts):
            found.append(Split(parts, owners, offsets))
            if limit is not None and len(found) > limit:
                raise BudgetExceeded
    return found


Cut = tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]]


def _split_pieces(
    pieces: list[re.Match[str]], first_cell: int, money: Sequence[bool], budget: Budget
) -> Iterator[Cut]:
    """(parts, piece index of each part, offset of each part) for every way to cut `pieces`."""
    if not pieces:
        if first_cell == len(money):
            yield (), (), ()
        return
    head, rest = pieces[0], pieces[1:]
    cells_left = len(money) - first_cell
    for count in range(1, min(len(head["digits"]), cells_left - len(rest)) + 1):
        if not _fits(rest, money[first_cell + count :]):
            continue
        for parts, offsets in _split_one(head, money[first_cell : first_cell + count], budget):
            for tail_parts, tail_owners, tail_offsets in _split_pieces(
                rest, first_cell + count, money, budget
            ):
                owners = (0,) * count + tuple(o + 1 for o in tail_owners)
                yield parts + tail_parts, owners, offsets + tail_offsets


def _fits(pieces: list[re.Match[str]], money: Sequence[bool]) -> bool:
    """Can these pieces fill these cells at all (digit counts within the cells' bounds)?"""
    digits = sum(len(m["digits"]) for m in pieces)
    widest = sum(MONEY_DIGITS if m else COUNT_DIGITS for m in money)
    return len(pieces) <= len(money) <= digits <= widest


def _split_one(
    piece: re.Match[str], money: Sequence[bool], budget: Budget
) -> Iterator[tuple[tuple[str, ...], tuple[int, ...]]]:
    """Cut one piece's integer digits into len(money) cells; the last keeps decimals and unit."""
    digits, suffix = piece["digits"], (piece["decimals"] or "") + (piece["unit"] or "")
    if suffix and not money[-1]:
        return
    for cuts in _cuts(digits, 0, money, budget):
        parts = [digits[a:b] for a, b in zip((0, *cuts), (*cuts, len(digits)), strict=True)]
        parts[-1] += suffix
        yield tuple(parts), (0, *cuts)


def _cuts(
    digits: str, start: int, money: Sequence[bool], budget: Budget
) -> Iterator[tuple[int, ...]]:
    budget.spend()
    rest = len(digits) - start
    width = MONEY_DIGITS if money[0] else COUNT_DIGITS
    if len(money) == 1:
        if rest <= width and (rest == 1 or digits[start] != "0"):
            yield ()
        return
    later = sum(MONEY_DIGITS if m else COUNT_DIGITS for m in money[1:])
    longest = 1 if digits[start] == "0" else min(width, rest - (len(money) - 1))
    for length in range(1, longest + 1):
        if rest - length > later:
            continue
        for tail in _cuts(digits, start + length, money[1:], budget):
            yield (start + length, *tail)
