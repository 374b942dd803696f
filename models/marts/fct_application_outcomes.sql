{{ report_incremental_config() }}
with

fact_cells as (

    select * from {{ ref('int_cells_completed_to_template') }}
    {{ changed_reports_only() }}

),

outcome_groups as (

    select * from {{ ref('outcome_groups') }}

),

outcome_cells as (

    select * from fact_cells
    where
        fact_cells.table_code = 'applications'
        and fact_cells.outcome_group is not null

),

final as (

    select
        ----------  ids
        outcome_cells.cell_id as application_outcome_id,
        outcome_cells.report_id,

        ----------  strings
        outcome_cells.col_code as applicant_type,
        outcome_cells.col_label_zh as applicant_type_label_zh,
        outcome_cells.col_label_en as applicant_type_label_en,
        outcome_cells.outcome_group,
        outcome_groups.label_zh as outcome_group_label_zh,
        outcome_groups.label_en as outcome_group_label_en,
        outcome_cells.row_code as outcome_code,
        outcome_cells.row_label_zh as outcome_label_zh,
        outcome_cells.row_label_en as outcome_label_en,
        outcome_cells.raw_text,
        outcome_cells.value_kind,
        outcome_cells.cell_status,

        ----------  numerics
        outcome_groups.group_order as outcome_group_order,
        {{ as_count('outcome_cells.value') }} as application_count,

        ----------  booleans
        outcome_cells.is_placed,
        outcome_cells.is_in_template

    from outcome_cells
    left join outcome_groups
        on outcome_cells.outcome_group = outcome_groups.outcome_group

)

select * from final
