"""A worksheet that mirrors the printed table 三 (收到和处理政府信息公开申请情况) of one report.

Rows and columns follow the report's template in form order, with the labels of the seed
dictionaries; a cell shows the number as printed, the printed dash or text when it is not a
number, and stays empty when the report printed nothing there or the ingest could not place
what it printed (a note under the table names those rows: printed but not placed).
"""

from __future__ import annotations

from typing import Any

import duckdb

from publish.warehouse import fetch_dicts
from publish.xlsx import Grid

SHEET_NAME = "table3 表三"
FLOW_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")
SHOWN_KINDS = {"blank": "", "not_applicable": "—"}


def default_report(connection: duckdb.DuckDBPyConnection) -> str | None:
    """The report shown when none is asked for: the latest parsed report on a standard form."""
    rows = fetch_dicts(
        connection,
        """
        select report_id from main.rpt_reports
        where status = 'parsed' and template in ('2019', '2021')
        order by report_year desc nulls last, report_id
        limit 1
    """,
    )
    return rows[0]["report_id"] if rows else None


def table3_grid(connection: duckdb.DuckDBPyConnection, report_id: str) -> Grid:
    """The sheet for `report_id`; a report without table 三 gives a one-line sheet saying so."""
    reports = fetch_dicts(
        connection, "select * from main.rpt_reports where report_id = ?", [report_id]
    )
    if not reports:
        raise ValueError(f"{report_id}: no such report in the warehouse")
    report = reports[0]
    title = " · ".join(
        str(part)
        for part in (_table_label(connection), report["agency"], report["report_year"], report_id)
        if part is not None
    )
    grid_cells = fetch_dicts(
        connection,
        """
        select template_cells.row_code, template_cells.col_code,
            template_cells.row_order, template_cells.col_order,
            row_labels.label_zh as row_label_zh, column_labels.label_zh as col_label_zh
        from dictionaries.template_cells
        inner join dictionaries.row_labels
            on template_cells.table_code = row_labels.table_code
            and template_cells.row_code = row_labels.row_code
        inner join dictionaries.column_labels
            on template_cells.table_code = column_labels.table_code
            and template_cells.col_code = column_labels.col_code
        where template_cells.table_code = 'applications' and template_cells.template = ?
        order by template_cells.row_order, template_cells.col_order
    """,
        [report["template"]],
    )
    if not grid_cells:
        return Grid(SHEET_NAME, [[title], [f"No table 三 in this report ({report['template']})."]])
    values = _printed_values(connection, report_id)
    row_codes = list(dict.fromkeys(cell["row_code"] for cell in grid_cells))
    col_codes = list(dict.fromkeys(cell["col_code"] for cell in grid_cells))
    row_labels = {cell["row_code"]: cell["row_label_zh"] for cell in grid_cells}
    col_labels = {cell["col_code"]: cell["col_label_zh"] for cell in grid_cells}
    rows: list[list[Any]] = [
        [title, *([None] * len(col_codes))],
        ["项目 item", *(col_labels[code] for code in col_codes)],
    ]
    for row_code in row_codes:
        rows.append([row_labels[row_code], *(values.get((row_code, col)) for col in col_codes)])
    unplaced = "、".join(_groups_not_placed(report)) or "none 无"
    rows.append([None] * (len(col_codes) + 1))
    rows.append(
        [
            f"Printed but not placed 已印出但未能定位: {unplaced}. "
            "Empty cell: not printed, or printed but not placed 空白：未印出或未能定位。",
            *([None] * len(col_codes)),
        ]
    )
    last_column = len(col_codes)
    merges = [(0, 0, 0, last_column), (len(rows) - 1, 0, len(rows) - 1, last_column)]
    return Grid(
        SHEET_NAME, rows, merges=merges, header_rows=2, widths=[46, *([12] * len(col_codes))]
    )


def _table_label(connection: duckdb.DuckDBPyConnection) -> str:
    rows = fetch_dicts(
        connection,
        "select label_zh from dictionaries.table_codes where table_code = 'applications'",
    )
    return f"三、{rows[0]['label_zh']}" if rows else "三"


def _printed_values(
    connection: duckdb.DuckDBPyConnection, report_id: str
) -> dict[tuple[str, str], Any]:
    """(row_code, col_code) → the number, or the printed dash / text, of every placed cell."""
    values: dict[tuple[str, str], Any] = {}
    flows = fetch_dicts(
        connection, "select * from main.fct_applications where report_id = ?", [report_id]
    )
    for flow in flows:
        for row_code in FLOW_ROWS:
            values[(row_code, flow["applicant_type"])] = _shown(
                flow[row_code], flow[f"{row_code}_value_kind"], None
            )
    outcomes = fetch_dicts(
        connection,
        """
        select outcome_code, applicant_type, application_count, value_kind, raw_text
        from main.fct_application_outcomes where report_id = ?
    """,
        [report_id],
    )
    for outcome in outcomes:
        values[(outcome["outcome_code"], outcome["applicant_type"])] = _shown(
            outcome["application_count"], outcome["value_kind"], outcome["raw_text"]
        )
    return values


def _shown(value: Any, value_kind: str | None, raw_text: str | None) -> Any:
    if value is not None:
        return value
    if value_kind in SHOWN_KINDS:
        return raw_text if raw_text else SHOWN_KINDS[value_kind]
    return raw_text


def _groups_not_placed(report: dict[str, Any]) -> list[str]:
    """Codes of the report's counts whose rows hold numbers the ingest could not place."""
    return [
        name.removesuffix("_status")
        for name, status in report.items()
        if name.endswith("_status") and status == "printed_not_placed"
    ]
