{#
    The four flow rows of the applications table (一 new_received, 二 carried_over,
    三(七) total_processed, 四 carried_forward) pivoted to columns: one row per
    report and applicant type (column of the table). Each value comes with the
    value_kind it was printed as and its cell_status; a row the report did not
    print stays null with a null value_kind (cell_status missing on a
    reconcilable report), a printed blank stays null with value_kind blank, a
    cell printed but not placed (ambiguous) stays null with its status.
#}
{%- set flow_rows = [
    'new_received',
    'carried_over',
    'total_processed',
    'carried_forward',
] -%}

with

fact_cells as (

    select * from {{ ref('int_cells_completed_to_template') }}

),

application_cells as (

    select
        fact_cells.report_id,
        fact_cells.col_code as applicant_type,
        fact_cells.col_label_zh as applicant_type_label_zh,
        fact_cells.col_label_en as applicant_type_label_en,
        fact_cells.row_code,
        fact_cells.value,
        fact_cells.value_kind,
        fact_cells.cell_status

    from fact_cells
    where
        fact_cells.table_code = 'applications'
        and fact_cells.col_code is not null

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
            ['value', 'value_kind', 'cell_status'],
        ) | indent(4) }}

    from application_cells
    group by
        application_cells.report_id,
        application_cells.applicant_type,
        application_cells.applicant_type_label_zh,
        application_cells.applicant_type_label_en

)

select * from pivoted
