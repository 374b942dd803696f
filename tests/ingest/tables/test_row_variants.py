"""Row sets as real reports vary them: no missing, extra, repeated or unlabelled row shifts
the rows after it, and no template cell is placed twice."""

from __future__ import annotations

from collections import Counter

import pytest

from gongkai.render import LAYOUTS, golden_values, printed_tables, render
from ingest.document import parse_document
from ingest.schema import CELL_OK, CELL_UNPLACED
from ingest.tables.labels import row_labels, template_rows
from ingest.tables.placement import Placed, TableResult, _place_each_cell_once
from tests.conftest import EXPECTED

REPORTS = {
    "2019": EXPECTED / "000_428f89f9cabfe0c4.txt",
    "2021": EXPECTED / "004_b946b0eb2e73828a.txt",
}
OTHER_2021 = ("other_overdue_correction", "other_overdue_fee", "other_misc")


def _label(row: str) -> str:
    return row_labels()[("applications", row)]["label_zh"]


def _standard(template: str) -> list[tuple[str, str]]:
    return [(s.row_code, _label(s.row_code)) for s in template_rows(template, "applications")]


def _variants(template: str) -> dict[str, tuple[list[tuple[str, str]], dict]]:
    values = golden_values(REPORTS[template])
    rows = _standard(template)
    codes = [code for code, _ in rows]
    six = min(i for i, code in enumerate(codes) if code.startswith("other_"))
    seven = codes.index("total_processed")
    variants = {
        "rows (六)-(七) printed twice": (
            rows[: seven + 1] + rows[six : seven + 1] + rows[seven + 1 :],
            values,
        ),
        "(七) before (六)": (
            rows[:six] + [rows[seven]] + rows[six:seven] + rows[seven + 1 :],
            values,
        ),
        "a row dropped": ([r for r in rows if r[0] != "withheld_admin_query"], values),
        "(五)5 dropped": ([r for r in rows if r[0] != "not_processed_confirmation"], values),
        "a label lost": (
            [(c, "" if c == "not_processed_publication" else lab) for c, lab in rows],
            values,
        ),
        "a label misspelt": (
            [(c, lab.replace("公开出版物", "出版物")) for c, lab in rows],
            values,
        ),
    }
    if template == "2021":
        # The 2019 single （六）其他处理 row instead of the three 2021 sub-rows.
        single = dict(values)
        single[("applications", "other_total")] = [
            str(sum(int(values[("applications", row)][i]) for row in OTHER_2021)) for i in range(7)
        ]
        kept = [r for r in rows if r[0] not in OTHER_2021]
        kept.insert(
            [c for c, _ in kept].index("total_processed"), ("other_total", _label("other_total"))
        )
        variants["the 2019 single (六)"] = (kept, single)
    else:
        three = dict(values)
        three.update({("applications", r): ["0"] * 7 for r in OTHER_2021[:2]})
        three[("applications", "other_misc")] = values[("applications", "other_total")]
        kept = [r for r in rows if r[0] != "other_total"]
        at = [c for c, _ in kept].index("total_processed")
        kept[at:at] = [(r, _label(r)) for r in OTHER_2021]
        variants["the 2021 three (六) sub-rows"] = (kept, three)
    return variants


CASES = [
    (template, name, layout)
    for template in sorted(REPORTS)
    for name in _variants(template)
    for layout in LAYOUTS
]


@pytest.mark.parametrize(("template", "name", "layout"), CASES)
def test_row_set_variant_places_what_is_printed(template: str, name: str, layout: str) -> None:
    rows, values = _variants(template)[name]
    text = render(layout, printed_tables(template, values, rows))
    doc, cells = parse_document(text.encode(), "r.html" if layout == "html" else "r.txt", "t")
    placed = [c for c in cells if c["status"] in ("ok", "inferred")]
    keys = Counter((c["table_code"], c["row_code"], c["col_code"]) for c in placed)
    assert [k for k, n in keys.items() if n > 1] == [], "a template cell placed twice"
    columns = template_rows(template, "applications")[0].columns
    printed = {code for code, _ in rows}
    for cell in placed:
        if cell["table_code"] != "applications":
            continue
        assert cell["row_code"] in printed, cell
        want = values[("applications", cell["row_code"])][columns.index(cell["col_code"])]
        assert cell["value"] == float(want), (cell["row_code"], cell["col_code"])
    placed_rows = {c["row_code"] for c in placed if c["table_code"] == "applications"}
    open_rows = {c["row_code"] for c in cells if c["status"] == "ambiguous"}
    # Every printed row is placed, or (run-together digits that a missing row leaves without
    # the identities to split them) kept ambiguous: never shifted, never invented.
    assert printed - placed_rows <= open_rows, sorted(printed - placed_rows)
    if open_rows:
        assert layout == "run_together" and "dropped" in name
    if "dropped" in name or "twice" in name or name.startswith("the "):
        assert doc["status"] == "partial", "what is missing or repeated is recorded"


def test_single_six_in_a_2021_table_is_other_total_and_r02_uses_it() -> None:
    rows, values = _variants("2021")["the 2019 single (六)"]
    text = render("run_together", printed_tables("2021", values, rows))
    doc, cells = parse_document(text.encode(), "r.txt", "t")
    other = {c["col_code"]: c["raw_text"] for c in cells if c["row_code"] == "other_total"}
    assert other == dict(
        zip(
            template_rows("2021", "applications")[0].columns,
            values[("applications", "other_total")],
            strict=True,
        )
    )
    # 予以公开 242000026 splits two ways under its own total; R02 over the printed （六）
    # decides.
    granted = [c for c in cells if c["row_code"] == "granted"]
    assert {c["status"] for c in granted} == {"inferred"} and "R02" in granted[0]["note"]
    assert "other_total" in doc["notes"]
    assert "other_overdue_correction" in doc["error"]  # what is missing is recorded


def test_a_cell_is_placed_at_most_once() -> None:
    def cell(text: str, locator: str) -> Placed:
        return Placed("total_processed", "total", None, text, locator, CELL_OK)

    result = TableResult([cell("78", "L1C7"), cell("78", "L9C7")], [], [])
    _place_each_cell_once(result)
    assert [c.status for c in result.cells] == [CELL_OK, CELL_UNPLACED]
    assert "L1C7" in (result.cells[1].note or "") and result.problems
