"""The same report printed in every layout gives the same cells."""

from __future__ import annotations

import pytest

from gongkai.render import LAYOUTS, golden_values, printed_tables, render
from ingest.document import parse_document
from tests.conftest import EXPECTED

REPORTS = {
    "2019": EXPECTED / "000_428f89f9cabfe0c4.txt",
    "2021": EXPECTED / "004_b946b0eb2e73828a.txt",
}


def _parse(template: str, layout: str) -> tuple[dict, list[dict]]:
    text = render(layout, printed_tables(template, golden_values(REPORTS[template])))
    name = "report.html" if layout == "html" else "report.txt"
    return parse_document(text.encode("utf-8"), name, "test")


def _placed(cells: list[dict]) -> set[tuple]:
    return {
        (c["table_code"], c["row_code"], c["col_code"], c["value"])
        for c in cells
        if c["status"] in ("ok", "inferred")
    }


@pytest.mark.parametrize("template", sorted(REPORTS))
@pytest.mark.parametrize("layout", LAYOUTS)
def test_layout_gives_the_same_cells(template: str, layout: str) -> None:
    _, reference_cells = _parse(template, "html")
    reference = _placed(reference_cells)
    assert len(reference) == {"2019": 198, "2021": 200}[template]
    doc, cells = _parse(template, layout)
    assert doc["template"] == template
    placed = _placed(cells)
    assert placed == reference, sorted(reference - placed)[:5]
    assert doc["status"] == "parsed", doc["error"]


def test_run_together_rows_are_split_by_the_whole_table() -> None:
    # "242000026" splits as 24|2|0|0|0|0|26 and 2|4|20|0|0|0|26 under its own total; the
    # columns' identities (R02) keep only the first.
    _, cells = _parse("2021", "run_together")
    granted = [c for c in cells if c["row_code"] == "granted"]
    assert [(c["raw_text"], c["status"]) for c in granted] == [
        ("24", "inferred"),
        ("2", "inferred"),
        ("0", "inferred"),
        ("0", "inferred"),
        ("0", "inferred"),
        ("0", "inferred"),
        ("26", "inferred"),
    ]
    assert "R02 (" in granted[0]["note"] and "split fixed" in granted[0]["note"]
