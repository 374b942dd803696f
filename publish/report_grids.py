"""The tables of many report pages at once, drawn by one query over the marts.

A grid is the report's template (dictionaries.template_cells): every row and column of the
form, each template cell filled with the cell the report printed there (fct_cells, the first
placed one in reading order), hatched when it printed none, `?` when the row holds a number
the ingest could not place (printed but not placed: unknown, not missing), grey off the
form; cells that explain a failing rule (fct_finding_cells) are outlined.

The shape of each template's grid (its slots, row labels and header) is laid out here once
and handed to the database as a small relation; the database fills the slots of every report
and joins them in slot order, one string per report and table. Python only joins the
strings: what lets 100k pages render in a couple of minutes.

A table in which the report placed a cell outside its template's rows or columns (the
figures quoted in the text, or a report of unknown template) has no fixed shape: its rows
and columns come from the cells, and `report_page` draws it from them, with the same classes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from publish.html import text

# Escapes as html.escape(quote=True) does, so SQL- and Python-drawn cells read the same.
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))
UNPLACED_NOTE = "printed but not placed 已印出但未能定位"
MISSING_NOTE = "not printed 未印出"
Labels = dict[tuple[str, str, str], tuple[str, str]]


def _escaped(expression: str) -> str:
    """SQL that HTML-escapes the text `expression` evaluates to. The replaces run only on
    text that holds a character to escape (rare: printed numbers, locators)."""
    replaced = expression
    needs = []
    for raw, entity in _ESCAPES:
        literal = raw.replace("'", "''")
        replaced = f"replace({replaced}, '{literal}', '{entity}')"
        needs.append(f"contains({expression}, '{literal}')")
    return f"(case when {' or '.join(needs)} then {replaced} else {expression} end)"


def label_html(labels: Labels, axis: str, table_code: str, code: str) -> str:
    """A row or column label: Chinese, then English below it."""
    zh, en = labels.get((axis, table_code, code), (code, ""))
    return f'{text(zh)}<br><small class="zh">{text(en)}</small>'


def head_html(labels: Labels, table_code: str, columns: list[str]) -> str:
    """The `<thead>` of a grid with these columns."""
    cells = "".join(
        f"<th>{label_html(labels, 'col', table_code, column)}</th>" for column in columns
    )
    return f"<thead><tr><th></th>{cells}</tr></thead>"


def ordered(codes: list[str | None]) -> list[str]:
    """Codes in first-seen order, without repeats or None."""
    return list(dict.fromkeys(code for code in codes if code))


_OFF_TD = '<td class="off"></td>'
_MISSING_TD = f'<td class="missing" title="{text(MISSING_NOTE)}"></td>'


@dataclass(frozen=True)
class Shape:
    """One template's grid of one table: rows and columns in form order, its header, and its
    markup with every cell plain (missing, or off the form) for the slots to be filled in."""

    rows: list[str]
    columns: list[str]
    cells: frozenset[tuple[str, str]]  # (row, column) of the form's cells
    head: str
    skeleton: tuple[str, ...]  # row openings, plain cells and row ends, in reading order
    places: tuple[int, ...]  # slot (row index × columns + column index) → its skeleton index

    def body(self, drawn: list[tuple[int, str]]) -> str:
        """The `<tbody>` rows with the `drawn` (slot, cell) in their places."""
        if not drawn:
            return "".join(self.skeleton)
        parts = list(self.skeleton)
        places = self.places
        for slot, td in drawn:
            parts[places[slot]] = td
        return "".join(parts)


def shapes(template_cells: list[dict[str, Any]], labels: Labels) -> dict[tuple[str, str], Shape]:
    """(template, table_code) → its Shape, from the template_cells dictionary (in form order:
    template, table, row_order, col_order)."""
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for cell in template_cells:
        grouped[(cell["template"], cell["table_code"])].append(cell)
    result = {}
    for (template, table_code), cells in grouped.items():
        rows = ordered([c["row_code"] for c in cells])
        columns = ordered([c["col_code"] for c in cells])
        on_form = frozenset((c["row_code"], c["col_code"]) for c in cells)
        skeleton: list[str] = []
        places: list[int] = []
        for row in rows:
            skeleton.append(f"<tr><th>{label_html(labels, 'row', table_code, row)}</th>")
            for column in columns:
                places.append(len(skeleton))
                skeleton.append(_MISSING_TD if (row, column) in on_form else _OFF_TD)
            skeleton.append("</tr>")
        result[(template, table_code)] = Shape(
            rows,
            columns,
            on_form,
            head_html(labels, table_code, columns),
            tuple(skeleton),
            tuple(places),
        )
    return result


def _slots(shaped: dict[tuple[str, str], Shape]) -> pa.Table:
    """Every slot of every grid, numbered in reading order."""
    columns: dict[str, list[Any]] = defaultdict(list)
    for (template, table_code), shape in shaped.items():
        width = len(shape.columns)
        for row_index, row in enumerate(shape.rows):
            for col_index, column in enumerate(shape.columns):
                columns["template"].append(template)
                columns["table_code"].append(table_code)
                columns["row_code"].append(row)
                columns["col_code"].append(column)
                columns["slot"].append(row_index * width + col_index)
                columns["is_in_template"].append((row, column) in shape.cells)
    schema = pa.schema(
        [
            ("template", pa.string()),
            ("table_code", pa.string()),
            ("row_code", pa.string()),
            ("col_code", pa.string()),
            ("slot", pa.int32()),
            ("is_in_template", pa.bool_()),
        ]
    )
    return pa.table({name: columns[name] for name in schema.names}, schema=schema)


_PRINTED_TITLE = _escaped(
    "concat_ws(' · ', fct_cells.value_kind, fct_cells.cell_status, fct_cells.locator)"
    " || coalesce('; fails ' || flagged.rules, '')"
)
_NOT_PRINTED_TITLE = _escaped(
    f"(case when is_unresolved then '{UNPLACED_NOTE}' else '{MISSING_NOTE}' end)"
    " || coalesce('; fails ' || rules, '')"
)

_GRID_SQL = f"""
with

