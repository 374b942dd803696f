"""Two OCR readings of one cell that disagree: the identities choose, or the cell is ambiguous.

The rows are those the OCR reader hands on for a scan of 沭阳县发展和改革局's 2023 report
(its hand-read cells rendered as a grid, every cell with a confidence), with one cell read
twice as two different numbers, the way the digits-only second reading can contradict the
first. No Tesseract run: the reader's own tests cover reading; this covers what follows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gongkai.render import golden_values, printed_tables, render
from ingest import document
from ingest.readers import Decoded, SourceRow
from ingest.readers.dispatch import read_document
from tests.conftest import EXPECTED

GOLDEN = EXPECTED / "2023_shuyang-county-development-reform-bureau_2021template.txt"
SURE = 0.96


def _ocr_rows(
    label: str, column: int, first: str, second: str, golden: Path = GOLDEN, text: str = ""
) -> Decoded:
    """The report's rows as read by OCR (`text`: a line of its prose before the tables); in
    the row labelled `label`, its `column`-th number read `second` by the digits-only reading
    after the first reading gave `first`."""
    page = text + "\n" + render("markdown", printed_tables("2021", golden_values(golden)))
    decoded = read_document(page.encode("utf-8"), "scan.md")
    rows: list[SourceRow] = []
    changed = 0
    for row in decoded.rows:
        if not row.explicit:
            rows.append(row)
            continue
        cells = list(row.cells)
        confidences: list[float | None] = [SURE] * len(cells)
        alternatives: list[tuple[str, ...]] = [()] * len(cells)
        if any(text.endswith(label) for text in cells):
            at = [i for i, text in enumerate(cells) if text.isdigit()][column]
            cells[at], confidences[at], alternatives[at] = second, 0.5, (first,)
            changed += 1
        rows.append(
            SourceRow(tuple(cells), row.locators, True, tuple(confidences), tuple(alternatives))
        )
    assert changed == 1, label
    return Decoded(rows, decoded.lines, "binary", "pdf", ocr=True)


def _parse(monkeypatch: pytest.MonkeyPatch, decoded: Decoded) -> tuple[dict, list[dict[str, Any]]]:
    monkeypatch.setattr(document, "read_document", lambda *args, **kwargs: decoded)
    return document.parse_document(b"%PDF-1.4 scan", "scan.pdf", "t")


def _placed(cells: list[dict[str, Any]], table: str, row: str, col: str) -> dict | None:
    return next(
        (
            c
            for c in cells
            if c["status"] in ("ok", "inferred")
            and (c["table_code"], c["row_code"], c["col_code"]) == (table, row, col)
        ),
        None,
    )


def test_readings_no_identity_covers_stay_ambiguous(monkeypatch: pytest.MonkeyPatch) -> None:
    # 规范性文件 本年制发 is printed 8; read 8, then 3. Table 二 has no identity over it.
    doc, cells = _parse(monkeypatch, _ocr_rows("规范性文件", 0, "8", "3"))
    assert doc["layout"] == "ocr_scan"
    assert _placed(cells, "proactive", "normative_documents", "issued") is None
    (cell,) = [c for c in cells if c["status"] == "ambiguous"]
    assert (cell["row_code"], cell["col_code"], cell["value"]) == (
        "normative_documents",
        None,
        None,
    )
    assert json.loads(cell["candidates"]) == [
        {"normative_documents.issued": "3"},
        {"normative_documents.issued": "8"},
    ]
    assert "no identity covers the cell" in cell["note"]
    assert doc["status"] == "partial"
    # The other cells of the row stay as read.
    assert _placed(cells, "proactive", "normative_documents", "in_force")["value"] == 18


def test_identities_choose_between_two_readings(monkeypatch: pytest.MonkeyPatch) -> None:
    # （一）予以公开 自然人 is printed 26; read 26, then 28: R01 and R02 over the column hold
    # only with 26 (本年新收 26, 办理结果总计 26), so 26 is placed and the note says why.
    doc, cells = _parse(monkeypatch, _ocr_rows("予以公开", 0, "26", "28"))
    cell = _placed(cells, "applications", "granted", "natural_person")
    assert cell is not None and cell["value"] == 26 and cell["raw_text"] == "26"
    assert "OCR read '28' and '26'" in cell["note"]
    assert "R02[natural_person]" in cell["note"]
    assert not [c for c in cells if c["status"] == "ambiguous"]


def test_the_text_chooses_where_no_identity_covers(monkeypatch: pytest.MonkeyPatch) -> None:
    # 平潭 2022 prints 规范性文件 本年制发 88 and says so in its text (a sentence of the
    # report): read 88, then 38, the reading the text quotes is placed.
    sentence = (
        "设立规范性文件库，集中公开现行有效行政规范性文件698件，"
        "动态更新本年度制发的规范性文件88件。"
    )
    golden = EXPECTED / "2022_pingtan-zone_2021template.txt"
    decoded = _ocr_rows("规范性文件", 0, "88", "38", golden, sentence)
    _, cells = _parse(monkeypatch, decoded)
    cell = _placed(cells, "proactive", "normative_documents", "issued")
    assert cell is not None and cell["value"] == 88
    assert "the text's 88" in cell["note"] and "equals '88'" in cell["note"]
    # A figure of an aggregate (全区各单位…) chooses nothing: the cell stays ambiguous.
    decoded = _ocr_rows("规范性文件", 0, "88", "38", golden, "全区各单位" + sentence)
    _, cells = _parse(monkeypatch, decoded)
    assert _placed(cells, "proactive", "normative_documents", "issued") is None
