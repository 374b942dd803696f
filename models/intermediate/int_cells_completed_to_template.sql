{#
    The cells the fact tables are made of: every placed cell (status ok or
    inferred), and for every reconcilable report one row for each cell of its
    template that no placed cell fills, so that a sum over the facts sees every
    template cell and an unknown is never summed as 0. Such a row has value
    null and the status of the lake cell that was printed there but could not
    be placed: an unparsed cell at the same coordinates, else an ambiguous or
    unplaced cell of the same row (digits run together across the row, raw
    text kept), else missing (the report printed nothing found there).

    For scale only tables with fewer placed template cells than the template
    are expanded to their cells (as in the template-completeness rule).
#}
{{ report_incremental_config() }}
with

cells_labeled as {{ not_materialized() }} (

    select * from {{ ref('int_cells_labeled') }}
    {{ changed_reports_only() }}

),

reports as (

    select * from {{ ref('int_documents_grouped_to_reports') }}
    {{ changed_reports_only() }}

),

template_cells as (

    select * from {{ ref('template_cells') }}

),

table_codes as (

    select * from {{ ref('table_codes') }}

),

row_labels as (

    select * from {{ ref('row_labels') }}

),

column_labels as (

    select * from {{ ref('column_labels') }}

),

placed_cells as {{ not_materialized() }} (

    select * from cells_labeled
    where cells_labeled.is_placed

),

template_tables_counted as (

    select
        template_cells.template,
        template_cells.table_code,
        count(*) as template_cell_count

    from template_cells
    group by
        template_cells.template,
        template_cells.table_code

),

placed_template_cells_counted as (

    select
        placed_cells.report_id,
        placed_cells.table_code,
        count(*) as placed_cell_count

    from placed_cells
    where placed_cells.is_in_template
    group by
        placed_cells.report_id,
        placed_cells.table_code

),

incomplete_tables as (

    select
        reports.report_id,
        reports.template,
        template_tables_counted.table_code

    from reports
    inner join template_tables_counted
        on reports.template = template_tables_counted.template
    left join placed_template_cells_counted
        on reports.report_id = placed_template_cells_counted.report_id
        and template_tables_counted.table_code
            = placed_template_cells_counted.table_code
    where
        reports.is_reconcilable
        and coalesce(placed_template_cells_counted.placed_cell_count, 0)
            < template_tables_counted.template_cell_count

),

incomplete_tables_placed_cells as (

    select placed_cells.*
    from placed_cells
    inner join incomplete_tables
        on placed_cells.report_id = incomplete_tables.report_id
        and placed_cells.table_code = incomplete_tables.table_code

),

unfilled_cells as (

    select
        incomplete_tables.report_id,
        incomplete_tables.template,
        template_cells.table_code,
        template_cells.row_code,
        template_cells.col_code

    from incomplete_tables
    inner join template_cells
        on incomplete_tables.template = template_cells.template
        and incomplete_tables.table_code = template_cells.table_code
    left join incomplete_tables_placed_cells
        on incomplete_tables.report_id
            = incomplete_tables_placed_cells.report_id
        and template_cells.table_code
            = incomplete_tables_placed_cells.table_code
        and template_cells.row_code = incomplete_tables_placed_cells.row_code
        and template_cells.col_code = incomplete_tables_placed_cells.col_code
    where incomplete_tables_placed_cells.report_id is null

),

{# Lake cells printed in a row but not placed: which one covers a cell. #}
loose_cells as (

    select
        cells_labeled.report_id,
        cells_labeled.cell_seq,
        cells_labeled.table_code,
        cells_labeled.row_code,
        cells_labeled.col_code,
        cells_labeled.row_label_raw,
        cells_labeled.col_label_raw,
        cells_labeled.raw_text,
        cells_labeled.unit,
        cells_labeled.value_kind,
        cells_labeled.cell_status,
        cells_labeled.locator

    from cells_labeled
    where
        not cells_labeled.is_placed
        and cells_labeled.row_code is not null

),

covering_cells_ranked as (

    select
        unfilled_cells.report_id,
        unfilled_cells.table_code,
        unfilled_cells.row_code,
        unfilled_cells.col_code,
        loose_cells.row_label_raw,
        loose_cells.col_label_raw,
        loose_cells.raw_text,
        loose_cells.unit,
        loose_cells.value_kind,
        loose_cells.cell_status,
        loose_cells.locator,
        row_number() over (
            partition by
                unfilled_cells.report_id,
                unfilled_cells.table_code,
                unfilled_cells.row_code,
                unfilled_cells.col_code
            order by
                case when loose_cells.col_code is null then 1 else 0 end,
                loose_cells.cell_seq
        ) as cover_rank

    from unfilled_cells
    inner join loose_cells
        on unfilled_cells.report_id = loose_cells.report_id
        and unfilled_cells.table_code = loose_cells.table_code
        and unfilled_cells.row_code = loose_cells.row_code
        and (
            loose_cells.col_code is null
            or unfilled_cells.col_code = loose_cells.col_code
        )

),

unfilled_cells_described as (

    select
        ----------  ids
        {{ surrogate_key([
            'unfilled_cells.report_id',
            'unfilled_cells.table_code',
            'unfilled_cells.row_code',
            'unfilled_cells.col_code',
        ]) }} as cell_id,
        unfilled_cells.report_id,
        cast(null as integer) as cell_seq,

        ----------  strings
        unfilled_cells.template,
        unfilled_cells.table_code,
        table_codes.label_zh as table_label_zh,
        table_codes.label_en as table_label_en,
        unfilled_cells.row_code,
        row_labels.label_zh as row_label_zh,
        row_labels.label_en as row_label_en,
        row_labels.outcome_group,
        unfilled_cells.col_code,
        column_labels.label_zh as col_label_zh,
        column_labels.label_en as col_label_en,
        column_labels.value_type,
        covering_cells_ranked.row_label_raw,
        covering_cells_ranked.col_label_raw,
        covering_cells_ranked.raw_text,
        covering_cells_ranked.unit,
        covering_cells_ranked.value_kind,
        coalesce(covering_cells_ranked.cell_status, 'missing') as cell_status,
        covering_cells_ranked.locator,

        ----------  numerics
        cast(null as double) as value,

        ----------  booleans
        false as is_placed,
        true as is_in_template

    from unfilled_cells
    left join covering_cells_ranked
        on unfilled_cells.report_id = covering_cells_ranked.report_id
        and unfilled_cells.table_code = covering_cells_ranked.table_code
        and unfilled_cells.row_code = covering_cells_ranked.row_code
        and unfilled_cells.col_code = covering_cells_ranked.col_code
        and covering_cells_ranked.cover_rank = 1
    left join table_codes
        on unfilled_cells.table_code = table_codes.table_code
    left join row_labels
        on unfilled_cells.table_code = row_labels.table_code
        and unfilled_cells.row_code = row_labels.row_code
    left join column_labels
        on unfilled_cells.table_code = column_labels.table_code
        and unfilled_cells.col_code = column_labels.col_code

),

{%- set columns = [
    'cell_id', 'report_id', 'cell_seq', 'template', 'table_code',
    'table_label_zh', 'table_label_en', 'row_code', 'row_label_zh',
    'row_label_en', 'outcome_group', 'col_code', 'col_label_zh',
    'col_label_en', 'value_type', 'row_label_raw', 'col_label_raw',
    'raw_text', 'unit', 'value_kind', 'cell_status', 'locator', 'value',
    'is_placed', 'is_in_template',
] %}

completed as (

    select
        {%- for column in columns %}
        placed_cells.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from placed_cells

    union all

    select
        {%- for column in columns %}
        unfilled_cells_described.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from unfilled_cells_described

)

select * from completed