wanted as (
    select dim_reports.report_id, dim_reports.template
    from main.dim_reports
    inner join wanted_reports on dim_reports.report_id = wanted_reports.report_id
),

finding_cells as materialized (
    -- The wanted reports' failing cells first, then their slots (a join with the few slots).
    select fct_finding_cells.report_id, wanted.template, fct_finding_cells.table_code,
        fct_finding_cells.row_code, fct_finding_cells.col_code, fct_finding_cells.rule_id
    from main.fct_finding_cells
    inner join wanted on fct_finding_cells.report_id = wanted.report_id
    where fct_finding_cells.outcome = 'fail'
),

flagged as (
    select fct_finding_cells.report_id, grid_slots.table_code, grid_slots.slot,
        any_value(grid_slots.is_in_template) as is_in_template,
        array_to_string(list_sort(list_distinct(list(fct_finding_cells.rule_id))), ', ')
            as rules
    from finding_cells as fct_finding_cells
    inner join grid_slots
        on fct_finding_cells.template = grid_slots.template
        and fct_finding_cells.table_code = grid_slots.table_code
        and fct_finding_cells.row_code = grid_slots.row_code
        and fct_finding_cells.col_code = grid_slots.col_code
    group by all
),

placed as (
    select fct_cells.report_id, grid_slots.table_code, grid_slots.slot, fct_cells.cell_seq,
        concat(
            '<td class="', case when fct_cells.value_kind = 'blank' then 'blank' else 'num' end,
            case when flagged.rules is not null then ' fail' end,
            '" title="',
            {_PRINTED_TITLE},
            '">', {_escaped("fct_cells.raw_text")}, '</td>'
        ) as td
    from main.fct_cells
    -- fct_cells.template is the report's (dim_reports.template): the join is with the slots
    inner join grid_slots
        on fct_cells.template = grid_slots.template
        and fct_cells.table_code = grid_slots.table_code
        and fct_cells.row_code = grid_slots.row_code
        and fct_cells.col_code = grid_slots.col_code
    left join flagged
        on fct_cells.report_id = flagged.report_id
        and grid_slots.table_code = flagged.table_code
        and grid_slots.slot = flagged.slot
    where fct_cells.is_placed
        and fct_cells.report_id in (select report_id from wanted_reports)
),

