{#
    The grant rate (公开率), defined once: applications granted in full or in part
    (予以公开 + 部分公开) over the applications with a result this year
    (三、本年度办理结果（七）总计, total_processed). Not over applications received:
    carried-over applications are decided this year too, and carried-forward ones
    are not decided yet.

    The rate is null, with rate_status saying why, when an input is unknown (a
    blank, an unplaced or ambiguous cell, a missing cell), when no application
    has a result, or when the parts exceed the total (the report does not add
    up; counted, never shown as a rate above 100 %).
#}
{{ report_incremental_config() }}
with

template_cells_grouped as (

    select * from {{ ref('int_template_cells_grouped') }}
    {{ changed_reports_only() }}

),

column_labels as (

    select * from {{ ref('column_labels') }}

),

application_groups as (

    select * from template_cells_grouped
    where template_cells_grouped.table_code = 'applications'

),

pivoted as (

    select
        application_groups.report_id,
        application_groups.col_code as applicant_type,
        {%- for group_code in ['granted', 'partially_granted', 'total_processed'] %}
        {{ aggregate_where(
            'max', 'application_groups.group_value',
            "application_groups.group_code = '" ~ group_code ~ "'"
        ) }} as {{ group_code }},
        {{ aggregate_where(
            'max', 'application_groups.group_status',
            "application_groups.group_code = '" ~ group_code ~ "'"
        ) }} as {{ group_code }}_status,
        {%- endfor %}
        min(application_groups.col_order) as col_order

    from application_groups
    group by
        application_groups.report_id,
        application_groups.col_code

),

rated as (

    select
        pivoted.*,
        case
            when pivoted.granted is null
                or pivoted.partially_granted is null
                or pivoted.total_processed is null
                then 'unknown_input'
            when pivoted.granted + pivoted.partially_granted
                > pivoted.total_processed
                then 'parts_exceed_total'
            when pivoted.total_processed = 0 then 'no_applications'
            else 'rated'
        end as rate_status

    from pivoted

),

final as (

    select
        ----------  ids
        {{ surrogate_key(['rated.report_id', 'rated.applicant_type']) }}
            as grant_rate_id,
        rated.report_id,

        ----------  strings
        rated.applicant_type,
        column_labels.label_zh as applicant_type_label_zh,
        column_labels.label_en as applicant_type_label_en,
        rated.granted_status,
        rated.partially_granted_status,
        rated.total_processed_status,
        rated.rate_status,

        ----------  numerics
        rated.col_order as applicant_type_order,
        {{ as_count('rated.granted') }} as granted,
        {{ as_count('rated.partially_granted') }} as partially_granted,
        {{ as_count('rated.total_processed') }} as total_processed,
        case
            when rated.rate_status = 'rated'
                then {{ as_count('rated.granted + rated.partially_granted') }}
        end as granted_or_partially_granted,
        case
            when rated.rate_status = 'rated'
                then (rated.granted + rated.partially_granted)
                    / rated.total_processed
        end as grant_rate,

        ----------  booleans
        rated.rate_status = 'rated' as is_rated

    from rated
    left join column_labels
        on column_labels.table_code = 'applications'
        and rated.applicant_type = column_labels.col_code

)

select * from final
