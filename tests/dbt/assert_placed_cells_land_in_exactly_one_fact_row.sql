{#
    Structural: every placed cell (status ok or inferred) appears in exactly one
    fact row, and every fact row comes from a placed cell. Returns the cells
    that land nowhere, twice, or in a fact without a cell.

    Aggregates instead of a full outer join over ~20M cells: placed cells and
    fact rows are stacked, and each report's two sides are compared by their
    row counts and by the sum of a 64-bit hash of their coordinates (equal
    multisets give equal sums; different ones practically never do). Only the
    reports whose sides differ are grouped by coordinates to name the cells.
    Placed cells come from the materialized int_cells_labeled (one row per lake
    cell); that no two placed cells share coordinates is tested there too.
#}
{%- set flow_rows = [
    'new_received', 'carried_over', 'total_processed', 'carried_forward'
] -%}

with

cells_labeled as (

    select * from {{ ref('int_cells_labeled') }}

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

stacked as {{ not_materialized() }} (

    select
        cells_labeled.report_id,
        cells_labeled.table_code,
        cells_labeled.row_code,
        cells_labeled.col_code,
        1 as placed_cell,
        0 as fact_row

    from cells_labeled
    where cells_labeled.is_placed
    {%- for flow_row in flow_rows %}

    union all

    select
        fct_applications.report_id,
        'applications' as table_code,
        '{{ flow_row }}' as row_code,
        fct_applications.applicant_type as col_code,
        0 as placed_cell,
        1 as fact_row

    from fct_applications
    where fct_applications.{{ flow_row }}_value_kind is not null
    {%- endfor %}

    union all

    select
        fct_application_outcomes.report_id,
        'applications' as table_code,
        fct_application_outcomes.outcome_code as row_code,
        fct_application_outcomes.applicant_type as col_code,
        0 as placed_cell,
        1 as fact_row

    from fct_application_outcomes

    union all

    select
        fct_reviews_litigation.report_id,
        'reviews_litigation' as table_code,
        fct_reviews_litigation.proceeding as row_code,
        fct_reviews_litigation.result as col_code,
        0 as placed_cell,
        1 as fact_row

    from fct_reviews_litigation

    union all

    select
        fct_proactive_disclosure.report_id,
        'proactive' as table_code,
        fct_proactive_disclosure.item as row_code,
        fct_proactive_disclosure.measure as col_code,
        0 as placed_cell,
        1 as fact_row

    from fct_proactive_disclosure

),

stacked_hashed as (

    select
        stacked.report_id,
        stacked.placed_cell,
        stacked.fact_row,
        {{ hash_key([
            'stacked.table_code', 'stacked.row_code', 'stacked.col_code'
        ]) }} as cell_hash

    from stacked

),

reports_compared as (

    select
        stacked_hashed.report_id,
        sum(stacked_hashed.placed_cell) as placed_cell_count,
        sum(stacked_hashed.fact_row) as fact_row_count,
        {{ aggregate_where(
            'sum', 'stacked_hashed.cell_hash', 'stacked_hashed.placed_cell = 1'
        ) }} as placed_cell_hash_sum,
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
        reports_compared.placed_cell_count <> reports_compared.fact_row_count
        or reports_compared.placed_cell_hash_sum
            is distinct from reports_compared.fact_row_hash_sum

),

counted as (

    select
        stacked.report_id,
        stacked.table_code,
        stacked.row_code,
        stacked.col_code,
        sum(stacked.placed_cell) as placed_cell_count,
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
        counted.placed_cell_count > 0 as is_placed_cell,
        counted.placed_cell_count,
        counted.fact_row_count

    from counted
    where counted.placed_cell_count <> 1 or counted.fact_row_count <> 1

)

select * from mismatches
