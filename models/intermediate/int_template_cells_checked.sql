{#
    Rule R06 (template_complete) for every reconcilable report and table of its
    template: each template cell must be present in the lake with its codes. A
    printed blank is present; an unparsed cell is present (R01-R05 name it); a
    cell the ingest did not find is missing and named in detail.
    One row per report and table.

    Single pass for scale: present cells are counted per report and table, and
    only incomplete tables are searched for the names of their missing cells
    (their located cells first, so the anti-join never builds on all cells).
    A table, like the other rule models, so that DuckDB honours the
    not_materialized hint (a view's SQL loses it).
#}
{{ config(materialized='table') }}
with

reports as (

    select * from {{ ref('int_documents_grouped_to_reports') }}

),

template_cells as (

    select * from {{ ref('template_cells') }}

),

cells_labeled as {{ not_materialized() }} (

    select * from {{ ref('int_cells_labeled') }}

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

located_cells as {{ not_materialized() }} (

    select
        cells_labeled.report_id,
        cells_labeled.table_code,
        cells_labeled.row_code,
        cells_labeled.col_code

    from cells_labeled
    where
        cells_labeled.is_in_template
        and (cells_labeled.is_placed or cells_labeled.cell_status = 'unparsed')

),

located_cells_counted as (

    select
        located_cells.report_id,
        located_cells.table_code,
        count(*) as present_cell_count

    from located_cells
    group by
        located_cells.report_id,
        located_cells.table_code

),

report_tables as (

    select
        reports.report_id,
        template_tables_counted.template,
        template_tables_counted.table_code,
        template_tables_counted.template_cell_count,
        coalesce(located_cells_counted.present_cell_count, 0)
            as present_cell_count

    from reports
    inner join template_tables_counted
        on reports.template = template_tables_counted.template
    left join located_cells_counted
        on reports.report_id = located_cells_counted.report_id
        and template_tables_counted.table_code
            = located_cells_counted.table_code
    where reports.is_reconcilable

),

incomplete_tables as (

    select * from report_tables
    where report_tables.present_cell_count < report_tables.template_cell_count

),

incomplete_tables_located_cells as (

    select located_cells.*
    from located_cells
    inner join incomplete_tables
        on located_cells.report_id = incomplete_tables.report_id
        and located_cells.table_code = incomplete_tables.table_code

),

missing_cells as (

    select
        incomplete_tables.report_id,
        template_cells.table_code,
        template_cells.row_code,
        template_cells.col_code,
        template_cells.row_order,
        template_cells.col_order

    from incomplete_tables
    inner join template_cells
        on incomplete_tables.template = template_cells.template
        and incomplete_tables.table_code = template_cells.table_code
    left join incomplete_tables_located_cells
        on incomplete_tables.report_id
            = incomplete_tables_located_cells.report_id
        and template_cells.table_code
            = incomplete_tables_located_cells.table_code
        and template_cells.row_code
            = incomplete_tables_located_cells.row_code
        and template_cells.col_code
            = incomplete_tables_located_cells.col_code
    where incomplete_tables_located_cells.report_id is null

),

missing_cells_listed as (

    select
        missing_cells.report_id,
        missing_cells.table_code,
        {{ string_list(
            "missing_cells.row_code || '/' || missing_cells.col_code",
            'missing_cells.row_order, missing_cells.col_order',
        ) }} as missing_cells

    from missing_cells
    group by
        missing_cells.report_id,
        missing_cells.table_code

),

evaluated as (

    select
        report_tables.report_id,
        'R06' as rule_id,
        report_tables.table_code,
        cast(null as varchar) as row_code,
        cast(null as varchar) as col_code,
        case
            when missing_cells_listed.report_id is null then 'pass'
            else 'fail'
        end as outcome,
        cast(report_tables.template_cell_count as double) as expected,
        cast(report_tables.present_cell_count as double) as actual,
        cast(
            report_tables.present_cell_count
            - report_tables.template_cell_count as double
        ) as difference,
        report_tables.template_cell_count as input_count,
        0 as unusable_input_count,
        cast(null as varchar) as unusable_inputs,
        case
            when missing_cells_listed.report_id is not null
                then 'missing: ' || missing_cells_listed.missing_cells
        end as detail

    from report_tables
    left join missing_cells_listed
        on report_tables.report_id = missing_cells_listed.report_id
        and report_tables.table_code = missing_cells_listed.table_code

)

select * from evaluated
