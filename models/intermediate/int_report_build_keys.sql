{#
    One row per report: the key of everything a report's rows are built from. Its
    file (sha256) read by a parser version from its source paths, the reviewer
    verdicts on its findings, and the project (every model's and seed's file).
    Two builds whose keys agree for a report build the same rows for it; the
    report-incremental models rebuild the reports whose key changed
    (int_reports_changed, macros/report_incremental.sql).
#}
with

reports as (

    select * from {{ ref('int_documents_grouped_to_reports') }}

),

verdicts_latest as (

    select * from {{ ref('int_review_verdicts_latest') }}

),

{%- set verdict_text = surrogate_key_text([
    'verdicts_latest.finding_id',
    'verdicts_latest.verdict',
    'verdicts_latest.verdict_seq',
    'verdicts_latest.corrected_table_code',
    'verdicts_latest.corrected_row_code',
    'verdicts_latest.corrected_col_code',
    'verdicts_latest.corrected_value',
]) %}

verdicts_listed as (

    select
        verdicts_latest.report_id,
        {{ string_list(verdict_text, 'verdicts_latest.finding_id', ';') }} as verdicts_text

    from verdicts_latest
    group by verdicts_latest.report_id

),

final as (

    select
        ----------  ids
        reports.report_id,
        {{ surrogate_key([
            'reports.sha256',
            'reports.parser_version',
            'reports.source_path',
            'reports.duplicate_source_paths',
            'reports.document_status',
            'verdicts_listed.verdicts_text',
            "'" ~ project_fingerprint() ~ "'",
        ]) }} as build_key

    from reports
    left join verdicts_listed
        on reports.report_id = verdicts_listed.report_id

)

select * from final
