"""Pre-2019 statistics tables and narrative figures against hand-checked gold."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ingest.document import parse_document
from ingest.figures import figure_cells
from ingest.figures.narrative import read_narrative
from ingest.figures.solver import candidate_splits, solve
from ingest.readers import Decoded, SourceRow
from tests.ingest.figures_gold import GOLD_DIR, cell_lines, measure, parse, read_gold

GOLD = sorted(GOLD_DIR.glob("*.txt"))


@pytest.mark.parametrize("gold", GOLD, ids=[g.stem[:50] for g in GOLD])
def test_cells_match_the_hand_checked_gold(gold: Path) -> None:
    source, expected, missed = read_gold(gold)
    _, cells = parse(source)
    got = cell_lines(cells)
    assert Counter(got) == Counter(expected)
    assert not set(missed) & set(got), "a missed figure is found now: move it into the gold"


@pytest.mark.parametrize("gold", GOLD, ids=[g.stem[:50] for g in GOLD])
def test_no_invented_values(gold: Path) -> None:
    for counts in measure(gold).values():
        assert counts["wrong"] == 0


def test_pre2019_table_document_row() -> None:
    doc, cells = parse("corpus/sample/2018_pingtan-zone_pre2019-statistics-table.txt")
    assert (doc["template"], doc["status"], doc["layout"]) == ("pre2019", "parsed", "run_together")
    assert "the text quotes it" in doc["notes"]
    legacy = [c for c in cells if c["table_code"] == "legacy"]
    assert {c["status"] for c in legacy} == {"inferred"}
    assert all(c["raw_text"] and c["locator"] for c in cells)
    assert doc["cells_total"] == len(cells)


def test_ambiguous_run_together_row_keeps_its_digits_and_candidates() -> None:
    doc, cells = parse(
        "tests/fixtures/legacy/2018_pingtan-zone_statistics_run-together-table-only.txt"
    )
    assert doc["status"] == "partial" and "ambiguous" in doc["error"]
    assert "20|6912106 or 206|912106 or 2069|12106" in doc["notes"]
    ambiguous = [c for c in cells if c["status"] == "ambiguous"]
    assert [(c["raw_text"], c["value"], c["col_code"]) for c in ambiguous] == [
        ("206912106", None, None),
        ("206912106", None, None),
    ]


def test_unknown_indicator_is_kept_unmapped_never_dropped() -> None:
    text = (
        "某县2016年政府信息公开工作年度报告\n政府信息公开情况统计表\n"
        "指标名称 计量单位 本年度 历年累计\n"
        "主动公开政府信息数 条 45 300\n"
        "政策解读稿件发布数 篇 12 40\n"
        "收到申请数 件 3 20\n当面申请数 件 1 8\n网上申请数 件 2 12\n"
    )
    doc, cells = parse_document(text.encode(), "report.txt", "t")
    unmapped = [c for c in cells if c["status"] == "unmapped"]
    assert [(c["row_code"], c["row_label_raw"], c["col_code"], c["value"]) for c in unmapped] == [
        (None, "政策解读稿件发布数", "year", 12.0),
        (None, "政策解读稿件发布数", "cumulative", 40.0),
    ]
    assert doc["cells_unmapped"] == 2
    assert {c["row_code"] for c in cells if c["status"] == "ok"} == {
        "proactive_disclosed",
        "requests_received",
        "requests_in_person",
        "requests_online",
    }


def test_identity_splits_run_together_rows() -> None:
    # 收到申请数 = 当面 + 网上 in each column; the channel rows run together.
    text = (
        "某县2016年政府信息公开工作年度报告\n政府信息公开情况统计表\n"
        "指标名称计量单位本年度历年累计收到申请数件3201.当面申请数件182.网上申请数件212\n"
    )
    doc, cells = parse_document(text.encode(), "report.txt", "t")
    values = {(c["row_code"], c["col_code"]): c["value"] for c in cells if c["value"] is not None}
    assert values[("requests_received", "year")] == 3
    assert values[("requests_received", "cumulative")] == 20
    assert values[("requests_in_person", "year")] == 1
    assert values[("requests_in_person", "cumulative")] == 8
    assert values[("requests_online", "cumulative")] == 12


def test_year_to_date_is_not_the_cumulative_since_the_regulation() -> None:
    # The early monthly forms (本期实际/本年累计): the running total within the year, which
    # a year-to-year rule must not read as 历年累计; the within-row bound still splits.
    text = (
        "某市2009年政府信息公开工作年度报告\n政府信息公开情况统计表\n"
        "指标名称 计量单位 本期实际 本年累计\n"
        "主动公开信息数 条 12 45\n"
        "申请总数 件 5 9\n当面申请数 件 2 4\n网上申请数 件 3 5\n"
    )
    doc, cells = parse_document(text.encode(), "report.txt", "t")
    values = {(c["row_code"], c["col_code"]): c["value"] for c in cells}
    assert values[("proactive_disclosed", "year")] == 12
    assert values[("proactive_disclosed", "year_to_date")] == 45
    assert values[("requests_in_person", "year_to_date")] == 4
    assert not any(c["col_code"] == "cumulative" for c in cells)
    run_together = text.replace("主动公开信息数 条 12 45", "主动公开信息数 条 1245")
    doc, _ = parse_document(run_together.encode(), "report.txt", "t")
    # 1|245 and 12|45 hold 本年累计 >= 本期 (no other identity binds the row); 124|5 does not.
    assert "1|245 or 12|45" in doc["notes"] and "124|5" not in doc["notes"]


def test_words_are_not_numbers_and_rates_are_not_counts() -> None:
    lines = ["2016年未收到政府信息公开申请。主动公开政府信息45条，其中政策法规32条，占71.1%。"]
    cells = read_narrative(lines, 2016)
    figures = [(c["row_code"], c["value"], c["value_kind"], c["unit"]) for c in cells]
    assert figures == [
        ("requests_received", None, "text", None),
        ("proactive_disclosed", 45.0, "number", "条"),
        ("proactive_policy_items", 32.0, "number", "条"),
    ]


def test_standard_codes_and_scope_for_2019_reports() -> None:
    lines = [
        "2024年,全区各级行政机关共受理政府信息公开申请79件,其中予以公开26件。本机关收到申请7件。"
    ]
    cells = read_narrative(lines, 2024)
    assert [(c["row_code"], c["col_code"], c["value"], c["scope"]) for c in cells] == [
        ("new_received", "total", 79.0, "全区"),
        ("granted", "total", 26.0, "全区"),
        ("new_received", "total", 7.0, "self"),
    ]


def test_solver_keeps_every_candidate_when_nothing_decides() -> None:
    found = candidate_splits("206912106", 2, lambda v: v[1] >= v[0])
    assert found == [(20, 6912106), (206, 912106), (2069, 12106)]
    solution = solve({"a": found}, {}, [])
    assert solution.ambiguous == {"a": found}


def test_ocr_figures_take_the_confidence_of_their_words() -> None:
    # A line of 平潭 2023's text as OCR reads it: words with their place in the line and
    # the engine's confidence ("81件" read at 0.58, "42件" at 0.93).
    words = [
        ("办结依申请公开", 0.91),
        ("81件", 0.58),
        ("，其中：予以公开及部分公开", 0.88),
        ("42件", 0.93),
        ("，占51.85%", 0.9),
    ]
    line, spans = "", []
    for text, confidence in words:
        spans.append((len(line), len(line) + len(text), confidence))
        line += text
    row = SourceRow((line,), ("P2L7",), False, word_confidences=(tuple(spans),))
    decoded = Decoded(rows=[row], lines=[line], encoding="binary", file_format="pdf", ocr=True)
    cells = figure_cells(decoded, 2023, statistics=False).cells
    assert [(c["row_code"], c["value"], c["confidence"]) for c in cells] == [
        ("total_processed", 81.0, 0.58),
    ]
    # The same line read from a text layer has no confidence.
    plain = figure_cells(
        Decoded([SourceRow((line,), ("L7",), False)], [line], "utf-8", "text"), 2023, False
    )
    assert [c.get("confidence") for c in plain.cells] == [None]
