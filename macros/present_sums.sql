{#
    Rules whose terms are summed over the cells the table prints
    (evaluation present_sum_equal / present_sum_at_least): the identities of
    the pre-2019 statistics tables, which print a subset of the indicators.
    One scope row per report, rule and scope where the table prints the
    actual term and at least one expected term; a scope whose terms are all
    absent does not apply. comparison 'equal': actual = sum of the printed
    expected terms; 'at_least': actual >= that sum (within the tolerance).

    not_assessable, never read as 0: an input printed blank or as text, a row
    whose run-together digits stayed ambiguous, or (equal only) an indicator
    the label map does not know printed inside the rule's rows, which may be
    one of its parts. Then one row per input that explains a non-pass.
#}
{% macro present_sums_evaluated(evaluation, comparison) -%}

with

rules as (

    select * from {{ ref('reconciliation_rules') }}
    where evaluation = '{{ evaluation }}'

),

terms as (

    select * from {{ ref('reconciliation_terms') }}

),

cells_labeled as (

    select * from {{ ref('int_cells_labeled') }}
    {{ changed_reports_only() }}

),

column_labels as (

    select * from {{ ref('column_labels') }}

),

rule_terms as (

    select
        rules.rule_id,
        rules.table_code,
        rules.scope_axis,
        rules.tolerance,
        terms.side,
        terms.sign,
        terms.row_code as term_row_code,
        terms.col_code as term_col_code

    from rules
    inner join terms
        on rules.rule_id = terms.rule_id
        and rules.table_code = terms.table_code

),

{#- Every cell of the rule's tables that a term can name: placed cells with
    their state, and ambiguous rows under every column of their table. #}
table_cells as (

    select
        cells_labeled.report_id,
        cells_labeled.table_code,
        cells_labeled.row_code,
        cells_labeled.col_code,
        cells_labeled.cell_seq,
        cells_labeled.value,
        cells_labeled.raw_text,
        case
            when cells_labeled.has_value
                and cells_labeled.value is not null
                then 'usable'
            else cells_labeled.value_kind
        end as input_state

    from cells_labeled
    where
        cells_labeled.is_placed
        and cells_labeled.row_code is not null
        and cells_labeled.table_code in (select rules.table_code from rules)

    union all

    select
        cells_labeled.report_id,
        cells_labeled.table_code,
        cells_labeled.row_code,
        column_labels.col_code,
        cells_labeled.cell_seq,
        cast(null as double) as value,
        cells_labeled.raw_text,
        'ambiguous' as input_state

    from cells_labeled
    inner join column_labels
        on cells_labeled.table_code = column_labels.table_code
    where
        cells_labeled.cell_status = 'ambiguous'
        and cells_labeled.row_code is not null
        and cells_labeled.table_code in (select rules.table_code from rules)

),

{#- A term with an empty axis repeats along it: row_code scopes are the rows
    the report prints, col_code scopes the columns. #}
scoped_inputs as (

    select
        table_cells.report_id,
        rule_terms.rule_id,
        rule_terms.table_code,
        rule_terms.scope_axis,
        case
            when rule_terms.scope_axis = 'row_code' then table_cells.row_code
            else table_cells.col_code
        end as scope_code,
        rule_terms.tolerance,
        rule_terms.side,
        rule_terms.sign,
        table_cells.row_code as input_row_code,
        table_cells.col_code as input_col_code,
        table_cells.cell_seq,
        table_cells.value,
        table_cells.raw_text,
        table_cells.input_state

    from rule_terms
    inner join table_cells
        on rule_terms.table_code = table_cells.table_code
        and (
            rule_terms.term_row_code is null
            or rule_terms.term_row_code = table_cells.row_code
        )
        and (
            rule_terms.term_col_code is null
            or rule_terms.term_col_code = table_cells.col_code
        )

),

scopes_summed as (

    select
        scoped_inputs.report_id,
        scoped_inputs.rule_id,
        scoped_inputs.table_code,
        scoped_inputs.scope_axis,
        scoped_inputs.scope_code,
        max(scoped_inputs.tolerance) as tolerance,
        count(*) as input_count,
        {{ aggregate_where('count', '*', "scoped_inputs.side = 'actual'") }}
            as actual_count,
        {{ aggregate_where('count', '*', "scoped_inputs.side = 'expected'") }}
            as expected_count,
        {{ aggregate_where(
            'count', '*', "scoped_inputs.input_state <> 'usable'"
        ) }} as unusable_input_count,
        {{ aggregate_where(
            'sum',
            'scoped_inputs.sign * scoped_inputs.value',
            "scoped_inputs.side = 'expected'",
        ) }} as expected_sum,
        {{ aggregate_where(
            'sum',
            'scoped_inputs.sign * scoped_inputs.value',
            "scoped_inputs.side = 'actual'",
        ) }} as actual_sum,
        min(scoped_inputs.cell_seq) as first_cell_seq,
        max(scoped_inputs.cell_seq) as last_cell_seq

    from scoped_inputs
    group by
        scoped_inputs.report_id,
        scoped_inputs.rule_id,
        scoped_inputs.table_code,
        scoped_inputs.scope_axis,
        scoped_inputs.scope_code

),

applicable_scopes as (

    select * from scopes_summed
    where scopes_summed.actual_count = 1 and scopes_summed.expected_count >= 1

),

{#- An unmapped indicator printed between a rule's first and last row may
    be one of its parts: an exact sum cannot be judged. #}
unmapped_inside as (

    select
        applicable_scopes.report_id,
        applicable_scopes.rule_id,
        applicable_scopes.scope_code,
        count(*) as unmapped_count,
        {{ string_list(
            'cells_labeled.row_label_raw', 'cells_labeled.row_label_raw'
        ) }} as unmapped_labels

    from applicable_scopes
    inner join cells_labeled
        on applicable_scopes.report_id = cells_labeled.report_id
        and applicable_scopes.table_code = cells_labeled.table_code
        and cells_labeled.cell_status = 'unmapped'
        and cells_labeled.cell_seq > applicable_scopes.first_cell_seq
        and cells_labeled.cell_seq < applicable_scopes.last_cell_seq
        and '{{ comparison }}' = 'equal'
    group by
        applicable_scopes.report_id,
        applicable_scopes.rule_id,
        applicable_scopes.scope_code

),

unusable_listed as (

    select
        scoped_inputs.report_id,
        scoped_inputs.rule_id,
        scoped_inputs.scope_code,
        {{ string_list(
            "scoped_inputs.input_row_code || '/' "
            ~ "|| scoped_inputs.input_col_code "
            ~ "|| ' (' || scoped_inputs.input_state || ')'",
            'scoped_inputs.input_row_code, scoped_inputs.input_col_code',
        ) }} as unusable_inputs

    from scoped_inputs
    where scoped_inputs.input_state <> 'usable'
    group by
        scoped_inputs.report_id,
        scoped_inputs.rule_id,
        scoped_inputs.scope_code

),

scopes_evaluated as (

    select
        applicable_scopes.report_id,
        applicable_scopes.rule_id,
        applicable_scopes.scope_code,
        applicable_scopes.table_code,
        case
            when applicable_scopes.scope_axis = 'row_code'
                then applicable_scopes.scope_code
        end as row_code,
        case
            when applicable_scopes.scope_axis = 'col_code'
                then applicable_scopes.scope_code
        end as col_code,
        case
            when applicable_scopes.unusable_input_count > 0
                or unmapped_inside.unmapped_count > 0
                then 'not_assessable'
            {%- if comparison == 'equal' %}
            when abs(applicable_scopes.actual_sum - applicable_scopes.expected_sum)
                <= applicable_scopes.tolerance
            {%- else %}
            when applicable_scopes.actual_sum - applicable_scopes.expected_sum
                >= -applicable_scopes.tolerance
            {%- endif %}
                then 'pass'
            else 'fail'
        end as outcome,
        case
            when applicable_scopes.unusable_input_count = 0
                then applicable_scopes.expected_sum
        end as expected,
        case
            when applicable_scopes.unusable_input_count = 0
                then applicable_scopes.actual_sum
        end as actual,
        case
            when applicable_scopes.unusable_input_count = 0
                then applicable_scopes.actual_sum - applicable_scopes.expected_sum
        end as difference,
        applicable_scopes.input_count,
        applicable_scopes.unusable_input_count,
        unusable_listed.unusable_inputs,
        case
            when unmapped_inside.unmapped_count > 0
                then 'indicators the label map does not know are printed among '
                || 'the rows of the rule and may be parts of the total: '
                || unmapped_inside.unmapped_labels
        end as detail

    from applicable_scopes
    left join unmapped_inside
        on applicable_scopes.report_id = unmapped_inside.report_id
        and applicable_scopes.rule_id = unmapped_inside.rule_id
        and applicable_scopes.scope_code = unmapped_inside.scope_code
    left join unusable_listed
        on applicable_scopes.report_id = unusable_listed.report_id
        and applicable_scopes.rule_id = unusable_listed.rule_id
        and applicable_scopes.scope_code = unusable_listed.scope_code

),

inputs_explaining as (

    select
        scoped_inputs.report_id,
        scoped_inputs.rule_id,
        scoped_inputs.scope_code,
        row_number() over (
            partition by
                scoped_inputs.report_id,
                scoped_inputs.rule_id,
                scoped_inputs.scope_code
            order by
                scoped_inputs.input_row_code,
                scoped_inputs.input_col_code
        ) as input_ordinal,
        scoped_inputs.input_row_code,
        scoped_inputs.input_col_code,
        scoped_inputs.input_state,
        scoped_inputs.value as input_value,
        scoped_inputs.raw_text as input_raw_text,
        cast(null as {{ dbt.type_string() }}) as input_violation

    from scoped_inputs
    inner join scopes_evaluated
        on scoped_inputs.report_id = scopes_evaluated.report_id
        and scoped_inputs.rule_id = scopes_evaluated.rule_id
        and scoped_inputs.scope_code = scopes_evaluated.scope_code
    where
        scopes_evaluated.outcome = 'fail'
        or (
            scopes_evaluated.outcome = 'not_assessable'
            and scoped_inputs.input_state <> 'usable'
        )

),

evaluated as (

    {{ rule_scope_rows('scopes_evaluated') }}

    union all

    {{ rule_input_rows('scopes_evaluated', 'inputs_explaining', [
        'report_id', 'rule_id', 'scope_code'
    ]) }}

)

select * from evaluated

{%- endmacro %}
