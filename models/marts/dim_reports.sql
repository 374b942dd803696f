with

reports as (

    select * from {{ ref('int_documents_grouped_to_reports') }}

),

agencies as (

    select * from {{ ref('int_reports_matched_to_agencies') }}

),

{# Run-together rows the warehouse checked against the same body's report of the year before. #}
legacy_splits as (

    select * from {{ ref('int_legacy_splits_resolved_across_years') }}

),

legacy_split_rows as (

    {#- One row per checked run-together row (a resolved row is one cell per column). #}
    select distinct
        legacy_splits.report_id,
        legacy_splits.cell_seq,
        legacy_splits.split_outcome,
        legacy_splits.evidence,
        case when legacy_splits.split_outcome <> 'resolved' then legacy_splits.note end as note

    from legacy_splits

),

still_ambiguous_notes as (

    {#- What the check found, once per distinct finding (rows alike share one). #}
    select
        notes_listed.report_id,
        {{ string_list('notes_listed.note', 'notes_listed.note', '; ') }}
            as still_ambiguous_notes

    from (
        select distinct
            legacy_split_rows.report_id,
            legacy_split_rows.note
        from legacy_split_rows
        where legacy_split_rows.note is not null
    ) as notes_listed
    group by notes_listed.report_id

),

resolved_evidence as (

    select
        evidence_listed.report_id,
        {{ string_list('evidence_listed.evidence', 'evidence_listed.evidence', '; ') }}
            as resolved_evidence

    from (
        select distinct
            legacy_split_rows.report_id,
            legacy_split_rows.evidence
        from legacy_split_rows
        where legacy_split_rows.split_outcome = 'resolved'
    ) as evidence_listed
    group by evidence_listed.report_id

),

split_cells as (

    select
        legacy_splits.report_id,
        count(*) as split_cell_count

    from legacy_splits
    where legacy_splits.split_outcome = 'resolved'
    group by legacy_splits.report_id

),

legacy_splits_counted as (

    select
        legacy_split_rows.report_id,
        sum(case when legacy_split_rows.split_outcome = 'resolved' then 1 else 0 end)
            as resolved_row_count,
        max(split_cells.split_cell_count) as split_cell_count,
        max(resolved_evidence.resolved_evidence) as resolved_evidence,
        max(still_ambiguous_notes.still_ambiguous_notes) as still_ambiguous_notes

    from legacy_split_rows
    left join resolved_evidence
        on legacy_split_rows.report_id = resolved_evidence.report_id
    left join still_ambiguous_notes
        on legacy_split_rows.report_id = still_ambiguous_notes.report_id
    left join split_cells
        on legacy_split_rows.report_id = split_cells.report_id
    group by legacy_split_rows.report_id

),

cell_counts as (

    select
        reports.report_id,
        reports.cells_total
        + coalesce(legacy_splits_counted.split_cell_count, 0)
        - coalesce(legacy_splits_counted.resolved_row_count, 0) as cells_total,
        reports.cells_inferred
        + coalesce(legacy_splits_counted.split_cell_count, 0) as cells_inferred,
        reports.cells_ambiguous
        - coalesce(legacy_splits_counted.resolved_row_count, 0) as cells_ambiguous

    from reports
    left join legacy_splits_counted
        on reports.report_id = legacy_splits_counted.report_id

),

{# The ingest's status and error are kept as provenance (ingest_status, ingest_error);
    the report's status and error say what the warehouse knows. Where the ingest's only
    doubt was run-together rows and the year before resolved them all, the report is
    parsed and its notes name the rule and the report; rows still ambiguous stay in the
    error, with what the check found. #}
statuses_resolved as (

    select
        reports.report_id,
        {{ legacy_ambiguous_rows_message('reports.cells_ambiguous') }} as ingest_message,
        case
            when cell_counts.cells_ambiguous > 0
                then concat(
                    {{ legacy_ambiguous_rows_message('cell_counts.cells_ambiguous') }},
                    case
                        when legacy_splits_counted.still_ambiguous_notes is not null
                            then concat(' (', legacy_splits_counted.still_ambiguous_notes, ')')
                        else ''
                    end
                )
        end as still_ambiguous_message,
        case
            when legacy_splits_counted.resolved_row_count > 0
                then concat(
                    'legacy: ',
                    cast(legacy_splits_counted.resolved_row_count as {{ dbt.type_string() }}),
                    ' run-together row(s) resolved across years by ',
                    legacy_splits_counted.resolved_evidence
                )
        end as resolved_message

    from reports
    inner join cell_counts
        on reports.report_id = cell_counts.report_id
    inner join legacy_splits_counted
        on reports.report_id = legacy_splits_counted.report_id
    where reports.cells_ambiguous > 0

),

statuses as (

    select
        reports.report_id,
        case
            when statuses_resolved.report_id is null then reports.document_status
            when reports.document_status = 'partial'
                and reports.error = statuses_resolved.ingest_message
                and statuses_resolved.still_ambiguous_message is null
                and reports.cells_unparsed = 0
                then 'parsed'
            else reports.document_status
        end as status,
        case
            when statuses_resolved.report_id is null then reports.error
            when reports.error = statuses_resolved.ingest_message
                and statuses_resolved.still_ambiguous_message is null
                then cast(null as {{ dbt.type_string() }})
            else replace(
                reports.error,
                statuses_resolved.ingest_message,
                concat_ws(
                    '; ',
                    statuses_resolved.still_ambiguous_message,
                    statuses_resolved.resolved_message
                )
            )
        end as error,
        case
            when statuses_resolved.report_id is null then reports.notes
            when reports.error = statuses_resolved.ingest_message
                and statuses_resolved.still_ambiguous_message is null
                then concat_ws('; ', reports.notes, statuses_resolved.resolved_message)
            else reports.notes
        end as notes

    from reports
    left join statuses_resolved
        on reports.report_id = statuses_resolved.report_id

),

sources_folded as (

    select
        identical_tables.report_id,
        identical_tables.primary_report_id

    from {{ ref('int_identical_tables_compared') }} as identical_tables
    where identical_tables.input_ordinal = 0

),

final as (

    select
        ----------  ids
        reports.report_id,
        reports.sha256,
        coalesce(sources_folded.primary_report_id, reports.report_id) as primary_report_id,
        agencies.agency_id,
        agencies.division_code,

        ----------  strings
        reports.title,
        reports.agency,
        agencies.agency_name,
        agencies.agency_level,
        agencies.agency_kind,
        agencies.agency_match_method,
        agencies.agency_match_evidence,
        agencies.agency_match_note,
        agencies.report_scope,
        reports.index_no,
        reports.source_url,
        reports.template,
        statuses.status,
        statuses.error,
        statuses.notes,
        reports.document_status as ingest_status,
        reports.error as ingest_error,
        reports.source_path,
        reports.duplicate_source_paths,
        reports.file_format,
        reports.encoding,
        reports.layout,
        reports.parser_version,

        ----------  numerics
        reports.report_year,
        reports.file_size_bytes,
        cast(reports.duplicate_file_count as {{ dbt.type_bigint() }})
            as duplicate_file_count,
        cast(cell_counts.cells_total as {{ dbt.type_bigint() }}) as cells_total,
        cast(reports.cells_ok as {{ dbt.type_bigint() }}) as cells_ok,
        cast(cell_counts.cells_inferred as {{ dbt.type_bigint() }}) as cells_inferred,
        cast(cell_counts.cells_ambiguous as {{ dbt.type_bigint() }}) as cells_ambiguous,
        cast(reports.cells_unplaced as {{ dbt.type_bigint() }}) as cells_unplaced,
        cast(reports.cells_unparsed as {{ dbt.type_bigint() }}) as cells_unparsed,
        cast(reports.cells_unmapped as {{ dbt.type_bigint() }}) as cells_unmapped,
        cast(reports.cells_ok + cell_counts.cells_inferred as {{ dbt.type_bigint() }})
            as cells_placed,

        ----------  booleans
        reports.is_reconcilable,

        ----------  dates
        reports.published_date

    from reports
    left join agencies
        on reports.report_id = agencies.report_id
    left join sources_folded
        on reports.report_id = sources_folded.report_id
    left join cell_counts
        on reports.report_id = cell_counts.report_id
    left join statuses
        on reports.report_id = statuses.report_id

)

select * from final
