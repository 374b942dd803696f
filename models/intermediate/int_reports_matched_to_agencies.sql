{#
    The issuing body of every report: the ingest's match (ingest/agency.py), or a reviewer's
    override from seeds/agency_overrides.csv (by printed name and/or source path pattern;
    when both are given both must hold), joined to the division hierarchy and, for a
    township body, to its nine-digit township code (seeds/townships.csv). agency_id is a
    hash of division, kind and canonical name, so it is the same for every report of one
    body whatever the printed form, and stable across rebuilds.
#}
{#- A table: several models read it (a view would be computed once per reader). #}
{{ config(materialized='table') }}
with

reports as (

    select * from {{ ref('int_documents_grouped_to_reports') }}

),

overrides as (

    select * from {{ ref('agency_overrides') }}

),

divisions as (

    select * from {{ ref('divisions') }}

),

townships as (

    select * from {{ ref('townships') }}

),

overrides_ranked as (

    select
        reports.report_id,
        overrides.agency_name,
        overrides.division_code,
        overrides.agency_kind,
        overrides.township_name,
        overrides.reviewer_note,
        row_number() over (
            partition by reports.report_id
            order by
                overrides.source_path_pattern is null,
                overrides.printed_agency is null,
                overrides.agency_name
        ) as override_rank

    from reports
    inner join overrides
        on (
            overrides.printed_agency is not null
            or overrides.source_path_pattern is not null
        )
        and (
            overrides.printed_agency is null
            or reports.agency = overrides.printed_agency
        )
        and (
            overrides.source_path_pattern is null
            or reports.source_path like overrides.source_path_pattern
        )

),

matched as (

    select
        reports.report_id,
        reports.agency as agency_printed,
        coalesce(overrides_ranked.agency_name, reports.agency_name_matched) as agency_name,
        coalesce(
            overrides_ranked.division_code, reports.agency_division_code_matched
        ) as division_code,
        coalesce(overrides_ranked.agency_kind, reports.agency_kind_matched) as agency_kind,
        case
            when overrides_ranked.report_id is not null then overrides_ranked.township_name
            else reports.agency_township_matched
        end as township_name,
        case
            when overrides_ranked.report_id is not null then 'override'
            else reports.agency_match_method
        end as agency_match_method,
        reports.agency_match_evidence,
        reports.agency_report_scope as report_scope,
        case
            when overrides_ranked.report_id is not null
                then concat(
                    'override (ingest matched: ',
                    coalesce(reports.agency_name_matched, 'nothing'),
                    '): ',
                    coalesce(overrides_ranked.reviewer_note, '')
                )
            else reports.agency_match_note
        end as agency_match_note

    from reports
    left join overrides_ranked
        on reports.report_id = overrides_ranked.report_id
        and overrides_ranked.override_rank = 1

),

final as (

    select
        ----------  ids
        matched.report_id,
        case
            when matched.agency_name is not null
                then {{ surrogate_key([
                    'matched.division_code', 'matched.agency_kind', 'matched.agency_name',
                ]) }}
        end as agency_id,
        matched.division_code,

        ----------  strings
        matched.agency_printed,
        matched.agency_name,
        matched.agency_kind,
        case
            when matched.agency_kind in ('township_government', 'street_office')
                then 'township'
            else divisions.division_level
        end as agency_level,
        matched.township_name,
        townships.township_code,
        divisions.division_name,
        divisions.province_name,
        divisions.prefecture_name,
        case
            when divisions.division_level = 'county' then divisions.division_name
        end as county_name,
        divisions.parent_code as parent_division_code,
        matched.agency_match_method,
        matched.agency_match_evidence,
        matched.agency_match_note,
        matched.report_scope

    from matched
    left join divisions
        on matched.division_code = divisions.division_code
    left join townships
        on matched.division_code = townships.division_code
        and matched.township_name = townships.township_name

)

select * from final
