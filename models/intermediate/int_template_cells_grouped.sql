{#
    Every group of template cells of every report, with its sum and whether the
    sum is known. One row per report, table, group and column of the report's
    template. A group is the set of template rows that add up into one figure:
    an outcome group of table 三 (e.g. withheld = the 8 不予公开 rows), otherwise
    a single row (new_received, a proceeding of table 四, an item of table 二).

    Unknown stays unknown: the sum is null unless every template cell of the
    group is placed with a number, and group_status says why it is not:
      known               every cell placed with a number (0 included)
      printed_not_placed  a row of the group has an ambiguous or unplaced cell
                          (the report printed it, the ingest could not place it)
      unparsed            a cell is printed but is not a number (e.g. 见附件)
      not_printed         a template cell of the group is missing from the report
      blank               every cell is placed, at least one printed blank / dash
    An ambiguous cell has a row but no column, so it makes its rows' groups
    unknown in every column where a template cell is not placed.
    Reports without a standard template (pre2019, unknown) have no rows here.
#}
{{ report_incremental_config() }}
with

reports as (

    select * from {{ ref('int_documents_grouped_to_reports') }}
    {{ changed_reports_only() }}

),

cells_labeled as {{ not_materialized() }} (

    select * from {{ ref('int_cells_labeled') }}
    {{ changed_reports_only() }}

),

template_cells as (

    select * from {{ ref('template_cells') }}

),

row_labels as (

    select * from {{ ref('row_labels') }}

),

template_groups as (

    select
        template_cells.template,
        template_cells.table_code,
        coalesce(row_labels.outcome_group, template_cells.row_code)
            as group_code,
        template_cells.col_code,
        min(template_cells.row_order) as group_order,
        min(template_cells.col_order) as col_order,
        count(*) as template_cell_count

    from template_cells
    left join row_labels
        on template_cells.table_code = row_labels.table_code
        and template_cells.row_code = row_labels.row_code
    group by
        template_cells.template,
        template_cells.table_code,
        coalesce(row_labels.outcome_group, template_cells.row_code),
        template_cells.col_code

),

template_cells_located as (

    select
        cells_labeled.report_id,
        cells_labeled.table_code,
        coalesce(cells_labeled.outcome_group, cells_labeled.row_code)
            as group_code,
        cells_labeled.col_code,
        count(*) as located_cell_count,
        {{ aggregate_where('count', '*', 'cells_labeled.is_placed') }}
            as placed_cell_count,
        {{ aggregate_where(
            'count', '*',
            'cells_labeled.is_placed and cells_labeled.value is not null'
        ) }} as number_cell_count,
        {{ aggregate_where(
            'count', '*', "cells_labeled.cell_status = 'unparsed'"
        ) }} as unparsed_cell_count,
        {{ aggregate_where('sum', 'cells_labeled.value', 'cells_labeled.is_placed') }}
            as placed_value_sum

    from cells_labeled
    where
        cells_labeled.is_in_template
        and (cells_labeled.is_placed or cells_labeled.cell_status = 'unparsed')
    group by
        cells_labeled.report_id,
        cells_labeled.table_code,
        coalesce(cells_labeled.outcome_group, cells_labeled.row_code),
        cells_labeled.col_code

),

unresolved_rows as (

    select
        cells_labeled.report_id,
        cells_labeled.table_code,
        coalesce(cells_labeled.outcome_group, cells_labeled.row_code)
            as group_code,
        count(*) as unresolved_cell_count,
        {{ string_list('cells_labeled.raw_text', 'cells_labeled.cell_seq', '; ') }}
            as unresolved_raw_texts

    from cells_labeled
    where
        cells_labeled.cell_status in ('ambiguous', 'unplaced')
        and cells_labeled.row_code is not null
        and cells_labeled.col_code is null
    group by
        cells_labeled.report_id,
        cells_labeled.table_code,
        coalesce(cells_labeled.outcome_group, cells_labeled.row_code)

),

report_groups as (

    select
        reports.report_id,
        template_groups.template,
        template_groups.table_code,
        template_groups.group_code,
        template_groups.col_code,
        template_groups.group_order,
        template_groups.col_order,
        template_groups.template_cell_count,
        coalesce(template_cells_located.placed_cell_count, 0)
            as placed_cell_count,
        coalesce(template_cells_located.number_cell_count, 0)
            as number_cell_count,
        coalesce(template_cells_located.unparsed_cell_count, 0)
            as unparsed_cell_count,
        coalesce(unresolved_rows.unresolved_cell_count, 0)
            as unresolved_cell_count,
        template_cells_located.placed_value_sum,
        unresolved_rows.unresolved_raw_texts

    from reports
    inner join template_groups
        on reports.template = template_groups.template
    left join template_cells_located
        on reports.report_id = template_cells_located.report_id
        and template_groups.table_code = template_cells_located.table_code
        and template_groups.group_code = template_cells_located.group_code
        and template_groups.col_code = template_cells_located.col_code
    left join unresolved_rows
        on reports.report_id = unresolved_rows.report_id
        and template_groups.table_code = unresolved_rows.table_code
        and template_groups.group_code = unresolved_rows.group_code

),

final as (

    select
        ----------  ids
        report_groups.report_id,

        ----------  strings
        report_groups.template,
        report_groups.table_code,
        report_groups.group_code,
        report_groups.col_code,
        case
            when report_groups.number_cell_count
                = report_groups.template_cell_count
                then 'known'
            when report_groups.unresolved_cell_count > 0
                then 'printed_not_placed'
            when report_groups.unparsed_cell_count > 0 then 'unparsed'
            when report_groups.placed_cell_count
                < report_groups.template_cell_count
                then 'not_printed'
            else 'blank'
        end as group_status,
        report_groups.unresolved_raw_texts,

        ----------  numerics
        report_groups.group_order,
        report_groups.col_order,
        report_groups.template_cell_count,
        report_groups.placed_cell_count,
        report_groups.number_cell_count,
        report_groups.unresolved_cell_count,
        case
            when report_groups.number_cell_count
                = report_groups.template_cell_count
                then report_groups.placed_value_sum
        end as group_value,
        report_groups.placed_value_sum as known_value_sum,

        ----------  booleans
        report_groups.number_cell_count = report_groups.template_cell_count
            as is_known

    from report_groups

)

select * from final
