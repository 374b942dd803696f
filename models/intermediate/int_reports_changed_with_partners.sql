{#
    The reports whose results of a rule that pairs reports (var('cross_report_rule_evaluations'))
    are rebuilt in this run, by evaluation: the changed reports (int_reports_changed, and any
    whose pairing keys moved) and their partners, found by the changed reports' pairing keys
    (int_report_pairing_keys) as the last complete build saw them (the ledger
    int_report_build_keys_applied: a removed report's old partners) and as they are now:
    - paired_terms: the same body's reports of the next year (they are compared with it);
    - aggregate_parts: the area reports of the same year and template whose parts it is or
      was (its division's, or the division above it);
    - identical_tables: every report with its old or new tables fingerprint.
    Every current report, for each evaluation, when there is no such ledger (a new
    warehouse, one built before the ledger kept pairing keys, or another engine).
#}
{{ config(materialized='table') }}
{%- set applied = applied_pairing_keys_relation() %}
{%- set columns = pairing_key_columns() %}
with

changed as (

    select changed.report_id from {{ ref('int_reports_changed') }} as changed

),

current_keys as (

    select
        {%- for column in columns %}
        pairing_keys.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}

    from {{ ref('int_report_pairing_keys') }} as pairing_keys

),

{%- if applied is none %}

rebuilt as (

    {%- for evaluation in var('cross_report_rule_evaluations') %}

    select '{{ evaluation }}' as evaluation, current_keys.report_id from current_keys
    union
    select '{{ evaluation }}' as evaluation, changed.report_id from changed
    {%- if not loop.last %}
    union
    {%- endif %}
    {%- endfor %}

),

{%- else %}

applied_keys as (

    select
        {%- for column in columns %}
        applied.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}

    from {{ applied }} as applied

),

keys_moved as (

    (select * from current_keys except select * from applied_keys)
    union
    (select * from applied_keys except select * from current_keys)

),

seeds as (

    select changed.report_id from changed
    union
    select keys_moved.report_id from keys_moved

),

seed_keys as (

    {#- The seeds' keys now and before: a removed report has only the latter. #}
    select current_keys.*
    from current_keys
    inner join seeds
        on current_keys.report_id = seeds.report_id

    union

    select applied_keys.*
    from applied_keys
    inner join seeds
        on applied_keys.report_id = seeds.report_id

),

next_year_reports as (

    select current_keys.report_id

    from current_keys
    inner join seed_keys
        on current_keys.agency_id = seed_keys.agency_id
        and current_keys.report_year = seed_keys.report_year + 1

),

area_reports as (

    {#- Two joins, not one with `or`: each is a hash join. #}
    select current_keys.report_id

    from current_keys
    inner join seed_keys
        on current_keys.report_year = seed_keys.report_year
        and current_keys.template = seed_keys.template
        and current_keys.division_code = seed_keys.division_code
    where current_keys.report_scope = 'area'

    union

    select current_keys.report_id

    from current_keys
    inner join seed_keys
        on current_keys.report_year = seed_keys.report_year
        and current_keys.template = seed_keys.template
        and current_keys.division_code = seed_keys.parent_division_code
    where current_keys.report_scope = 'area'

),

identical_reports as (

    select current_keys.report_id

    from current_keys
    inner join seed_keys
        on current_keys.tables_fingerprint = seed_keys.tables_fingerprint

),

rebuilt as (

    {%- for evaluation in var('cross_report_rule_evaluations') %}

    select '{{ evaluation }}' as evaluation, seeds.report_id from seeds
    {%- if evaluation == 'paired_terms' %}
    union
    select '{{ evaluation }}' as evaluation, next_year_reports.report_id from next_year_reports
    {%- elif evaluation == 'aggregate_parts' %}
    union
    select '{{ evaluation }}' as evaluation, area_reports.report_id from area_reports
    {%- elif evaluation == 'identical_tables' %}
    union
    select '{{ evaluation }}' as evaluation, identical_reports.report_id from identical_reports
    {%- else %}
    {{ exceptions.raise_compiler_error(
        'no partner search for the evaluation ' ~ evaluation
        ~ ' (int_reports_changed_with_partners)'
    ) }}
    {%- endif %}
    {%- if not loop.last %}
    union
    {%- endif %}
    {%- endfor %}

),

{%- endif %}

final as (

    select distinct
        rebuilt.evaluation,
        rebuilt.report_id

    from rebuilt

)

select * from final
