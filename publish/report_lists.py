"""The report's paginated lists: every report, every failing result.

    list/<name>-<n>.html    a page of LIST_PAGE_ROWS rows as plain HTML (works without
                            JavaScript), a pager, the filter box of assets/report.js
    list/<name>-data.js     every row, for the filter and sort across all pages

A list at national scale is a million cells, so the database draws each row, as HTML and as
JSON, with the escaping and number formatting of the Python helpers (publish.report_sql);
Python cuts the rows into pages.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from publish import report_sql as sql
from publish.html import heading, link, page, text
from publish.warehouse import fetch_table

LIST_PAGE_ROWS = 1000
# What str.strip() strips, for the scope column (label and code joined by a space).
_WHITESPACE = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())


@dataclass(frozen=True)
class Column:
    """A list column: header, kind and the SQL of its value over the list's rows.

    kind: "link" (`value` is the href, `label` its text), "text", "number" (right-aligned,
    1,234) or "year" (sorts as a number, shown as printed). `data` is how the data file
    carries the value: "text" (a JSON string) or "integer".
    """

    header: str
    kind: str
    value: str
    data: str = "text"
    label: str = ""

    def html(self) -> str:
        if self.kind == "link":
            href, label = sql.escaped(self.value), sql.escaped(self.label)
            return f"""'<td><a href="', {href}, '">', {label}, '</a></td>'"""
        if self.kind == "number":
            return f"""'<td class="num">', {sql.number(self.value)}, '</td>'"""
        return f"'<td>', {sql.text(self.value)}, '</td>'"

    def json(self) -> str:
        if self.kind == "link":
            return f"'[', {sql.json_text(self.value)}, ',', {sql.json_text(self.label)}, ']'"
        if self.data == "integer":
            return sql.json_integer(self.value)
        return sql.json_text(self.value)


@dataclass(frozen=True)
class ListSpec:
    """A paginated list: its file names, title, columns, the SQL of its rows (a query whose
    columns the Column expressions name) and their order."""

    name: str
    title_en: str
    title_zh: str
    columns: tuple[Column, ...]
    rows: str
    order: str  # the order of the rows, over the columns of `rows`

    def page(self, number: int, prefix: str = "list/") -> str:
        return f"{prefix}{self.name}-{number}.html"

    @property
    def data(self) -> str:
        return f"list/{self.name}-data.js"

    def query(self) -> str:
        """Each row as (`<tr>` HTML, JSON array and a comma), in list order."""
        html = ", ".join(column.html() for column in self.columns)
        json = ", ',', ".join(column.json() for column in self.columns)
        return (
            f"select concat('<tr>', {html}, '</tr>') as html, concat('[', {json}, '],') as json"
            f" from ({self.rows}) as list_rows order by {self.order}"
        )


REPORT_LIST = ListSpec(
    "reports",
    "Reports",
    "年报列表",
    (
        Column(
            "Report 年报",
            "link",
            "concat('../reports/', report_id, '.html')",
            label="coalesce(nullif(title, ''), source_path)",
        ),
        Column("Agency 发布机关", "text", "agency"),
        Column("Year 年度", "year", "report_year", "integer"),
        Column("Published 发布日期", "text", "published_date"),
        Column("Template 格式", "text", "template"),
        Column("Status 状态", "text", "status"),
        Column("Failing rules 未通过规则数", "number", "failing_rules", "integer"),
    ),
    """
    with failures as (
        select report_id, count(distinct rule_id) as failing_rules
        from main.fct_reconciliation_results
        where outcome = 'fail'
        group by report_id
    )
    select dim_reports.report_id, dim_reports.title, dim_reports.source_path,
        dim_reports.agency, dim_reports.report_year, dim_reports.published_date,
        dim_reports.template, dim_reports.status,
        coalesce(failures.failing_rules, 0) as failing_rules
    from main.dim_reports
    left join failures on dim_reports.report_id = failures.report_id
    """,
    "report_year nulls last, agency, report_id",
)
FINDING_LIST = ListSpec(
    "findings",
    "Failing results",
    "未通过的核对结果",
    (
        Column(
            "Report 年报",
            "link",
            # A result of no table links to the page's "None" anchor, as it always has.
            "concat('../reports/', report_id, '.html#', coalesce(table_code, 'None'))",
            label="coalesce(nullif(title, ''), report_id)",
        ),
        Column("Agency 发布机关", "text", "agency"),
        Column("Year 年度", "year", "report_year", "integer"),
        Column("Template 格式", "text", "template"),
        Column("Rule 规则", "text", "rule_id"),
        Column("Scope 范围", "text", "scope"),
        Column("Expected 应为", "number", "expected"),
        Column("Actual 实际", "number", "actual"),
        Column("Difference 差额", "number", "difference"),
        Column("Detail 说明", "text", "detail"),
    ),
    f"""
    select fct_reconciliation_results.report_id, fct_reconciliation_results.table_code,
        dim_reports.title, dim_reports.agency, dim_reports.report_year, dim_reports.template,
        fct_reconciliation_results.rule_id,
        trim(
            concat(
                coalesce(fct_reconciliation_results.scope_label_zh, ''), ' ',
                coalesce(fct_reconciliation_results.scope_code, '')
            ),
            '{_WHITESPACE}'
        ) as scope,
        fct_reconciliation_results.expected, fct_reconciliation_results.actual,
        fct_reconciliation_results.difference, fct_reconciliation_results.detail,
        fct_reconciliation_results.scope_code, fct_reconciliation_results.finding_id
    from main.fct_reconciliation_results
    inner join main.dim_reports
        on fct_reconciliation_results.report_id = dim_reports.report_id
    where fct_reconciliation_results.outcome = 'fail'
    """,
    "report_year nulls last, agency, report_id, rule_id, scope_code, finding_id",
)


def list_files(connection: duckdb.DuckDBPyConnection) -> dict[str, bytes]:
    """relative path → bytes of every list page and list data file.

    The rows stay in the UTF-8 buffers the database hands over (Arrow): a page's rows are
    one slice of them, the data file's rows another, never a million Python strings.
    """
    files: dict[str, bytes] = {}
    for spec in (REPORT_LIST, FINDING_LIST):
        rows = fetch_table(connection, spec.query())
        files.update(_files(spec, _Rows(rows.column("html")), _Rows(rows.column("json"))))
    return files


class _Rows:
    """Rows of strings as one UTF-8 buffer and their offsets into it."""

    def __init__(self, column: pa.ChunkedArray) -> None:
        chunks = [chunk.cast(pa.large_string()) for chunk in column.chunks]
        # An empty result may come as no chunk at all (a warehouse with no findings).
        array = pa.concat_arrays(chunks) if chunks else pa.array([], pa.large_string())
        if len(array) == 0:
            array = pa.array([], pa.large_string())
        _, offsets, data = array.buffers()
        self.offsets = memoryview(offsets).cast("q")[array.offset : array.offset + len(array) + 1]
        self.data = memoryview(data) if data is not None else memoryview(b"")
        self.count = len(array)

    def joined(self, start: int, stop: int) -> bytes:
        """Rows start..stop-1 end to end."""
        return self.data[self.offsets[start] : self.offsets[stop]].tobytes()


def _files(spec: ListSpec, html_rows: _Rows, json_rows: _Rows) -> dict[str, bytes]:
    total = html_rows.count
    pages = max(1, -(-total // LIST_PAGE_ROWS))
    files = {}
    header = "".join(
        f'<th data-type="{column.kind}">{text(column.header)}</th>' for column in spec.columns
    )
    for number in range(1, pages + 1):
        start = (number - 1) * LIST_PAGE_ROWS
        stop = min(number * LIST_PAGE_ROWS, total)
        first = start + 1 if stop > start else 0
        last = stop if stop > start else 0
        grid_start = f'<table class="list" id="{spec.name}"><thead><tr>{header}</tr></thead><tbody>'
        body = "\n".join(
            [
                heading(1, spec.title_en, spec.title_zh),
                _pager(spec, number, pages, first, last, total),
                f'<div class="filter" data-source="{spec.name}-data.js" data-table="{spec.name}" '
                f'data-page-size="{LIST_PAGE_ROWS}"><label>Filter 筛选 <input type="search" '
                'placeholder="agency, year, rule… 机关、年度、规则…"></label> '
                '<span class="matches"></span> <small class="note">(click a column header to '
                "sort 点击列标题排序; both search every page 全部分页)</small></div>",
                f"{grid_start}\0</tbody></table>"
                if stop > start
                else '<p class="note">None. 无。</p>',
            ]
        )
        html = page(
            f"{spec.title_en} {spec.title_zh} {number}/{pages} · gongkai",
            body,
            home="../index.html",
            assets="../",
            script=True,
        )
        before, _, after = html.partition("\0")  # where the rows go (no text holds a NUL)
        rows = html_rows.joined(start, stop) if stop > start else b""
        files[spec.page(number)] = before.encode() + rows + after.encode()
    rows = json_rows.joined(0, json_rows.count)[:-1]  # each row ends with a comma
    files[spec.data] = b'gongkaiListData({"rows":[' + rows + b"]});\n"
    return files


def _pager(spec: ListSpec, current: int, pages: int, first: int, last: int, total: int) -> str:
    parts = [f"<span>rows {first:,}–{last:,} of {total:,} 行 · page {current} of {pages} 页</span>"]
    if current > 1:
        parts.append(link(spec.page(1, ""), "« first 首页"))
        parts.append(link(spec.page(current - 1, ""), "‹ previous 上一页"))
    if current < pages:
        parts.append(link(spec.page(current + 1, ""), "next 下一页 ›"))
        parts.append(link(spec.page(pages, ""), "last 末页 »"))
    return f'<p class="pager">{"".join(parts)}</p>'
