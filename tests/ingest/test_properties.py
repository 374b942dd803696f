"""Random damage to real reports never crashes the parser and never loses a cell's raw text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.document import parse_document
from ingest.schema import CELL_STATUSES, DOC_STATUSES, VALUE_KINDS
from tests.conftest import sample_file

REPORTS = [
    sample_file(prefix).read_bytes()
    for prefix in ("000_", "002_", "004_", "2021_", "2023_", "2024_", "2025_")
]
NAMES = [
    "report.txt",
    "report.txt",
    "report.txt",
    "report.txt",
    "report.html",
    "report.md",
    "report.md",
]

noise = st.text(
    alphabet=st.sampled_from(list("0123456789 |\n\t一二三（）()、.-—/无元万件总计其他公开<>td")),
    max_size=40,
)


@st.composite
def damaged_reports(draw: st.DrawFn) -> tuple[bytes, str]:
    index = draw(st.integers(0, len(REPORTS) - 1))
    data = bytearray(REPORTS[index])
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["delete", "insert", "duplicate", "bytes", "truncate"]))
        span = draw(st.integers(1, 400))
        if action == "delete":
            del data[at : at + span]
        elif action == "insert":
            data[at:at] = draw(noise).encode("utf-8")
        elif action == "duplicate":
            data[at:at] = data[at : at + span]
        elif action == "bytes":
            data[at:at] = draw(st.binary(max_size=16))
        else:
            del data[at:]
    return bytes(data), NAMES[index]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_reports())
def test_damaged_reports_never_crash_or_lose_raw_text(report: tuple[bytes, str]) -> None:
    data, name = report
    doc, cells = parse_document(data, name, "test")
    assert doc["status"] in DOC_STATUSES
    if doc["status"] in ("error", "partial", "no_standard_tables"):
        assert doc["error"], "a document that is not fully parsed says why"
    for cell in cells:
        assert cell["raw_text"] is not None and cell["locator"]
        assert cell["status"] in CELL_STATUSES and cell["value_kind"] in VALUE_KINDS
        if cell["status"] in ("ok", "inferred"):
            assert cell["row_code"] and cell["col_code"]
        if cell["value"] is not None:
            assert cell["status"] in ("ok", "inferred", "unmapped")
    # The text may quote one figure twice; a table cell is placed once.
    placed = [
        (c["table_code"], c["row_code"], c["col_code"])
        for c in cells
        if c["col_code"] and c["table_code"] != "narrative"
    ]
    assert len(placed) == len(set(placed)), "a template cell is placed twice"
