{#
    Findings as rows: the input cells that explain each rule result that is not
    a pass, from the same generic evaluation models as fct_reconciliation_results
    (their rows with input_ordinal > 0). The HTML report highlights a report's
    cells by joining these rows on (report_id, table_code, row_code, col_code).
#}
{#- Incremental: the changed reports' rows, and their partners' rows of the rules that
    pair reports (int_reports_changed_with_partners). #}
{{ report_incremental_config(cross_report_rules=true) }}
{%- set evaluation_models = var('rule_evaluation_models') -%}

with

{% for evaluation, model in evaluation_models.items() -%}
{{ evaluation }}_evaluated as (

    select * from {{ ref(model) }}
    where input_ordinal > 0
    {{ rule_rows_to_rebuild(evaluation, keyword='and') }}

),

{% endfor -%}
reconciliation_rules as (

    select * from {{ ref('reconciliation_rules') }}

),

row_labels as (

    select * from {{ ref('row_labels') }}

),

column_labels as (

    select * from {{ ref('column_labels') }}

),

rule_inputs as (
    {%- for evaluation in evaluation_models %}
    {%- set relation = evaluation ~ '_evaluated' %}

    select
        {%- for column in rule_scope_columns() + rule_comparison_columns()
            + (rule_input_columns() | list) %}
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
            finding_id('rule_inputs'), 'rule_inputs.input_ordinal'
        ]) }} as finding_cell_id,
        {{ finding_id('rule_inputs') }} as finding_id,
        rule_inputs.report_id,
        rule_inputs.rule_id,

        ----------  strings
        reconciliation_rules.rule_name,
        rule_inputs.outcome,
        rule_inputs.compared_report_id,
        rule_inputs.input_report_id,
        rule_inputs.table_code,
        rule_inputs.input_row_code as row_code,
        row_labels.label_zh as row_label_zh,
        rule_inputs.input_col_code as col_code,
        column_labels.label_zh as col_label_zh,
        rule_inputs.input_state,
        rule_inputs.input_violation as invalid_reason,
        rule_inputs.input_raw_text as raw_text,

        ----------  numerics
        rule_inputs.input_ordinal,
        {{ as_amount('rule_inputs.input_value') }} as value

    from rule_inputs
    inner join reconciliation_rules
        on rule_inputs.rule_id = reconciliation_rules.rule_id
    left join row_labels
        on rule_inputs.table_code = row_labels.table_code
        and rule_inputs.input_row_code = row_labels.row_code
    left join column_labels
        on rule_inputs.table_code = column_labels.table_code
        and rule_inputs.input_col_code = column_labels.col_code

)

select * from final
