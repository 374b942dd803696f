{#
    The four flow rows of the applications table (一 new_received, 二 carried_over,
    三(七) total_processed, 四 carried_forward) pivoted to columns: one row per
    report and applicant type (column of the table). Each value comes with the
    value_kind it was printed as; a row the report did not print stays null
    with a null value_kind, a printed blank stays null with value_kind blank.
#}
{%- set flow_rows = [
    'new_received',
    'carried_over',
    'total_processed',
    'carried_forward',
] -%}

with

cells_labeled as (

    select * from {{ ref('int_cells_labeled') }}

),

application_cells as (

    select
        cells_labeled.report_id,
        cells_labeled.col_code as applicant_type,
        cells_labeled.col_label_zh as applicant_type_label_zh,
        cells_labeled.col_label_en as applicant_type_label_en,
        cells_labeled.row_code,
        cells_labeled.value,
        cells_labeled.value_kind

    from cells_labeled
    where
        cells_labeled.is_placed
        and cells_labeled.table_code = 'applications'

),

pivoted as (

    select
        application_cells.report_id,
        application_cells.applicant_type,
        application_cells.applicant_type_label_zh,
        application_cells.applicant_type_label_en,
        {{ pivot_columns(
            'application_cells.row_code',
            flow_rows,
            ['value', 'value_kind'],
        ) | indent(4) }}

    from application_cells
    group by
        application_cells.report_id,
        application_cells.applicant_type,
        application_cells.applicant_type_label_zh,
        application_cells.applicant_type_label_en

)

select * from pivoted
