{#
    The generic model of evaluation kind `aggregate_parts` (R14). An aggregate is a
    reconcilable report that speaks for its whole area (report_scope = 'area': 全县共受理 …);
    its parts are the reconcilable reports of the same year and template by the other
    bodies of its division (departments, townships) and by the area-wide reports of the
    divisions directly below it. For each scope of the rule's terms (seeds/paired_terms.csv,
    report_role this = the aggregate, part = each part), the parts' sum may not exceed the
    aggregate (fail); otherwise the result is not_assessable, since no list says which
    bodies the area has: detail gives the coverage (parts found, their share of the whole),
    also when no part was found (parts found: 0). Input rows name each part's cell with
    its report. Incremental: a build rebuilds the rows of the changed reports and of the
    area reports whose parts they are or were (int_reports_changed_with_partners).
#}
{{ report_incremental_config(partners_of='aggregate_parts') }}
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

divisions as (

    select * from {{ ref('divisions') }}

),

cells_labeled as (

    select * from {{ ref('int_cells_labeled') }}

),

rules as (

    select
        reconciliation_rules.rule_id,
        reconciliation_rules.table_code,
        reconciliation_rules.scope_axis,
        reconciliation_rules.tolerance,
        rule_parameters.first_report_year

    from reconciliation_rules
    inner join rule_parameters
        on reconciliation_rules.rule_id = rule_parameters.rule_id
    where reconciliation_rules.evaluation = 'aggregate_parts'

),

reports as (

    select
        documents.report_id,
        documents.template,
        documents.report_year,
        agencies.agency_id,
        agencies.division_code,
        divisions.parent_code as parent_division_code,
        agencies.report_scope

    from documents
    inner join agencies
        on documents.report_id = agencies.report_id
    left join divisions
        on agencies.division_code = divisions.division_code
    where documents.is_reconcilable
        and agencies.agency_id is not null

),

aggregates as (

    select
        rules.rule_id,
        reports.report_id,
        reports.template,
        reports.report_year,
        reports.agency_id,
        reports.division_code

    from rules
    inner join reports
        on reports.report_scope = 'area'
        and (rules.first_report_year is null or reports.report_year >= rules.first_report_year)
    {{ partners_rebuilt_only('aggregate_parts', 'reports.report_id') }}

),

parts as (

    select
        aggregates.rule_id,
        aggregates.report_id,
        aggregates.template,
        part_reports.report_id as part_report_id

    from aggregates
    inner join reports as part_reports
        on part_reports.report_year = aggregates.report_year
        and part_reports.template = aggregates.template
        and part_reports.agency_id <> aggregates.agency_id
        and (
            (
                part_reports.division_code = aggregates.division_code
                and coalesce(part_reports.report_scope, '') <> 'area'
            )
            or (
                part_reports.parent_division_code = aggregates.division_code
                and part_reports.report_scope = 'area'
            )
        )

),

