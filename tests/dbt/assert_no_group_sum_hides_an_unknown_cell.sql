{#
    Structural: an unknown is never summed as 0. For every cell a reconcilable
    report printed in a template row but that could not be placed (ambiguous,
    unplaced or unparsed), each template cell of that row (of its column, when
    known) that no placed cell fills has a fact row with value null and
    is_placed false, so a sum over the group is visibly incomplete instead of
    silently short. Returns the template cells whose fact row is absent or
    looks placed.
#}
{%- set flow_rows = [
    'new_received', 'carried_over', 'total_processed', 'carried_forward'
] -%}

with

cells_labeled as {{ not_materialized() }} (

    select * from {{ ref('int_cells_labeled') }}
    {{ tested_reports_only() }}

),

reports as (

    select * from {{ ref('int_documents_grouped_to_reports') }}
    {{ tested_reports_only() }}

),

template_cells as (

    select * from {{ ref('template_cells') }}

),

fct_applications as (

    select * from {{ ref('fct_applications') }}
    {{ tested_reports_only() }}

),

fct_application_outcomes as (

    select * from {{ ref('fct_application_outcomes') }}
    {{ tested_reports_only() }}

),

fct_reviews_litigation as (

    select * from {{ ref('fct_reviews_litigation') }}
    {{ tested_reports_only() }}

),

fct_proactive_disclosure as (

    select * from {{ ref('fct_proactive_disclosure') }}
    {{ tested_reports_only() }}

),

loose_cells as (

    select
        cells_labeled.report_id,
        reports.template,
        cells_labeled.table_code,
        cells_labeled.row_code,
        cells_labeled.col_code

    from cells_labeled
    inner join reports
        on cells_labeled.report_id = reports.report_id
    where
        reports.is_reconcilable
        and not cells_labeled.is_placed
        and cells_labeled.row_code is not null

),

covered_template_cells as (

    select distinct
        loose_cells.report_id,
        template_cells.table_code,
        template_cells.row_code,
        template_cells.col_code

    from loose_cells
    inner join template_cells
        on loose_cells.template = template_cells.template
        and loose_cells.table_code = template_cells.table_code
        and loose_cells.row_code = template_cells.row_code
        and (
            loose_cells.col_code is null
            or loose_cells.col_code = template_cells.col_code
        )

),

unfilled_covered_cells as (

    select covered_template_cells.*
    from covered_template_cells
    left join cells_labeled
        on covered_template_cells.report_id = cells_labeled.report_id
        and covered_template_cells.table_code = cells_labeled.table_code
        and covered_template_cells.row_code = cells_labeled.row_code
        and covered_template_cells.col_code = cells_labeled.col_code
        and cells_labeled.is_placed
    where cells_labeled.report_id is null

),

fact_rows as (
    {%- for flow_row in flow_rows %}

    select
        fct_applications.report_id,
        'applications' as table_code,
        '{{ flow_row }}' as row_code,
        fct_applications.applicant_type as col_code,
        fct_applications.{{ flow_row }}_cell_status in ('ok', 'inferred', 'corrected')
            as is_placed,
        fct_applications.{{ flow_row }} as value

    from fct_applications
    where fct_applications.{{ flow_row }}_cell_status is not null

    union all
    {%- endfor %}

    select
        fct_application_outcomes.report_id,
        'applications' as table_code,
        fct_application_outcomes.outcome_code as row_code,
        fct_application_outcomes.applicant_type as col_code,
        fct_application_outcomes.is_placed,
        fct_application_outcomes.application_count as value

    from fct_application_outcomes

    union all

    select
        fct_reviews_litigation.report_id,
        'reviews_litigation' as table_code,
        fct_reviews_litigation.proceeding as row_code,
        fct_reviews_litigation.result as col_code,
        fct_reviews_litigation.is_placed,
        fct_reviews_litigation.case_count as value

    from fct_reviews_litigation

    union all

    select
        fct_proactive_disclosure.report_id,
        'proactive' as table_code,
        fct_proactive_disclosure.item as row_code,
        fct_proactive_disclosure.measure as col_code,
        fct_proactive_disclosure.is_placed,
        fct_proactive_disclosure.value

    from fct_proactive_disclosure

),

hidden as (

    select
        unfilled_covered_cells.report_id,
        unfilled_covered_cells.table_code,
        unfilled_covered_cells.row_code,
        unfilled_covered_cells.col_code,
        fact_rows.is_placed,
        fact_rows.value

    from unfilled_covered_cells
    left join fact_rows
        on unfilled_covered_cells.report_id = fact_rows.report_id
        and unfilled_covered_cells.table_code = fact_rows.table_code
        and unfilled_covered_cells.row_code = fact_rows.row_code
        and unfilled_covered_cells.col_code = fact_rows.col_code
    where
        fact_rows.report_id is null
        or fact_rows.is_placed
        or fact_rows.value is not null

)

select * from hidden
