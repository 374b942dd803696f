{{ report_incremental_config() }}
with

fact_cells as (

    select * from {{ ref('int_cells_completed_to_template') }}
    {{ changed_reports_only() }}

),

review_cells as (

    select * from fact_cells
    where
        fact_cells.table_code = 'reviews_litigation'

),

final as (

    select
        ----------  ids
        review_cells.cell_id as review_litigation_id,
        review_cells.report_id,

        ----------  strings
        review_cells.row_code as proceeding,
        review_cells.row_label_zh as proceeding_label_zh,
        review_cells.row_label_en as proceeding_label_en,
        review_cells.col_code as result,
        review_cells.col_label_zh as result_label_zh,
        review_cells.col_label_en as result_label_en,
        review_cells.raw_text,
        review_cells.value_kind,
        review_cells.cell_status,

        ----------  numerics
        {{ as_count('review_cells.value') }} as case_count,

        ----------  booleans
        review_cells.is_placed,
        review_cells.is_in_template

    from review_cells

)

select * from final
