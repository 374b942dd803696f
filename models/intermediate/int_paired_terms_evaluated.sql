{#
    The generic model of evaluation kind `paired_terms`: rules whose terms are cells of a
    report and, for the cross-report rules, of the same body's report of the year before.
    seeds/paired_terms.csv says which cells (report_role this / previous, side, sign; the
    empty row_code or col_code is the rule's scope axis), seeds/rule_parameters.csv how the
    reports are paired (this_report, previous_year), how the sides compare (equal,
    expected_at_least_actual), and which reports the rule applies to (template of each
    report, report years, agency levels). One row per report, rule and scope, naming the
    report compared with; a scope with a missing, blank or unparsed input is not_assessable
    and names it. A rule that names a template applies to the read reports of it (the
    pre-2019 statistics tables too), one that names none to the reconcilable ones. Scopes
    come from the template's cells; a table no template describes (legacy) has the rows
    and columns the report prints, and a scope there applies only where both reports print
    every term (an indicator last year's table did not list was not counted then). Rows as every evaluation model writes them (macros/rule_evaluation.sql):
    scope rows, then the input cells that explain a non-pass, each naming its report.
    Incremental: a build rebuilds the rows of the changed reports and of the next year's
    reports of their bodies, before and after the change (int_reports_changed_with_partners).
#}
{{ report_incremental_config(partners_of='paired_terms') }}
with

reconciliation_rules as (

    select * from {{ ref('reconciliation_rules') }}

),

rule_parameters as (

    select * from {{ ref('rule_parameters') }}

),

paired_terms as (

    select * from {{ ref('paired_terms') }}

),

template_cells as (

    select * from {{ ref('template_cells') }}

),

documents as (

    select * from {{ ref('int_documents_grouped_to_reports') }}

),

agencies as (

    select * from {{ ref('int_reports_matched_to_agencies') }}

),

cells_labeled as (

    select * from {{ ref('int_cells_labeled') }}

),

legacy_splits as (

    select * from {{ ref('int_legacy_splits_resolved_across_years') }}

),

rules as (

    select
        reconciliation_rules.rule_id,
        reconciliation_rules.table_code,
        reconciliation_rules.scope_axis,
        reconciliation_rules.tolerance,
        rule_parameters.pairing,
        rule_parameters.comparison,
        rule_parameters.template,
        rule_parameters.previous_template,
        rule_parameters.first_report_year,
        rule_parameters.last_report_year,
        rule_parameters.agency_levels

    from reconciliation_rules
    inner join rule_parameters
        on reconciliation_rules.rule_id = rule_parameters.rule_id
    where reconciliation_rules.evaluation = 'paired_terms'

),

reports as (

    select
        documents.report_id,
        documents.template,
        documents.report_year,
        documents.is_reconcilable,
        agencies.agency_id,
        agencies.agency_level

    from documents
    left join agencies
        on documents.report_id = agencies.report_id
    where documents.is_read

),

reports_in_scope as (

    select
        rules.*,
        reports.report_id,
        reports.template as report_template,
        reports.report_year,
        reports.agency_id

    from rules
    inner join reports
        on (
            (rules.template is null and reports.is_reconcilable)
            or reports.template = rules.template
        )
        and (
            rules.first_report_year is null
            or reports.report_year >= rules.first_report_year
        )
        and (
            rules.last_report_year is null
            or reports.report_year <= rules.last_report_year
        )
        and (
            rules.agency_levels is null
            or concat(';', rules.agency_levels, ';')
            like concat('%;', reports.agency_level, ';%')
        )
    {{ partners_rebuilt_only('paired_terms', 'reports.report_id') }}

),

pairs_found as (

    select
        reports_in_scope.rule_id,
        reports_in_scope.report_id,
        reports_in_scope.report_template,
        reports_in_scope.report_id as compared_report_id,
        reports_in_scope.report_template as compared_template

    from reports_in_scope
    where reports_in_scope.pairing = 'this_report'

    union all

    select
        reports_in_scope.rule_id,
        reports_in_scope.report_id,
        reports_in_scope.report_template,
        previous_reports.report_id as compared_report_id,
        previous_reports.template as compared_template

    from reports_in_scope
    inner join reports as previous_reports
        on reports_in_scope.agency_id = previous_reports.agency_id
        and previous_reports.report_year = reports_in_scope.report_year - 1
        and (
            reports_in_scope.previous_template is null
            or previous_reports.template = reports_in_scope.previous_template
        )
    where reports_in_scope.pairing = 'previous_year'

),

pairs as (

    {#- A body with two reports of one year is compared with one of them, the same each build. #}
    select * from (
        select
            pairs_found.*,
            row_number() over (
                partition by pairs_found.rule_id, pairs_found.report_id
                order by pairs_found.compared_report_id
            ) as pair_rank

        from pairs_found
    ) as ranked
    where ranked.pair_rank = 1

),

templated_tables as (

    select distinct template_cells.table_code

    from template_cells

),

scope_codes as (

    select distinct
        template_cells.template,
        template_cells.table_code,
        'row_code' as scope_axis,
        template_cells.row_code as scope_code

    from template_cells

    union all

    select distinct
        template_cells.template,
        template_cells.table_code,
        'col_code' as scope_axis,
        template_cells.col_code as scope_code

    from template_cells

),

located_cells as (

    {{ rule_input_cells('cells_labeled') }}
    {%- if report_is_incremental() %}
        -- the cells of the rebuilt reports and of those they are compared with
        and cells_labeled.report_id in (
            select pairs.report_id from pairs
            union
            select pairs.compared_report_id from pairs
        )
    {%- endif %}

),

printed_cells as (

    {#- The cells a report prints in the tables no template describes. #}
    select distinct
        located_cells.report_id,
        located_cells.table_code,
        located_cells.row_code,
        located_cells.col_code

    from located_cells
    left join templated_tables
        on located_cells.table_code = templated_tables.table_code
    where templated_tables.table_code is null

),

printed_scope_codes as (

    select distinct
        printed_cells.report_id,
        printed_cells.table_code,
        'row_code' as scope_axis,
        printed_cells.row_code as scope_code

    from printed_cells

    union all

    select distinct
        printed_cells.report_id,
        printed_cells.table_code,
        'col_code' as scope_axis,
        printed_cells.col_code as scope_code

    from printed_cells

),

pair_scopes as (

    select
        pairs.rule_id,
        pairs.report_id,
        scope_codes.scope_code

    from pairs
    inner join rules
        on pairs.rule_id = rules.rule_id
    inner join scope_codes
        on pairs.report_template = scope_codes.template
        and rules.table_code = scope_codes.table_code
        and rules.scope_axis = scope_codes.scope_axis

    union all

    select
        pairs.rule_id,
        pairs.report_id,
        printed_scope_codes.scope_code

    from pairs
    inner join rules
        on pairs.rule_id = rules.rule_id
    inner join printed_scope_codes
        on pairs.report_id = printed_scope_codes.report_id
        and rules.table_code = printed_scope_codes.table_code
        and rules.scope_axis = printed_scope_codes.scope_axis

),

terms_expanded as (

    select
        pairs.rule_id,
        pairs.report_id,
        pairs.compared_report_id,
        rules.table_code,
        rules.scope_axis,
        rules.comparison,
        rules.tolerance,
        pair_scopes.scope_code,
        paired_terms.side,
        paired_terms.sign,
        paired_terms.report_role,
        case
            when paired_terms.report_role = 'previous' then pairs.compared_report_id
            else pairs.report_id
        end as input_report_id,
        case
            when paired_terms.report_role = 'previous' then pairs.compared_template
            else pairs.report_template
        end as input_template,
        coalesce(paired_terms.row_code, pair_scopes.scope_code) as input_row_code,
        coalesce(paired_terms.col_code, pair_scopes.scope_code) as input_col_code

    from pair_scopes
    inner join pairs
        on pair_scopes.rule_id = pairs.rule_id
        and pair_scopes.report_id = pairs.report_id
    inner join rules
        on pairs.rule_id = rules.rule_id
    inner join paired_terms
        on pairs.rule_id = paired_terms.rule_id

),

terms_in_template as (

    select
        terms_expanded.*,
        templated_tables.table_code is not null as is_templated,
        (
            template_cells.row_code is not null
            or printed_cells.row_code is not null
        ) as is_in_template

    from terms_expanded
    left join templated_tables
        on terms_expanded.table_code = templated_tables.table_code
    left join template_cells
        on terms_expanded.input_template = template_cells.template
        and terms_expanded.table_code = template_cells.table_code
        and terms_expanded.input_row_code = template_cells.row_code
        and terms_expanded.input_col_code = template_cells.col_code
    left join printed_cells
        on terms_expanded.input_report_id = printed_cells.report_id
        and terms_expanded.table_code = printed_cells.table_code
        and terms_expanded.input_row_code = printed_cells.row_code
        and terms_expanded.input_col_code = printed_cells.col_code

),

scopes_kept as (

    {#- A scope exists where every cell of this report's terms is in its template (for a
        table without one: every term's cell, of both reports, is printed). #}
    select
        terms_in_template.rule_id,
        terms_in_template.report_id,
        terms_in_template.scope_code

    from terms_in_template
    group by
        terms_in_template.rule_id,
        terms_in_template.report_id,
        terms_in_template.scope_code
    having
        sum(
            case
                when (terms_in_template.report_role = 'this' or not terms_in_template.is_templated)
                    and not terms_in_template.is_in_template then 1
                else 0
            end
        ) = 0

),

terms_located as (

    select
        terms_in_template.*,
        located_cells.value,
        located_cells.raw_text,
        coalesce(located_cells.input_state, 'missing') as input_state,
        located_cells.cell_status

    from terms_in_template
    inner join scopes_kept
        on terms_in_template.rule_id = scopes_kept.rule_id
        and terms_in_template.report_id = scopes_kept.report_id
        and terms_in_template.scope_code = scopes_kept.scope_code
    left join located_cells
        on terms_in_template.input_report_id = located_cells.report_id
        and terms_in_template.table_code = located_cells.table_code
        and terms_in_template.input_row_code = located_cells.row_code
        and terms_in_template.input_col_code = located_cells.col_code

),

scopes_summed as (

    select
        terms_located.report_id,
        terms_located.rule_id,
        terms_located.compared_report_id,
        terms_located.table_code,
        terms_located.scope_axis,
        terms_located.scope_code,
        max(terms_located.comparison) as comparison,
        max(terms_located.tolerance) as tolerance,
        coalesce(
            sum(
                case
                    when terms_located.side = 'expected'
                        then terms_located.sign * terms_located.value
                end
            ),
            0
        ) as expected,
        coalesce(
            sum(
                case
                    when terms_located.side = 'actual'
                        then terms_located.sign * terms_located.value
                end
            ),
            0
        ) as actual,
        count(*) as input_count,
        sum(case when terms_located.input_state <> 'usable' then 1 else 0 end)
            as unusable_input_count,
        {{ string_list(
            "case when terms_located.input_state <> 'usable' then concat("
            ~ "terms_located.report_role, ' ', terms_located.input_row_code, '.', "
            ~ "terms_located.input_col_code, ' (', terms_located.input_state, ')') end",
            'terms_located.report_role, terms_located.input_row_code, '
            ~ 'terms_located.input_col_code',
            '; ',
        ) }} as unusable_inputs

    from terms_located
    group by
        terms_located.report_id,
        terms_located.rule_id,
        terms_located.compared_report_id,
        terms_located.table_code,
        terms_located.scope_axis,
        terms_located.scope_code

),

scopes_evaluated as (

    select
        scopes_summed.scope_code,
        scopes_summed.report_id,
        scopes_summed.rule_id,
        scopes_summed.table_code,
        case
            when scopes_summed.scope_axis = 'row_code' then scopes_summed.scope_code
        end as row_code,
        case
            when scopes_summed.scope_axis = 'col_code' then scopes_summed.scope_code
        end as col_code,
        case
            when scopes_summed.unusable_input_count > 0 then 'not_assessable'
            when scopes_summed.comparison = 'expected_at_least_actual'
                and scopes_summed.expected + scopes_summed.tolerance >= scopes_summed.actual
                then 'pass'
            when scopes_summed.comparison = 'equal'
                and abs(scopes_summed.expected - scopes_summed.actual)
                <= scopes_summed.tolerance
                then 'pass'
            else 'fail'
        end as outcome,
        case
            when scopes_summed.unusable_input_count = 0 then scopes_summed.expected
        end as expected,
        case
            when scopes_summed.unusable_input_count = 0 then scopes_summed.actual
        end as actual,
        case
            when scopes_summed.unusable_input_count = 0
                then scopes_summed.actual - scopes_summed.expected
        end as difference,
        scopes_summed.input_count,
        scopes_summed.unusable_input_count,
        scopes_summed.unusable_inputs,
        case
            when scopes_summed.compared_report_id <> scopes_summed.report_id
                then concat(
                    'compared with the same body',
                    '{{ dbt.escape_single_quotes("'") }}s report of the year before'
                )
        end as detail,
        case
            when scopes_summed.compared_report_id <> scopes_summed.report_id
                then scopes_summed.compared_report_id
        end as compared_report_id

    from scopes_summed

),

{# A failing scope's inputs are all usable; a not_assessable scope's unusable ones explain it. #}
flagged_inputs as (

    select
        terms_located.report_id,
        terms_located.rule_id,
        terms_located.scope_code,
        row_number() over (
            partition by
                terms_located.report_id,
                terms_located.rule_id,
                terms_located.scope_code
            order by
                terms_located.report_role desc,
                terms_located.input_row_code asc,
                terms_located.input_col_code asc
        ) as input_ordinal,
        terms_located.input_report_id,
        terms_located.input_row_code,
        terms_located.input_col_code,
        terms_located.input_state,
        terms_located.value as input_value,
        terms_located.raw_text as input_raw_text,
        cast(null as {{ dbt.type_string() }}) as input_violation

    from terms_located
    inner join scopes_evaluated
        on terms_located.report_id = scopes_evaluated.report_id
        and terms_located.rule_id = scopes_evaluated.rule_id
        and terms_located.scope_code = scopes_evaluated.scope_code
    where scopes_evaluated.outcome = 'fail'
        or (
            scopes_evaluated.outcome = 'not_assessable'
            and terms_located.input_state <> 'usable'
        )

),

{# A run-together row no stored split of which fits the rule against last year's report
    (int_legacy_splits_resolved_across_years, none_fits): the rule fails whatever the
    row's split. The row is not placed, so no scope above holds it; its terms are unknown,
    so expected and actual are null and the detail says why. Only where that rule alone
    judged the row: under several, no fit to all is not a failure of each. #}
scopes_breaking as (

    select
        breaking.row_code as scope_code,
        breaking.report_id,
        breaking.judging_rule_id as rule_id,
        breaking.table_code,
        breaking.row_code,
        cast(null as {{ dbt.type_string() }}) as col_code,
        'fail' as outcome,
        cast(null as double) as expected,
        cast(null as double) as actual,
        cast(null as double) as difference,
        cast(0 as bigint) as input_count,
        cast(0 as bigint) as unusable_input_count,
        cast(null as {{ dbt.type_string() }}) as unusable_inputs,
        breaking.note as detail,
        pairs.compared_report_id

    from (
        select
            legacy_splits.report_id,
            legacy_splits.judging_rule_id,
            legacy_splits.table_code,
            legacy_splits.row_code,
            min(legacy_splits.note) as note
        from legacy_splits
        where legacy_splits.split_outcome = 'none_fits'
            and legacy_splits.judging_rule_id is not null
        group by
            legacy_splits.report_id,
            legacy_splits.judging_rule_id,
            legacy_splits.table_code,
            legacy_splits.row_code
    ) as breaking
    inner join pairs
        on breaking.report_id = pairs.report_id
        and breaking.judging_rule_id = pairs.rule_id

),

evaluated as (

    {{ rule_scope_rows('scopes_evaluated', compared=true) }}

    union all

    {{ rule_scope_rows('scopes_breaking', compared=true) }}

    union all

    {{ rule_input_rows('scopes_evaluated', 'flagged_inputs', [
        'report_id', 'rule_id', 'scope_code'
    ], compared=true) }}

)

select * from evaluated
