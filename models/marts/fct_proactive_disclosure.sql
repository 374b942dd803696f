{#
    amount_yuan normalises money cells to yuan with the money units of the units seed. When
    a money cell has no unit, its column's header unit applies (column_labels.default_unit:
    万元 for the 2021 本年收费金额). A 2019 procurement amount without a unit stays null in yuan:
    the 2019 form prints no unit for it.
#}
{{ report_incremental_config() }}
with

fact_cells as (

    select * from {{ ref('int_cells_completed_to_template') }}
    {{ changed_reports_only() }}

),

column_labels as (

    select * from {{ ref('column_labels') }}

),

units as (

    select * from {{ ref('units') }}

),

money_units as (

    select * from units
    where units.unit_kind = 'money'

),

proactive_cells as (

    select
        fact_cells.*,
        case
            when fact_cells.value_type = 'money'
                then coalesce(fact_cells.unit, column_labels.default_unit)
        end as money_unit

    from fact_cells
    left join column_labels
        on fact_cells.table_code = column_labels.table_code
        and fact_cells.col_code = column_labels.col_code
    where
        fact_cells.table_code = 'proactive'

),

final as (

    select
        ----------  ids
        proactive_cells.cell_id as proactive_disclosure_id,
        proactive_cells.report_id,

        ----------  strings
        proactive_cells.template,
        proactive_cells.row_code as item,
        proactive_cells.row_label_zh as item_label_zh,
        proactive_cells.row_label_en as item_label_en,
        proactive_cells.col_code as measure,
        proactive_cells.col_label_zh as measure_label_zh,
        proactive_cells.col_label_en as measure_label_en,
        proactive_cells.value_type,
        proactive_cells.raw_text,
        proactive_cells.unit,
        proactive_cells.money_unit,
        proactive_cells.value_kind,
        proactive_cells.cell_status,

        ----------  numerics
        {{ as_amount('proactive_cells.value') }} as value,
        case
            when proactive_cells.value_type in ('count', 'signed_count')
                then {{ as_count('proactive_cells.value') }}
        end as item_count,
        {{ as_amount('proactive_cells.value * money_units.yuan_per_unit') }}
            as amount_yuan,

        ----------  booleans
        proactive_cells.is_placed,
        proactive_cells.is_in_template

    from proactive_cells
    left join money_units
        on proactive_cells.money_unit = money_units.unit

)

select * from final
