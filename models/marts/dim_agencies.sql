{#
    One row per issuing body (发布机关) seen in any report: the body's reports under all the
    names they print. The parent is the people's government of the body's division (for its
    departments, office, zone committee) or of the division above (for a government, a
    township's county government), where that government is itself a body in the warehouse.
#}
with

reports as (

    select * from {{ ref('int_reports_matched_to_agencies') }}

),

report_years as (

    select * from {{ ref('int_documents_grouped_to_reports') }}

),

divisions as (

    select * from {{ ref('divisions') }}

),

sources_folded as (

    select
        identical_tables.report_id,
        identical_tables.primary_report_id

    from {{ ref('int_identical_tables_compared') }} as identical_tables
    where identical_tables.input_ordinal = 0

),

agency_reports as (

    select
        reports.agency_id,
        reports.agency_name,
        reports.division_code,
        reports.agency_kind,
        reports.agency_level,
        reports.township_name,
        reports.township_code,
        reports.division_name,
        reports.province_name,
        reports.prefecture_name,
        reports.county_name,
        reports.parent_division_code,
        reports.agency_printed,
        coalesce(sources_folded.primary_report_id, reports.report_id) as primary_report_id,
        report_years.report_year

    from reports
    inner join report_years
        on reports.report_id = report_years.report_id
    left join sources_folded
        on reports.report_id = sources_folded.report_id
    where reports.agency_id is not null

),

printed_names as (

    select distinct
        agency_reports.agency_id,
        agency_reports.agency_printed

    from agency_reports
    where agency_reports.agency_printed is not null

),

aliases as (

    select
        printed_names.agency_id,
        {{ string_list(
            'printed_names.agency_printed', 'printed_names.agency_printed', '; '
        ) }} as aliases_seen

    from printed_names
    group by printed_names.agency_id

),

agencies as (

    select
        agency_reports.agency_id,
        max(agency_reports.agency_name) as agency_name,
        max(agency_reports.division_code) as division_code,
        max(agency_reports.agency_kind) as agency_kind,
        max(agency_reports.agency_level) as agency_level,
        max(agency_reports.township_name) as township_name,
        max(agency_reports.township_code) as township_code,
        max(agency_reports.division_name) as division_name,
        max(agency_reports.province_name) as province_name,
        max(agency_reports.prefecture_name) as prefecture_name,
        max(agency_reports.county_name) as county_name,
        max(agency_reports.parent_division_code) as parent_division_code,
        count(distinct agency_reports.primary_report_id) as report_count,
        min(agency_reports.report_year) as first_report_year,
        max(agency_reports.report_year) as last_report_year

    from agency_reports
    group by agency_reports.agency_id

),

parents_derived as (

    select
        agencies.agency_id,
        case
            when agencies.agency_kind in ('government')
                then agencies.parent_division_code
            else agencies.division_code
        end as parent_government_division_code

    from agencies

),

parent_candidates as (

    select
        parents_derived.agency_id,
        {{ surrogate_key([
            'divisions.division_code',
            "'government'",
            "concat(divisions.division_name, '人民政府')",
        ]) }} as parent_agency_id

    from parents_derived
    inner join divisions
        on parents_derived.parent_government_division_code = divisions.division_code

),

final as (

    select
        ----------  ids
        agencies.agency_id,
        agencies.division_code,
        agencies.township_code,
        parents.agency_id as parent_agency_id,

        ----------  strings
        agencies.agency_name,
        aliases.aliases_seen,
        agencies.agency_kind,
        agencies.agency_level,
        agencies.province_name,
        agencies.prefecture_name,
        agencies.county_name,
        agencies.township_name,
        agencies.division_name,
        parents.agency_name as parent_agency_name,

        ----------  numerics
        agencies.report_count,
        agencies.first_report_year,
        agencies.last_report_year

    from agencies
    left join aliases
        on agencies.agency_id = aliases.agency_id
    left join parent_candidates
        on agencies.agency_id = parent_candidates.agency_id
    left join agencies as parents
        on parent_candidates.parent_agency_id = parents.agency_id
        and parents.agency_id <> agencies.agency_id

)

select * from final
