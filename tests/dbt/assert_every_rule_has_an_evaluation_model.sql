{#
    Structural: every rule of reconciliation_rules names an evaluation kind
    that a generic model evaluates (the var rule_evaluation_models). Returns
    the rules that no model would evaluate.
#}
with

reconciliation_rules as (

    select * from {{ ref('reconciliation_rules') }}

),

unrouted as (

    select
        reconciliation_rules.rule_id,
        reconciliation_rules.evaluation

    from reconciliation_rules
    where
        reconciliation_rules.evaluation is null
        or reconciliation_rules.evaluation not in (
            {%- for evaluation in var('rule_evaluation_models') %}
            '{{ evaluation }}'{% if not loop.last %},{% endif %}
            {%- endfor %}
        )

)

select * from unrouted