unresolved_slots as (
    -- The form's cells in a row holding a number printed but not placed.
    select distinct fct_cells.report_id, grid_slots.table_code, grid_slots.slot
    from main.fct_cells
    inner join grid_slots
        on fct_cells.template = grid_slots.template
        and fct_cells.table_code = grid_slots.table_code
        and fct_cells.row_code = grid_slots.row_code
    where fct_cells.report_id in (select report_id from wanted_reports)
        and not fct_cells.is_placed and fct_cells.cell_status in ('ambiguous', 'unplaced')
        and grid_slots.is_in_template
),

not_printed as (
    -- The form's cells, not printed, that differ from a plain missing cell.
    select coalesce(unresolved_slots.report_id, flagged.report_id) as report_id,
        coalesce(unresolved_slots.table_code, flagged.table_code) as table_code,
        coalesce(unresolved_slots.slot, flagged.slot) as slot,
        unresolved_slots.slot is not null as is_unresolved,
        flagged.rules
    from unresolved_slots
    full join (select * from flagged where is_in_template) as flagged
        on unresolved_slots.report_id = flagged.report_id
        and unresolved_slots.table_code = flagged.table_code
        and unresolved_slots.slot = flagged.slot
),

exceptions as (
    select not_printed.report_id, not_printed.table_code, not_printed.slot,
        concat(
            '<td class="', case when is_unresolved then 'unplaced' else 'missing' end,
            case when rules is not null then ' fail' end,
            '" title="',
            {_NOT_PRINTED_TITLE},
            '">', case when is_unresolved then '?' end, '</td>'
        ) as td
    from not_printed
)

-- Only the slots that differ from the grid's plain (missing or off-form) cells, in no
-- order: the caller puts each in its place, the marks of cells not printed first, then the
-- printed cells over them, the first placed in a slot (lowest cell_seq) over any other.
select report_id, table_code,
    list(struct_pack(slot, td)) filter (where cell_seq is null) as marks,
    list(struct_pack(slot, cell_seq, td)) filter (where cell_seq is not null) as cells
from (
    select report_id, table_code, slot, cell_seq, td from placed
    union all
    select report_id, table_code, slot, null as cell_seq, td from exceptions
) as drawn
group by report_id, table_code
"""

_OFF_SHAPE_CELLS_SQL = """
with

wanted as (
    select dim_reports.report_id, dim_reports.template
    from main.dim_reports
    inner join wanted_reports on dim_reports.report_id = wanted_reports.report_id
),

template_rows as (
    select distinct template, table_code, row_code from grid_slots
),

template_columns as (
    select distinct template, table_code, col_code from grid_slots
),

off_shape as (
    -- Tables with a placed cell outside the template's rows or columns.
    select distinct fct_cells.report_id, fct_cells.table_code
    from main.fct_cells
    inner join wanted on fct_cells.report_id = wanted.report_id
    left join template_rows
        on wanted.template = template_rows.template
        and fct_cells.table_code = template_rows.table_code
        and fct_cells.row_code = template_rows.row_code
    left join template_columns
        on wanted.template = template_columns.template
        and fct_cells.table_code = template_columns.table_code
        and fct_cells.col_code = template_columns.col_code
    where fct_cells.is_placed
        and (template_rows.row_code is null or template_columns.col_code is null)
)

select fct_cells.report_id, fct_cells.table_code, fct_cells.row_code, fct_cells.col_code,
    fct_cells.raw_text, fct_cells.value_kind, fct_cells.cell_status, fct_cells.locator,
    fct_cells.is_placed
from main.fct_cells
inner join off_shape
    on fct_cells.report_id = off_shape.report_id
    and fct_cells.table_code = off_shape.table_code
where fct_cells.is_placed
-- The cells of one run-together row share its cell_seq (one lake cell): col_code orders them
-- the same on every engine.
order by fct_cells.report_id, fct_cells.cell_seq, fct_cells.col_code
"""

_OFF_SHAPE_FLAGS_SQL = """
select fct_finding_cells.report_id, fct_finding_cells.rule_id, fct_finding_cells.table_code,
    fct_finding_cells.row_code, fct_finding_cells.col_code
