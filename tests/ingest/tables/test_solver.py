"""The joint solver: run-together rows split under every identity the printed cells allow."""

from __future__ import annotations

import json

from ingest.tables.identities import table_identities
from ingest.tables.labels import template_rows
from ingest.tables.solver import Quote, Unknown, solve

# 平潭 2021's applications table as printed (transcribed by hand; 2021 template).
PINGTAN = {
    "new_received": [64, 0, 0, 2, 0, 4, 70],
    "carried_over": [0] * 7,
    "granted": [27, 0, 0, 2, 0, 1, 30],
    "partially_granted": [5, 0, 0, 0, 0, 0, 5],
    "withheld_internal_affairs": [1, 0, 0, 0, 0, 0, 1],
    "withheld_enforcement_file": [6, 0, 0, 0, 0, 0, 6],
    "withheld_admin_query": [1, 0, 0, 0, 0, 0, 1],
    "unavailable_not_held": [22, 0, 0, 0, 0, 3, 25],
    "other_misc": [1, 0, 0, 0, 0, 0, 1],
    "total_processed": [63, 0, 0, 2, 0, 4, 69],
    "carried_forward": [1, 0, 0, 0, 0, 0, 1],
}
IDENTITIES = table_identities("2021", "applications")
COLUMNS = template_rows("2021", "applications")[0].columns


def _fixed(table: dict[str, list[int]], leave_out: set[str]) -> dict[tuple[str, str], int | None]:
    fixed: dict[tuple[str, str], int | None] = {}
    for spec in template_rows("2021", "applications"):
        if spec.row_code in leave_out:
            continue
        for col, value in zip(spec.columns, table.get(spec.row_code, [0] * 7), strict=True):
            fixed[(spec.row_code, col)] = value
    return fixed


def _unknown(row: str, digits: str) -> Unknown:
    return Unknown(tuple((row, col) for col in COLUMNS), (digits,), (False,) * 7)


def test_identities_come_from_the_rule_seeds() -> None:
    names = {i.name for i in IDENTITIES}
    assert {"R01[natural_person]", "R02[total]", "R03[granted]"} <= names
    r02 = next(i for i in IDENTITIES if i.name == "R02[natural_person]")
    rows = {row for (row, _), _ in r02.terms}
    # The 2021 template sums the three （六） sub-rows, not the 2019 single row.
    assert "other_misc" in rows and "other_total" not in rows
    assert len(table_identities("2021", "reviews_litigation")) == 3
    assert table_identities("2021", "proactive") == ()


def test_unique_assignment_fixes_both_rows() -> None:
    # 平潭 2021: 270020130 and 220000325 each split two ways under their row totals;
    # R02 per column leaves one assignment.
    unknowns = [_unknown("granted", "270020130"), _unknown("unavailable_not_held", "220000325")]
    fixed = _fixed(PINGTAN, {"granted", "unavailable_not_held"})
    granted, unavailable = solve(unknowns, fixed, IDENTITIES)
    assert [s.parts for s in granted.splits] == [("27", "0", "0", "2", "0", "1", "30")]
    assert [s.parts for s in unavailable.splits] == [("22", "0", "0", "0", "0", "3", "25")]
    assert granted.settled == set(range(7))
    assert "R02 (natural_person" in granted.note and "split fixed" in granted.note
    assert granted.candidates_json(unknowns[0].targets) is None


def test_several_assignments_keep_the_candidates() -> None:
    # Two rows printed 270020130 whose two splits can swap without breaking any identity.
    table = dict(PINGTAN)
    table["granted"] = [27, 0, 0, 2, 0, 1, 30]
    table["unavailable_not_held"] = [2, 7, 0, 0, 20, 1, 30]
    table["total_processed"] = [
        sum(table[row][c] for row in table if row not in _FLOWS) for c in range(7)
    ]
    table["new_received"] = [
        table["total_processed"][c] + table["carried_forward"][c] for c in range(7)
    ]
    unknowns = [_unknown("granted", "270020130"), _unknown("unavailable_not_held", "270020130")]
    fixed = _fixed(table, {"granted", "unavailable_not_held"})
    granted, unavailable = solve(unknowns, fixed, IDENTITIES)
    assert len(granted.splits) == 2 and len(unavailable.splits) == 2
    assert "2 splits" in granted.note
    # 其他 1 and the row total 30 sit at the same place in both splits: settled; the rest stays
    # open.
    assert granted.settled == {5, 6}
    stored = json.loads(granted.candidates_json(unknowns[0].targets) or "[]")
    assert {row["granted.natural_person"] for row in stored} == {"27", "2"}


