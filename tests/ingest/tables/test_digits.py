"""Run-together digits: split only when the row's own total makes the split unique."""

from __future__ import annotations

from ingest.tables.digits import split_digits, totals_check

APPLICATIONS_ROW = totals_check([7], [6])


def test_unique_split_by_row_total() -> None:
    # The example: 一、本年新收政府信息公开申请数量801000081 is 80,1,0,0,0,0,81.
    assert split_digits(["801000081"], 7, APPLICATIONS_ROW) == [
        ["80", "1", "0", "0", "0", "0", "81"]
    ]


def test_ambiguous_split_returns_both() -> None:
    # 27,0,0,2,0,1,30 and 2,7,0,0,20,1,30 both add up: the caller keeps the raw text.
    assert len(split_digits(["270020130"], 7, APPLICATIONS_ROW)) == 2


def test_split_respects_printed_separators() -> None:
    assert split_digits(["500000", "5"], 7, APPLICATIONS_ROW) == [
        ["5", "0", "0", "0", "0", "0", "5"]
    ]


def test_no_leading_zeros_and_review_table_totals() -> None:
    check = totals_check([5, 5, 5], [4, 4, 4])
    assert split_digits(["10203120001200000"], 15, check) == [
        ["1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0"]
    ]


def test_too_few_digits_or_non_digits_give_nothing() -> None:
    assert split_digits(["12"], 7, APPLICATIONS_ROW) == []
    assert split_digits(["12a"], 2, lambda values: True) == []
