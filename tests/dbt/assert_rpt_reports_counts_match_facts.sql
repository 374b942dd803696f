{#
    Structural: every headline count of rpt_reports equals the facts it comes
    from, and is known exactly when the facts are complete. Single cells come
    from fct_applications (flow rows) and fct_reviews_litigation / 
    fct_proactive_disclosure; outcome groups are the sum of their template rows
    in fct_application_outcomes, complete when every template row has a value.
    Returns (report_id, count name) pairs that differ: a sum that hides an
    unknown cell (known in rpt_reports, incomplete in the facts), a known value
    left null, or a different number.
#}
{%- set flow_rows = [
    'new_received', 'carried_over', 'total_processed', 'carried_forward'
] -%}
{%- set counts = rpt_report_counts() -%}

with

rpt_reports as (

    select * from {{ ref('rpt_reports') }}

),

dim_reports as (

    select * from {{ ref('dim_reports') }}

),

fct_applications as (

    select * from {{ ref('fct_applications') }}

),

fct_application_outcomes as (

    select * from {{ ref('fct_application_outcomes') }}

),

fct_reviews_litigation as (

    select * from {{ ref('fct_reviews_litigation') }}

),

fct_proactive_disclosure as (

    select * from {{ ref('fct_proactive_disclosure') }}

),

template_cells as (

    select * from {{ ref('template_cells') }}

),

row_labels as (

    select * from {{ ref('row_labels') }}

),

reported as (
    {%- for name, table_code, group_code, col_code in counts %}

    select
        rpt_reports.report_id,
        '{{ name }}' as count_name,
        rpt_reports.{{ name }} as reported_value,
        rpt_reports.{{ name }}_status = 'known' as is_reported_known
    from rpt_reports
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

single_cell_facts as (
    {%- for row_code in flow_rows %}

    select
        fct_applications.report_id,
        '{{ row_code }}' as count_name,
        fct_applications.{{ row_code }} as fact_value
    from fct_applications
    where fct_applications.applicant_type = 'total'

    union all
    {%- endfor %}

    select
        fct_reviews_litigation.report_id,
        fct_reviews_litigation.proceeding || '_'
            || fct_reviews_litigation.result as count_name,
        fct_reviews_litigation.case_count as fact_value
    from fct_reviews_litigation
    where fct_reviews_litigation.is_in_template

    union all

    select
        fct_proactive_disclosure.report_id,
        fct_proactive_disclosure.item || '_'
            || fct_proactive_disclosure.measure as count_name,
        fct_proactive_disclosure.value as fact_value
    from fct_proactive_disclosure
    where fct_proactive_disclosure.is_in_template

),

group_template_rows as (

    select
        template_cells.template,
        row_labels.outcome_group,
        count(*) as template_row_count

    from template_cells
    inner join row_labels
        on template_cells.table_code = row_labels.table_code
        and template_cells.row_code = row_labels.row_code
    where
        template_cells.table_code = 'applications'
        and template_cells.col_code = 'total'
        and row_labels.outcome_group is not null
    group by
        template_cells.template,
        row_labels.outcome_group

),

group_facts as (

    select
        fct_application_outcomes.report_id,
        fct_application_outcomes.outcome_group as count_name,
        sum(fct_application_outcomes.application_count) as value_sum,
        count(fct_application_outcomes.application_count) as value_count

    from fct_application_outcomes
    where
        fct_application_outcomes.applicant_type = 'total'
        and fct_application_outcomes.is_in_template
    group by
        fct_application_outcomes.report_id,
        fct_application_outcomes.outcome_group

),

group_facts_completed as (

    select
        group_facts.report_id,
        group_facts.count_name,
        case
            when group_facts.value_count = group_template_rows.template_row_count
                then group_facts.value_sum
        end as fact_value

    from group_facts
    inner join dim_reports
        on group_facts.report_id = dim_reports.report_id
    inner join group_template_rows
        on dim_reports.template = group_template_rows.template
        and group_facts.count_name = group_template_rows.outcome_group

),

facts as (

    select * from single_cell_facts
    union all
    select * from group_facts_completed

),

compared as (

    select
        reported.report_id,
        reported.count_name,
        reported.reported_value,
        reported.is_reported_known,
        facts.fact_value

    from reported
    left join facts
        on reported.report_id = facts.report_id
        and reported.count_name = facts.count_name

)

select * from compared
where
    (compared.is_reported_known and compared.fact_value is null)
    or (not compared.is_reported_known and compared.fact_value is not null)
    or compared.reported_value <> compared.fact_value
    or (compared.reported_value is null and compared.is_reported_known)
