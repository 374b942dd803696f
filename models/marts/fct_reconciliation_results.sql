{#
    All rule outcomes in one place. Each rule is evaluated by the generic model
    of its kind (reconciliation_rules.evaluation, mapped to a model by the var
    rule_evaluation_models); their scope rows (input_ordinal 0) share these
    columns and are unioned by name.
#}
{#- Incremental: the changed reports' rows, and their partners' rows of the rules that
    pair reports (int_reports_changed_with_partners). #}
{{ report_incremental_config(cross_report_rules=true) }}
{%- set evaluation_models = var('rule_evaluation_models') -%}

with

{% for evaluation, model in evaluation_models.items() -%}
{{ evaluation }}_evaluated as (

    select * from {{ ref(model) }}
    where input_ordinal = 0
    {{ rule_rows_to_rebuild(evaluation, keyword='and') }}

),

{% endfor -%}
reconciliation_rules as (

    select * from {{ ref('reconciliation_rules') }}

),

findings_evidence as (

    select * from {{ ref('int_findings_evidence_classified') }}
    {{ rule_results_to_rebuild() }}

),

verdicts_latest as (

    select * from {{ ref('int_review_verdicts_latest') }}

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
    {%- for evaluation in evaluation_models %}
    {%- set relation = evaluation ~ '_evaluated' %}

    select
        {%- for column in rule_scope_columns() %}
        {{ relation }}.{{ column }},
        {%- endfor %}
        {{ relation }}.compared_report_id
    from {{ relation }}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

results as (

    select
        ----------  ids
        {{ finding_id('rule_outcomes') }} as finding_id,
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
        rule_outcomes.compared_report_id,
        rule_outcomes.unusable_inputs,
        rule_outcomes.detail,

        ----------  numerics
        {{ as_amount('rule_outcomes.expected') }} as expected,
        {{ as_amount('rule_outcomes.actual') }} as actual,
        {{ as_amount('rule_outcomes.difference') }} as difference,
        cast(rule_outcomes.input_count as {{ dbt.type_bigint() }})
            as input_count,
        cast(rule_outcomes.unusable_input_count as {{ dbt.type_bigint() }})
            as unusable_input_count,

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

),

final as (

    select
        results.*,
        findings_evidence.evidence_class,
        verdicts_latest.verdict,
        verdicts_latest.verdict_note,
        cast(findings_evidence.uncertain_input_count as bigint) as uncertain_input_count,
        verdicts_latest.verdict_seq

    from results
    left join findings_evidence
        on results.finding_id = findings_evidence.finding_id
    left join verdicts_latest
        on results.finding_id = verdicts_latest.finding_id

)

select * from final
