{#
    Rules with evaluation value_constraints (R05 valid_counts) for every report
    and table with placed cells. What is valid comes from the value_constraints
    seed, per rule and value type (whole number or not, minimum value), and
    each cell's value type from the kind of its printed unit (units seed: 元 and
    万元 are money, % a percentage with no constraint), else from its column
    (column_labels; only signed_count, the 2019 本年增/减, has no minimum): a
    statistics table's 收取费用 in 元 or a narrative's fee is money, not a count. One scope row per rule, report and table: the
    table fails when any of its numbers is invalid (each named in detail),
    passes when it has numbers and all are valid, and is not_assessable when
    none of its placed cells holds a number. Placed cells without a number
    (blank, not applicable, text) are counted and named in unusable_inputs.
    Beside each scope row (input_ordinal 0), one row per input cell that
    explains a non-pass outcome: the invalid cells of a failing table, the
    cells without a number of a not_assessable one.
    A table, so that DuckDB honours the not_materialized hint on the per-cell
    check that several aggregates read (a view's SQL loses it).
#}
{{ report_incremental_config() }}
with

cells_labeled as {{ not_materialized() }} (

    select * from {{ ref('int_cells_labeled') }}
    {{ changed_reports_only() }}

),

reconciliation_rules as (

    select * from {{ ref('reconciliation_rules') }}

),

value_constraints as (

    select * from {{ ref('value_constraints') }}

),

units as (

    select * from {{ ref('units') }}

),

rules_evaluated_here as (

    select reconciliation_rules.rule_id
    from reconciliation_rules
    where reconciliation_rules.evaluation = 'value_constraints'

),

placed_cells as {{ not_materialized() }} (

    select * from cells_labeled
    where cells_labeled.is_placed

),

checked as {{ not_materialized() }} (

    select
        placed_cells.report_id,
        rules_evaluated_here.rule_id,
        placed_cells.cell_seq,
        placed_cells.table_code,
        placed_cells.row_code,
        placed_cells.col_code,
        placed_cells.value_kind,
        placed_cells.raw_text,
        placed_cells.value,
        (
            placed_cells.has_value
            and placed_cells.value is not null
        ) as has_number,
        case
            when not placed_cells.has_value
                or placed_cells.value is null
                then null
            when value_constraints.is_whole_number
                and placed_cells.value <> floor(placed_cells.value)
                then value_constraints.fraction_violation
            when placed_cells.value < value_constraints.min_value
                then value_constraints.below_min_violation
        end as violation

    from placed_cells
    cross join rules_evaluated_here
    left join units
        on placed_cells.unit = units.unit
    left join value_constraints
        on rules_evaluated_here.rule_id = value_constraints.rule_id
        and coalesce(units.unit_kind, placed_cells.value_type) = value_constraints.value_type

),

{# One pass over the checked cells for the counts and both lists: each list
    takes the few cells it names only (the others give a null item, which
    string_list skips), so no ordered aggregate keeps every cell in memory. #}
tables_checked as (

    select
        checked.report_id,
        checked.rule_id,
        checked.table_code,
        count(*) as input_count,
        {{ aggregate_where('count', '*', 'checked.has_number') }}
            as number_count,
        {{ aggregate_where('count', '*', 'checked.violation is not null') }}
            as invalid_count,
        {{ string_list(
            "case when not checked.has_number then checked.row_code || '/'"
            ~ " || checked.col_code || ' (' || checked.value_kind || ')' end",
            'checked.cell_seq',
        ) }} as unusable_inputs,
        {{ string_list(
            "case when checked.violation is not null then checked.row_code || '/'"
            ~ " || checked.col_code || ' (' || checked.violation || ': '"
            ~ " || coalesce(checked.raw_text, '') || ')' end",
            'checked.cell_seq',
        ) }} as invalid_cells

    from checked
    group by
        checked.report_id,
        checked.rule_id,
        checked.table_code

),

scopes_evaluated as (

    select
        tables_checked.report_id,
        tables_checked.rule_id,
        tables_checked.table_code,
        cast(null as {{ dbt.type_string() }}) as row_code,
        cast(null as {{ dbt.type_string() }}) as col_code,
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
        tables_checked.unusable_inputs,
        'invalid: ' || tables_checked.invalid_cells as detail

    from tables_checked

),

{# The cells that explain a non-pass outcome, in print order. #}
flagged_inputs as (

    select
        checked.report_id,
        checked.rule_id,
        checked.table_code,
        row_number() over (
            partition by checked.report_id, checked.rule_id, checked.table_code
            order by checked.cell_seq
        ) as input_ordinal,
        checked.row_code as input_row_code,
        checked.col_code as input_col_code,
        case
            when checked.violation is not null then 'invalid'
            else checked.value_kind
        end as input_state,
        checked.value as input_value,
        checked.raw_text as input_raw_text,
        checked.violation as input_violation

    from checked
    inner join scopes_evaluated
        on checked.report_id = scopes_evaluated.report_id
        and checked.rule_id = scopes_evaluated.rule_id
        and checked.table_code = scopes_evaluated.table_code
    where
        (scopes_evaluated.outcome = 'fail' and checked.violation is not null)
        or (scopes_evaluated.outcome = 'not_assessable' and not checked.has_number)

),

evaluated as (

    {{ rule_scope_rows('scopes_evaluated') }}

    union all

    {{ rule_input_rows('scopes_evaluated', 'flagged_inputs', [
        'report_id', 'rule_id', 'table_code'
    ]) }}

)

select * from evaluated