parts_counted as (

    {#- Every aggregate, with the parts found: none is a coverage of 0, not a missing row. #}
    select
        aggregates.rule_id,
        aggregates.report_id,
        count(parts.part_report_id) as part_count,
        min(parts.part_report_id) as first_part_report_id

    from aggregates
    left join parts
        on aggregates.rule_id = parts.rule_id
        and aggregates.report_id = parts.report_id
    group by aggregates.rule_id, aggregates.report_id

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

terms_by_scope as (

    {#- Each term of the rule at each scope of the aggregate's template. #}
    select
        aggregates.rule_id,
        aggregates.report_id,
        rules.table_code,
        rules.scope_axis,
        rules.tolerance,
        scope_codes.scope_code,
        paired_terms.side,
        paired_terms.sign,
        paired_terms.report_role,
        coalesce(paired_terms.row_code, scope_codes.scope_code) as input_row_code,
        coalesce(paired_terms.col_code, scope_codes.scope_code) as input_col_code

    from aggregates
    inner join parts_counted
        on aggregates.rule_id = parts_counted.rule_id
        and aggregates.report_id = parts_counted.report_id
    inner join rules
        on aggregates.rule_id = rules.rule_id
    inner join paired_terms
        on aggregates.rule_id = paired_terms.rule_id
    inner join scope_codes
        on aggregates.template = scope_codes.template
        and rules.table_code = scope_codes.table_code
        and rules.scope_axis = scope_codes.scope_axis
    inner join template_cells
        on aggregates.template = template_cells.template
        and rules.table_code = template_cells.table_code
        and coalesce(paired_terms.row_code, scope_codes.scope_code) = template_cells.row_code
        and coalesce(paired_terms.col_code, scope_codes.scope_code) = template_cells.col_code

),

terms_expanded as (

    {#- The aggregate's own term once, each part's term once per part. Two branches: with
        the role in the condition of one left join, DuckDB joined the parts in a nested
        loop (aggregates × parts: quadratic in the reports); each branch is a hash join. #}
    select
        terms_by_scope.rule_id,
        terms_by_scope.report_id,
        terms_by_scope.table_code,
        terms_by_scope.scope_axis,
        terms_by_scope.tolerance,
        terms_by_scope.scope_code,
        terms_by_scope.side,
        terms_by_scope.sign,
        terms_by_scope.report_role,
        terms_by_scope.report_id as input_report_id,
        terms_by_scope.input_row_code,
        terms_by_scope.input_col_code

    from terms_by_scope
    where coalesce(terms_by_scope.report_role, '') <> 'part'

    union all

    select
        terms_by_scope.rule_id,
        terms_by_scope.report_id,
        terms_by_scope.table_code,
        terms_by_scope.scope_axis,
        terms_by_scope.tolerance,
        terms_by_scope.scope_code,
        terms_by_scope.side,
        terms_by_scope.sign,
        terms_by_scope.report_role,
        parts.part_report_id as input_report_id,
        terms_by_scope.input_row_code,
        terms_by_scope.input_col_code

    from terms_by_scope
    inner join parts
        on terms_by_scope.rule_id = parts.rule_id
        and terms_by_scope.report_id = parts.report_id
    where terms_by_scope.report_role = 'part'

),

located_cells as (

    {{ rule_input_cells('cells_labeled') }}
    {%- if report_is_incremental() %}
        -- the cells of the rebuilt aggregates and of their parts
        and cells_labeled.report_id in (
            select aggregates.report_id from aggregates
            union
            select parts.part_report_id from parts
        )
    {%- endif %}

),

terms_located as (

    select
        terms_expanded.*,
        located_cells.value,
        located_cells.raw_text,
        coalesce(located_cells.input_state, 'missing') as input_state

    from terms_expanded
    left join located_cells
        on terms_expanded.input_report_id = located_cells.report_id
        and terms_expanded.table_code = located_cells.table_code
        and terms_expanded.input_row_code = located_cells.row_code
        and terms_expanded.input_col_code = located_cells.col_code

),

scopes_summed as (

    select
        terms_located.report_id,
        terms_located.rule_id,
        terms_located.table_code,
        terms_located.scope_axis,
        terms_located.scope_code,
        max(terms_located.tolerance) as tolerance,
        coalesce(sum(
            case when terms_located.side = 'expected'
                then terms_located.sign * terms_located.value end
        ), 0) as expected,
        coalesce(sum(
            case when terms_located.side = 'actual'
                then terms_located.sign * terms_located.value end
        ), 0) as actual,
        count(*) as input_count,
        sum(case when terms_located.input_state <> 'usable' then 1 else 0 end)
            as unusable_input_count,
        {{ string_list(
            "case when terms_located.input_state <> 'usable' then concat("
            ~ "terms_located.input_report_id, ' ', terms_located.input_row_code, '.', "
            ~ "terms_located.input_col_code, ' (', terms_located.input_state, ')') end",
            'terms_located.input_report_id, terms_located.input_row_code, '
            ~ 'terms_located.input_col_code',
            '; ',
        ) }} as unusable_inputs

    from terms_located
    group by
        terms_located.report_id,
        terms_located.rule_id,
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
            when scopes_summed.unusable_input_count = 0
                and parts_counted.part_count > 0
                and scopes_summed.expected > scopes_summed.actual + scopes_summed.tolerance
                then 'fail'
            else 'not_assessable'
        end as outcome,
        case
            when scopes_summed.unusable_input_count = 0 and parts_counted.part_count > 0
                then scopes_summed.expected
        end as expected,
        case
            when scopes_summed.unusable_input_count = 0 and parts_counted.part_count > 0
                then scopes_summed.actual
        end as actual,
        case
            when scopes_summed.unusable_input_count = 0 and parts_counted.part_count > 0
                then scopes_summed.actual - scopes_summed.expected
        end as difference,
        scopes_summed.input_count,
        scopes_summed.unusable_input_count,
        scopes_summed.unusable_inputs,
        concat(
            'parts found: ', cast(parts_counted.part_count as {{ dbt.type_string() }}),
            ' report(s) of the area',
            case
                when parts_counted.part_count = 0
                    then ' (no report of its bodies for the same year and template)'
                when scopes_summed.unusable_input_count = 0 and scopes_summed.actual > 0
                    then concat(
                        ', their sum is ',
                        cast(
                            round(100 * scopes_summed.expected / scopes_summed.actual, 1)
                            as {{ dbt.type_string() }}
                        ),
                        '% of the whole'
                    )
                else ''
            end,
            case
                when parts_counted.part_count = 0 then ''
                when scopes_summed.unusable_input_count = 0
                    and scopes_summed.expected > scopes_summed.actual + scopes_summed.tolerance
                    then ': the parts exceed the whole'
                else '; the set of parts is not known to be complete'
            end
        ) as detail,
        parts_counted.first_part_report_id as compared_report_id

    from scopes_summed
    inner join parts_counted
        on scopes_summed.rule_id = parts_counted.rule_id
        and scopes_summed.report_id = parts_counted.report_id

),

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
            order by terms_located.report_role desc, terms_located.input_report_id asc
        ) as input_ordinal,
        terms_located.input_report_id,
        terms_located.input_row_code,
        terms_located.input_col_code,
        terms_located.input_state,
        terms_located.value as input_value,
        terms_located.raw_text as input_raw_text,
        cast(null as {{ dbt.type_string() }}) as input_violation

    from terms_located

),

evaluated as (

    {{ rule_scope_rows('scopes_evaluated', compared=true) }}

    union all

    {{ rule_input_rows('scopes_evaluated', 'flagged_inputs', [
        'report_id', 'rule_id', 'scope_code'
    ], compared=true) }}

)

select * from evaluated
