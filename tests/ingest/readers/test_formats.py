"""The same report in every published format gives the same cells, with provenance in the file.

Fixtures in tests/fixtures/formats were made from real reports by LibreOffice
(make_fixtures.py); the tests only read them. `rendered` is render.py's 2021 report, `shuyang`
the sample page corpus/sample/2023_shuyang-….html; each has golden cells in
tests/fixtures/expected.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest

from ingest.document import parse_document
from ingest.readers.cjk import join_cjk
from ingest.readers.xlsx import display
from ingest.tables.labels import template_rows
from tests.conftest import EXPECTED, FIXTURES, golden_literal, sample_file

FORMATS = FIXTURES / "formats"
REFERENCES = {
    "rendered": (FORMATS / "rendered.html", EXPECTED / "004_b946b0eb2e73828a.txt"),
    "shuyang": (
        sample_file("2023_shuyang"),
        EXPECTED / "2023_shuyang-county-development-reform-bureau_2021template.txt",
    ),
}
CASES = {
    "rendered.pdf": "rendered",
    "paged.pdf": "rendered",  # table 三 across a page break, header repeated
    "borderless.pdf": "rendered",  # tables without rulings: text lines
    "rendered.docx": "rendered",
    "rendered.xlsx": "rendered",
    "shuyang.pdf": "shuyang",  # running header, page numbers, rows split by page breaks
    "shuyang.docx": "shuyang",
    "shuyang.xlsx": "shuyang",
    "shuyang.mht": "shuyang",  # GB2312, quoted-printable
}
LOCATOR = {
    "pdf": re.compile(r"P\d+(T\d+R\d+C\d+|L\d+(C\d+)?(\+\d+)?)"),  # +7: offset in a line
    # Figures quoted in the text: paragraph + character offset.
    "docx": re.compile(r"T\d+R\d+C\d+|P\d+\+\d+"),
    "xlsx": re.compile(r"S\d+R\d+C\d+"),
    "mhtml": re.compile(r"T\d+R\d+C\d+|P\d+\+\d+"),
}

Cells = set[tuple[str, str, str, float | None]]
# Figures outside the standard tables (pre-2019 statistics, the text): tests/ingest/test_figures.py
FIGURE_TABLES = ("legacy", "narrative")


def parse(path: Path) -> tuple[dict, list[dict]]:
    return parse_document(path.read_bytes(), path.name, "test")


def placed(cells: list[dict]) -> Cells:
    return {
        (c["table_code"], c["row_code"], c["col_code"], c["value"])
        for c in cells
        if c["status"] in ("ok", "inferred") and c["table_code"] not in FIGURE_TABLES
    }


def golden(path: Path, template: str) -> Cells:
    """The hand-transcribed cells as (table, row, column, value); `_` is a printed blank."""
    cells: Cells = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        table, row, *values = line.split()
        spec = next(s for s in template_rows(template, table) if s.row_code == row)
        for column, printed in zip(spec.columns, values, strict=True):
            cells.add((table, row, column, None if printed == "_" else golden_literal(printed)[0]))
    return cells


@pytest.mark.parametrize("name", sorted(CASES))
def test_format_gives_the_same_cells_as_html_and_golden(name: str) -> None:
    reference, golden_path = REFERENCES[CASES[name]]
    html_doc, html_cells = parse(reference)
    doc, cells = parse(FORMATS / name)
    assert doc["status"] == "parsed", doc["error"]
    assert placed(cells) == placed(html_cells)
    assert placed(cells) == golden(golden_path, doc["template"])
    for field in ("template", "title", "agency", "report_year", "published_date"):
        assert doc[field] == html_doc[field], field
    assert doc["file_format"] == name.rsplit(".", 1)[1].replace("mht", "mhtml")


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_cell_locator_names_its_place_in_the_file(name: str) -> None:
    doc, cells = parse(FORMATS / name)
    pattern = LOCATOR[doc["file_format"]]
    assert cells and all(pattern.fullmatch(c["locator"]) for c in cells), name


def test_pdf_locator_points_to_page_table_row_column() -> None:
    _, cells = parse(FORMATS / "paged.pdf")
    checked = 0
    with pdfplumber.open(FORMATS / "paged.pdf") as pdf:
        for cell in cells:
            match = re.fullmatch(r"P(\d+)T(\d+)R(\d+)C(\d+)", cell["locator"])
            page, table, row, column = map(int, match.groups())
            tables = sorted(pdf.pages[page - 1].find_tables(), key=lambda t: t.bbox[1])
            printed = tables[table - 1].extract()[row][column]
            assert join_cjk(printed.split()) == cell["raw_text"], cell["locator"]
            checked += 1
    assert checked == 200
    pages = {c["locator"][:2] for c in cells if c["table_code"] == "applications"}
    assert pages == {"P2", "P3"}  # table 三 is read across the page break


def test_docx_locator_points_to_table_row_grid_column() -> None:
    _, cells = parse(FORMATS / "shuyang.docx")
    document = docx.Document(str(FORMATS / "shuyang.docx"))
    for cell in cells:
        if cell["table_code"] in FIGURE_TABLES:
            continue  # a figure quoted in a paragraph: P<paragraph>+<offset>
        table, row, column = map(int, re.findall(r"\d+", cell["locator"]))
        printed = document.tables[table - 1].cell(row, column).text
        assert join_cjk(printed.split()) == cell["raw_text"], cell["locator"]


def test_xlsx_locator_points_to_sheet_row_column() -> None:
    _, cells = parse(FORMATS / "rendered.xlsx")
    book = openpyxl.load_workbook(FORMATS / "rendered.xlsx", data_only=True)
    for cell in cells:
        sheet, row, column = map(int, re.findall(r"\d+", cell["locator"]))
        assert display(book.worksheets[sheet - 1].cell(row, column).value) == cell["raw_text"]


def test_merged_cells_appear_once_with_their_grid_column() -> None:
    from ingest.readers.docx import read_docx
    from ingest.readers.pdf import read_pdf
    from ingest.readers.xlsx import read_xlsx

    label = "三、本年度办理结果"  # merged down over the outcome rows
    for reader, name in ((read_pdf, "rendered.pdf"), (read_docx, "rendered.docx"),
                         (read_xlsx, "rendered.xlsx")):  # fmt: skip
        rows = reader((FORMATS / name).read_bytes(), name).rows
        hits = [(r, i) for r in rows for i, text in enumerate(r.cells) if text == label]
        assert len(hits) == 1, name
        row, index = hits[0]
        assert row.explicit and row.cells[index + 1] == "（一）予以公开", name


def test_pdf_page_furniture_is_not_read() -> None:
    from ingest.readers.pdf import read_pdf

    decoded = read_pdf((FORMATS / "shuyang.pdf").read_bytes(), "shuyang.pdf")
    texts = [text for row in decoded.rows for text in row.cells]
    assert not any(re.fullmatch(r"-\s*\d+\s*-", text) for text in texts)
    assert "沭阳县发展和改革局政府信息公开" not in texts  # the running header
    assert decoded.lines[0] == "沭阳县发展和改革局2023年政府信息公开年度报告"  # wrapped title


def test_pdf_repeated_header_is_dropped_and_rows_stay_in_reading_order() -> None:
    from ingest.readers.pdf import read_pdf

    rows = read_pdf((FORMATS / "paged.pdf").read_bytes(), "paged.pdf").rows
    texts = ["".join(row.cells) for row in rows]
    assert sum("申请人情况" in text for text in texts) == 1
    order = [texts.index(t) for t in ("二、主动公开政府信息情况", "规章000")]
    assert order == sorted(order)
    heading = next(i for i, t in enumerate(texts) if t.startswith("三、收到和处理"))
    assert rows[heading + 1].locators[0].startswith("P1T2")  # the heading, then its table
