"""Bad input: every file ends as one documents row with a clear reason; nothing raises."""

from __future__ import annotations

import pytest

from ingest.document import parse_document
from tests.conftest import sample_file

SEED_2021 = sample_file("004_")


def _parse(data: bytes, name: str = "report.txt") -> tuple[dict, list[dict]]:
    return parse_document(data, name, "test")


def test_empty_file() -> None:
    doc, cells = _parse(b"")
    assert (doc["status"], cells) == ("error", [])
    assert "report.txt" in doc["error"] and "empty" in doc["error"]


def table_cells(cells: list[dict]) -> list[dict]:
    """The standard tables' cells (the text's figures are counted in test_figures.py)."""
    return [c for c in cells if c["table_code"] != "narrative"]


def test_binary_file() -> None:
    doc, _ = _parse(bytes(range(256)) * 20, "scan.txt")
    assert doc["status"] == "error" and "binary" in doc["error"]


def test_gbk_report_is_decoded_not_garbled() -> None:
    text = SEED_2021.read_text(encoding="utf-8")
    doc, cells = _parse(text.encode("gb18030"))
    assert doc["encoding"] == "gb18030" and doc["status"] == "parsed"
    assert doc["title"] == "连云区人民政府2024年政府信息公开工作年度报告"
    assert len(table_cells(cells)) == 200


def test_gbk_html_with_charset_meta() -> None:
    html = (
        '<html><head><meta charset="gb2312"></head>'
        "<body><p>某某局2024年政府信息公开工作年度报告</p></body></html>"
    )
    doc, _ = _parse(html.encode("gbk"), "page.htm")
    assert doc["encoding"] == "gb18030" and doc["title"] == "某某局2024年政府信息公开工作年度报告"


def test_utf8_with_bom() -> None:
    doc, cells = _parse(b"\xef\xbb\xbf" + SEED_2021.read_bytes())
    assert doc["encoding"] == "utf-8-sig" and len(table_cells(cells)) == 200


def test_undecodable_bytes_name_the_file() -> None:
    # Latin-1 bytes: neither UTF-8 nor plausible GB18030 Chinese.
    doc, _ = _parse(
        "Rapport annuel: données été, café à Genève.".encode("latin-1") * 20, "weird.txt"
    )
    assert doc["status"] == "error"
    assert "weird.txt" in doc["error"] and "UTF-8" in doc["error"]


def test_truncated_report_is_partial() -> None:
    text = SEED_2021.read_text(encoding="utf-8")
    cut = text.index("(五)不予处理")
    doc, cells = _parse(text[:cut].encode("utf-8"))
    assert doc["status"] == "partial"
    assert "reviews_litigation not found" in doc["error"]
    # What parsing knows: the rows after the cut are missing. Completeness of the template
    # (every cell present) is rule R06's, in the warehouse.
    assert "rows missing from the report: not_processed_complaint" in doc["error"]
    assert cells and all(c["raw_text"] is not None for c in cells)


def test_missing_row_is_reported() -> None:
    text = SEED_2021.read_text(encoding="utf-8")
    row_start = text.index("2.重复申请 |")
    row_end = text.index("3.要求提供公开出版物 |")
    doc, cells = _parse((text[:row_start] + text[row_end:]).encode("utf-8"))
    assert doc["status"] == "partial"
    assert "not_processed_duplicate" in doc["error"]
    assert not any(c["row_code"] == "not_processed_duplicate" for c in cells)
    # The rows around it are still right.
    complaint = {
        c["col_code"]: c["value"] for c in cells if c["row_code"] == "not_processed_complaint"
    }
    assert complaint["natural_person"] == 1.0 and complaint["total"] == 1.0


def test_extra_column_is_not_silently_absorbed() -> None:
    html = (sample_file("2023_")).read_text(encoding="utf-8")
    at = html.index("上年结转政府信息公开申请数量")
    row_end = html.index("</tr>", at)
    broken = html[:row_end] + "<td>9</td>" + html[row_end:]
    doc, cells = _parse(broken.encode("utf-8"), "page.html")
    assert doc["status"] == "partial" and "carried_over" in doc["error"]
    carried = [c for c in cells if c["row_code"] == "carried_over"]
    assert carried and {c["status"] for c in carried} == {"ambiguous"}
    assert "9" in [c["raw_text"] for c in carried]


def test_unparseable_cell_keeps_its_text() -> None:
    text = SEED_2021.read_text(encoding="utf-8").replace(
        "行政处罚 |\n701 |", "行政处罚 |\n见附件 |"
    )
    doc, cells = _parse(text.encode("utf-8"))
    penalty = [c for c in cells if c["row_code"] == "admin_penalty"]
    assert doc["status"] == "partial"
    assert all(c["raw_text"] for c in cells)
    assert "admin_penalty" in doc["error"]
    assert not any(c["value"] == 701 for c in penalty)


@pytest.mark.parametrize(
    ("suffix", "reason"),
    [
        (".pdf", "damaged or not a PDF"),
        (".docx", "not a valid ZIP"),
        (".xls", "unknown content for a .xls file"),
        (".wps", "not read yet"),
    ],
)
def test_damaged_or_unsupported_formats_say_so(suffix: str, reason: str) -> None:
    doc, _ = _parse(b"%PDF-1.4 whatever", f"report{suffix}")
    assert doc["status"] == "error" and reason in doc["error"], doc["error"]
