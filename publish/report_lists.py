"""The report's paginated lists: every report, every failing result.

    list/<name>-<n>.html        a page of LIST_PAGE_ROWS rows as plain HTML (works without
                                JavaScript), a pager, the filter box of assets/report.js
    list/<name>-data-<n>.js     the same rows as data, for the filter and sort across all
                                pages (the script reads them page by page)

A list at national scale is a million cells, so the database draws each row, as HTML and as
JSON, with the escaping and number formatting of the Python helpers (publish.report_sql);
Python cuts the rows into pages. The rows drawn are kept for the next run (in the list files,
which publish.report_store indexes): a run draws again only the rows of reports whose inputs
changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from publish import report_sql as sql
from publish import report_store
from publish.html import heading, link, page, text
from publish.report_store import SCHEMA, Page, Strings
from publish.warehouse import fetch_table

LIST_PAGE_ROWS = 1000
# What str.strip() strips, for the scope column (label and code joined by a space).
_WHITESPACE = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())


@dataclass(frozen=True)
class Column:
    """A list column: header, kind and the SQL of its value over the list's rows.

    kind: "link" (`value` is the href, `label` its text), "text", "number" (right-aligned,
    1,234) or "year" (sorts as a number, shown as printed). `data` is how the data file
    carries the value: "text" (a JSON string), "integer" or "number" (a decimal as a JSON
    number, exact: 1944, -12.5; the script shows it as the page does).
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
        if self.data == "number":
            return sql.json_number(self.value)
        return sql.json_text(self.value)


# The lists' rows are in this order of their reports, then (findings) in the order within a
# report: a report's rows are one run, which a later run can keep whole.
REPORT_ORDER = ("report_year", "agency", "report_id")


@dataclass(frozen=True)
class ListSpec:
    """A paginated list: its file names, title, columns, the SQL of its rows (a query whose
    columns the Column expressions name, with the REPORT_ORDER columns, over the reports of
    `changed_reports`) and the columns that order the rows of a report (with REPORT_ORDER,
    unique; ascending, nulls last)."""

    name: str
    title_en: str
    title_zh: str
    columns: tuple[Column, ...]
    rows: str
    order_within_report: tuple[str, ...] = ()

    def page(self, number: int, prefix: str = "list/") -> str:
        return f"{prefix}{self.name}-{number}.html"

    def data(self, number: int) -> str:
        return f"list/{self.name}-data-{number}.js"

    def query(self) -> str:
        """The rows of the reports of `changed_reports`, in list order: (report_id, its
        report_key of `list_keys`, `<tr>` HTML, JSON array and a comma)."""
        html = ", ".join(column.html() for column in self.columns)
        json = ", ',', ".join(column.json() for column in self.columns)
        order = ", ".join(f"{c} nulls last" for c in (*REPORT_ORDER, *self.order_within_report))
        return (
            f"select report_id, report_key, concat('<tr>', {html}, '</tr>') as html,"
            f" concat('[', {json}, '],') as json"
            " from (select list_rows.*, list_keys.report_key"
            f" from ({self.rows}) as list_rows"
            " inner join list_keys on list_rows.report_id = list_keys.report_id"
            " where list_rows.report_id in (select report_id from changed_reports)) as list_rows"
            f" order by {order}"
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
        where outcome = 'fail' and report_id in (select report_id from changed_reports)
        group by report_id
    )
    select dim_reports.report_id, dim_reports.title, dim_reports.source_path,
        dim_reports.agency, dim_reports.report_year, dim_reports.published_date,
        dim_reports.template, dim_reports.status,
        coalesce(failures.failing_rules, 0) as failing_rules
    from main.dim_reports
    left join failures on dim_reports.report_id = failures.report_id
    where dim_reports.report_id in (select report_id from changed_reports)
    """,
)
FINDING_LIST = ListSpec(
    "findings",
    "Failing results",
    "未通过的核对结果",
    (
        Column(
            "Report 年报",
            "link",
            # A result of no table links to the page's list of failing rules.
            "concat('../reports/', report_id, '.html#', coalesce(table_code, 'failures'))",
            label="coalesce(nullif(title, ''), report_id)",
        ),
        Column("Agency 发布机关", "text", "agency"),
        Column("Year 年度", "year", "report_year", "integer"),
        Column("Template 格式", "text", "template"),
        Column("Rule 规则", "text", "rule_id"),
        Column("Scope 范围", "text", "scope"),
        Column("Expected 应为", "number", "expected", "number"),
        Column("Actual 实际", "number", "actual", "number"),
        Column("Difference 差额", "number", "difference", "number"),
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
        -- Only the reports drawn again: filtered before the join, not after it.
        and fct_reconciliation_results.report_id in (select report_id from changed_reports)
    """,
    ("rule_id", "scope_code", "finding_id"),
)
LISTS = (REPORT_LIST, FINDING_LIST)


