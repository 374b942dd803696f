{#
    Pre-2019 statistics tables (政府信息公开情况统计表): one row per report,
    indicator and period (本年度 / 历年累计) the table prints. Indicators the
    label map does not know are kept (status unmapped): indicator is null and
    the printed label says what they count. Ambiguous run-together rows have
    no period and stay in the lake only (their digits are in int_cells_labeled).
#}
{{ report_incremental_config() }}
with

cells_labeled as (

    select * from {{ ref('int_cells_labeled') }}
    {{ changed_reports_only() }}

),

statistics_cells as (

    select * from cells_labeled
    where
        cells_labeled.table_code = 'legacy'
        and cells_labeled.col_code is not null
        and (cells_labeled.is_placed or cells_labeled.cell_status = 'unmapped')

),

final as (

    select
        ----------  ids
        statistics_cells.cell_id as legacy_statistic_id,
        statistics_cells.report_id,

        ----------  strings
        statistics_cells.row_code as indicator,
        statistics_cells.row_label_zh as indicator_label_zh,
        statistics_cells.row_label_en as indicator_label_en,
        statistics_cells.row_label_raw as indicator_label_printed,
        statistics_cells.col_code as period,
        statistics_cells.col_label_zh as period_label_zh,
        statistics_cells.unit,
        statistics_cells.raw_text,
        statistics_cells.value_kind,
        statistics_cells.cell_status,
        statistics_cells.locator,

        ----------  numerics
        statistics_cells.cell_seq,
        {{ as_amount('statistics_cells.value') }} as value

    from statistics_cells

)

select * from final
