"""Rules over the row set a report printed: R02 on a 2021 report printing the 2019 single
（六）其他处理 row instead of the three 2021 sub-rows (real reports do, and the reverse).

The report is the real 连云区 2024 report's values (tests/fixtures/expected) rendered as a web
page by gongkai/render.py, its three （六） sub-rows printed as the single 2019 row holding
their sums; beside it the same report as printed, with the three sub-rows.
"""

from __future__ import annotations

import pytest

from gongkai.render import golden_values, printed_tables, render
from ingest.tables.labels import row_labels, template_rows
from tests.conftest import EXPECTED
from tests.test_dbt_project import Warehouse, build_warehouse

VALUES = EXPECTED / "004_b946b0eb2e73828a.txt"
SUB_ROWS = ("other_overdue_correction", "other_overdue_fee", "other_misc")
COLUMNS = template_rows("2021", "applications")[0].columns


def _label(row: str) -> str:
    return row_labels()[("applications", row)]["label_zh"]


def _single_six_page() -> str:
    values = golden_values(VALUES)
    values[("applications", "other_total")] = [
        str(sum(int(values[("applications", row)][i]) for row in SUB_ROWS))
        for i in range(len(COLUMNS))
    ]
    rows = [
        (spec.row_code, _label(spec.row_code))
        for spec in template_rows("2021", "applications")
        if spec.row_code not in SUB_ROWS
    ]
    at = [code for code, _ in rows].index("total_processed")
    rows.insert(at, ("other_total", _label("other_total")))
    return render("html", printed_tables("2021", values, rows))


@pytest.fixture(scope="module")
def row_set_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    workdir = tmp_path_factory.mktemp("row_sets")
    corpus = workdir / "corpus"
    corpus.mkdir()
    (corpus / "single-six_2021template.html").write_text(_single_six_page(), encoding="utf-8")
    three = render("html", printed_tables("2021", golden_values(VALUES)))
    (corpus / "three-six_2021template.html").write_text(three, encoding="utf-8")
    return build_warehouse(corpus, workdir)


def _r02(warehouse: Warehouse, file_name: str) -> dict[str, str]:
    rows = warehouse.query(
        "select col_code, outcome from fct_reconciliation_results"
        " where report_id = ? and rule_id = 'R02'",
        [warehouse.report_id(file_name)],
    )
    return dict(rows)


def test_r02_uses_the_single_six_a_2021_report_printed(row_set_warehouse: Warehouse) -> None:
    template = row_set_warehouse.query(
        "select template from dim_reports where report_id = ?",
        [row_set_warehouse.report_id("single-six_2021template.html")],
    )
    assert template == [("2021",)]
    # Every applicant column is assessed over the printed （六）, and the report adds up.
    assert _r02(row_set_warehouse, "single-six_2021template.html") == dict.fromkeys(COLUMNS, "pass")


def test_r02_uses_the_report_own_row_set_when_printed(row_set_warehouse: Warehouse) -> None:
    assert _r02(row_set_warehouse, "three-six_2021template.html") == dict.fromkeys(COLUMNS, "pass")


def test_r02_terms_name_each_row_set_by_its_template() -> None:
    # The variants are data: the terms seed tags each template's own （六） rows.
    from gongkai.seeds import read_seed

    tagged = {
        (term["row_code"], term["template"])
        for term in read_seed("reconciliation_terms.csv")
        if term["rule_id"] == "R02" and term["template"]
    }
    assert tagged == {("other_total", "2019")} | {(row, "2021") for row in SUB_ROWS}


def test_the_page_prints_no_sub_row() -> None:
    page = _single_six_page()
    assert _label("other_total") in page
    assert not any(_label(row) in page for row in SUB_ROWS)
