{#
    Rules with evaluation template_completeness (R06 template_complete) for
    every reconcilable report and table of its template (the rule's table, or
    every table when it names none): each cell of template_cells must be
    present in the lake with its codes. A printed blank is present; an unparsed
    cell is present (the other rules name it); a cell the ingest did not find
    is missing and named in detail. One scope row per rule, report and table,
    then one row per missing cell of a failing table (input_state missing).

    Single pass for scale: present cells are counted per report and table, and
    only incomplete tables are searched for the names of their missing cells
    (their located cells first, so the anti-join never builds on all cells).
    A table, like the other rule models, so that DuckDB honours the
    not_materialized hint (a view's SQL loses it).
#}
{{ report_incremental_config() }}
with

reports as (

    select * from {{ ref('int_documents_grouped_to_reports') }}
    {{ changed_reports_only() }}

),

template_cells as (

    select * from {{ ref('template_cells') }}

),

reconciliation_rules as (

    select * from {{ ref('reconciliation_rules') }}

),

rules_evaluated_here as (

    select
        reconciliation_rules.rule_id,
        reconciliation_rules.table_code

    from reconciliation_rules
    where reconciliation_rules.evaluation = 'template_completeness'

),

cells_labeled as {{ not_materialized() }} (

    select * from {{ ref('int_cells_labeled') }}
    {{ changed_reports_only() }}

),

template_tables_counted as (

    select
        rules_evaluated_here.rule_id,
        template_cells.template,
        template_cells.table_code,
        count(*) as template_cell_count

    from template_cells
    inner join rules_evaluated_here
        on rules_evaluated_here.table_code is null
        or template_cells.table_code = rules_evaluated_here.table_code
    group by
        rules_evaluated_here.rule_id,
        template_cells.template,
        template_cells.table_code

),

located_cells as {{ not_materialized() }} (

    select
        cells_labeled.report_id,
        cells_labeled.table_code,
        cells_labeled.row_code,
        cells_labeled.col_code

    from cells_labeled
    where
        cells_labeled.is_in_template
        and (cells_labeled.is_placed or cells_labeled.cell_status = 'unparsed')

),

located_cells_counted as (

    select
        located_cells.report_id,
        located_cells.table_code,
        count(*) as present_cell_count

    from located_cells
    group by
        located_cells.report_id,
        located_cells.table_code

),

report_tables as (

    select
        reports.report_id,
        template_tables_counted.rule_id,
        template_tables_counted.template,
        template_tables_counted.table_code,
        template_tables_counted.template_cell_count,
        coalesce(located_cells_counted.present_cell_count, 0)
            as present_cell_count

    from reports
    inner join template_tables_counted
        on reports.template = template_tables_counted.template
    left join located_cells_counted
        on reports.report_id = located_cells_counted.report_id
        and template_tables_counted.table_code
            = located_cells_counted.table_code
    where reports.is_reconcilable

),

incomplete_tables as (

    select * from report_tables
    where report_tables.present_cell_count < report_tables.template_cell_count

),

incomplete_tables_located_cells as (

    select distinct located_cells.*
    from located_cells
    inner join incomplete_tables
        on located_cells.report_id = incomplete_tables.report_id
        and located_cells.table_code = incomplete_tables.table_code

),

missing_cells as (

    select
        incomplete_tables.report_id,
        incomplete_tables.rule_id,
        template_cells.table_code,
        template_cells.row_code,
        template_cells.col_code,
        template_cells.row_order,
        template_cells.col_order

    from incomplete_tables
    inner join template_cells
        on incomplete_tables.template = template_cells.template
        and incomplete_tables.table_code = template_cells.table_code
    left join incomplete_tables_located_cells
        on incomplete_tables.report_id
            = incomplete_tables_located_cells.report_id
        and template_cells.table_code
            = incomplete_tables_located_cells.table_code
        and template_cells.row_code
            = incomplete_tables_located_cells.row_code
        and template_cells.col_code
            = incomplete_tables_located_cells.col_code
    where incomplete_tables_located_cells.report_id is null

),

missing_cells_listed as (

    select
        missing_cells.report_id,
        missing_cells.rule_id,
        missing_cells.table_code,
        {{ string_list(
            "missing_cells.row_code || '/' || missing_cells.col_code",
            'missing_cells.row_order, missing_cells.col_order',
        ) }} as missing_cells

    from missing_cells
    group by
        missing_cells.report_id,
        missing_cells.rule_id,
        missing_cells.table_code

),

scopes_evaluated as (

    select
        report_tables.report_id,
        report_tables.rule_id,
        report_tables.table_code,
        cast(null as {{ dbt.type_string() }}) as row_code,
        cast(null as {{ dbt.type_string() }}) as col_code,
        case
            when missing_cells_listed.report_id is null then 'pass'
            else 'fail'
        end as outcome,
        cast(report_tables.template_cell_count as double) as expected,
        cast(report_tables.present_cell_count as double) as actual,
        cast(
            report_tables.present_cell_count
            - report_tables.template_cell_count as double
        ) as difference,
        report_tables.template_cell_count as input_count,
        0 as unusable_input_count,
        cast(null as {{ dbt.type_string() }}) as unusable_inputs,
        case
            when missing_cells_listed.report_id is not null
                then 'missing: ' || missing_cells_listed.missing_cells
        end as detail

    from report_tables
    left join missing_cells_listed
        on report_tables.report_id = missing_cells_listed.report_id
        and report_tables.rule_id = missing_cells_listed.rule_id
        and report_tables.table_code = missing_cells_listed.table_code

),

flagged_inputs as (

    select
        missing_cells.report_id,
        missing_cells.rule_id,
        missing_cells.table_code,
        row_number() over (
            partition by
                missing_cells.report_id,
                missing_cells.rule_id,
                missing_cells.table_code
            order by missing_cells.row_order, missing_cells.col_order
        ) as input_ordinal,
        missing_cells.row_code as input_row_code,
        missing_cells.col_code as input_col_code,
        'missing' as input_state,
        cast(null as double) as input_value,
        cast(null as {{ dbt.type_string() }}) as input_raw_text,
        cast(null as {{ dbt.type_string() }}) as input_violation

    from missing_cells

),

evaluated as (

    {{ rule_scope_rows('scopes_evaluated') }}

    union all

    {{ rule_input_rows('scopes_evaluated', 'flagged_inputs', [
        'report_id', 'rule_id', 'table_code'
    ]) }}

)

select * from evaluated
