"""The cross-engine comparison finds what differs: a changed value, a missing or doubled
row, a renamed column; and forgives what only looks different (integer widths, the
order of a floating-point sum)."""

from __future__ import annotations

import duckdb

from tests.engines.engines import compare_relations


def _compare(left: str, right: str) -> list[str]:
    with duckdb.connect() as connection:
        return [str(difference) for difference in compare_relations(connection, "t", left, right)]


ROWS = "(values (1, 'a', 0.1 + 0.2), (2, null, 1.5), (2, null, 1.5)) as t(id, code, amount)"


def test_equal_relations_have_no_differences() -> None:
    other = (
        "(select cast(id as bigint) as id, code, cast(amount as double) as amount from "
        "(values (2, null, 1.5), (1, 'a', 0.3), (2, null, 1.5)) as t(id, code, amount))"
    )
    assert _compare(f"(select * from {ROWS})", other) == []


def test_a_changed_value_shows_on_both_sides() -> None:
    other = "(values (1, 'b', 0.3), (2, null, 1.5), (2, null, 1.5)) as t(id, code, amount)"
    differences = _compare(f"(select * from {ROWS})", f"(select * from {other})")
    assert len(differences) == 2
    assert "1 rows only in the first" in differences[0]
    assert "1 rows only in the second" in differences[1]


def test_a_lost_duplicate_row_is_a_difference() -> None:
    other = "(values (1, 'a', 0.3), (2, null, 1.5)) as t(id, code, amount)"
    differences = _compare(f"(select * from {ROWS})", f"(select * from {other})")
    assert differences == ["t: 1 rows only in the first, e.g. [('2', None, '1.5')]"]


def test_a_blank_is_not_a_null() -> None:
    other = "(values (1, 'a', 0.3), (2, '', 1.5), (2, null, 1.5)) as t(id, code, amount)"
    assert len(_compare(f"(select * from {ROWS})", f"(select * from {other})")) == 2


def test_renamed_columns_differ() -> None:
    other = "(values (1, 'a', 0.3)) as t(id, label, amount)"
    differences = _compare(f"(select * from {ROWS})", f"(select * from {other})")
    assert len(differences) == 1 and "columns differ" in differences[0]
