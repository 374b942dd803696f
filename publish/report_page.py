"""One HTML page per report: its three tables as printed, failing cells highlighted.

Cells come from the cells mart (fct_cells): the printed text is shown as it was printed, so
a blank stays blank and a 0 stays 0. The grid is the report's template (the template_cells
dictionary); a template cell the report did not print is hatched. The cells that explain a
failing reconciliation result (fct_finding_cells: the terms of a failing sum, an invalid
number, a missing cell) are outlined red.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import duckdb

from publish import report_data, report_grids
from publish import report_sql as sql
from publish.html import heading, link, page, table, text
from publish.report_grids import MISSING_NOTE, UNPLACED_NOTE, head_html, label_html, ordered

Cell = tuple[str, str, str]  # (table_code, row_code, col_code)
LEGEND = (
    '<p class="note">Cells show the text as printed: an empty cell was printed blank '
    "(never read as 0). 单元格按原文显示，空白即原文空白（不视为 0）。 "
    '<span class="legend-box" style="background:#fdd;outline:2px solid #c00"></span> '
    "named in a failing rule 未通过规则涉及的单元格 · "
    '<span class="legend-box" style="background:#eee"></span> not on the form 格式中无此格 · '
    '<span class="legend-box" style="background:repeating-linear-gradient(45deg,#fff,#fff 3px,'
    '#ccc 3px,#ccc 6px)"></span> in the template but not printed 格式中有但未印出 · '
    '<span class="legend-box" style="background:#fff3c4"></span> ? printed but not placed '
    "已印出但未能定位 (the number is listed under the table; it is not counted as 0)</p>"
)
NOT_FOUND = '<p class="note">Not found in this report. 报告中未找到此表。</p>'


@dataclass(frozen=True)
class Dictionaries:
    """What every page shares: the tables in form order, the labels, each template's grid
    (its cells, and the shape of each of its tables)."""

    tables: list[dict[str, Any]]
    labels: dict[tuple[str, str, str], tuple[str, str]]
    template_cells: dict[str, list[dict[str, Any]]]
    shapes: dict[tuple[str, str], report_grids.Shape]
    headings: dict[str, str]  # table_code → the heading of its section

    @classmethod
    def read(cls, connection: duckdb.DuckDBPyConnection) -> Dictionaries:
        cells = report_data.all_template_cells(connection)
        grids: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for cell in cells:
            grids[cell["template"]].append(cell)
        labels = report_data.labels(connection)
        tables = report_data.tables(connection)
        return cls(
            tables,
            labels,
            dict(grids),
            report_grids.shapes(cells, labels),
            {
                t["table_code"]: heading(2, t["label_en"], t["label_zh"], anchor=t["table_code"])
                for t in tables
            },
        )


def render(
    report: dict[str, Any],
    source_href: str,
    dictionaries: Dictionaries,
    grids: report_grids.Grids,
    loose: list[dict[str, Any]],
    failures: list[str],
) -> str:
    """The page of one report (a row of report_data.reports).

    `grids` holds its tables drawn by the database (report_grids) and the cells of those
    without a fixed shape, drawn here; `loose` its cells not placed (listed under each table).
    """
    report_id = report["report_id"]
    title = report["title"] or report["source_path"]
    body = [
        heading(1, title, ""),
        _facts(report, source_href),
        LEGEND,
    ]
    template = report["template"]
    off_shape = grids.off_shape.get(report_id, {})
    for table_row in dictionaries.tables:
        code = table_row["table_code"]
        body.append(dictionaries.headings[code])
        if code in off_shape:
            body.append(
                _grid(
                    code,
                    off_shape[code] + loose,
                    dictionaries.template_cells.get(template, []),
                    dictionaries.labels,
                    grids.off_shape_flags.get(report_id, {}),
                )
            )
        elif (shape := dictionaries.shapes.get((template, code))) is not None:
            rows = shape.body(grids.drawn.get((report_id, code), []))
            body.append(f'<table class="grid">{shape.head}<tbody>{rows}</tbody></table>')
        else:
            body.append(NOT_FOUND)
        body.append(_loose_cells(code, loose))
    body.append(heading(2, "Failing reconciliation rules", "未通过的勾稽关系", anchor="failures"))
    body.append(_failures(failures))
    return page(f"{title} · gongkai", "\n".join(body), home="../index.html", assets="../")


def _facts(report: dict[str, Any], source_href: str) -> str:
    rows = [
        ("Agency 发布机关", text(report["agency"])),
        ("Year 报告年度", text(report["report_year"])),
        ("Published 发布日期", text(report.get("published_date"))),
        ("Index number 索引号", text(report.get("index_no"))),
        ("Template 年报格式", text(report["template"])),
        ("Status 解析状态", text(report["status"])),
        ("Error 错误原因", text(report["error"])),
        ("Notes 解析备注", text(report["notes"])),
        ("Format 文件格式", text(report["file_format"])),
        ("Report id 报告编号", text(report["report_id"])),
        ("Source URL 来源网址", _url_link(report.get("source_url"))),
        ("Source file 来源文件", link(source_href, report["source_path"])),
    ]
    cells = "".join(f"<tr><td>{name}</td><td>{value}</td></tr>" for name, value in rows)
    return f"{_FACTS_HEAD}<tbody>{cells}</tbody></table>"


_FACTS_HEAD = "<table><thead><tr><th>Field 字段</th><th>Value 值</th></tr></thead>"


def _url_link(url: str | None) -> str:
    """The address the report's file records, as a link; empty when it records none."""
    return "" if url is None else link(url, url)


