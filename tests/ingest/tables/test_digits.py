"""Run-together digits: every split a printed string allows, bounded in work."""

from __future__ import annotations

import pytest

from ingest.tables.digits import Budget, BudgetExceeded, enumerate_splits

COUNTS7 = (False,) * 7


def _row_total(parts: tuple[str, ...]) -> bool:
    values = [int(p) for p in parts]
    return values[-1] == sum(values[:-1])


def test_unique_split_by_row_total() -> None:
    # The example: 一、本年新收政府信息公开申请数量801000081 is 80,1,0,0,0,0,81.
    splits = enumerate_splits(["801000081"], COUNTS7, _row_total)
    assert [s.parts for s in splits] == [("80", "1", "0", "0", "0", "0", "81")]
    assert splits[0].offsets == (0, 2, 3, 4, 5, 6, 7)


def test_two_splits_fit_the_row_total() -> None:
    # 27,0,0,2,0,1,30 and 2,7,0,0,20,1,30 both add up.
    splits = enumerate_splits(["270020130"], COUNTS7, _row_total)
    assert sorted(s.parts for s in splits) == [
        ("2", "7", "0", "0", "20", "1", "30"),
        ("27", "0", "0", "2", "0", "1", "30"),
    ]


def test_split_respects_printed_separators() -> None:
    splits = enumerate_splits(["500000", "5"], COUNTS7, _row_total)
    assert [(s.parts, s.pieces) for s in splits] == [
        (("5", "0", "0", "0", "0", "0", "5"), (0, 0, 0, 0, 0, 0, 1))
    ]


def test_no_leading_zeros() -> None:
    splits = enumerate_splits(["1005"], (False, False))
    assert [s.parts for s in splits] == [("100", "5")]


def test_money_keeps_decimals_and_unit_with_the_last_cell() -> None:
    splits = enumerate_splits(["12251000.5元"], (False, True))
    assert ("1", "2251000.5元") in [s.parts for s in splits]
    assert all(not s.parts[0].endswith("元") for s in splits)
    # A count cell never takes decimals.
    assert enumerate_splits(["3.5"], (False,)) == []


def test_too_few_digits_or_non_digits_give_nothing() -> None:
    assert enumerate_splits(["12"], COUNTS7, _row_total) == []
    assert enumerate_splits(["12a"], (False, False)) == []


def test_overlong_strings_fail_at_once() -> None:
    # 27 KB of digits cannot fill 7 count cells of at most 7 digits: no enumeration at all.
    budget = Budget(10)
    assert enumerate_splits(["1" * 27_000], COUNTS7, budget=budget) == []
    assert budget.steps == 10


def test_work_is_bounded_by_the_budget() -> None:
    with pytest.raises(BudgetExceeded):
        enumerate_splits(["1234567891234567891234"], COUNTS7, budget=Budget(1_000))
