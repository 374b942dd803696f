"""Segments and placement on inline token streams: the labels anchor, the values fill."""

from __future__ import annotations

from ingest.readers import SourceRow
from ingest.tables.labels import template_rows
from ingest.tables.placement import parse_table
from ingest.tables.segments import cut_segments, rows_after
from ingest.tables.tokens import tokenize

SPECS = template_rows("2021", "applications")  # new_received, carried_over, … (7 columns each)
NEW_RECEIVED = "一、本年新收政府信息公开申请数量"
CARRIED_OVER = "二、上年结转政府信息公开申请数量"


def lines(*texts: str) -> list[SourceRow]:
    return [SourceRow((text,), (f"L{i}",), False) for i, text in enumerate(texts)]


def placed(result) -> list[tuple[str | None, str | None, str, str]]:
    return [(c.row_code, c.col_code, c.raw_text, c.status) for c in result.cells]


def test_rows_after_counts_whole_rows() -> None:
    assert [spec.row_code for spec in SPECS[:2]] == ["new_received", "carried_over"]
    assert rows_after(SPECS, 0, 7) == 1
    assert rows_after(SPECS, 0, 14) == 2
    assert rows_after(SPECS, None, 3) == 0


def test_each_row_label_starts_a_segment_with_the_values_after_it() -> None:
    tokens = tokenize(lines(f"{NEW_RECEIVED} 1 2 3 4 5 6 21", f"{CARRIED_OVER} 0 0 0 0 0 0 0"))
    segments = cut_segments(tokens, SPECS, use_anchors=True)
    assert [(s.row, len(s.values)) for s in segments] == [(None, 0), (0, 7), (1, 7)]
    assert segments[1].label_raw == NEW_RECEIVED


def test_values_fill_their_rows_in_column_order() -> None:
    tokens = tokenize(lines(f"{NEW_RECEIVED} 1 2 3 4 5 6 21", f"{CARRIED_OVER} 0 0 0 0 0 0 0"))
    result = parse_table(tokens, SPECS[:2], use_anchors=True, template="2021")
    assert placed(result)[:2] == [
        ("new_received", "natural_person", "1", "ok"),
        ("new_received", "commercial_enterprise", "2", "ok"),
    ]
    assert placed(result)[6] == ("new_received", "total", "21", "ok")
    assert [c.col_code for c in result.cells[7:]] == list(SPECS[1].columns)
    assert result.problems == []


def test_a_count_that_does_not_fit_is_kept_ambiguous_not_forced() -> None:
    tokens = tokenize(lines(f"{NEW_RECEIVED} 1 2 3 4 5 21", f"{CARRIED_OVER} 0 0 0 0 0 0 0"))
    result = parse_table(tokens, SPECS[:2], use_anchors=True, template="2021")
    new_received = [c for c in result.cells if c.row_code == "new_received"]
    assert {(c.col_code, c.status) for c in new_received} == {(None, "ambiguous")}
    assert [c.raw_text for c in new_received] == ["1", "2", "3", "4", "5", "21"]
    assert any(p.startswith("new_received") and "ambiguous" in p for p in result.problems)
    carried = [c for c in result.cells if c.row_code == "carried_over"]
    assert {c.status for c in carried} == {"ok"} and len(carried) == 7


def test_a_lone_short_row_between_rows_is_set_aside_as_a_page_number() -> None:
    tokens = tokenize(
        lines(f"{NEW_RECEIVED} 1 2 3 4 5 6 21", "12", f"{CARRIED_OVER} 0 0 0 0 0 0 0")
    )
    result = parse_table(tokens, SPECS[:2], use_anchors=True, template="2021")
    assert [(c.raw_text, c.status) for c in result.cells if c.row_code is None] == [
        ("12", "unplaced")
    ]
    assert any("page number" in note for note in result.notes)
