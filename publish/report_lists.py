"""The report's paginated lists: every report, every failing result.

    list/<name>-<page>.html     a page of about LIST_PAGE_ROWS rows as plain HTML (works
                                without JavaScript), a pager, the filter box of
                                assets/report.js; <page> is 1 for the first page, else a
                                name drawn from the row before the page's first
    list/<name>-data-<page>.js  the same rows as data, for the filter and sort across all
                                pages (the script reads them page by page)
    list/<name>-pages.js        the pages' names in list order, for the script

Where a page ends is decided by the rows, not by their count from the list's start: after a
report's rows the page ends if a hash of its report_id says so (content-defined, as in
chunking), with a floor and a ceiling on the rows a page holds. Reports added or removed
then change the pages they land on (and at most their neighbours' links), not every page
after the first insertion.

A list at national scale is a million cells, so the database draws each row, as HTML and as
JSON, with the escaping and number formatting of the Python helpers (publish.report_sql);
Python cuts the rows into pages. The rows drawn are kept for the next run (in the list files,
which publish.report_store indexes): a run draws again only the rows of reports whose inputs
changed.
"""

from __future__ import annotations

import hashlib
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

LIST_PAGE_ROWS = 1000  # the mean rows of a page, and the rows the script shows a view
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

    def page(self, tag: str, prefix: str = "list/") -> str:
        return f"{prefix}{self.name}-{tag}.html"

    def data(self, tag: str) -> str:
        return f"list/{self.name}-data-{tag}.js"

    def pages_file(self, prefix: str = "list/") -> str:
        return f"{prefix}{self.name}-pages.js"

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
                spec,
                table.column("report_id"),
                Strings(table.column("html")),
                Strings(table.column("json")),
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


FIRST_PAGE = "1"  # the name of a list's first page, the one the index links to


def page_bounds(report_ids: pa.ChunkedArray) -> list[tuple[int, int, str]]:
    """(first row, row after the last, name) of each page of a list whose rows belong to
    `report_ids` (each report's rows one run, in list order).

    A page ends after a report's rows when a hash of its report_id falls below the report's
    row count over LIST_PAGE_ROWS - floor (a chance proportional to its rows), once the page
    holds the floor (a quarter of LIST_PAGE_ROWS); it is cut at the ceiling (4 ×
    LIST_PAGE_ROWS) whatever the reports. A page is named after the row before its first:
    the report that ended the page before (or, cut at the ceiling, that report and how many
    of its rows came before). Where a page ends and its name so depend on the rows around it,
    not on how many rows come before it.
    """
    floor = max(1, LIST_PAGE_ROWS // 4)
    ceiling = max(floor, 4 * LIST_PAGE_ROWS)
    span = max(1, LIST_PAGE_ROWS - floor)
    runs = _runs(pa.table({"report_id": report_ids}))  # in list order
    total = len(report_ids)
    bounds: list[tuple[int, int, str]] = []
    start, name = 0, FIRST_PAGE
    for report_id, (run_start, run_stop) in runs.items():
        while run_stop - start > ceiling:
            cut = start + ceiling
            bounds.append((start, cut, name))
            start, name = cut, _page_name(f"{report_id}:{cut - run_start}")
        if run_stop - start >= floor and _hash(report_id) % span < run_stop - run_start:
            bounds.append((start, run_stop, name))
            start, name = run_stop, _page_name(report_id)
    if start < total or not bounds:
        bounds.append((start, total, name))
    seen: dict[str, int] = {}
    for index, (first, stop, name) in enumerate(bounds):
        if name in seen:  # two equal 64-bit hashes: no page may overwrite another
            bounds[index] = (first, stop, f"{name}x{index}")
        seen[name] = index
    return bounds


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def _page_name(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _files(
    spec: ListSpec, report_ids: pa.ChunkedArray, html_rows: Strings, json_rows: Strings
) -> tuple[dict[str, bytes], list[Page]]:
    """The list's pages, data files and list of pages, and where each page and data file
    holds its rows (for the index)."""
    bounds = page_bounds(report_ids)
    names = [name for _, _, name in bounds]
    files = {}
    layout = []
    header = "".join(
        f'<th data-type="{column.kind}">{text(column.header)}</th>' for column in spec.columns
    )
    for number, (start, stop, name) in enumerate(bounds):
        previous = names[number - 1] if number > 0 else None
        following = names[number + 1] if number + 1 < len(names) else None
        grid_start = f'<table class="list" id="{spec.name}"><thead><tr>{header}</tr></thead><tbody>'
        body = "\n".join(
            [
                heading(1, spec.title_en, spec.title_zh),
                _pager(spec, previous, following, stop - start),
                f'<div class="filter" data-source="{spec.name}-data-" '
                f'data-pages="{spec.pages_file("")}" data-table="{spec.name}" '
                f'data-page-size="{LIST_PAGE_ROWS}"><label>Filter 筛选 '
                '<input type="search" placeholder="agency, year, rule… 机关、年度、规则…"></label> '
                '<span class="matches"></span> <small class="note">(click a column header to '
                "sort 点击列标题排序; both search every page 全部分页)</small></div>",
                f"{grid_start}\0</tbody></table>"
                if stop > start
                else '<p class="note">None. 无。</p>',
            ]
        )
        html = page(
            f"{spec.title_en} {spec.title_zh} · gongkai",
            body,
            home="../index.html",
            assets="../",
            script=True,
        )
        before, _, after = html.partition("\0")  # where the rows go (no text holds a NUL)
        rows = html_rows.joined(start, stop) if stop > start else b""
        head = before.encode()
        files[spec.page(name)] = head + rows + after.encode()
        # Each page's rows for the filter and sort, in a file of its own: the script loads
        # them a page at a time, so no file a browser reads is the whole list.
        data = json_rows.joined(start, stop)[:-1] if stop > start else b""  # rows end with ","
        data_head = b'gongkaiListData({"page":"%s","rows":[' % name.encode()
        files[spec.data(name)] = data_head + data + b"]});\n"
        layout.append(
            Page(
                Path(spec.page(name)).name,
                len(files[spec.page(name)]),
                len(head),
                Path(spec.data(name)).name,
                len(files[spec.data(name)]),
                len(data_head),
                start,
                stop,
            )
        )
    listed = ",".join(f'"{name}"' for name in names)
    files[spec.pages_file()] = f"gongkaiListPages([{listed}]);\n".encode()
    return files, layout


def _pager(spec: ListSpec, previous: str | None, following: str | None, rows: int) -> str:
    # No page number and no count of the list's rows: both change on every page when rows
    # are added anywhere (the index has the counts).
    parts = [f"<span>{rows:,} rows on this page 本页行数</span>"]
    if previous is not None:
        parts.append(link(spec.page(FIRST_PAGE, ""), "« first 首页"))
        parts.append(link(spec.page(previous, ""), "‹ previous 上一页"))
    if following is not None:
        parts.append(link(spec.page(following, ""), "next 下一页 ›"))
    return f'<p class="pager">{"".join(parts)}</p>'
