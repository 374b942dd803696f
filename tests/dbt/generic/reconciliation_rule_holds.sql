{#
    Finding, not failure: returns the results of one reconciliation rule whose
    outcome is fail, so `dbt build` reports how many report scopes break it
    (severity warn) and stores them in the test_failures schema. Query
    fct_reconciliation_results for the full picture, including not_assessable.
#}
{% test reconciliation_rule_holds(model, rule_id) %}

{{ config(severity='warn', store_failures=true) }}

with

results as (

    select * from {{ model }}

),

failures as (

    select * from results
    where
        results.rule_id = '{{ rule_id }}'
        and results.outcome = 'fail'

)

select * from failures

{% endtest %}
