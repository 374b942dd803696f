{#
    One row per report, the way people read one: who, when, which form, the
    headline counts as printed (总计 column of table 三, every cell of table 四,
    a few items of table 二), the grant and correction rates of the rate models,
    and the findings of the reconciliation rules.

    Unknown stays unknown: each count comes from int_template_cells_grouped and
    is null unless every template cell it adds up is placed with a number; the
    <count>_status column beside it says why (printed_not_placed, unparsed,
    not_printed, blank, not_in_template). Nothing here sums a cell the ingest
    could not place as 0.

    report_columns lists what comes from dim_reports and agency_columns what
    comes from dim_agencies (the body's division and its parents): a new
    attribute joins in by adding its name there.
#}
{{ report_incremental_config(with_partners=true) }}
{%- set report_columns = [
    'agency_id', 'title', 'agency', 'agency_name', 'agency_level', 'agency_kind',
    'division_code', 'report_year', 'template', 'status', 'published_date',
    'index_no', 'source_url', 'source_path', 'file_format', 'error', 'cells_placed',
    'cells_ambiguous', 'cells_unplaced', 'cells_unparsed',
] -%}
{%- set agency_columns = [
    'province_name', 'prefecture_name', 'county_name', 'division_name',
] -%}
{%- set proceedings = ['admin_review', 'lawsuit_direct', 'lawsuit_after_review'] -%}
{%- set counts = rpt_report_counts() -%}

with

reports as (

    select * from {{ ref('dim_reports') }}
    {{ reports_with_partners_only() }}

),

agencies as (

    select * from {{ ref('dim_agencies') }}

),

template_cells_grouped as (

    select * from {{ ref('int_template_cells_grouped') }}
    {{ reports_with_partners_only() }}

),

grant_rates as (

    select * from {{ ref('rpt_grant_rates') }}
    {{ reports_with_partners_only() }}

),

correction_rates as (

    select * from {{ ref('rpt_correction_rates') }}
    {{ reports_with_partners_only() }}

),

reconciliation_results as (

    select * from {{ ref('fct_reconciliation_results') }}
    {{ reports_with_partners_only() }}

),

headline_groups as (

    select * from template_cells_grouped
    where
        {%- for name, table_code, group_code, col_code in counts %}
        (
            template_cells_grouped.table_code = '{{ table_code }}'
            and template_cells_grouped.group_code = '{{ group_code }}'
            and template_cells_grouped.col_code = '{{ col_code }}'
        ){% if not loop.last %} or{% endif %}
        {%- endfor %}

),

headline_counts as (

    select
        headline_groups.report_id,
        {%- for name, table_code, group_code, col_code in counts %}
        {%- set condition = "headline_groups.table_code = '" ~ table_code
            ~ "' and headline_groups.group_code = '" ~ group_code
            ~ "' and headline_groups.col_code = '" ~ col_code ~ "'" %}
        {{ aggregate_where('max', 'headline_groups.group_value', condition) }}
            as {{ name }},
        {{ aggregate_where('max', 'headline_groups.group_status', condition) }}
            as {{ name }}_status{% if not loop.last %},{% endif %}
        {%- endfor %}

    from headline_groups
    group by headline_groups.report_id

),

total_grant_rates as (

    select * from grant_rates
    where grant_rates.applicant_type = 'total'

),

correction_rates_pivoted as (

    select
        correction_rates.report_id,
        {%- for proceeding in proceedings %}
        {%- set condition = "correction_rates.proceeding = '" ~ proceeding ~ "'" %}
        {{ aggregate_where('max', 'correction_rates.correction_rate', condition) }}
            as {{ proceeding }}_correction_rate,
        {{ aggregate_where('max', 'correction_rates.rate_status', condition) }}
            as {{ proceeding }}_correction_rate_status
            {%- if not loop.last %},{% endif %}
        {%- endfor %}

    from correction_rates
    group by correction_rates.report_id

),

rule_outcomes_counted as (

    select
        reconciliation_results.report_id,
        reconciliation_results.rule_id,
        reconciliation_results.outcome,
        count(distinct reconciliation_results.finding_id) as finding_count

    from reconciliation_results
    group by
        reconciliation_results.report_id,
        reconciliation_results.rule_id,
        reconciliation_results.outcome

),

findings_summarised as (

    select
        rule_outcomes_counted.report_id,
        {%- for outcome in ['fail', 'not_assessable', 'pass'] %}
        {%- set condition = "rule_outcomes_counted.outcome = '" ~ outcome ~ "'" %}
        coalesce(
            {{ aggregate_where(
                'sum', 'rule_outcomes_counted.finding_count', condition
            ) }},
            0
        ) as findings_{{ outcome }},
        {%- endfor %}
        {%- for outcome in ['fail', 'not_assessable'] %}
        {%- set condition = "rule_outcomes_counted.outcome = '" ~ outcome ~ "'" %}
        {{ string_list(
            'case when ' ~ condition ~ " then rule_outcomes_counted.rule_id"
            ~ " || ' (' || cast(rule_outcomes_counted.finding_count as "
            ~ dbt.type_string() ~ ") || ')' end",
            'rule_outcomes_counted.rule_id',
            ', ',
        ) }} as rules_{{ outcome }}{% if not loop.last %},{% endif %}
        {%- endfor %}

    from rule_outcomes_counted
    group by rule_outcomes_counted.report_id

),

final as (

    select
        ----------  ids
        reports.report_id,

        ----------  report (dim_reports)
        {%- for column in report_columns %}
        reports.{{ column }},
        {%- endfor %}
        {%- for column in agency_columns %}
        agencies.{{ column }},
        {%- endfor %}

        ----------  headline counts as printed, each with its status
        {%- for name, table_code, group_code, col_code in counts %}
        {{ as_count('headline_counts.' ~ name) }} as {{ name }},
        coalesce(headline_counts.{{ name }}_status, 'not_in_template')
            as {{ name }}_status,
        {%- endfor %}

        ----------  rates (rpt_grant_rates, rpt_correction_rates)
        total_grant_rates.grant_rate,
        coalesce(total_grant_rates.rate_status, 'not_in_template')
            as grant_rate_status,
        {%- for proceeding in proceedings %}
        correction_rates_pivoted.{{ proceeding }}_correction_rate,
        coalesce(
            correction_rates_pivoted.{{ proceeding }}_correction_rate_status,
            'not_in_template'
        ) as {{ proceeding }}_correction_rate_status,
        {%- endfor %}

        ----------  reconciliation findings
        cast(coalesce(findings_summarised.findings_fail, 0)
            as {{ dbt.type_bigint() }}) as findings_fail,
        cast(coalesce(findings_summarised.findings_not_assessable, 0)
            as {{ dbt.type_bigint() }}) as findings_not_assessable,
        cast(coalesce(findings_summarised.findings_pass, 0)
            as {{ dbt.type_bigint() }}) as findings_pass,
        findings_summarised.rules_fail,
        findings_summarised.rules_not_assessable,

        ----------  booleans
        {%- for name, table_code, group_code, col_code in counts
            if table_code == 'applications' %}
        coalesce(headline_counts.{{ name }}_status, '') = 'known'
        {%- if not loop.last %}
            and{% endif %}
        {%- endfor %}
            as has_known_applications,
        {%- for name, table_code, group_code, col_code in counts %}
        coalesce(headline_counts.{{ name }}_status, '') = 'printed_not_placed'
        {%- if not loop.last %}
            or{% endif %}
        {%- endfor %}
            as has_printed_not_placed

    from reports
    left join agencies
        on reports.agency_id = agencies.agency_id
    left join headline_counts
        on reports.report_id = headline_counts.report_id
    left join total_grant_rates
        on reports.report_id = total_grant_rates.report_id
    left join correction_rates_pivoted
        on reports.report_id = correction_rates_pivoted.report_id
    left join findings_summarised
        on reports.report_id = findings_summarised.report_id

)

select * from final
