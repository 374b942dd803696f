{#
    The ledger of report-incremental builds: the build keys of the last build
    in which every model of var('report_incremental_models') succeeded (built
    after all of them, so a failure leaves the previous ledger in place), with
    each report's pairing keys of that build (int_report_pairing_keys).
    int_reports_changed compares the current build keys with it;
    int_reports_changed_with_partners finds a changed or removed report's
    partners of that build by its pairing keys. One table, so both move together.
#}
{{ config(materialized='table') }}
{%- for model in var('report_incremental_models') %}
-- depends_on: {{ ref(model) }}
{%- endfor %}
with

build_keys as (

    select * from {{ ref('int_report_build_keys') }}

),

pairing_keys as (

    select * from {{ ref('int_report_pairing_keys') }}

),

final as (

    select
        build_keys.report_id,
        build_keys.build_key,
        {%- for column in pairing_key_columns() if column != 'report_id' %}
        pairing_keys.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}

    from build_keys
    left join pairing_keys
        on build_keys.report_id = pairing_keys.report_id

)

select * from final
