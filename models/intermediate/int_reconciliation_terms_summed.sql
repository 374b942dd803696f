{#
    Rules with evaluation terms (R01-R04) for every reconcilable report: each
    term's cell is looked up, the two sides are summed with their signs, and
    the outcome is decided. One scope row per report, rule and scope. A term
    whose cell is missing, blank, not applicable or unparsed makes the scope
    not_assessable (never read as 0) and is named in unusable_inputs. Then one
    row per input cell that explains a non-pass outcome: every term of a
    failing scope, the unusable terms of a not_assessable one.

    For scale: each located cell is joined once to the terms it feeds of its
    own template (about two a cell), and for R02 to the other template's too
    (cell_template_terms); scopes pick the evaluated template's sums by a join
    at scope grain, never by joining every cell to the reports' rule templates.
    The sums and counts decide the outcome (fewer located cells than terms
    means one is missing); the same stream is joined again only to the
    non-pass scopes, for their inputs, and a term of a scope with fewer cells
    than terms that none of them feeds is missing.
    A rule whose terms differ by template (R02's （六）: the 2019 single row,
    the 2021 three sub-rows; tagged in the terms seed) is evaluated on the row
    set the report printed: its own template's when it printed any of those
    rows, else the other template's it printed, so a 2021 report printing
    the 2019 single （六） is assessed, not missing three rows.
    The cell CTEs read by several others are inlined (not_materialized):
    recomputing them is cheaper than buffering ~30M rows. A table, not a view:
    DuckDB drops the hint from a view's stored SQL, and fct_reconciliation_results
    then reads ~4M finished rows.
#}
{{ report_incremental_config() }}
with

reports as (

    select * from {{ ref('int_documents_grouped_to_reports') }}
    {{ changed_reports_only() }}

),

terms_expanded as (

    select * from {{ ref('int_reconciliation_terms_expanded_to_scopes') }}

),

cells_labeled as {{ not_materialized() }} (

    select * from {{ ref('int_cells_labeled') }}
    {{ changed_reports_only() }}

),

scope_inputs_counted as (

    select
        terms_expanded.template,
        terms_expanded.rule_id,
        terms_expanded.table_code,
        terms_expanded.scope_axis,
        terms_expanded.scope_code,
        count(*) as input_count,
        max(terms_expanded.tolerance) as tolerance

    from terms_expanded
    group by
        terms_expanded.template,
        terms_expanded.rule_id,
        terms_expanded.table_code,
        terms_expanded.scope_axis,
        terms_expanded.scope_code

),

located_cells as {{ not_materialized() }} (

    {{ rule_input_cells('cells_labeled') }}

),

row_set_rows as (

    {#- Rows only one template's row set of a rule has (R02's （六）). #}
    select distinct
        terms_expanded.rule_id,
        terms_expanded.table_code,
        terms_expanded.input_row_code,
        terms_expanded.term_template

    from terms_expanded
    where terms_expanded.term_template is not null

),

row_sets_printed as (

    select
        located_cells.report_id,
        row_set_rows.rule_id,
        row_set_rows.term_template,
        count(*) as printed_cells

    from located_cells
    inner join row_set_rows
        on located_cells.table_code = row_set_rows.table_code
        and located_cells.row_code = row_set_rows.input_row_code
    group by
        located_cells.report_id,
        row_set_rows.rule_id,
        row_set_rows.term_template

),

row_sets_ranked as (

    select
        row_sets_printed.report_id,
        row_sets_printed.rule_id,
        row_sets_printed.term_template,
        row_number() over (
            partition by row_sets_printed.report_id, row_sets_printed.rule_id
            order by
                case when row_sets_printed.term_template = reports.template then 0 else 1 end asc,
                row_sets_printed.printed_cells desc,
                row_sets_printed.term_template asc
        ) as row_set_rank

    from row_sets_printed
    inner join reports
        on row_sets_printed.report_id = reports.report_id

),

term_rules as (

    select distinct terms_expanded.rule_id
    from terms_expanded

),

report_rule_templates as (

    {#- The template whose terms each rule uses for a report: its own, unless the
        report printed another template's row set of the rule and none of its own. #}
    select
        reports.report_id,
        rules.rule_id,
        coalesce(row_sets_ranked.term_template, reports.template) as evaluated_template

    from reports
    cross join term_rules as rules
    left join row_sets_ranked
        on reports.report_id = row_sets_ranked.report_id
        and rules.rule_id = row_sets_ranked.rule_id
        and row_sets_ranked.row_set_rank = 1
    where reports.is_reconcilable

),

term_templates as (

    select distinct terms_expanded.template
    from terms_expanded

),

row_set_rules as (

    select distinct row_set_rows.rule_id
    from row_set_rows

),

{# The terms a cell of each template can feed: its own template's, and for a
    rule with template row sets (R02) the other template's as well, since a report
    may be evaluated on those (report_rule_templates). Readers keep the terms of
    the evaluated template by joining their scopes on it: no join of every cell
    to the reports' rule templates, and no cell meets both templates' terms of a
    rule whose terms do not differ. #}
cell_template_terms as (

    select
        terms_expanded.template as cell_template,
        terms_expanded.*

    from terms_expanded

    union all

    select
        term_templates.template as cell_template,
        terms_expanded.*

    from term_templates
    inner join terms_expanded
        on term_templates.template <> terms_expanded.template
    inner join row_set_rules
        on terms_expanded.rule_id = row_set_rules.rule_id

),

report_scopes as (

    select
        report_rule_templates.report_id,
        scope_inputs_counted.*

    from report_rule_templates
    inner join scope_inputs_counted
        on report_rule_templates.evaluated_template = scope_inputs_counted.template
        and report_rule_templates.rule_id = scope_inputs_counted.rule_id

),

{# Each located cell with the terms it feeds (about two a cell), tagged with
    the template they belong to. A cell of a report that is not reconcilable
    meets terms here but no scope of report_scopes. #}
terms_located as {{ not_materialized() }} (

    select
        located_cells.report_id,
        cell_template_terms.rule_id,
        cell_template_terms.scope_code,
        cell_template_terms.template as evaluated_template,
        cell_template_terms.side,
        cell_template_terms.input_row_code,
        cell_template_terms.input_col_code,
        cell_template_terms.sign,
        located_cells.value,
        located_cells.raw_text,
        located_cells.input_state

    from located_cells
    inner join cell_template_terms
        on located_cells.template = cell_template_terms.cell_template
        and located_cells.table_code = cell_template_terms.table_code
        and located_cells.row_code = cell_template_terms.input_row_code
        and located_cells.col_code = cell_template_terms.input_col_code

),

terms_summed as (

    select
        terms_located.report_id,
        terms_located.rule_id,
        terms_located.scope_code,
        terms_located.evaluated_template,
        count(*) as located_count,
        {{ aggregate_where(
            'count', '*', "terms_located.input_state <> 'usable'"
        ) }} as unusable_located_count,
        {{ aggregate_where(
            'sum',
            'terms_located.sign * terms_located.value',
            "terms_located.side = 'expected'",
        ) }} as expected_sum,
        {{ aggregate_where(
            'sum',
            'terms_located.sign * terms_located.value',
            "terms_located.side = 'actual'",
        ) }} as actual_sum

    from terms_located
    group by
        terms_located.report_id,
        terms_located.rule_id,
        terms_located.scope_code,
        terms_located.evaluated_template

),

{# The outcome from the sums and counts alone: a scope with an unusable term,
    or with fewer located cells than terms (so at least one term is missing), is
    not_assessable. #}
scopes_decided as {{ cte_materialized() }} (

    select
        report_scopes.report_id,
        report_scopes.rule_id,
        report_scopes.scope_code,
        report_scopes.template,
        report_scopes.table_code,
        report_scopes.scope_axis,
        report_scopes.input_count,
        coalesce(terms_summed.unusable_located_count, 0) as unusable_located_count,
        coalesce(terms_summed.located_count, 0) < report_scopes.input_count
            as is_incomplete,
        case
            when coalesce(terms_summed.unusable_located_count, 0) > 0
                or coalesce(terms_summed.located_count, 0) < report_scopes.input_count
                then 'not_assessable'
            when abs(terms_summed.actual_sum - terms_summed.expected_sum)
                <= report_scopes.tolerance
                then 'pass'
            else 'fail'
        end as outcome,
        terms_summed.expected_sum,
        terms_summed.actual_sum

    from report_scopes
    left join terms_summed
        on report_scopes.report_id = terms_summed.report_id
        and report_scopes.rule_id = terms_summed.rule_id
        and report_scopes.scope_code = terms_summed.scope_code
        and report_scopes.template = terms_summed.evaluated_template

),

flagged_scopes as (

    select
        scopes_decided.report_id,
        scopes_decided.rule_id,
        scopes_decided.scope_code,
        scopes_decided.template,
        scopes_decided.outcome

    from scopes_decided
    where scopes_decided.outcome <> 'pass'

),

{# The located terms of the non-pass scopes: what the lists and input rows name
    (the join is built on those scopes, a tenth of them, not on the cells). #}
flagged_terms as {{ cte_materialized() }} (

    select
        terms_located.*,
        flagged_scopes.outcome

    from terms_located
    inner join flagged_scopes
        on terms_located.report_id = flagged_scopes.report_id
        and terms_located.rule_id = flagged_scopes.rule_id
        and terms_located.scope_code = flagged_scopes.scope_code
        and terms_located.evaluated_template = flagged_scopes.template

),

{# A term of an incomplete scope that no located cell feeds: its cell is
    missing (a located cell at its coordinates would have met it above). #}
missing_terms as {{ cte_materialized() }} (

    select
        scopes_decided.report_id,
        terms_expanded.rule_id,
        terms_expanded.scope_code,
        terms_expanded.input_row_code,
        terms_expanded.input_col_code,
        cast(null as double) as value,
        cast(null as {{ dbt.type_string() }}) as raw_text,
        'missing' as input_state

    from scopes_decided
    inner join terms_expanded
        on scopes_decided.template = terms_expanded.template
        and scopes_decided.rule_id = terms_expanded.rule_id
        and scopes_decided.scope_code = terms_expanded.scope_code
    left join flagged_terms
        on scopes_decided.report_id = flagged_terms.report_id
        and terms_expanded.rule_id = flagged_terms.rule_id
        and terms_expanded.scope_code = flagged_terms.scope_code
        and terms_expanded.input_row_code = flagged_terms.input_row_code
        and terms_expanded.input_col_code = flagged_terms.input_col_code
    where
        scopes_decided.is_incomplete
        and flagged_terms.report_id is null

),

missing_terms_counted as (

    select
        missing_terms.report_id,
        missing_terms.rule_id,
        missing_terms.scope_code,
        count(*) as missing_count

    from missing_terms
    group by
        missing_terms.report_id,
        missing_terms.rule_id,
        missing_terms.scope_code

),

unusable_terms as (

    select
        flagged_terms.report_id,
        flagged_terms.rule_id,
        flagged_terms.scope_code,
        flagged_terms.input_row_code,
        flagged_terms.input_col_code,
        flagged_terms.value,
        flagged_terms.raw_text,
        flagged_terms.input_state

    from flagged_terms
    where flagged_terms.input_state <> 'usable'

    union all

    select
        missing_terms.report_id,
        missing_terms.rule_id,
        missing_terms.scope_code,
        missing_terms.input_row_code,
        missing_terms.input_col_code,
        missing_terms.value,
        missing_terms.raw_text,
        missing_terms.input_state

    from missing_terms

),

unusable_terms_listed as (

    select
        unusable_terms.report_id,
        unusable_terms.rule_id,
        unusable_terms.scope_code,
        {{ string_list(
            "unusable_terms.input_row_code || '/' "
            ~ "|| unusable_terms.input_col_code "
            ~ "|| ' (' || unusable_terms.input_state || ')'",
            'unusable_terms.input_row_code, unusable_terms.input_col_code',
        ) }} as unusable_inputs

    from unusable_terms
    group by
        unusable_terms.report_id,
        unusable_terms.rule_id,
        unusable_terms.scope_code

),

scopes_evaluated as (

    select
        scopes_decided.report_id,
        scopes_decided.rule_id,
        scopes_decided.scope_code,
        scopes_decided.table_code,
        case
            when scopes_decided.scope_axis = 'row_code'
                then scopes_decided.scope_code
        end as row_code,
        case
            when scopes_decided.scope_axis = 'col_code'
                then scopes_decided.scope_code
        end as col_code,
        scopes_decided.outcome,
        case
            when scopes_decided.outcome <> 'not_assessable'
                then scopes_decided.expected_sum
        end as expected,
        case
            when scopes_decided.outcome <> 'not_assessable'
                then scopes_decided.actual_sum
        end as actual,
        case
            when scopes_decided.outcome <> 'not_assessable'
                then scopes_decided.actual_sum - scopes_decided.expected_sum
        end as difference,
        scopes_decided.input_count,
        scopes_decided.unusable_located_count
            + coalesce(missing_terms_counted.missing_count, 0)
            as unusable_input_count,
        unusable_terms_listed.unusable_inputs,
        cast(null as {{ dbt.type_string() }}) as detail

    from scopes_decided
    left join unusable_terms_listed
        on scopes_decided.report_id = unusable_terms_listed.report_id
        and scopes_decided.rule_id = unusable_terms_listed.rule_id
        and scopes_decided.scope_code = unusable_terms_listed.scope_code
    left join missing_terms_counted
        on scopes_decided.report_id = missing_terms_counted.report_id
        and scopes_decided.rule_id = missing_terms_counted.rule_id
        and scopes_decided.scope_code = missing_terms_counted.scope_code

),

{# A failing scope's inputs are all usable; a not_assessable scope's
    unusable ones explain it. #}
inputs_explaining as (

    select
        flagged_terms.report_id,
        flagged_terms.rule_id,
        flagged_terms.scope_code,
        flagged_terms.input_row_code,
        flagged_terms.input_col_code,
        flagged_terms.value,
        flagged_terms.raw_text,
        flagged_terms.input_state

    from flagged_terms
    where flagged_terms.outcome = 'fail'

    union all

    select * from unusable_terms

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
                inputs_explaining.input_col_code
        ) as input_ordinal,
        inputs_explaining.input_row_code,
        inputs_explaining.input_col_code,
        inputs_explaining.input_state,
        inputs_explaining.value as input_value,
        inputs_explaining.raw_text as input_raw_text,
        cast(null as {{ dbt.type_string() }}) as input_violation

    from inputs_explaining

),

evaluated as (

    {{ rule_scope_rows('scopes_evaluated') }}

    union all

    {{ rule_input_rows('scopes_evaluated', 'flagged_inputs', [
        'report_id', 'rule_id', 'scope_code'
    ]) }}

)

select * from evaluated
