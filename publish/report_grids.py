"""The three tables of many report pages at once, as HTML, built by one query over the marts.

A grid is the report's template (dictionaries.template_cells): every row and column of the
form, each template cell filled with the cell the report printed there (fct_cells, the first
placed one in reading order), hatched when it printed none, `?` when the row holds a number
the ingest could not place (printed but not placed: unknown, not missing), grey off the
form; cells that explain a failing rule (fct_finding_cells) are outlined. Doing this in the
database is what lets 100k pages render in a minute: Python only joins the strings.

A report that placed a cell outside its template's rows or columns (a report of unknown
template, whose cells were placed on an assumed one) is not drawn here: `report_page` draws
its grid from its cells, with the same classes.
"""

from __future__ import annotations

from collections import defaultdict

import duckdb

# Escapes as html.escape(quote=True) does, so SQL- and Python-drawn cells read the same.
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))
UNPLACED_NOTE = "printed but not placed 已印出但未能定位"
MISSING_NOTE = "not printed 未印出"


def _escaped(expression: str) -> str:
    """SQL that HTML-escapes the text `expression` evaluates to."""
    for raw, entity in _ESCAPES:
        literal = raw.replace("'", "''")
        expression = f"replace({expression}, '{literal}', '{entity}')"
    return expression


def _fails_note(note_sql: str) -> str:
    """SQL of a cell's escaped title: its note, then the failing rules it explains."""
    return _escaped(f"{note_sql} || coalesce('; fails ' || flagged.rules, '')")


_PRINTED_TITLE = _fails_note(
    "printed.value_kind || ' · ' || printed.cell_status || ' · ' || printed.locator"
)
_UNPLACED_TITLE = _fails_note(f"'{UNPLACED_NOTE}'")
_MISSING_TITLE = _fails_note(f"'{MISSING_NOTE}'")
_FAIL_CLASS = "(case when flagged.rules is not null then ' fail' else '' end)"


