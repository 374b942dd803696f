"""Scanned PDFs read by offline OCR (Tesseract): a scan made from a real report's PDF."""

from __future__ import annotations

import json

import pytest
from PIL import Image, ImageDraw

from gongkai.render import scanned
from ingest.document import parse_document
from ingest.readers import ocr
from ingest.tables.labels import template_rows
from ingest.values import parse_value
from tests.conftest import EXPECTED, FIXTURES

SHUYANG_PDF = FIXTURES / "formats" / "shuyang.pdf"
GOLDEN = EXPECTED / "2023_shuyang-county-development-reform-bureau_2021template.txt"


def test_missing_engine_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "engine_available", lambda: False)
    doc, cells = parse_document((FIXTURES / "formats" / "scanned.pdf").read_bytes(), "s.pdf", "t")
    assert doc["status"] == "error" and cells == []
    assert "scanned PDF, no text layer" in doc["error"]
    assert "tesseract-ocr" in doc["error"] and "tesseract-ocr-chi-sim" in doc["error"]


# Scans made from real reports' PDFs, each with its golden file: LibreOffice's print of 沭阳
# 2023 (4 pages), and Chromium's print of 平潭 2022's saved government page (8 pages: running
# heads, site navigation, rows of table 三 cut by two page breaks, labels run close to rulings).
SCANS = {
    "shuyang": (SHUYANG_PDF, GOLDEN),
    "pingtan": (
        FIXTURES / "real" / "2022_pingtan-zone_2021template.chromium.pdf",
        EXPECTED / "2022_pingtan-zone_2021template.txt",
    ),
}


@pytest.mark.ocr
@pytest.mark.parametrize("name", sorted(SCANS))
def test_scan_of_a_real_report_is_read_without_inventing_values(name: str) -> None:
    # 150 dpi grey, skewed 0.6°, blurred and speckled (gongkai.render.scanned).
    pdf, golden = SCANS[name]
    doc, cells = parse_document(scanned(pdf.read_bytes()), "scan.pdf", "t")
    assert doc["layout"] == "ocr_scan"
    placed = {
        (c["table_code"], c["row_code"], c["col_code"]): c
        for c in cells
        if c["status"] in ("ok", "inferred")
    }
    exact = wrong = total = 0
    for line in golden.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        table, row, *values = line.split()
        spec = next(s for s in template_rows("2021", table) if s.row_code == row)
        for col, printed in zip(spec.columns, values, strict=True):
            total += 1
            cell = placed.get((table, row, col))
            if cell is None:
                continue
            want = parse_value(printed if printed != "_" else "")
            if cell["value"] == want.value and cell["value_kind"] == want.kind:
                exact += 1
            else:
                wrong += 1
    assert wrong == 0, "an OCR reading placed with a value the report does not print"
    assert exact >= 0.98 * total, f"{exact}/{total} cells exact"
    tables = ("proactive", "applications", "reviews_litigation")
    assert all(
        c["confidence"] is not None
        for key, c in placed.items()
        if c["raw_text"] and key[0] in tables
    )
    doubted = [c for c in cells if c["status"] == "ambiguous" and c["note"]]
    assert all("OCR read" in c["note"] or "values where" not in c["note"] for c in doubted)
    # A cell read as two different numbers: placed only where the identities choose one,
    # else ambiguous with both readings as candidates.
    for cell in cells:
        if "' and '" not in (cell["note"] or "") or not cell["note"].startswith("OCR read"):
            continue
        if cell["status"] == "ambiguous":
            assert cell["value"] is None and len(json.loads(cell["candidates"])) == 2
        else:
            assert "hold only with" in cell["note"], cell["note"]
    # Figures the text quotes carry the confidence of the OCR words they were read from.
    figures = [c for c in cells if c["table_code"] == "narrative" and c["value"] is not None]
    assert figures and all(0 <= c["confidence"] <= 1 for c in figures)


def test_digits_on_two_lines_of_a_cell_are_no_one_number() -> None:
    # Two rows merged into one crop (a ruling lost) read "0" over "0": never the number 00.
    top = (10, 5, "0", 0.9, (1, 1, 1), 20)
    below = (10, 40, "0", 0.9, (1, 1, 2), 20)
    assert ocr._joined(ocr._in_reading_order([below, top])) == "0 0"
    label = [(10, 5, "行政", 0.9, (1, 1, 1), 20), (60, 4, "许可", 0.9, (1, 1, 1), 22)]
    assert ocr._joined(ocr._in_reading_order(label[::-1])) == "行政许可"


def _ruled_page() -> Image.Image:
    """Two ruled tables with a heading between them, and a dense line of text-like dashes."""
    page = Image.new("L", (800, 700), 255)
    draw = ImageDraw.Draw(page)
    for top, rows in ((50, 3), (330, 2)):
        for row in range(rows + 1):
            draw.line((100, top + 60 * row, 700, top + 60 * row), fill=0, width=2)
        for x in (100, 300, 500, 700):
            draw.line((x, top, x, top + 60 * rows), fill=0, width=2)
    draw.rectangle((100, 285, 400, 300), fill=0)  # the heading between the tables
    for x in range(100, 700, 12):  # a line of text: as dark as a ruling, but in pieces
        draw.line((x, 600, x + 8, 600), fill=0, width=2)
    return page


def test_grid_keeps_tables_apart_and_text_is_no_ruling() -> None:
    cells, tables = ocr._grid(ocr._ink(_ruled_page()))
    assert len(tables) == 2
    assert sorted({(c.table, c.row) for c in cells}) == [(0, 0), (0, 1), (0, 2), (1, 3), (1, 4)]
    assert all(len([c for c in cells if (c.table, c.row) == key]) == 3 for key in {(0, 0)})
    assert all(box[3] < 600 for box in tables), "a dashed text line read as a ruling"
