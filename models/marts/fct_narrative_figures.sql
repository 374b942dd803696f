{#
    Figures the report's text quotes (正文中的数字): one row per figure, with
    the sentence, the figure's unit and its scope (self, or the aggregate the
    sentence names). A figure given in words (未收到…申请) has no value and
    value_kind text: never read as 0. For reports on 2019 and later, figures
    with a standard equivalent carry the standard row and column codes.
#}
{{ report_incremental_config() }}
with

cells_labeled as (

    select * from {{ ref('int_cells_labeled') }}
    {{ changed_reports_only() }}

),

narrative_cells as (

    select * from cells_labeled
    where
        cells_labeled.table_code = 'narrative'
        and cells_labeled.is_placed

),

final as (

    select
        ----------  ids
        narrative_cells.cell_id as narrative_figure_id,
        narrative_cells.report_id,

        ----------  strings
        narrative_cells.row_code as figure,
        narrative_cells.row_label_zh as figure_label_zh,
        narrative_cells.row_label_en as figure_label_en,
        narrative_cells.col_code as measure,
        narrative_cells.scope,
        narrative_cells.row_label_raw as quoted_words,
        narrative_cells.raw_text as sentence,
        narrative_cells.unit,
        narrative_cells.value_kind,
        narrative_cells.locator,

        ----------  numerics
        narrative_cells.cell_seq,
        {{ as_amount('narrative_cells.value') }} as value,

        ----------  booleans
        narrative_cells.scope = 'self' as is_own_scope

    from narrative_cells

)

select * from final
