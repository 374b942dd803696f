{#
    Every cell of the lake with its report's template, the Chinese and English
    labels of its codes, the value type of its column and whether the cell is
    part of the template grid. One row per cell: left joins on unique seed keys.

    A table, not a view (an exception to the intermediate folder's default):
    every fact, rule model and cell-level test reads it, so the lake's Parquet
    is scanned, labelled and given its md5 cell_id once per build instead of
    once per reader. The file path is left out: it is the same for every cell
    of a report (~200) and is in int_documents_grouped_to_reports.

    The one exception to one row per lake cell: an ambiguous run-together row
    that the same body's report of the year before resolves
    (int_legacy_splits_resolved_across_years) becomes its inferred cells, one per
    column, each keyed by (report_id, cell_seq, col_code); a row it leaves with
    several splits keeps its cell, with a note.
#}
{{ report_incremental_config() }}
with

lake_cells as (

    select * from {{ ref('stg_ingest__cells') }}
    {{ changed_reports_only() }}

),

legacy_splits as (

    select * from {{ ref('int_legacy_splits_resolved_across_years') }}
    {{ changed_reports_only() }}

),

reports as (

    select * from {{ ref('int_documents_grouped_to_reports') }}
    {{ changed_reports_only() }}

),

table_codes as (

    select * from {{ ref('table_codes') }}

),

row_labels as (

    select * from {{ ref('row_labels') }}

),

column_labels as (

    select * from {{ ref('column_labels') }}

),

template_cells as (

    select * from {{ ref('template_cells') }}

),

cell_statuses as (

    select * from {{ ref('cell_statuses') }}

),

value_kinds as (

    select * from {{ ref('value_kinds') }}

),

verdicts_latest as (

    select * from {{ ref('int_review_verdicts_latest') }}

),

cells as (

    {#- The lake's cells, a resolved run-together row as its split (see above). #}
    select
        case
            when legacy_splits.col_code is null
                then {{ surrogate_key(['lake_cells.report_id', 'lake_cells.cell_seq']) }}
            else {{ surrogate_key([
                'lake_cells.report_id', 'lake_cells.cell_seq', 'legacy_splits.col_code'
            ]) }}
        end as cell_id,
        lake_cells.report_id,
        lake_cells.cell_seq,
        lake_cells.table_code,
        lake_cells.row_code,
        coalesce(legacy_splits.col_code, lake_cells.col_code) as col_code,
        lake_cells.row_label_raw,
        lake_cells.col_label_raw,
        coalesce(legacy_splits.raw_text, lake_cells.raw_text) as raw_text,
        lake_cells.unit,
        case
            when legacy_splits.value = 0 then 'zero'
            when legacy_splits.value is not null then 'number'
            else lake_cells.value_kind
        end as value_kind,
        coalesce(legacy_splits.cell_status, lake_cells.cell_status) as cell_status,
        lake_cells.locator,
        lake_cells.scope,
        case
            when legacy_splits.col_code is not null or lake_cells.note is null
                then coalesce(legacy_splits.note, lake_cells.note)
            when legacy_splits.note is not null
                then concat(lake_cells.note, '; ', legacy_splits.note)
            else lake_cells.note
        end as note,
        case
            when legacy_splits.col_code is null then lake_cells.candidates
        end as candidates,
        coalesce(legacy_splits.value, lake_cells.value) as value,
        lake_cells.value_kind as lake_value_kind,
        lake_cells.cell_status as lake_cell_status,
        lake_cells.value as lake_value,
        lake_cells.confidence

    from lake_cells
    left join legacy_splits
        on lake_cells.report_id = legacy_splits.report_id
        and lake_cells.cell_seq = legacy_splits.cell_seq

),

corrections as (

    {#- A reviewer's extraction_error verdict with the value the report prints: applied
        to the cell, whose original value and status are kept beside it. One correction
        per cell: the latest verdict naming it. #}
    select * from (
        select
            verdicts_latest.report_id,
            verdicts_latest.corrected_table_code,
            verdicts_latest.corrected_row_code,
            verdicts_latest.corrected_col_code,
            verdicts_latest.corrected_value,
            verdicts_latest.finding_id,
            row_number() over (
                partition by
                    verdicts_latest.report_id,
                    verdicts_latest.corrected_table_code,
                    verdicts_latest.corrected_row_code,
                    verdicts_latest.corrected_col_code
                order by verdicts_latest.verdict_seq desc
            ) as correction_rank

        from verdicts_latest
        where verdicts_latest.verdict = 'extraction_error'
            and verdicts_latest.corrected_value is not null
    ) as ranked
    where ranked.correction_rank = 1

),

final as (

    select
        ----------  ids
        cells.cell_id,
        cells.report_id,
        cells.cell_seq,

        ----------  strings
        reports.template,
        cells.table_code,
        table_codes.label_zh as table_label_zh,
        table_codes.label_en as table_label_en,
        cells.row_code,
        row_labels.label_zh as row_label_zh,
        row_labels.label_en as row_label_en,
        row_labels.outcome_group,
        cells.col_code,
        column_labels.label_zh as col_label_zh,
        column_labels.label_en as col_label_en,
        column_labels.value_type,
        cells.row_label_raw,
        cells.col_label_raw,
        cells.raw_text,
        cells.unit,
        case
            when corrections.report_id is null then cells.value_kind
            when corrections.corrected_value = 0 then 'zero'
            else 'number'
        end as value_kind,
        case
            when corrections.report_id is not null then 'corrected'
            else cells.cell_status
        end as cell_status,
        cells.locator,
        cells.scope,
        cells.note,
        cells.candidates,
        cells.lake_value_kind as original_value_kind,
        cells.lake_cell_status as original_cell_status,
        corrections.finding_id as correction_finding_id,

        ----------  numerics
        coalesce(corrections.corrected_value, cells.value) as value,
        cells.lake_value as original_value,
        cells.confidence,

        ----------  booleans
        cell_statuses.is_placed
        or corrections.report_id is not null as is_placed,
        -- A correction is a number the report prints (zero or not): it has a value.
        case
            when corrections.report_id is null then value_kinds.has_value
            else true
        end as has_value,
        template_cells.row_code is not null as is_in_template

    from cells
    left join reports
        on cells.report_id = reports.report_id
    left join table_codes
        on cells.table_code = table_codes.table_code
    left join row_labels
        on cells.table_code = row_labels.table_code
        and cells.row_code = row_labels.row_code
    left join column_labels
        on cells.table_code = column_labels.table_code
        and cells.col_code = column_labels.col_code
    left join cell_statuses
        on cells.cell_status = cell_statuses.cell_status
    left join value_kinds
        on cells.value_kind = value_kinds.value_kind
    left join corrections
        on cells.report_id = corrections.report_id
        and cells.table_code = corrections.corrected_table_code
        and cells.row_code = corrections.corrected_row_code
        and cells.col_code = corrections.corrected_col_code
    left join template_cells
        on reports.template = template_cells.template
        and cells.table_code = template_cells.table_code
        and cells.row_code = template_cells.row_code
        and cells.col_code = template_cells.col_code

)

select * from final
