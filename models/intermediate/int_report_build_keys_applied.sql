{#
    The ledger of report-incremental builds: the build keys of the last build
    in which every model of var('report_incremental_models') succeeded (built
    after all of them, so a failure leaves the previous ledger in place).
    int_reports_changed compares the current keys with it.
#}
{{ config(materialized='table') }}
{%- for model in var('report_incremental_models') %}
-- depends_on: {{ ref(model) }}
{%- endfor %}
with

build_keys as (

    select * from {{ ref('int_report_build_keys') }}

),

final as (

    select
        build_keys.report_id,
        build_keys.build_key

    from build_keys

)

select * from final
