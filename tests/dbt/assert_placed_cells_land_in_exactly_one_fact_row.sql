{#
    Structural: every placed cell (status ok or inferred) appears in exactly one
    fact row, and every fact row comes from a placed cell. Returns the cells
    that land nowhere, twice, or in a fact without a cell.
#}
{%- set flow_rows = [
    'new_received', 'carried_over', 'total_processed', 'carried_forward'
] -%}

with

cells as (

    select * from {{ ref('stg_ingest__cells') }}

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

placed_cells as (

    select
        cells.report_id,
        cells.table_code,
        cells.row_code,
        cells.col_code

    from cells
    where cells.cell_status in ('ok', 'inferred')

),

fact_cells as (
    {%- for flow_row in flow_rows %}

    select
        fct_applications.report_id,
        'applications' as table_code,
        '{{ flow_row }}' as row_code,
        fct_applications.applicant_type as col_code

    from fct_applications
    where fct_applications.{{ flow_row }}_value_kind is not null

    union all
    {%- endfor %}

    select
        fct_application_outcomes.report_id,
        'applications' as table_code,
        fct_application_outcomes.outcome_code as row_code,
        fct_application_outcomes.applicant_type as col_code

    from fct_application_outcomes

    union all

    select
        fct_reviews_litigation.report_id,
        'reviews_litigation' as table_code,
        fct_reviews_litigation.proceeding as row_code,
        fct_reviews_litigation.result as col_code

    from fct_reviews_litigation

    union all

    select
        fct_proactive_disclosure.report_id,
        'proactive' as table_code,
        fct_proactive_disclosure.item as row_code,
        fct_proactive_disclosure.measure as col_code

    from fct_proactive_disclosure

),

fact_cells_counted as (

    select
        fact_cells.report_id,
        fact_cells.table_code,
        fact_cells.row_code,
        fact_cells.col_code,
        count(*) as fact_row_count

    from fact_cells
    group by
        fact_cells.report_id,
        fact_cells.table_code,
        fact_cells.row_code,
        fact_cells.col_code

),

compared as (

    select
        coalesce(placed_cells.report_id, fact_cells_counted.report_id)
            as report_id,
        coalesce(placed_cells.table_code, fact_cells_counted.table_code)
            as table_code,
        coalesce(placed_cells.row_code, fact_cells_counted.row_code)
            as row_code,
        coalesce(placed_cells.col_code, fact_cells_counted.col_code)
            as col_code,
        placed_cells.report_id is not null as is_placed_cell,
        coalesce(fact_cells_counted.fact_row_count, 0) as fact_row_count

    from placed_cells
    full outer join fact_cells_counted
        on placed_cells.report_id = fact_cells_counted.report_id
        and placed_cells.table_code = fact_cells_counted.table_code
        and placed_cells.row_code = fact_cells_counted.row_code
        and placed_cells.col_code = fact_cells_counted.col_code

),

mismatches as (

    select * from compared
    where not compared.is_placed_cell or compared.fact_row_count <> 1

)

select * from mismatches
