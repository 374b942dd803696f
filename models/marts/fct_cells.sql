{#
    Every cell the ingest wrote, labelled: the report pages show tables as
    printed from here (placed or not, blank stays blank), so consumers never
    read the intermediate schema.
#}
{{ report_incremental_config() }}
with

cells_labeled as (

    select * from {{ ref('int_cells_labeled') }}
    {{ changed_reports_only() }}

),

final as (

    select
        ----------  ids
        cells_labeled.cell_id,
        cells_labeled.report_id,

        ----------  strings
        cells_labeled.template,
        cells_labeled.table_code,
        cells_labeled.table_label_zh,
        cells_labeled.table_label_en,
        cells_labeled.row_code,
        cells_labeled.row_label_zh,
        cells_labeled.row_label_en,
        cells_labeled.col_code,
        cells_labeled.col_label_zh,
        cells_labeled.col_label_en,
        cells_labeled.value_type,
        cells_labeled.row_label_raw,
        cells_labeled.col_label_raw,
        cells_labeled.raw_text,
        cells_labeled.unit,
        cells_labeled.value_kind,
        cells_labeled.cell_status,
        cells_labeled.original_cell_status,
        cells_labeled.original_value_kind,
        cells_labeled.correction_finding_id,
        cells_labeled.locator,
        cells_labeled.note,
        cells_labeled.candidates,

        ----------  numerics
        cells_labeled.cell_seq,
        {{ as_amount('cells_labeled.value') }} as value,
        {{ as_amount('cells_labeled.original_value') }} as original_value,
        cells_labeled.confidence,

        ----------  booleans
        cells_labeled.is_placed,
        cells_labeled.is_in_template

    from cells_labeled

)

select * from final