def _grid(
    table_code: str,
    cells: list[dict[str, Any]],
    grid: list[dict[str, Any]],
    labels: dict[tuple[str, str, str], tuple[str, str]],
    flagged: dict[Cell, list[str]],
) -> str:
    placed = [c for c in cells if c["table_code"] == table_code and c["is_placed"]]
    template = [g for g in grid if g["table_code"] == table_code]
    rows = ordered([g["row_code"] for g in template] + [c["row_code"] for c in placed])
    columns = ordered([g["col_code"] for g in template] + [c["col_code"] for c in placed])
    if not rows:
        return NOT_FOUND
    printed: dict[tuple[str, str], dict[str, Any]] = {}
    for cell in placed:
        printed.setdefault((cell["row_code"], cell["col_code"]), cell)
    in_template = {(g["row_code"], g["col_code"]) for g in template}
    # Rows where the report printed a number the ingest could not place: their empty template
    # cells are unknown, not missing.
    unresolved = {
        c["row_code"]
        for c in cells
        if c["table_code"] == table_code
        and not c["is_placed"]
        and c["cell_status"] in ("ambiguous", "unplaced")
        and c["row_code"]
    }
    body = []
    for row in rows:
        tds = [f"<th>{label_html(labels, 'row', table_code, row)}</th>"]
        for column in columns:
            tds.append(
                _td(
                    printed.get((row, column)),
                    (row, column) in in_template,
                    flagged.get((table_code, row, column), []),
                    row in unresolved,
                )
            )
        body.append(f"<tr>{''.join(tds)}</tr>")
    head = head_html(labels, table_code, columns)
    return f'<table class="grid">{head}<tbody>{"".join(body)}</tbody></table>'


def _td(
    cell: dict[str, Any] | None, in_template: bool, rules: list[str], unresolved: bool = False
) -> str:
    classes = []
    notes = []
    if cell is None:
        if not in_template:
            return '<td class="off"></td>'
        if unresolved:
            classes.append("unplaced")
            notes.append(UNPLACED_NOTE)
            content = "?"
        else:
            classes.append("missing")
            notes.append(MISSING_NOTE)
            content = ""
    else:
        classes.append("blank" if cell["value_kind"] == "blank" else "num")
        content = text(cell["raw_text"])
        notes.append(f"{cell['value_kind']} · {cell['cell_status']} · {cell['locator']}")
    if rules:
        classes.append("fail")
        notes.append("fails " + ", ".join(rules))
    return f'<td class="{" ".join(classes)}" title="{text("; ".join(notes))}">{content}</td>'


def _loose_cells(table_code: str, cells: list[dict[str, Any]]) -> str:
    loose = [c for c in cells if c["table_code"] == table_code and not c["is_placed"]]
    if not loose:
        return ""
    rows = [
        (text(c["raw_text"]), text(c["cell_status"]), text(c["row_label_raw"]), text(c["locator"]))
        for c in loose
    ]
    header = ["Text 原文", "Status 状态", "Row label as printed 原行标签", "Locator 位置"]
    note = '<p class="note">Numbers in this table not placed in a cell 未定位的数字:</p>'
    return note + table(header, rows)


def _failures(rows: list[str]) -> str:
    if not rows:
        return '<p class="note">None. 无。</p>'
    head = "".join(f"<th>{cell}</th>" for cell in FAILURE_HEADER)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


FAILURE_HEADER = (
    "Rule 规则",
    "说明",
    "Scope 范围",
    "Expected 应为",
    "Actual 实际",
    "Difference 差额",
    "Detail 说明",
)
_FAILURE_ROW_SQL = f"""
select fct_reconciliation_results.report_id,
    concat(
        '<tr><td>', {sql.text("rule_id")}, ' ', {sql.text("rule_name")}, '</td>',
        '<td>', {sql.text("rule_description_zh")}, '</td>',
        '<td>', {sql.text("scope_label_zh")}, '<br><small>', {sql.text("scope_code")},
        '</small></td>',
        '<td class="num">', {sql.number("expected")}, '</td>',
        '<td class="num">', {sql.number("actual")}, '</td>',
        '<td class="num">', {sql.number("difference")}, '</td>',
        '<td>', {sql.text("detail")}, '</td></tr>'
    ) as html
from main.fct_reconciliation_results
inner join wanted_reports on fct_reconciliation_results.report_id = wanted_reports.report_id
where fct_reconciliation_results.outcome = 'fail'
order by fct_reconciliation_results.report_id, rule_id, scope_code, finding_id
"""


def failure_rows(connection: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """report_id → the `<tr>` of each of its failing results, for `wanted_reports`."""
    rows: dict[str, list[str]] = {}
    cursor = connection.execute(_FAILURE_ROW_SQL)
    while batch := cursor.fetchmany(50_000):
        for report_id, html in batch:
            rows.setdefault(report_id, []).append(html)
    return rows