def list_files(
    connection: duckdb.DuckDBPyConnection,
    keys: pa.Table,
    stored: dict[str, pa.Table | None],
    code: str,
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(relative path → bytes of every list page and data file, list name → its index).

    `keys` holds (report_id, report_key) of every report: the key of what its list rows
    show. `stored` holds each list's rows as the last run left them (report_store.read_rows
    of the files and index this function gave, `code` the code that drew them), or None.
    A report whose key is the one stored keeps its stored rows (a run of them, moved to its
    place in the list); only the others' rows are drawn: adding 1,000 reports to 100k draws
    1,000 reports' rows, not 100k.

    The rows stay in the UTF-8 buffers the database hands over (Arrow): a page's rows are
    one slice of them, its data file's rows another, never a million Python strings.
    """
    files: dict[str, bytes] = {}
    indexes: dict[str, bytes] = {}
    reuse = all(stored.get(spec.name) is not None for spec in LISTS)
    connection.register("list_keys", keys)
    if reuse:
        connection.register("stored_keys", stored[REPORT_LIST.name].select(KEY_COLUMNS))
    # Large strings: one buffer per column however many rows (a 32-bit offset is 2 GiB).
    connection.execute("set arrow_large_buffer_size = true")
    try:
        changed = (
            "select report_id from (select report_id, report_key from list_keys except"
            " select report_id, report_key from stored_keys)"
            if reuse
            else "select report_id from list_keys"
        )
        connection.execute(f"create or replace temp table changed_reports as {changed}")
        changed_ids = set(
            fetch_table(connection, "select report_id from changed_reports").column(0).to_pylist()
        )
        order = fetch_table(
            connection,
            "select report_id from main.dim_reports order by "
            + ", ".join(f"{c} nulls last" for c in REPORT_ORDER),
        )
        ordered = order.column(0).to_pylist()
        for spec in LISTS:
            drawn = fetch_table(connection, spec.query())
            kept = stored[spec.name] if reuse else None
            table = _merged(ordered, changed_ids, drawn, kept)
            drawn_files, pages = _files(
                spec, Strings(table.column("html")), Strings(table.column("json"))
            )
            files.update(drawn_files)
            indexes[spec.name] = report_store.index_bytes(code, table, pages)
    finally:
        connection.execute("drop table if exists changed_reports")
        connection.execute("reset arrow_large_buffer_size")
        connection.unregister("list_keys")
        if reuse:
            connection.unregister("stored_keys")
    return files, indexes


KEY_COLUMNS = ["report_id", "report_key"]


def _merged(
    ordered: list[str], changed: set[str], drawn: pa.Table, kept: pa.Table | None
) -> pa.Table:
    """The list's rows: each report of `ordered` in turn, its rows from `drawn` if it is in
    `changed`, else from `kept`; runs of reports that follow each other in `kept` are
    taken as one slice. The slices are not copied: the table has a chunk per slice."""
    drawn = drawn.select(SCHEMA.names).cast(SCHEMA).combine_chunks()
    if kept is not None and kept.schema != SCHEMA:
        kept = kept.select(SCHEMA.names).cast(SCHEMA)
    drawn_runs = _runs(drawn)
    kept_runs = _runs(kept) if kept is not None else {}
    pieces: list[tuple[pa.Table, int, int]] = []
    for report_id in ordered:
        source = drawn if report_id in changed else kept
        run = (drawn_runs if source is drawn else kept_runs).get(report_id)
        if run is None or source is None:
            continue
        if pieces and pieces[-1][0] is source and pieces[-1][2] == run[0]:
            pieces[-1] = (source, pieces[-1][1], run[1])
        else:
            pieces.append((source, *run))
    if not pieces:
        return drawn.slice(0, 0)
    return pa.concat_tables(table.slice(start, stop - start) for table, start, stop in pieces)


def _runs(table: pa.Table) -> dict[str, tuple[int, int]]:
    """report_id → (first row, row after its last) of its rows (one run per report)."""
    if table.num_rows == 0:
        return {}
    encoded = pc.run_end_encode(table.column("report_id").combine_chunks())
    ends = encoded.run_ends.to_pylist()
    return dict(
        zip(encoded.values.to_pylist(), zip([0, *ends[:-1]], ends, strict=True), strict=True)
    )


def _files(
    spec: ListSpec, html_rows: Strings, json_rows: Strings
) -> tuple[dict[str, bytes], list[Page]]:
    """The list's pages and data files, and where each holds its rows (for the index)."""
    total = html_rows.count
    pages = max(1, -(-total // LIST_PAGE_ROWS))
    files = {}
    layout = []
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
                f'<div class="filter" data-source="{spec.name}-data-" data-pages="{pages}" '
                f'data-table="{spec.name}" data-page-size="{LIST_PAGE_ROWS}"><label>Filter 筛选 '
                '<input type="search" placeholder="agency, year, rule… 机关、年度、规则…"></label> '
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
        head = before.encode()
        files[spec.page(number)] = head + rows + after.encode()
        # Each page's rows for the filter and sort, in a file of its own: the script loads
        # them a page at a time, so no file a browser reads is the whole list.
        data = json_rows.joined(start, stop)[:-1] if stop > start else b""  # rows end with ","
        data_head = b'gongkaiListData({"page":%d,"rows":[' % number
        files[spec.data(number)] = data_head + data + b"]});\n"
        layout.append(
            Page(
                Path(spec.page(number)).name,
                len(files[spec.page(number)]),
                len(head),
                Path(spec.data(number)).name,
                len(files[spec.data(number)]),
                len(data_head),
                start,
                stop,
            )
        )
    return files, layout


def _pager(spec: ListSpec, current: int, pages: int, first: int, last: int, total: int) -> str:
    parts = [f"<span>rows {first:,}–{last:,} of {total:,} 行 · page {current} of {pages} 页</span>"]
    if current > 1:
        parts.append(link(spec.page(1, ""), "« first 首页"))
        parts.append(link(spec.page(current - 1, ""), "‹ previous 上一页"))
    if current < pages:
        parts.append(link(spec.page(current + 1, ""), "next 下一页 ›"))
        parts.append(link(spec.page(pages, ""), "last 末页 »"))
    return f'<p class="pager">{"".join(parts)}</p>'
