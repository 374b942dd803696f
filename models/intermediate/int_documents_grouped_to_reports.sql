{#
    One row per report_id. Byte-identical copies of a file share its report_id:
    the first non-duplicate file (by path) represents the report and the other
    files are listed, so every input file is accounted for exactly once.
#}
with

documents as (

    select * from {{ ref('stg_ingest__documents') }}

),

templates as (

    select * from {{ ref('templates') }}

),

document_statuses as (

    select * from {{ ref('document_statuses') }}

),

documents_ranked as (

    select
        documents.*,
        row_number() over (
            partition by documents.report_id
            order by
                documents.document_status = 'duplicate',
                documents.source_path
        ) as copy_rank

    from documents

),

copies_listed as (

    select
        documents_ranked.report_id,
        count(*) as duplicate_file_count,
        {{ string_list(
            'documents_ranked.source_path', 'documents_ranked.source_path', '; '
        ) }} as duplicate_source_paths

    from documents_ranked
    where documents_ranked.copy_rank > 1
    group by documents_ranked.report_id

),

final as (

    select
        ----------  ids
        documents_ranked.report_id,
        documents_ranked.sha256,

        ----------  strings
        documents_ranked.title,
        documents_ranked.agency,
        documents_ranked.agency_name_matched,
        documents_ranked.agency_division_code_matched,
        documents_ranked.agency_kind_matched,
        documents_ranked.agency_township_matched,
        documents_ranked.agency_match_method,
        documents_ranked.agency_match_evidence,
        documents_ranked.agency_match_note,
        documents_ranked.agency_report_scope,
        documents_ranked.index_no,
        documents_ranked.source_url,
        documents_ranked.template,
        documents_ranked.document_status,
        documents_ranked.error,
        documents_ranked.notes,
        documents_ranked.source_path,
        copies_listed.duplicate_source_paths,
        documents_ranked.file_format,
        documents_ranked.encoding,
        documents_ranked.layout,
        documents_ranked.parser_version,

        ----------  numerics
        documents_ranked.report_year,
        documents_ranked.file_size_bytes,
        coalesce(copies_listed.duplicate_file_count, 0)
            as duplicate_file_count,
        documents_ranked.cells_total,
        documents_ranked.cells_ok,
        documents_ranked.cells_inferred,
        documents_ranked.cells_ambiguous,
        documents_ranked.cells_unplaced,
        documents_ranked.cells_unparsed,
        documents_ranked.cells_unmapped,

        ----------  booleans
        (
            coalesce(templates.is_reconcilable, false)
            and coalesce(document_statuses.is_read, false)
        ) as is_reconcilable,
        coalesce(document_statuses.is_read, false) as is_read,

        ----------  dates
        documents_ranked.published_date

    from documents_ranked
    left join copies_listed
        on documents_ranked.report_id = copies_listed.report_id
    left join templates
        on documents_ranked.template = templates.template
    left join document_statuses
        on documents_ranked.document_status = document_statuses.document_status
    where documents_ranked.copy_rank = 1

)

select * from final