from main.fct_finding_cells
inner join off_shape_tables
    on fct_finding_cells.report_id = off_shape_tables.report_id
    and fct_finding_cells.table_code = off_shape_tables.table_code
where fct_finding_cells.outcome = 'fail'
"""


@dataclass
class Grids:
    """What the pages of `wanted_reports` need to draw their tables."""

    # (report_id, table_code) → the slots of its grid that are not plain, as (slot, `<td>`)
    drawn: dict[tuple[str, str], list[tuple[int, str]]]
    # report_id → table_code → the placed cells of a table with no fixed shape, in order
    off_shape: dict[str, dict[str, list[dict[str, Any]]]]
    # report_id → (table_code, row_code, col_code) → failing rule ids, for those tables
    off_shape_flags: dict[str, dict[tuple[str, str, str], list[str]]]


def grids(connection: duckdb.DuckDBPyConnection, shaped: dict[tuple[str, str], Shape]) -> Grids:
    """The grids of every report registered as `wanted_reports` (a relation with a report_id
    column), given the templates' shapes."""
    connection.register("grid_slots", _slots(shaped))
    try:
        drawn = _drawn(connection)
        off_shape: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        cursor = connection.execute(_OFF_SHAPE_CELLS_SQL)
        names = [column[0] for column in cursor.description]
        pairs = set()
        while batch := cursor.fetchmany(50_000):
            for row in batch:
                cell = dict(zip(names, row, strict=True))
                off_shape[cell["report_id"]][cell["table_code"]].append(cell)
                pairs.add((cell["report_id"], cell["table_code"]))
    finally:
        connection.unregister("grid_slots")
    flags: dict[str, dict[tuple[str, str, str], set[str]]] = defaultdict(lambda: defaultdict(set))
    if pairs:
        ordered_pairs = sorted(pairs)
        connection.register(
            "off_shape_tables",
            pa.table(
                {
                    "report_id": [p[0] for p in ordered_pairs],
                    "table_code": [p[1] for p in ordered_pairs],
                }
            ),
        )
        try:
            for report_id, rule_id, table_code, row_code, col_code in connection.execute(
                _OFF_SHAPE_FLAGS_SQL
            ).fetchall():
                flags[report_id][(table_code, row_code, col_code)].add(rule_id)
        finally:
            connection.unregister("off_shape_tables")
    return Grids(
        drawn,
        {report_id: dict(tables) for report_id, tables in off_shape.items()},
        {
            report_id: {cell: sorted(rules) for cell, rules in cells.items()}
            for report_id, cells in flags.items()
        },
    )


def _drawn(connection: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[tuple[int, str]]]:
    """(report_id, table_code) → its grid's slots drawn by the database, as (slot, `<td>`) to
    be put in place in this order: later ones over earlier ones."""
    drawn: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for batch in connection.execute(_GRID_SQL).to_arrow_reader(20_000):
        marks = batch.column(2).to_pylist()  # few: a list of {slot, td} or None
        cells = batch.column(3)
        flat = cells.flatten()
        slots = flat.field(0).to_pylist()
        sequence = flat.field(1).to_pylist()
        tds = flat.field(2).to_pylist()
        start = 0
        for report_id, table_code, marked, length in zip(
            batch.column(0).to_pylist(),
            batch.column(1).to_pylist(),
            marks,
            cells.value_lengths().to_pylist(),
            strict=True,
        ):
            end = start + (length or 0)
            printed = list(zip(slots[start:end], tds[start:end], strict=True))
            if len(set(slots[start:end])) < len(printed):  # a slot placed twice
                printed = _first_per_slot(slots[start:end], sequence[start:end], tds[start:end])
            if marked:
                printed = [(mark["slot"], mark["td"]) for mark in marked] + printed
            drawn[(report_id, table_code)] = printed
            start = end
    return drawn


def _first_per_slot(slots: list[int], sequence: list[int], tds: list[str]) -> list[tuple[int, str]]:
    """One (slot, td) per slot: the cell placed there first (lowest cell_seq)."""
    first: dict[int, tuple[int, str]] = {}
    for slot, seq, td in zip(slots, sequence, tds, strict=True):
        if slot not in first or seq < first[slot][0]:
            first[slot] = (seq, td)
    return [(slot, td) for slot, (_, td) in first.items()]
