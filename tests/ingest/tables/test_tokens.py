"""Source rows -> tokens, on inline rows (no documents, no files)."""

from __future__ import annotations

from ingest.readers import SourceRow
from ingest.tables.tokens import TEXT, VALUE, split_label_digits, tokenize


def row(*cells: str, explicit: bool = False) -> SourceRow:
    return SourceRow(tuple(cells), tuple(f"L1:{i}" for i in range(len(cells))), explicit)


def kinds_and_texts(rows: list[SourceRow]) -> list[tuple[str, str]]:
    return [(token.kind, token.text) for token in tokenize(rows)]


def test_labels_are_text_and_numbers_are_values() -> None:
    assert kinds_and_texts([row("规章"), row("0"), row("12")]) == [
        (TEXT, "规章"),
        (VALUE, "0"),
        (VALUE, "12"),
    ]


def test_a_label_glued_to_digits_is_split_at_the_boundary() -> None:
    assert kinds_and_texts([row("行政许可2293")]) == [(TEXT, "行政许可"), (VALUE, "2293")]


def test_run_together_digits_stay_one_value() -> None:
    tokens = tokenize([row("一、本年新收政府信息公开申请数量640020470")])
    assert [(t.kind, t.text) for t in tokens] == [
        (TEXT, "一、本年新收政府信息公开申请数量"),
        (VALUE, "640020470"),
    ]
    assert tokens[1].locator == "L1:0+16"  # where in the chunk the digits start


def test_an_item_number_is_part_of_its_label() -> None:
    assert kinds_and_texts([row("1.属于国家秘密")]) == [(TEXT, "1.属于国家秘密")]


def test_words_of_a_line_are_split_on_any_whitespace() -> None:
    tokens = tokenize([row("行政处罚\u3000102 15")])
    assert [(t.kind, t.text) for t in tokens] == [(TEXT, "行政处罚"), (VALUE, "102"), (VALUE, "15")]
    assert not any(t.delimited for t in tokens)  # words of a line, not cells of a grid


def test_grid_cells_keep_printed_blanks_but_not_empty_label_columns() -> None:
    tokens = tokenize([row("", "规章", "", "5", explicit=True)])
    # The empty cell before the label is an empty label column; the one after is a blank.
    assert [(t.kind, t.text) for t in tokens] == [(TEXT, "规章"), (VALUE, ""), (VALUE, "5")]
    assert all(t.explicit and t.delimited for t in tokens)


def test_text_tokens_carry_their_normalized_form() -> None:
    (token,) = tokenize([row("（一）“予以”公开")])
    assert token.norm == "(一)予以公开"  # full-width brackets folded, quotes dropped


def test_ordinary_text_with_digits_is_not_split() -> None:
    assert split_label_digits("2024年共收到申请") == [(TEXT, "2024年共收到申请", 0)]


def test_a_label_run_into_its_first_value_in_laid_out_pdf_text() -> None:
    # pdftotext -layout of 平潭 2022's print: (二)部分公开's label wraps over three lines and
    # its last character runs into the first value: "… 只 计 这 一 情8 1 0 0 0 0 9".
    row = SourceRow(("处 理 的 ， 只 计 这 一 情8 1 0 0 0 0 9",), ("L183",), False)
    tokens = tokenize([row])
    assert [t.text for t in tokens if t.kind == VALUE] == ["8", "1", "0", "0", "0", "0", "9"]
    assert [t.text for t in tokens if t.kind == TEXT][-1] == "情"
    # A cell of its own is one word, not a label and a value (a heading 数据1), and prose
    # words that count or date (共8, 第3, 至2022) are not split.
    grid = SourceRow(("类别", "数据1", "数据2"), ("R1C0", "R1C1", "R1C2"), True)
    assert [t.kind for t in tokenize([grid])] == [TEXT, TEXT, TEXT]
    prose = SourceRow(("共8 第3 至2022",), ("L9",), False)
    assert [t.kind for t in tokenize([prose])] == [TEXT, TEXT, TEXT]
