{#
    Rules with evaluation narrative_matches_table (R16 text_matches_table):
    for every reconcilable report (2019+ tables), each figure its text quotes
    about a harmonised measure the standard tables also hold (measure_sources)
    is compared with the sum of that measure's table cells. One scope row per
    report, rule and quoted figure code (several sentences quoting it are
    judged together). not_assessable, with the reason, when the sentences
    count an aggregate (全市, 全区, 各级行政机关 …) rather than the body whose
    table it is, when the figure is given in words, or when a table cell is
    missing, blank or not a number. fail when a figure about the body itself
    differs from the table; actual is the quoted figure farthest from it.
#}
{#- Incremental on report keys: a report's rows depend only on its own cells and metadata. #}
{{ report_incremental_config() }}
with

rules as (

    select * from {{ ref('reconciliation_rules') }}
    where evaluation = 'narrative_matches_table'

),

reports as (

    select * from {{ ref('int_documents_grouped_to_reports') }}
    {{ changed_reports_only() }}

),

measure_sources as (

    select * from {{ ref('measure_sources') }}

),

cells_labeled as (

    select * from {{ ref('int_cells_labeled') }}
    {{ changed_reports_only() }}

),

narrative_terms as (

    select * from measure_sources
    where measure_sources.source = 'narrative'

),

table_terms as (

    select
        measure_sources.*,
        count(*) over (partition by measure_sources.measure_code) as term_count

    from measure_sources
    where measure_sources.source = 'standard_table'

),

figures as (

    select
        cells_labeled.report_id,
        rules.rule_id,
        rules.tolerance,
        narrative_terms.measure_code,
        cells_labeled.table_code,
        cells_labeled.row_code,
        cells_labeled.col_code,
        cells_labeled.scope,
        cells_labeled.value,
        cells_labeled.raw_text,
        cells_labeled.value_kind

    from cells_labeled
    inner join rules
        on cells_labeled.table_code = rules.table_code
    inner join narrative_terms
        on cells_labeled.table_code = narrative_terms.table_code
        and cells_labeled.row_code = narrative_terms.row_code
        and cells_labeled.col_code = narrative_terms.col_code
    inner join reports
        on cells_labeled.report_id = reports.report_id
    where
        cells_labeled.is_placed
        and reports.is_reconcilable
        and narrative_terms.measure_code in (select table_terms.measure_code from table_terms)

),

table_inputs as (

    select
        reports.report_id,
        table_terms.measure_code,
        table_terms.table_code,
        table_terms.row_code,
        table_terms.col_code,
        table_terms.sign,
        table_terms.term_count,
        cells_labeled.value,
        cells_labeled.raw_text,
        case
            when cells_labeled.report_id is null then 'missing'
            when cells_labeled.has_value
                and cells_labeled.value is not null
                then 'usable'
            else cells_labeled.value_kind
        end as input_state

    from reports
    cross join table_terms
    left join cells_labeled
        on reports.report_id = cells_labeled.report_id
        and table_terms.table_code = cells_labeled.table_code
        and table_terms.row_code = cells_labeled.row_code
        and table_terms.col_code = cells_labeled.col_code
        and cells_labeled.is_placed
    where
        reports.is_reconcilable
        and reports.report_id in (select figures.report_id from figures)

),

table_summed as (

    select
        table_inputs.report_id,
        table_inputs.measure_code,
        count(*) as input_count,
        {{ aggregate_where('count', '*', "table_inputs.input_state <> 'usable'") }}
            as unusable_input_count,
        sum(table_inputs.sign * table_inputs.value) as table_value,
        {{ string_list(
            "table_inputs.row_code || '/' || table_inputs.col_code "
            ~ "|| ' (' || table_inputs.input_state || ')'",
            'table_inputs.row_code, table_inputs.col_code',
        ) }} as table_inputs_listed

    from table_inputs
    group by
        table_inputs.report_id,
        table_inputs.measure_code

),

figures_grouped as (

    select
        figures.report_id,
        figures.rule_id,
        figures.measure_code,
        figures.table_code,
        figures.row_code,
        figures.col_code,
        max(figures.tolerance) as tolerance,
        count(*) as figure_count,
        {{ aggregate_where('count', '*', "figures.scope = 'self' and figures.value is not null") }}
            as own_figure_count,
        {{ aggregate_where('min', 'figures.value', "figures.scope = 'self'") }}
            as own_min,
        {{ aggregate_where('max', 'figures.value', "figures.scope = 'self'") }}
            as own_max,
        {{ string_list(
            "figures.scope", 'figures.scope'
        ) }} as scopes_listed

    from figures
    group by
        figures.report_id,
        figures.rule_id,
        figures.measure_code,
        figures.table_code,
        figures.row_code,
        figures.col_code

),

scopes_evaluated as (

    select
        figures_grouped.report_id,
        figures_grouped.rule_id,
        figures_grouped.table_code,
        figures_grouped.row_code,
        figures_grouped.col_code,
        figures_grouped.table_code || '/' || figures_grouped.row_code
            || '/' || figures_grouped.col_code as scope_code,
        case
            when figures_grouped.own_figure_count = 0 then 'not_assessable'
            when table_summed.unusable_input_count > 0 then 'not_assessable'
            when abs(figures_grouped.own_min - table_summed.table_value)
                    <= figures_grouped.tolerance
                and abs(figures_grouped.own_max - table_summed.table_value)
                    <= figures_grouped.tolerance
                then 'pass'
            else 'fail'
        end as outcome,
        case
            when figures_grouped.own_figure_count > 0
                and table_summed.unusable_input_count = 0
                then table_summed.table_value
        end as expected,
        case
            when figures_grouped.own_figure_count = 0
                or table_summed.unusable_input_count > 0
                then null
            when abs(figures_grouped.own_max - table_summed.table_value)
                >= abs(figures_grouped.own_min - table_summed.table_value)
                then figures_grouped.own_max
            else figures_grouped.own_min
        end as actual,
        table_summed.input_count + figures_grouped.figure_count as input_count,
        table_summed.unusable_input_count,
        case
            when table_summed.unusable_input_count > 0
                then table_summed.table_inputs_listed
        end as unusable_inputs,
        case
            when figures_grouped.own_figure_count = 0
                and figures_grouped.scopes_listed <> 'self'
                then 'the text counts an aggregate (' || figures_grouped.scopes_listed
                || '), not the body whose table it is: not comparable with its table'
            when figures_grouped.own_figure_count = 0
                then 'the text gives no figure, only words'
            else 'table: ' || table_summed.table_inputs_listed
        end as detail

    from figures_grouped
    inner join table_summed
        on figures_grouped.report_id = table_summed.report_id
        and figures_grouped.measure_code = table_summed.measure_code

),

scopes_with_difference as (

    select
        scopes_evaluated.report_id,
        scopes_evaluated.rule_id,
        scopes_evaluated.table_code,
        scopes_evaluated.row_code,
        scopes_evaluated.col_code,
        scopes_evaluated.scope_code,
        scopes_evaluated.outcome,
        scopes_evaluated.expected,
        scopes_evaluated.actual,
        scopes_evaluated.actual - scopes_evaluated.expected as difference,
        scopes_evaluated.input_count,
        scopes_evaluated.unusable_input_count,
        scopes_evaluated.unusable_inputs,
        scopes_evaluated.detail

    from scopes_evaluated

),

inputs_explaining as (

    select
        figures.report_id,
        figures.rule_id,
        figures.table_code || '/' || figures.row_code || '/' || figures.col_code
            as scope_code,
        figures.row_code as input_row_code,
        figures.col_code as input_col_code,
        case
            when figures.scope <> 'self' then 'aggregate'
            when figures.value is null then figures.value_kind
            else 'usable'
        end as input_state,
        figures.value as input_value,
        figures.raw_text as input_raw_text

    from figures

    union all

    select
        figures_keys.report_id,
        figures_keys.rule_id,
        figures_keys.scope_code,
        table_inputs.row_code as input_row_code,
        table_inputs.col_code as input_col_code,
        table_inputs.input_state,
        table_inputs.value as input_value,
        table_inputs.raw_text as input_raw_text

    from (
        select distinct
            figures.report_id,
            figures.rule_id,
            figures.measure_code,
            figures.table_code || '/' || figures.row_code || '/' || figures.col_code
                as scope_code
        from figures
    ) as figures_keys
    inner join table_inputs
        on figures_keys.report_id = table_inputs.report_id
        and figures_keys.measure_code = table_inputs.measure_code

),

flagged_inputs as (

    select
        inputs_explaining.report_id,
        inputs_explaining.rule_id,
        inputs_explaining.scope_code,
        row_number() over (
            partition by
                inputs_explaining.report_id,
                inputs_explaining.rule_id,
                inputs_explaining.scope_code
            order by
                inputs_explaining.input_row_code,
                inputs_explaining.input_col_code,
                inputs_explaining.input_raw_text
        ) as input_ordinal,
        inputs_explaining.input_row_code,
        inputs_explaining.input_col_code,
        inputs_explaining.input_state,
        inputs_explaining.input_value,
        inputs_explaining.input_raw_text,
        cast(null as {{ dbt.type_string() }}) as input_violation

    from inputs_explaining
    inner join scopes_with_difference
        on inputs_explaining.report_id = scopes_with_difference.report_id
        and inputs_explaining.rule_id = scopes_with_difference.rule_id
        and inputs_explaining.scope_code = scopes_with_difference.scope_code
    where scopes_with_difference.outcome <> 'pass'

),

evaluated as (

    {{ rule_scope_rows('scopes_with_difference') }}

    union all

    {{ rule_input_rows('scopes_with_difference', 'flagged_inputs', [
        'report_id', 'rule_id', 'scope_code'
    ]) }}

)

select * from evaluated
