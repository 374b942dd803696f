{#
    Rule R05 (valid_counts) for every placed cell: counts are whole numbers
    >= 0, signed counts (2019 本年增/减) whole numbers, money >= 0. A placed
    cell without a number (blank, not applicable, text) is not_assessable.
    One row per placed cell.
#}
with

cells_labeled as (

    select * from {{ ref('int_cells_labeled') }}

),

placed_cells as (

    select * from cells_labeled
    where cells_labeled.is_placed

),

checked as (

    select
        placed_cells.report_id,
        placed_cells.table_code,
        placed_cells.row_code,
        placed_cells.col_code,
        placed_cells.value,
        placed_cells.value_kind,
        placed_cells.raw_text,
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

evaluated as (

    select
        checked.report_id,
        'R05' as rule_id,
        checked.table_code,
        checked.row_code,
        checked.col_code,
        case
            when checked.value_kind not in ('number', 'zero')
                or checked.value is null
                then 'not_assessable'
            when checked.violation is not null then 'fail'
            else 'pass'
        end as outcome,
        cast(null as double) as expected,
        checked.value as actual,
        cast(null as double) as difference,
        1 as input_count,
        case
            when checked.value_kind not in ('number', 'zero')
                or checked.value is null
                then 1
            else 0
        end as unusable_input_count,
        case
            when checked.value_kind not in ('number', 'zero')
                or checked.value is null
                then checked.row_code || '/' || checked.col_code
                    || ' (' || checked.value_kind || ')'
        end as unusable_inputs,
        case
            when checked.violation is not null
                then checked.violation || ': ' || checked.raw_text
        end as detail

    from checked

)

select * from evaluated
