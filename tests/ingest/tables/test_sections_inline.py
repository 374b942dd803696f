"""Token stream -> table sections and template, on an inline miniature report."""

from __future__ import annotations

from ingest.readers import SourceRow
from ingest.tables.sections import (
    detect_template,
    find_sections,
    first_table_row,
    text_runs,
)
from ingest.tables.tokens import tokenize

LINES = [
    "一、总体情况",  # narrative before the tables
    "第二十条第(一)项",
    "信息内容",
    "本年制发件数",
    "规章",
    "0",
    "三、收到和处理政府信息公开申请情况",
    "申请人情况",
    "自然人",
    "一、本年新收政府信息公开申请数量",
    "13",
    "四、政府信息公开行政复议、行政诉讼情况",
    "行政复议",
    "结果维持",
    "1",
    "五、政府信息公开工作存在的主要问题及改进情况",
    "无",
]


def rows(lines: list[str]) -> list[SourceRow]:
    return [SourceRow((line,), (f"L{i}",), False) for i, line in enumerate(lines)]


def test_the_first_table_row_skips_the_narrative() -> None:
    assert first_table_row(rows(LINES)) == 1


def test_sections_start_at_their_captions_and_end_at_the_next() -> None:
    tokens = tokenize(rows(LINES[1:]))
    sections = find_sections(tokens, text_runs(tokens))
    texts = {table: [t.text for t in tokens[a:b]] for table, (a, b) in sections.items()}
    assert texts == {
        "proactive": ["第二十条第(一)项", "信息内容", "本年制发件数", "规章", "0"],
        "applications": [
            "三、收到和处理政府信息公开申请情况",
            "申请人情况",
            "自然人",
            "一、本年新收政府信息公开申请数量",
            "13",
        ],
        # ends before 五、…存在的主要问题, not at the end of the document
        "reviews_litigation": [
            "四、政府信息公开行政复议、行政诉讼情况",
            "行政复议",
            "结果维持",
            "1",
        ],
    }


def test_a_caption_without_its_header_words_is_no_section() -> None:
    tokens = tokenize(rows(["行政复议", "1", "其他"]))
    assert find_sections(tokens, text_runs(tokens)) == {}


def test_the_template_is_told_by_labels_only_one_template_prints() -> None:
    tokens = tokenize(rows(LINES[1:]))
    runs = text_runs(tokens)
    assert detect_template(runs, find_sections(tokens, runs)) == "2021"  # 本年制发件数
    old = [line.replace("本年制发件数", "本年新制作数量") for line in LINES[1:]]
    tokens = tokenize(rows(old))
    runs = text_runs(tokens)
    assert detect_template(runs, find_sections(tokens, runs)) == "2019"


def test_no_fingerprint_means_no_template() -> None:
    lines = [line for line in LINES[1:] if line != "本年制发件数"]
    tokens = tokenize(rows(lines))
    runs = text_runs(tokens)
    assert detect_template(runs, find_sections(tokens, runs)) is None