_FLOWS = {"new_received", "carried_over", "total_processed", "carried_forward"}


def test_a_table_that_does_not_add_up_is_not_repaired() -> None:
    # 予以公开 is 27 or 2 for natural persons; the printed 总计 63 -> 60 fits neither (R02).
    table = dict(PINGTAN)
    table["total_processed"] = [60, 0, 0, 2, 0, 4, 66]
    table["new_received"] = [61, 0, 0, 2, 0, 4, 67]
    unknowns = [
        _unknown("granted", "270020130"),
        _unknown("unavailable_not_held", "220000325"),
        _unknown("withheld_enforcement_file", "6000006"),
    ]
    fixed = _fixed(table, {"granted", "unavailable_not_held", "withheld_enforcement_file"})
    granted, unavailable, enforcement = solve(unknowns, fixed, IDENTITIES)
    # No split is chosen to make the table add up: both stay open, with their candidates.
    assert len(granted.splits) == 2 and len(unavailable.splits) == 2
    assert "does not add up" in granted.note
    # A row its own total splits one way is still split, by its row total alone.
    assert [s.parts for s in enforcement.splits] == [("6", "0", "0", "0", "0", "0", "6")]
    assert enforcement.settled == set(range(7))


def test_printed_cells_breaking_an_identity_stop_joint_inference() -> None:
    # R01 broken by printed cells alone (上年结转 1 more than balances): no joint inference.
    table = dict(PINGTAN)
    table["carried_over"] = [1, 0, 0, 0, 0, 0, 1]
    unknowns = [_unknown("granted", "270020130"), _unknown("unavailable_not_held", "220000325")]
    granted, _ = solve(unknowns, _fixed(table, {"granted", "unavailable_not_held"}), IDENTITIES)
    assert len(granted.splits) == 2 and "does not add up" in granted.note


def test_blank_cells_take_their_identities_out() -> None:
    # With 总计 of 三(七) printed blank, R02 cannot be used for any column it needs.
    fixed = _fixed(PINGTAN, {"granted", "unavailable_not_held"})
    for col in COLUMNS:
        fixed[("total_processed", col)] = None
    unknowns = [_unknown("granted", "270020130"), _unknown("unavailable_not_held", "220000325")]
    granted, _ = solve(unknowns, fixed, IDENTITIES)
    assert len(granted.splits) == 2


def test_hostile_digits_are_bounded() -> None:
    # A long string that fits the cell bounds: the search gives up instead of running away.
    unknowns = [
        _unknown(spec.row_code, "123456789" * 5) for spec in template_rows("2021", "applications")
    ]
    resolutions = solve(unknowns, {}, IDENTITIES)
    assert all(not r.settled for r in resolutions)


def test_a_quoted_figure_breaks_a_tie_no_identity_decides() -> None:
    # 予以公开 270020130 with the outcome totals left out: two splits under R03 alone.
    unknown = _unknown("granted", "270020130")
    fixed = _fixed(PINGTAN, {"granted", "total_processed"})
    (alone,) = solve([unknown], fixed, IDENTITIES)
    assert len(alone.splits) == 2
    own = ("granted", "natural_person")
    (quoted,) = solve([unknown], fixed, IDENTITIES, {own: (Quote(27.0, "件", "L3+40"),)})
    assert [s.parts for s in quoted.splits] == [("27", "0", "0", "2", "0", "1", "30")]
    assert "the text's 27件 for granted.natural_person (L3+40) breaks the tie" in quoted.note
    # A quote both splits agree with (总计 30) decides nothing.
    total = ("granted", "total")
    (same,) = solve([unknown], fixed, IDENTITIES, {total: (Quote(30.0, "件", "L3+40"),)})
    assert len(same.splits) == 2


def test_quotes_that_disagree_break_no_tie() -> None:
    unknown = _unknown("granted", "270020130")
    fixed = _fixed(PINGTAN, {"granted", "total_processed"})
    own = ("granted", "natural_person")
    # The text quotes two figures for one cell: neither counts.
    two = (Quote(27.0, "件", "L3+40"), Quote(2.0, "件", "L9+4"))
    (resolution,) = solve([unknown], fixed, IDENTITIES, {own: two})
    assert len(resolution.splits) == 2
    # Two quotes that each fit a different split: no split fits both, no tie broken.
    other = ("granted", "legal_service_org")
    quotes = {own: (Quote(27.0, "件", "L3+40"),), other: (Quote(20.0, "件", "L4+2"),)}
    (resolution,) = solve([unknown], fixed, IDENTITIES, quotes)
    assert len(resolution.splits) == 2
    assert "fit no common split: no tie broken" in resolution.note
