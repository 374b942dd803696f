{{ report_incremental_config() }}
with

applications_pivoted as (

    select * from {{ ref('int_application_cells_pivoted_to_reports') }}
    {{ changed_reports_only() }}

),

final as (

    select
        ----------  ids
        {{ surrogate_key([
            'applications_pivoted.report_id',
            'applications_pivoted.applicant_type',
        ]) }} as application_id,
        applications_pivoted.report_id,

        ----------  strings
        applications_pivoted.applicant_type,
        applications_pivoted.applicant_type_label_zh,
        applications_pivoted.applicant_type_label_en,
        applications_pivoted.new_received_value_kind,
        applications_pivoted.carried_over_value_kind,
        applications_pivoted.total_processed_value_kind,
        applications_pivoted.carried_forward_value_kind,
        applications_pivoted.new_received_cell_status,
        applications_pivoted.carried_over_cell_status,
        applications_pivoted.total_processed_cell_status,
        applications_pivoted.carried_forward_cell_status,

        ----------  numerics
        {{ as_count('applications_pivoted.new_received') }} as new_received,
        {{ as_count('applications_pivoted.carried_over') }} as carried_over,
        {{ as_count('applications_pivoted.total_processed') }} as total_processed,
        {{ as_count('applications_pivoted.carried_forward') }} as carried_forward

    from applications_pivoted

)

select * from final