_GRID_SQL = f"""
with

wanted as (
    select dim_reports.report_id, dim_reports.template
    from main.dim_reports
    inner join wanted_reports on dim_reports.report_id = wanted_reports.report_id
),

template_rows as (
    select template, table_code, row_code, min(row_order) as row_order
    from dictionaries.template_cells group by all
),

template_columns as (
    -- In first-seen order, reading the template row by row (the order of the header).
    select template, table_code, col_code,
        row_number() over (
            partition by template, table_code order by first_row, first_col
        ) as col_order
    from (
        select template, table_code, col_code,
            min(row_order) as first_row, arg_min(col_order, row_order) as first_col
        from dictionaries.template_cells
        group by template, table_code, col_code
    ) as columns_seen
),

positions as (
    select template_rows.template, template_rows.table_code, template_rows.row_code,
        template_columns.col_code, template_rows.row_order, template_columns.col_order,
        exists (
            select 1 from dictionaries.template_cells
            where template_cells.template = template_rows.template
                and template_cells.table_code = template_rows.table_code
                and template_cells.row_code = template_rows.row_code
                and template_cells.col_code = template_columns.col_code
        ) as is_in_template,
        coalesce({_escaped("row_labels.label_zh")}, {_escaped("template_rows.row_code")})
            || '<br><small class="zh">' || coalesce({_escaped("row_labels.label_en")}, '')
            || '</small>' as row_label_html
    from template_rows
    inner join template_columns
        on template_rows.template = template_columns.template
        and template_rows.table_code = template_columns.table_code
    left join dictionaries.row_labels
        on template_rows.table_code = row_labels.table_code
        and template_rows.row_code = row_labels.row_code
),

report_cells as (
    select fct_cells.*
    from main.fct_cells
    inner join wanted_reports on fct_cells.report_id = wanted_reports.report_id
),

printed as (
    select report_id, table_code, row_code, col_code,
        arg_min(value_kind, cell_seq) as value_kind,
        arg_min(cell_status, cell_seq) as cell_status,
        arg_min(locator, cell_seq) as locator,
        arg_min(raw_text, cell_seq) as raw_text
    from report_cells
    where is_placed
    group by all
),

unresolved_rows as (
    select distinct report_id, table_code, row_code
    from report_cells
    where not is_placed and cell_status in ('ambiguous', 'unplaced') and row_code is not null
),

flagged as (
    select fct_finding_cells.report_id, fct_finding_cells.table_code,
        fct_finding_cells.row_code, fct_finding_cells.col_code,
        string_agg(distinct fct_finding_cells.rule_id, ', '
            order by fct_finding_cells.rule_id) as rules
    from main.fct_finding_cells
    inner join wanted_reports on fct_finding_cells.report_id = wanted_reports.report_id
    where fct_finding_cells.outcome = 'fail'
    group by all
),

cells_drawn as (
    select wanted.report_id, positions.table_code, positions.row_code, positions.row_order,
        positions.col_order, positions.row_label_html,
        case
            when printed.report_id is not null then
                '<td class="'
                || (case when printed.value_kind = 'blank' then 'blank' else 'num' end)
                || {_FAIL_CLASS} || '" title="' || {_PRINTED_TITLE}
                || '">' || {_escaped("printed.raw_text")} || '</td>'
            when not positions.is_in_template then '<td class="off"></td>'
            when unresolved_rows.row_code is not null then
                '<td class="unplaced' || {_FAIL_CLASS} || '" title="' || {_UNPLACED_TITLE}
                || '">?</td>'
            else
                '<td class="missing' || {_FAIL_CLASS} || '" title="' || {_MISSING_TITLE}
                || '"></td>'
        end as td
    from wanted
    inner join positions on wanted.template = positions.template
    left join printed
        on wanted.report_id = printed.report_id
        and positions.table_code = printed.table_code
        and positions.row_code = printed.row_code
        and positions.col_code = printed.col_code
    left join unresolved_rows
        on wanted.report_id = unresolved_rows.report_id
        and positions.table_code = unresolved_rows.table_code
        and positions.row_code = unresolved_rows.row_code
    left join flagged
        on wanted.report_id = flagged.report_id
        and positions.table_code = flagged.table_code
        and positions.row_code = flagged.row_code
        and positions.col_code = flagged.col_code
),

rows_drawn as (
    select report_id, table_code, row_order,
        '<tr><th>' || any_value(row_label_html) || '</th>'
            || string_agg(td, '' order by col_order) || '</tr>' as tr
    from cells_drawn
    group by report_id, table_code, row_order
)

select report_id, table_code, string_agg(tr, '' order by row_order) as body
from rows_drawn
group by report_id, table_code
"""

_OFF_TEMPLATE_SQL = """
select distinct fct_cells.report_id
from main.fct_cells
inner join wanted_reports on fct_cells.report_id = wanted_reports.report_id
inner join main.dim_reports on fct_cells.report_id = dim_reports.report_id
where fct_cells.is_placed
    and (
        not exists (
            select 1 from dictionaries.template_cells
            where template_cells.template = dim_reports.template
                and template_cells.table_code = fct_cells.table_code
                and template_cells.row_code = fct_cells.row_code
        )
        or not exists (
            select 1 from dictionaries.template_cells
            where template_cells.template = dim_reports.template
                and template_cells.table_code = fct_cells.table_code
                and template_cells.col_code = fct_cells.col_code
        )
    )
"""


def off_template_reports(connection: duckdb.DuckDBPyConnection) -> set[str]:
    """Reports (of `wanted_reports`) with a placed cell outside their template's rows/columns."""
    return {report_id for (report_id,) in connection.execute(_OFF_TEMPLATE_SQL).fetchall()}


def grid_bodies(connection: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """report_id → table_code → the `<tbody>` rows of its grid, for every report registered
    as `wanted_reports` (a relation with a report_id column)."""
    bodies: dict[str, dict[str, str]] = defaultdict(dict)
    cursor = connection.execute(_GRID_SQL)
    while batch := cursor.fetchmany(50_000):
        for report_id, table_code, body in batch:
            bodies[report_id][table_code] = body
    return bodies
