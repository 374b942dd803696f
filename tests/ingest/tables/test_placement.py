"""Segments and placement on inline token streams: the labels anchor, the values fill."""

from __future__ import annotations

from ingest.document import parse_document
from ingest.readers import SourceRow
from ingest.tables.labels import template_rows
from ingest.tables.placement import parse_table
from ingest.tables.segments import cut_segments, rows_after
from ingest.tables.tokens import tokenize
from tests.conftest import EXPECTED, FIXTURES, golden_literal

SPECS = template_rows("2021", "applications")  # new_received, carried_over, … (7 columns each)
NEW_RECEIVED = "一、本年新收政府信息公开申请数量"
CARRIED_OVER = "二、上年结转政府信息公开申请数量"
TABLES = ("proactive", "applications", "reviews_litigation")


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


def test_values_moved_between_rows_by_pdf_reading_order_are_not_placed() -> None:
    # Plain pdftotext of the Chromium print of 平潭 2023 reads table 二 as 规章 0 行政规范性文件
    # 77 0 0 132 470 (规章 prints 0 0 0, 行政规范性文件 77 132 470): one row two values
    # short, the next two too many. Filling by position would place 0 and 0 for 132 and 470.
    source = FIXTURES / "rendered" / "2023_pingtan-zone_2021template_pdftotext-raw.txt"
    doc, cells = parse_document(source.read_bytes(), source.name, "t")
    golden = {
        (table, row, col): value
        for table, row, *values in (
            line.split()
            for line in (EXPECTED / "2023_pingtan-zone_2021template.txt").read_text().splitlines()
            if line and not line.startswith("#")
        )
        for col, value in zip(
            next(s for s in template_rows("2021", table) if s.row_code == row).columns,
            values,
            strict=True,
        )
    }
    placed_cells = [
        c for c in cells if c["status"] in ("ok", "inferred") and c["table_code"] in TABLES
    ]
    wrong = [
        (c["row_code"], c["col_code"], c["raw_text"])
        for c in placed_cells
        if c["value"] != golden_literal(golden[(c["table_code"], c["row_code"], c["col_code"])])[0]
    ]
    assert wrong == []
    assert len(placed_cells) >= 194  # of 200: only table 二's two first rows are left out
    row = [c for c in cells if c["table_code"] == "proactive" and c["status"] == "ambiguous"]
    assert [c["raw_text"] for c in row] == ["0", "77", "0", "0", "132", "470"]
    assert "values displaced between rows" in doc["error"]


def test_spec_tuples_made_one_after_another_fill_their_own_rows() -> None:
    # The rows a span fills are kept by the identity of its spec tuple: tuples made and
    # dropped in turn (often at the same address) must never lend each other their rows.
    for _ in range(2):
        for index, spec in enumerate(SPECS):
            values = " ".join(str(n) for n in range(1, len(spec.columns) + 1))
            result = parse_table(
                tokenize(lines(values)), SPECS[index : index + 1], True, template="2021"
            )
            assert [(c.row_code, c.col_code) for c in result.cells] == [
                (spec.row_code, col) for col in spec.columns
            ]
