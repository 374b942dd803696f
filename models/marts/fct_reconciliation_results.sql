{#
    All rule outcomes in one place. R01-R04 come from the generic terms model,
    R05 from the per-table check of every cell's value, R06 from the template check; the three share
    these columns, unioned by name.
#}
{%- set outcome_columns = [
    'report_id', 'rule_id', 'table_code', 'row_code', 'col_code', 'outcome',
    'expected', 'actual', 'difference', 'input_count', 'unusable_input_count',
    'unusable_inputs', 'detail',
] -%}

with

terms_summed as (

    select * from {{ ref('int_reconciliation_terms_summed') }}

),

cell_values_validated as (

    select * from {{ ref('int_cell_values_validated') }}

),

template_cells_checked as (

    select * from {{ ref('int_template_cells_checked') }}

),

reconciliation_rules as (

    select * from {{ ref('reconciliation_rules') }}

),

table_codes as (

    select * from {{ ref('table_codes') }}

),

row_labels as (

    select * from {{ ref('row_labels') }}

),

column_labels as (

    select * from {{ ref('column_labels') }}

),

rule_outcomes as (
    {%- for relation in [
        'terms_summed', 'cell_values_validated', 'template_cells_checked'
    ] %}

    select
        {%- for column in outcome_columns %}
        {{ relation }}.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ relation }}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

final as (

    select
        ----------  ids
        {{ surrogate_key([
            'rule_outcomes.report_id',
            'rule_outcomes.rule_id',
            "concat_ws('/', rule_outcomes.table_code, rule_outcomes.row_code, "
            ~ "rule_outcomes.col_code)",
        ]) }} as finding_id,
        rule_outcomes.report_id,
        rule_outcomes.rule_id,

        ----------  strings
        reconciliation_rules.rule_name,
        reconciliation_rules.description_zh as rule_description_zh,
        concat_ws(
            '/',
            rule_outcomes.table_code,
            rule_outcomes.row_code,
            rule_outcomes.col_code
        ) as scope_code,
        concat_ws(
            ' / ',
            table_codes.label_zh,
            row_labels.label_zh,
            column_labels.label_zh
        ) as scope_label_zh,
        rule_outcomes.table_code,
        table_codes.label_zh as table_label_zh,
        rule_outcomes.row_code,
        row_labels.label_zh as row_label_zh,
        rule_outcomes.col_code,
        column_labels.label_zh as col_label_zh,
        rule_outcomes.outcome,
        rule_outcomes.unusable_inputs,
        rule_outcomes.detail,

        ----------  numerics
        rule_outcomes.expected,
        rule_outcomes.actual,
        rule_outcomes.difference,
        rule_outcomes.input_count,
        rule_outcomes.unusable_input_count,

        ----------  booleans
        case
            when rule_outcomes.outcome = 'pass' then true
            when rule_outcomes.outcome = 'fail' then false
        end as is_passing

    from rule_outcomes
    inner join reconciliation_rules
        on rule_outcomes.rule_id = reconciliation_rules.rule_id
    left join table_codes
        on rule_outcomes.table_code = table_codes.table_code
    left join row_labels
        on rule_outcomes.table_code = row_labels.table_code
        and rule_outcomes.row_code = row_labels.row_code
    left join column_labels
        on rule_outcomes.table_code = column_labels.table_code
        and rule_outcomes.col_code = column_labels.col_code

)

select * from final
