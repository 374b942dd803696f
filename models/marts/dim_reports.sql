with

reports as (

    select * from {{ ref('int_documents_grouped_to_reports') }}

),

agencies as (

    select * from {{ ref('int_reports_matched_to_agencies') }}

),

{# Run-together rows the same body's report of the year before resolves: their cells. #}
legacy_splits_counted as (

    select
        legacy_splits.report_id,
        count(distinct legacy_splits.cell_seq) as resolved_row_count,
        count(*) as split_cell_count

    from {{ ref('int_legacy_splits_resolved_across_years') }} as legacy_splits
    where legacy_splits.cell_status = 'inferred'
    group by legacy_splits.report_id

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
        reports.document_status as status,
        reports.error,
        reports.notes,
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

)

select * from final
