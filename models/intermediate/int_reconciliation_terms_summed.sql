{#
    Rules R01-R04 for every reconcilable report: each term's cell is looked up,
    the two sides are summed with their signs, and the outcome is decided.
    One row per report, rule and scope. A term whose cell is missing, blank,
    not applicable or unparsed makes the scope not_assessable (never read as 0)
    and is named in unusable_inputs.
#}
with

reports as (

    select * from {{ ref('int_documents_grouped_to_reports') }}

),

terms_expanded as (

    select * from {{ ref('int_reconciliation_terms_expanded_to_scopes') }}

),

cells_labeled as (

    select * from {{ ref('int_cells_labeled') }}

),

placed_cells as (

    select
        cells_labeled.report_id,
        cells_labeled.table_code,
        cells_labeled.row_code,
        cells_labeled.col_code,
        cells_labeled.value,
        cells_labeled.value_kind

    from cells_labeled
    where cells_labeled.is_placed

),

unparsed_locations as (

    select distinct
        cells_labeled.report_id,
        cells_labeled.table_code,
        cells_labeled.row_code,
        cells_labeled.col_code

    from cells_labeled
    where
        not cells_labeled.is_placed
        and cells_labeled.row_code is not null
        and cells_labeled.col_code is not null

),

report_terms as (

    select
        reports.report_id,
        terms_expanded.rule_id,
        terms_expanded.table_code,
        terms_expanded.scope_axis,
        terms_expanded.scope_code,
        terms_expanded.side,
        terms_expanded.input_row_code,
        terms_expanded.input_col_code,
        terms_expanded.sign,
        terms_expanded.tolerance

    from reports
    inner join terms_expanded
        on reports.template = terms_expanded.template
    where reports.is_reconcilable

),

terms_looked_up as (

    select
        report_terms.*,
        placed_cells.value,
        case
            when placed_cells.value_kind in ('number', 'zero')
                and placed_cells.value is not null
                then 'usable'
            when placed_cells.value_kind is not null
                then placed_cells.value_kind
            when unparsed_locations.report_id is not null
                then 'unparsed'
            else 'missing'
        end as input_state

    from report_terms
    left join placed_cells
        on report_terms.report_id = placed_cells.report_id
        and report_terms.table_code = placed_cells.table_code
        and report_terms.input_row_code = placed_cells.row_code
        and report_terms.input_col_code = placed_cells.col_code
    left join unparsed_locations
        on report_terms.report_id = unparsed_locations.report_id
        and report_terms.table_code = unparsed_locations.table_code
        and report_terms.input_row_code = unparsed_locations.row_code
        and report_terms.input_col_code = unparsed_locations.col_code

),

summed as (

    select
        terms_looked_up.report_id,
        terms_looked_up.rule_id,
        terms_looked_up.table_code,
        terms_looked_up.scope_axis,
        terms_looked_up.scope_code,
        max(terms_looked_up.tolerance) as tolerance,
        count(*) as input_count,
        {{ aggregate_where(
            'count', '*', "terms_looked_up.input_state <> 'usable'"
        ) }} as unusable_input_count,
        {{ aggregate_where(
            'sum',
            'terms_looked_up.sign * terms_looked_up.value',
            "terms_looked_up.side = 'expected'",
        ) }} as expected_sum,
        {{ aggregate_where(
            'sum',
            'terms_looked_up.sign * terms_looked_up.value',
            "terms_looked_up.side = 'actual'",
        ) }} as actual_sum,
        {{ string_list(
            "case when terms_looked_up.input_state <> 'usable' then "
            ~ "terms_looked_up.input_row_code || '/' "
            ~ "|| terms_looked_up.input_col_code || ' (' "
            ~ "|| terms_looked_up.input_state || ')' end",
            'terms_looked_up.input_row_code, terms_looked_up.input_col_code',
        ) }} as unusable_inputs

    from terms_looked_up
    group by
        terms_looked_up.report_id,
        terms_looked_up.rule_id,
        terms_looked_up.table_code,
        terms_looked_up.scope_axis,
        terms_looked_up.scope_code

),

evaluated as (

    select
        summed.report_id,
        summed.rule_id,
        summed.table_code,
        case
            when summed.scope_axis = 'row_code' then summed.scope_code
        end as row_code,
        case
            when summed.scope_axis = 'col_code' then summed.scope_code
        end as col_code,
        case
            when summed.unusable_input_count > 0 then 'not_assessable'
            when abs(summed.actual_sum - summed.expected_sum)
                <= summed.tolerance then 'pass'
            else 'fail'
        end as outcome,
        case
            when summed.unusable_input_count = 0 then summed.expected_sum
        end as expected,
        case
            when summed.unusable_input_count = 0 then summed.actual_sum
        end as actual,
        case
            when summed.unusable_input_count = 0
                then summed.actual_sum - summed.expected_sum
        end as difference,
        summed.input_count,
        summed.unusable_input_count,
        summed.unusable_inputs,
        cast(null as varchar) as detail

    from summed

)

select * from evaluated
