"""Every cell of the standard tables against values transcribed by hand from the documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document import parse_document
from ingest.tables.labels import template_rows
from tests.conftest import EXPECTED, FIXTURES, SAMPLE, golden_literal

GOLDEN = sorted(EXPECTED.glob("*.txt"))
# Every document a golden file describes: the sample page; the real pages and the PDFs
# printed from them (Chromium's print of the saved government page, running heads, page
# numbers and page breaks inside the tables included); renderings with blank grids.
FOLDERS = (SAMPLE, FIXTURES / "real", FIXTURES / "rendered")
SOURCES = [
    (golden, source)
    for golden in GOLDEN
    for source in sorted(p for folder in FOLDERS for p in folder.glob(golden.stem + ".*"))
    if source.suffix != ".py"
]


def _expected_rows(path: Path) -> list[tuple[str, str, list[str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            table, row, *values = line.split()
            rows.append((table, row, values))
    return rows


def _parse(golden: Path, source: Path | None = None) -> tuple[dict, list[dict]]:
    source = source or next(SAMPLE.glob(golden.stem + ".*"))
    return parse_document(source.read_bytes(), source.name, "test")


def test_every_golden_file_has_its_document() -> None:
    assert {golden for golden, _ in SOURCES} == set(GOLDEN)


@pytest.mark.parametrize(("golden", "source"), SOURCES, ids=[s.name[:48] for _, s in SOURCES])
def test_cells_match_hand_transcription(golden: Path, source: Path) -> None:
    doc, cells = _parse(golden, source)
    placed = {
        (c["table_code"], c["row_code"], c["col_code"]): c
        for c in cells
        if c["status"] in ("ok", "inferred") and c["table_code"] not in ("legacy", "narrative")
    }
    expected_keys = set()
    for table, row, values in _expected_rows(golden):
        if values[0].startswith("?"):
            ambiguous = [
                c["raw_text"]
                for c in cells
                if c["status"] == "ambiguous" and c["row_code"] == row and c["table_code"] == table
            ]
            assert "".join(ambiguous) == values[0][1:], (table, row)
            stored = [
                c["candidates"]
                for c in cells
                if c["status"] == "ambiguous" and c["row_code"] == row and c["table_code"] == table
            ]
            assert all(stored), f"{table}.{row}: ambiguous cells keep their candidate splits"
            continue
        spec = next(s for s in template_rows(doc["template"], table) if s.row_code == row)
        assert len(values) == len(spec.columns), f"golden row {row} has the wrong width"
        for col, printed in zip(spec.columns, values, strict=True):
            key = (table, row, col)
            expected_keys.add(key)
            assert key in placed, f"{key} missing"
            cell = placed[key]
            if printed == "_":
                assert cell["value_kind"] == "blank" and cell["value"] is None, key
                continue
            value, unit = golden_literal(printed)
            assert (cell["value"], cell["unit"] if unit else None) == (value, unit), key
    assert set(placed) == expected_keys, "cells placed that the document does not print"


@pytest.mark.parametrize(("golden", "source"), SOURCES, ids=[s.name[:48] for _, s in SOURCES])
def test_every_cell_keeps_raw_text_and_locator(golden: Path, source: Path) -> None:
    _, cells = _parse(golden, source)
    assert cells
    for cell in cells:
        assert cell["raw_text"] is not None and cell["locator"], cell


def test_pdf_text_page_number_is_kept_but_not_placed() -> None:
    doc, cells = _parse(EXPECTED / "2024_shanghai-science-commission_2021template_pdftext.txt")
    unplaced = [c for c in cells if c["status"] == "unplaced"]
    assert [c["raw_text"] for c in unplaced] == ["1"]
    assert "page number" in doc["notes"]


def test_blank_total_is_kept_as_printed_not_repaired() -> None:
    _, cells = _parse(EXPECTED / "2024_shanghai-science-commission_2021template_pdftext.txt")
    total = next(
        c for c in cells if c["row_code"] == "carried_forward" and c["col_code"] == "total"
    )
    assert (total["raw_text"], total["value"], total["value_kind"]) == ("", None, "blank")


def test_run_together_cells_are_marked_inferred() -> None:
    doc, cells = _parse(EXPECTED / "2021_pingtan-zone_2021template_concatenated.txt")
    new_received = [
        c for c in cells if c["row_code"] == "new_received" and c["table_code"] == "applications"
    ]
    assert {c["status"] for c in new_received} == {"inferred"}
    assert doc["status"] == "partial"
    assert "ambiguous" in doc["error"]
