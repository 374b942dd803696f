{#
    The correction rate (纠错率) of rpt_correction_rates summed over reports: per
    proceeding and report year, plus one row per proceeding over all years
    (is_all_years, report_year null). corrected_cases and concluded_cases sum
    the rated reports only, so correction_rate = corrected_cases ÷
    concluded_cases never mixes in a report that does not add up; the reports
    left out are counted by reason next to it.
#}
{%- set groupings = [
    {'year': 'rates.report_year', 'all_years': 'false'},
    {'year': 'cast(null as ' ~ dbt.type_int() ~ ')', 'all_years': 'true'},
] -%}

with

correction_rates as (

    select * from {{ ref('rpt_correction_rates') }}

),

reports as (

    select * from {{ ref('dim_reports') }}

),

rates as (

    select
        correction_rates.*,
        reports.report_year

    from correction_rates
    inner join reports
        on correction_rates.report_id = reports.report_id

),

summed as (
    {%- for grouping in groupings %}

    select
        rates.proceeding,
        rates.proceeding_label_zh,
        rates.proceeding_label_en,
        rates.proceeding_order,
        {{ grouping.year }} as report_year,
        {{ grouping.all_years }} as is_all_years,
        count(*) as reports,
        {%- for status in [
            'rated', 'parts_exceed_total', 'unknown_input', 'no_concluded_cases'
        ] %}
        {{ aggregate_where(
            'count', '*', "rates.rate_status = '" ~ status ~ "'"
        ) }} as reports_{{ status }},
        {%- endfor %}
        {{ aggregate_where('sum', 'rates.corrected_cases', 'rates.is_rated') }}
            as corrected_cases,
        {{ aggregate_where('sum', 'rates.concluded_cases', 'rates.is_rated') }}
            as concluded_cases

    from rates
    group by
        rates.proceeding,
        rates.proceeding_label_zh,
        rates.proceeding_label_en,
        rates.proceeding_order
        {%- if not grouping.all_years == 'true' %},
        rates.report_year
        {%- endif %}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

final as (

    select
        ----------  ids
        {{ surrogate_key([
            'summed.proceeding', 'summed.report_year', 'summed.is_all_years'
        ]) }} as correction_rate_summary_id,

        ----------  strings
        summed.proceeding,
        summed.proceeding_label_zh,
        summed.proceeding_label_en,

        ----------  numerics
        summed.proceeding_order,
        summed.report_year,
        summed.reports,
        summed.reports_rated,
        summed.reports_parts_exceed_total,
        summed.reports_unknown_input,
        summed.reports_no_concluded_cases,
        {{ as_count('summed.corrected_cases') }} as corrected_cases,
        {{ as_count('summed.concluded_cases') }} as concluded_cases,
        summed.corrected_cases
            / nullif(summed.concluded_cases, 0) as correction_rate,

        ----------  booleans
        summed.is_all_years

    from summed

)

select * from final
