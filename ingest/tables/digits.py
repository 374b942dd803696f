"""Recover cells from digits printed with no separator ("801000081" -> 80,1,0,0,0,0,81).

A split is accepted only when it is the single one that satisfies the rows' own totals; printed
integers have no leading zeros, so "0" is a cell by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

# Beyond this many candidate splits the search stops and the digits stay ambiguous.
MAX_SPLITS = 200_000

Check = Callable[[list[int]], bool]


def split_digits(pieces: Sequence[str], cells: int, check: Check) -> list[list[str]]:
    """All splits of `pieces` (digit strings, in order) into `cells` numbers that pass `check`.

    A cell never spans two pieces. Returns at most two solutions: enough to tell unique
    from ambiguous.
    """
    if not pieces or any(not p.isdigit() for p in pieces):
        return []
    if sum(len(p) for p in pieces) < cells or len(pieces) > cells:
        return []
    solutions: list[list[str]] = []
    for visited, parts in enumerate(_splits(list(pieces), cells)):
        if visited > MAX_SPLITS:
            return solutions + [[]] * (2 - len(solutions)) if solutions else [[], []]
        if check([int(p) for p in parts]):
            solutions.append(parts)
            if len(solutions) > 1:
                break
    return solutions


def _splits(pieces: list[str], cells: int) -> Iterator[list[str]]:
    if not pieces:
        if cells == 0:
            yield []
        return
    head, rest = pieces[0], pieces[1:]
    min_rest = len(rest)  # each remaining piece holds at least one cell
    max_rest = sum(len(p) for p in rest)
    for count in range(1, min(len(head), cells - min_rest) + 1):
        if cells - count > max_rest:
            continue
        for head_parts in _split_one(head, count):
            for tail in _splits(rest, cells - count):
                yield head_parts + tail


def _split_one(digits: str, count: int) -> Iterator[list[str]]:
    if count == 1:
        if digits == "0" or not digits.startswith("0"):
            yield [digits]
        return
    if digits.startswith("0"):
        # A leading zero is a cell of its own.
        for rest in _split_one(digits[1:], count - 1):
            yield ["0", *rest]
        return
    for cut in range(1, len(digits) - count + 2):
        head = digits[:cut]
        for rest in _split_one(digits[cut:], count - 1):
            yield [head, *rest]


def totals_check(widths: Sequence[int], total_positions: Sequence[int | None]) -> Check:
    """Check that every row whose total position is known equals the sum of its other cells."""

    def check(values: list[int]) -> bool:
        offset = 0
        for width, total_at in zip(widths, total_positions, strict=True):
            row = values[offset : offset + width]
            offset += width
            if total_at is not None and row[total_at] != sum(row) - row[total_at]:
                return False
        return True

    return check
