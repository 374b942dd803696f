"""Scanned PDFs read by offline OCR (Tesseract): a scan made from a real report's PDF."""

from __future__ import annotations

import pytest

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


@pytest.mark.ocr
def test_scan_of_a_real_report_is_read_without_inventing_values() -> None:
    # The real 沭阳 2023 report printed to PDF, scanned at 150 dpi grey, skewed 0.6°,
    # blurred and speckled.
    doc, cells = parse_document(scanned(SHUYANG_PDF.read_bytes()), "scan.pdf", "t")
    assert doc["layout"] == "ocr_scan"
    placed = {
        (c["table_code"], c["row_code"], c["col_code"]): c
        for c in cells
        if c["status"] in ("ok", "inferred")
    }
    exact = wrong = total = 0
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
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
    assert exact >= 0.8 * total, f"{exact}/{total} cells exact"
    assert all(c["confidence"] is not None for c in placed.values() if c["raw_text"])
    doubted = [c for c in cells if c["status"] == "ambiguous" and c["note"]]
    assert all("OCR read" in c["note"] or "values where" not in c["note"] for c in doubted)
