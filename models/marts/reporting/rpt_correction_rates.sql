{#
    The correction rate (纠错率), defined once: cases whose result was corrected
    (结果纠正) over the concluded cases (已审结 = 总计 − 尚未审结, total minus
    pending), per report and proceeding of table 四 (行政复议, 未经复议直接起诉,
    复议后起诉). Pending cases have no result yet, so they are not in the
    denominator; 结果维持, 结果纠正 and 其他结果 are.

    Never above 100 %: a report whose parts (upheld + corrected + other +
    pending) exceed its printed total is excluded (rate_status
    parts_exceed_total) and counted in rpt_correction_rates_by_year. A rate is
    also null when an input is unknown (blank, unplaced, ambiguous or missing)
    or when no case was concluded.
#}
{{ report_incremental_config() }}
{%- set results = ['upheld', 'corrected', 'other', 'pending', 'total'] -%}

with

template_cells_grouped as (

    select * from {{ ref('int_template_cells_grouped') }}
    {{ changed_reports_only() }}

),

row_labels as (

    select * from {{ ref('row_labels') }}

),

review_cells as (

    select * from template_cells_grouped
    where template_cells_grouped.table_code = 'reviews_litigation'

),

pivoted as (

    select
        review_cells.report_id,
        review_cells.group_code as proceeding,
        {%- for result in results %}
        {{ aggregate_where(
            'max', 'review_cells.group_value',
            "review_cells.col_code = '" ~ result ~ "'"
        ) }} as {{ result }}_cases,
        {{ aggregate_where(
            'max', 'review_cells.group_status',
            "review_cells.col_code = '" ~ result ~ "'"
        ) }} as {{ result }}_status,
        {%- endfor %}
        min(review_cells.group_order) as proceeding_order

    from review_cells
    group by
        review_cells.report_id,
        review_cells.group_code

),

rated as (

    select
        pivoted.*,
        case
            when
                {%- for result in results %}
                pivoted.{{ result }}_cases is null
                {%- if not loop.last %} or{% endif %}
                {%- endfor %}
                then 'unknown_input'
            when pivoted.upheld_cases + pivoted.corrected_cases
                + pivoted.other_cases + pivoted.pending_cases
                > pivoted.total_cases
                then 'parts_exceed_total'
            when pivoted.total_cases - pivoted.pending_cases = 0
                then 'no_concluded_cases'
            else 'rated'
        end as rate_status

    from pivoted

),

final as (

    select
        ----------  ids
        {{ surrogate_key(['rated.report_id', 'rated.proceeding']) }}
            as correction_rate_id,
        rated.report_id,

        ----------  strings
        rated.proceeding,
        row_labels.label_zh as proceeding_label_zh,
        row_labels.label_en as proceeding_label_en,
        {%- for result in results %}
        rated.{{ result }}_status,
        {%- endfor %}
        rated.rate_status,

        ----------  numerics
        rated.proceeding_order,
        {%- for result in results %}
        {{ as_count('rated.' ~ result ~ '_cases') }} as {{ result }}_cases,
        {%- endfor %}
        case
            when rated.rate_status in ('rated', 'no_concluded_cases')
                then {{ as_count('rated.total_cases - rated.pending_cases') }}
        end as concluded_cases,
        case
            when rated.rate_status = 'rated'
                then rated.corrected_cases
                    / (rated.total_cases - rated.pending_cases)
        end as correction_rate,

        ----------  booleans
        rated.rate_status = 'rated' as is_rated

    from rated
    left join row_labels
        on row_labels.table_code = 'reviews_litigation'
        and rated.proceeding = row_labels.row_code

)

select * from final
