{#
    One row per report: what the rules that pair reports (var('cross_report_rule_evaluations'))
    pair it by. Its body and year (paired_terms: the same body's report of the year before),
    its template, division, the division above it and its scope (aggregate_parts: an area's
    report and the reports of its parts) and the fingerprint of its tables (identical_tables).
    The ledger int_report_build_keys_applied keeps these keys as the last complete build
    saw them, so that int_reports_changed_with_partners finds a changed or removed report's
    partners in the state before as well as in the state now.
#}
{#- A table: read by the partner search and by the ledger. #}
{{ config(materialized='table') }}
with

documents as (

    select * from {{ ref('int_documents_grouped_to_reports') }}

),

agencies as (

    select * from {{ ref('int_reports_matched_to_agencies') }}

),

divisions as (

    select * from {{ ref('divisions') }}

),

reports_fingerprinted as (

    select * from {{ ref('int_report_tables_fingerprinted') }}

),

final as (

    select
        ----------  ids
        documents.report_id,
        agencies.agency_id,

        ----------  strings
        documents.template,
        agencies.division_code,
        divisions.parent_code as parent_division_code,
        agencies.report_scope,
        reports_fingerprinted.tables_fingerprint,

        ----------  numerics
        documents.report_year

    from documents
    left join agencies
        on documents.report_id = agencies.report_id
    left join divisions
        on agencies.division_code = divisions.division_code
    left join reports_fingerprinted
        on documents.report_id = reports_fingerprinted.report_id

)

select * from final
