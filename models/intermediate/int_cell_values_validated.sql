{#
    Rule R05 (valid_counts) for every report and table with placed cells:
    counts are whole numbers >= 0, signed counts (2019 本年增/减) whole
    numbers, money >= 0. One row per report and table, not per cell: the
    table fails when any of its numbers is invalid (each named in detail),
    passes when it has numbers and all are valid, and is not_assessable when
    none of its placed cells holds a number. Placed cells without a number
    (blank, not applicable, text) are counted and named in unusable_inputs.
    A table, so that DuckDB honours the not_materialized hint on the per-cell
    check that three aggregates read (a view's SQL loses it).
#}
{{ config(materialized='table') }}
with

cells_labeled as {{ not_materialized() }} (

    select * from {{ ref('int_cells_labeled') }}

),

placed_cells as {{ not_materialized() }} (

    select * from cells_labeled
    where cells_labeled.is_placed

),

checked as {{ not_materialized() }} (

    select
        placed_cells.report_id,
        placed_cells.cell_seq,
        placed_cells.table_code,
        placed_cells.row_code,
        placed_cells.col_code,
        placed_cells.value_kind,
        placed_cells.raw_text,
        (
            placed_cells.value_kind in ('number', 'zero')
            and placed_cells.value is not null
        ) as has_number,
        case
            when placed_cells.value_kind not in ('number', 'zero')
                or placed_cells.value is null
                then null
            when placed_cells.value_type = 'money'
                and placed_cells.value < 0
                then 'negative amount'
            when placed_cells.value_type in ('count', 'signed_count')
                and placed_cells.value <> floor(placed_cells.value)
                then 'not a whole number'
            when placed_cells.value_type = 'count'
                and placed_cells.value < 0
                then 'negative count'
        end as violation

    from placed_cells

),

tables_checked as (

    select
        checked.report_id,
        checked.table_code,
        count(*) as input_count,
        {{ aggregate_where('count', '*', 'checked.has_number') }}
            as number_count,
        {{ aggregate_where('count', '*', 'checked.violation is not null') }}
            as invalid_count

    from checked
    group by
        checked.report_id,
        checked.table_code

),

{#- The lists are built from the few cells they name only: an ordered
    aggregate keeps all its input rows in memory. #}
unusable_cells_listed as (

    select
        checked.report_id,
        checked.table_code,
        {{ string_list(
            "checked.row_code || '/' || checked.col_code"
            ~ " || ' (' || checked.value_kind || ')'",
            'checked.cell_seq',
        ) }} as unusable_inputs

    from checked
    where not checked.has_number
    group by
        checked.report_id,
        checked.table_code

),

invalid_cells_listed as (

    select
        checked.report_id,
        checked.table_code,
        {{ string_list(
            "checked.row_code || '/' || checked.col_code"
            ~ " || ' (' || checked.violation || ': '"
            ~ " || coalesce(checked.raw_text, '') || ')'",
            'checked.cell_seq',
        ) }} as invalid_cells

    from checked
    where checked.violation is not null
    group by
        checked.report_id,
        checked.table_code

),

evaluated as (

    select
        tables_checked.report_id,
        'R05' as rule_id,
        tables_checked.table_code,
        cast(null as varchar) as row_code,
        cast(null as varchar) as col_code,
        case
            when tables_checked.invalid_count > 0 then 'fail'
            when tables_checked.number_count > 0 then 'pass'
            else 'not_assessable'
        end as outcome,
        cast(tables_checked.number_count as double) as expected,
        cast(
            tables_checked.number_count - tables_checked.invalid_count
            as double
        ) as actual,
        cast(-tables_checked.invalid_count as double) as difference,
        tables_checked.input_count,
        tables_checked.input_count - tables_checked.number_count
            as unusable_input_count,
        unusable_cells_listed.unusable_inputs,
        'invalid: ' || invalid_cells_listed.invalid_cells as detail

    from tables_checked
    left join unusable_cells_listed
        on tables_checked.report_id = unusable_cells_listed.report_id
        and tables_checked.table_code = unusable_cells_listed.table_code
    left join invalid_cells_listed
        on tables_checked.report_id = invalid_cells_listed.report_id
        and tables_checked.table_code = invalid_cells_listed.table_code

)

select * from evaluated
