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

from publish import report_data
from publish.charts import number
from publish.html import heading, link, page, table, text
from publish.report_grids import MISSING_NOTE, UNPLACED_NOTE

Cell = tuple[str, str, str]  # (table_code, row_code, col_code)
NOT_FOUND = '<p class="note">Not found in this report. 报告中未找到此表。</p>'


@dataclass(frozen=True)
class Dictionaries:
    """What every page shares: the tables in form order, the labels, each template's grid."""

    tables: list[dict[str, Any]]
    labels: dict[tuple[str, str, str], tuple[str, str]]
    template_cells: dict[str, list[dict[str, Any]]]

    @classmethod
    def read(cls, connection: duckdb.DuckDBPyConnection) -> Dictionaries:
        grids: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for cell in report_data.all_template_cells(connection):
            grids[cell["template"]].append(cell)
        return cls(report_data.tables(connection), report_data.labels(connection), dict(grids))

    def header(self, template: str, table_code: str) -> str:
        """The `<thead>` of a template's table: its columns in form order, labelled."""
        columns = _ordered(
            [
                g["col_code"]
                for g in self.template_cells.get(template, [])
                if g["table_code"] == table_code
            ]
        )
        return _head(self.labels, table_code, columns)


def render(
    report: dict[str, Any],
    source_href: str,
    dictionaries: Dictionaries,
    bodies: dict[str, str] | None,
    cells: list[dict[str, Any]],
    failures: list[dict[str, Any]],
    flagged: dict[Cell, list[str]] | None = None,
) -> str:
    """The page of one report (a row of report_data.reports).

    `bodies` are its grids' `<tbody>` rows drawn by the database (report_grids), or None to
    draw them here from `cells` (every cell of the report) and `flagged`; otherwise `cells`
    need only hold the cells not placed (listed under each table).
    """
    title = report["title"] or report["source_path"]
    body = [
        heading(1, title, ""),
        _facts(report, source_href),
        _legend(),
    ]
    grid = dictionaries.template_cells.get(report["template"], [])
    for table_row in dictionaries.tables:
        code = table_row["table_code"]
        body.append(heading(2, table_row["label_en"], table_row["label_zh"], anchor=code))
        if bodies is None:
            body.append(_grid(code, cells, grid, dictionaries.labels, flagged or {}))
        elif code in bodies:
            head = dictionaries.header(report["template"], code)
            body.append(f'<table class="grid">{head}<tbody>{bodies[code]}</tbody></table>')
        else:
            body.append(NOT_FOUND)
        body.append(_loose_cells(code, cells))
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
    return table(["Field 字段", "Value 值"], [(name, value) for name, value in rows])


def _legend() -> str:
    return (
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


def flagged_cells(rows: list[dict[str, Any]]) -> dict[Cell, list[str]]:
    """Cell → the rule ids of the failing results it explains (rows of failing_cells)."""
    flagged: dict[Cell, list[str]] = defaultdict(list)
    for cell in rows:
        flagged[(cell["table_code"], cell["row_code"], cell["col_code"])].append(cell["rule_id"])
    return {cell: sorted(set(rules)) for cell, rules in flagged.items()}


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
    rows = _ordered([g["row_code"] for g in template] + [c["row_code"] for c in placed])
    columns = _ordered([g["col_code"] for g in template] + [c["col_code"] for c in placed])
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
        tds = [f"<th>{_label(labels, 'row', table_code, row)}</th>"]
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
    head = _head(labels, table_code, columns)
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


def _failures(failures: list[dict[str, Any]]) -> str:
    if not failures:
        return '<p class="note">None. 无。</p>'
    rows = [
        (
            text(f["rule_id"]) + " " + text(f["rule_name"]),
            text(f["rule_description_zh"]),
            text(f["scope_label_zh"]) + "<br><small>" + text(f["scope_code"]) + "</small>",
            number(f["expected"]),
            number(f["actual"]),
            number(f["difference"]),
            text(f["detail"]),
        )
        for f in failures
    ]
    header = [
        "Rule 规则",
        "说明",
        "Scope 范围",
        "Expected 应为",
        "Actual 实际",
        "Difference 差额",
        "Detail 说明",
    ]
    return table(header, rows, numeric=(3, 4, 5))


def _head(
    labels: dict[tuple[str, str, str], tuple[str, str]], table_code: str, columns: list[str]
) -> str:
    cells = "".join(f"<th>{_label(labels, 'col', table_code, column)}</th>" for column in columns)
    return f"<thead><tr><th></th>{cells}</tr></thead>"


def _label(
    labels: dict[tuple[str, str, str], tuple[str, str]], axis: str, table_code: str, code: str
) -> str:
    zh, en = labels.get((axis, table_code, code), (code, ""))
    return f'{text(zh)}<br><small class="zh">{text(en)}</small>'


def _ordered(codes: list[str | None]) -> list[str]:
    """Codes in first-seen order, without repeats or None."""
    return list(dict.fromkeys(code for code in codes if code))
