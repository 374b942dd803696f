{#
    The reports a report-incremental model rebuilds in this run: those whose
    build key differs from the one the last complete build applied, new and
    removed reports included; every report when there is no such build (a new
    warehouse, or an engine other than DuckDB). A table: every incremental model
    reads it.
#}
{{ config(materialized='table') }}
{%- set applied = applied_report_keys_relation() %}
with

current_keys as (

    select
        build_keys.report_id,
        build_keys.build_key

    from {{ ref('int_report_build_keys') }} as build_keys

),

{%- if applied is none %}

changed as (

    select current_keys.report_id from current_keys

),

{%- else %}

applied_keys as (

    select
        applied.report_id,
        applied.build_key

    from {{ applied }} as applied

),

added_or_changed as (

    select * from current_keys
    except
    select * from applied_keys

),

removed_or_changed as (

    select * from applied_keys
    except
    select * from current_keys

),

changed as (

    select added_or_changed.report_id from added_or_changed
    union
    select removed_or_changed.report_id from removed_or_changed

),

{%- endif %}

final as (

    select distinct changed.report_id from changed

)

select * from final
