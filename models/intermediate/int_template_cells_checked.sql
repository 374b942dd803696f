{#
    Rule R06 (template_complete) for every reconcilable report and table of its
    template: each template cell must be present in the lake with its codes. A
    printed blank is present; an unparsed cell is present (R01-R05 name it); a
    cell the ingest did not find is missing and named in detail.
    One row per report and table.
#}
with

reports as (

    select * from {{ ref('int_documents_grouped_to_reports') }}

),

template_cells as (

    select * from {{ ref('template_cells') }}

),

cells_labeled as (

    select * from {{ ref('int_cells_labeled') }}

),

located_cells as (

    select distinct
        cells_labeled.report_id,
        cells_labeled.table_code,
        cells_labeled.row_code,
        cells_labeled.col_code

    from cells_labeled
    where
        cells_labeled.row_code is not null
        and cells_labeled.col_code is not null

),

report_template_cells as (

    select
        reports.report_id,
        template_cells.table_code,
        template_cells.row_code,
        template_cells.col_code,
        template_cells.row_order,
        template_cells.col_order,
        located_cells.report_id is not null as is_present

    from reports
    inner join template_cells
        on reports.template = template_cells.template
    left join located_cells
        on reports.report_id = located_cells.report_id
        and template_cells.table_code = located_cells.table_code
        and template_cells.row_code = located_cells.row_code
        and template_cells.col_code = located_cells.col_code
    where reports.is_reconcilable

),

counted as (

    select
        report_template_cells.report_id,
        report_template_cells.table_code,
        count(*) as template_cell_count,
        {{ aggregate_where(
            'count', '*', 'report_template_cells.is_present'
        ) }} as present_cell_count,
        {{ string_list(
            "case when not report_template_cells.is_present then "
            ~ "report_template_cells.row_code || '/' "
            ~ "|| report_template_cells.col_code end",
            'report_template_cells.row_order, report_template_cells.col_order',
        ) }} as missing_cells

    from report_template_cells
    group by
        report_template_cells.report_id,
        report_template_cells.table_code

),

evaluated as (

    select
        counted.report_id,
        'R06' as rule_id,
        counted.table_code,
        cast(null as varchar) as row_code,
        cast(null as varchar) as col_code,
        case
            when counted.present_cell_count = counted.template_cell_count
                then 'pass'
            else 'fail'
        end as outcome,
        cast(counted.template_cell_count as double) as expected,
        cast(counted.present_cell_count as double) as actual,
        cast(counted.present_cell_count - counted.template_cell_count as double)
            as difference,
        counted.template_cell_count as input_count,
        0 as unusable_input_count,
        cast(null as varchar) as unusable_inputs,
        case
            when counted.present_cell_count < counted.template_cell_count
                then 'missing: ' || counted.missing_cells
        end as detail

    from counted

)

select * from evaluated
