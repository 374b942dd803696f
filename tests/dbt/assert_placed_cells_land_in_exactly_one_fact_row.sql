{#
    Structural: every placed cell (status ok or inferred) appears in exactly one
    fact row, every cell of a reconcilable report's template appears in exactly
    one fact row (placed, or with value null and why), and every fact row is
    one of these. Returns the cells that land nowhere, twice, or in a fact
    without a cell.

    Aggregates instead of a full outer join over ~20M cells. The expected fact
    cells are the placed cells plus the template cells of reconcilable reports,
    minus the placed cells among those (counted twice): each report's sides are
    compared as placed + template = facts + placed-in-template, by row counts
    and by the sum of a 64-bit integer hash of the coordinates (equal multisets give
    equal sums; different ones practically never do). Only the reports whose
    sides differ are grouped by coordinates to name the cells. Placed cells
    come from the materialized int_cells_labeled (one row per lake cell); that
    no two placed cells share coordinates is tested there too.
#}
{%- set flow_rows = [
    'new_received', 'carried_over', 'total_processed', 'carried_forward'
] -%}

with

cells_labeled as (

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

fct_legacy_statistics as (

    select * from {{ ref('fct_legacy_statistics') }}
    {{ tested_reports_only() }}

),

fct_narrative_figures as (

    select * from {{ ref('fct_narrative_figures') }}
    {{ tested_reports_only() }}

),

stacked as {{ not_materialized() }} (

    select
        cells_labeled.report_id,
        cells_labeled.table_code,
        cells_labeled.row_code,
        cells_labeled.col_code,
        1 as expected_cell,
        0 as fact_row

    from cells_labeled
    where cells_labeled.is_placed

    union all

    select
        reports.report_id,
        template_cells.table_code,
        template_cells.row_code,
        template_cells.col_code,
        1 as expected_cell,
        0 as fact_row

    from reports
    inner join template_cells
        on reports.template = template_cells.template
    where reports.is_reconcilable

    union all

    select
        cells_labeled.report_id,
        cells_labeled.table_code,
        cells_labeled.row_code,
        cells_labeled.col_code,
        0 as expected_cell,
        1 as fact_row

    from cells_labeled
    inner join reports
        on cells_labeled.report_id = reports.report_id
    where
        cells_labeled.is_placed
        and cells_labeled.is_in_template
        and reports.is_reconcilable
    {%- for flow_row in flow_rows %}

    union all

    select
        fct_applications.report_id,
        'applications' as table_code,
        '{{ flow_row }}' as row_code,
        fct_applications.applicant_type as col_code,
        0 as expected_cell,
        1 as fact_row

    from fct_applications
    where fct_applications.{{ flow_row }}_cell_status is not null
    {%- endfor %}

    union all

    select
        fct_application_outcomes.report_id,
        'applications' as table_code,
        fct_application_outcomes.outcome_code as row_code,
        fct_application_outcomes.applicant_type as col_code,
        0 as expected_cell,
        1 as fact_row

    from fct_application_outcomes

    union all

    select
        fct_reviews_litigation.report_id,
        'reviews_litigation' as table_code,
        fct_reviews_litigation.proceeding as row_code,
        fct_reviews_litigation.result as col_code,
        0 as expected_cell,
        1 as fact_row

    from fct_reviews_litigation

    union all

    select
        fct_proactive_disclosure.report_id,
        'proactive' as table_code,
        fct_proactive_disclosure.item as row_code,
        fct_proactive_disclosure.measure as col_code,
        0 as expected_cell,
        1 as fact_row

    from fct_proactive_disclosure

    union all

    select
        fct_legacy_statistics.report_id,
        'legacy' as table_code,
        fct_legacy_statistics.indicator as row_code,
        fct_legacy_statistics.period as col_code,
        0 as placed_cell,
        1 as fact_row

    from fct_legacy_statistics
    where fct_legacy_statistics.cell_status in ('ok', 'inferred')

    union all

    select
        fct_narrative_figures.report_id,
        'narrative' as table_code,
        fct_narrative_figures.figure as row_code,
        fct_narrative_figures.measure as col_code,
        0 as placed_cell,
        1 as fact_row

    from fct_narrative_figures

),

stacked_hashed as (

    select
        stacked.report_id,
        stacked.expected_cell,
        stacked.fact_row,
        {#- decimal: a sum of 64-bit hashes overflows bigint. -#}
        cast({{ hash_key([
            'stacked.table_code', 'stacked.row_code', 'stacked.col_code'
        ]) }} as decimal(38, 0)) as cell_hash

    from stacked

),

reports_compared as (

    select
        stacked_hashed.report_id,
        sum(stacked_hashed.expected_cell) as expected_cell_count,
        sum(stacked_hashed.fact_row) as fact_row_count,
        {{ aggregate_where(
            'sum', 'stacked_hashed.cell_hash', 'stacked_hashed.expected_cell = 1'
        ) }} as expected_cell_hash_sum,
        {{ aggregate_where(
            'sum', 'stacked_hashed.cell_hash', 'stacked_hashed.fact_row = 1'
        ) }} as fact_row_hash_sum

    from stacked_hashed
    group by stacked_hashed.report_id

),

differing_reports as (

    select reports_compared.report_id
    from reports_compared
    where
        reports_compared.expected_cell_count <> reports_compared.fact_row_count
        or reports_compared.expected_cell_hash_sum
            is distinct from reports_compared.fact_row_hash_sum

),

counted as (

    select
        stacked.report_id,
        stacked.table_code,
        stacked.row_code,
        stacked.col_code,
        sum(stacked.expected_cell) as expected_cell_count,
        sum(stacked.fact_row) as fact_row_count

    from stacked
    where stacked.report_id in (
        select differing_reports.report_id from differing_reports
    )
    group by
        stacked.report_id,
        stacked.table_code,
        stacked.row_code,
        stacked.col_code

),

mismatches as (

    select
        counted.report_id,
        counted.table_code,
        counted.row_code,
        counted.col_code,
        counted.expected_cell_count > 0 as is_expected_cell,
        counted.expected_cell_count,
        counted.fact_row_count

    from counted
    where counted.expected_cell_count <> counted.fact_row_count
        or counted.expected_cell_count not in (1, 2)

)

select * from mismatches
