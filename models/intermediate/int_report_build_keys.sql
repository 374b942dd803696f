{#
    One row per report: the key of everything a report's rows are built from. Its
    file (sha256) read by a parser version from its source paths, the reviewer
    verdicts on its findings, the cells of its run-together rows that the same
    body's report of the year before resolves (int_legacy_splits_resolved_across_years:
    adding or removing that report changes them), and the project (every model's
    and seed's file).
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

legacy_splits as (

    select * from {{ ref('int_legacy_splits_resolved_across_years') }}

),

{%- set split_text = surrogate_key_text([
    'legacy_splits.cell_seq',
    'legacy_splits.col_code',
    'legacy_splits.cell_status',
    'legacy_splits.value',
    'legacy_splits.note',
]) %}

splits_listed as (

    select
        legacy_splits.report_id,
        {{ string_list(
            split_text, 'legacy_splits.cell_seq, legacy_splits.col_code', ';'
        ) }} as splits_text

    from legacy_splits
    group by legacy_splits.report_id

),

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
            'splits_listed.splits_text',
            "'" ~ project_fingerprint() ~ "'",
        ]) }} as build_key

    from reports
    left join verdicts_listed
        on reports.report_id = verdicts_listed.report_id
    left join splits_listed
        on reports.report_id = splits_listed.report_id

)

select * from final
