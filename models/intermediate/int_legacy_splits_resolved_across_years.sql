{#
    Run-together rows of pre-2019 statistics tables that the ingest left
    ambiguous, checked against the same body's report of the year before. The
    rules of seeds/split_rules.csv (L06: this year's 历年累计 = last year's
    历年累计 + this year's 本年度) are paired_terms rules: their terms
    (paired_terms) and pairing (rule_parameters: previous_year, templates, report
    years) are the ones the rule evaluation uses. A candidate split fits a rule
    when its terms, this report's from the split and the previous report's from
    its placed cells, satisfy the comparison; a previous report that does not
    print a term cannot judge. Of the candidates the lake stores, those that fit
    every rule some previous report can judge are kept.

    One row per warehouse cell that replaces an ambiguous lake cell: exactly one
    candidate kept gives one inferred cell per column of the split (value set, a
    note naming the rule and the previous reports); two or more give the
    ambiguous cell again with a note saying so (its candidates stay); none kept
    while some previous report can judge gives the ambiguous cell again with a
    note saying that no split fits (a report is never repaired; L06 reports the
    break). No previous report that can judge: no row, the lake cell is
    unchanged. split_outcome says which (resolved, several_fit, none_fits) and
    evidence names the rules and previous reports. int_cells_labeled applies
    these rows; int_report_build_keys puts them into the report's key, so adding
    or removing a previous report rebuilds the reports it resolves.

    The previous report's placed cells are its lake cells and, from the second
    pass on, the cells an earlier pass resolved in it: a chain 2016 -> 2017 ->
    2018 whose middle row is run together resolves 2018 once 2017 is resolved.
    The passes are unrolled (var legacy_split_chain_passes, one per link of a
    chain: 2 by default), as no engine's SQL loops portably.
#}
{{ config(materialized='table') }}
with

cell_candidates as (

    select * from {{ ref('stg_ingest__cell_candidates') }}

),

lake_cells as (

    select * from {{ ref('stg_ingest__cells') }}

),

documents as (

    select * from {{ ref('int_documents_grouped_to_reports') }}

),

agencies as (

    select * from {{ ref('int_reports_matched_to_agencies') }}

),

split_rules as (

    select * from {{ ref('split_rules') }}

),

reconciliation_rules as (

    select * from {{ ref('reconciliation_rules') }}

),

rule_parameters as (

    select * from {{ ref('rule_parameters') }}

),

paired_terms as (

    select * from {{ ref('paired_terms') }}

),

cell_statuses as (

    select * from {{ ref('cell_statuses') }}

),

value_kinds as (

    select * from {{ ref('value_kinds') }}

),

rules as (

    select
        split_rules.rule_id,
        reconciliation_rules.rule_name,
        reconciliation_rules.table_code,
        reconciliation_rules.tolerance,
        rule_parameters.comparison,
        rule_parameters.template,
        rule_parameters.previous_template,
        rule_parameters.first_report_year,
        rule_parameters.last_report_year

    from split_rules
    inner join reconciliation_rules
        on split_rules.rule_id = reconciliation_rules.rule_id
    inner join rule_parameters
        on split_rules.rule_id = rule_parameters.rule_id
    where
        reconciliation_rules.evaluation = 'paired_terms'
        and reconciliation_rules.scope_axis = 'row_code'
        and rule_parameters.pairing = 'previous_year'

),

reports as (

    select
        documents.report_id,
        documents.template,
        documents.report_year,
        agencies.agency_id

    from documents
    inner join agencies
        on documents.report_id = agencies.report_id
    where documents.is_read and agencies.agency_id is not null

),

{# The targets of a run-together row are `row.col`: the column is after the dot. #}
candidate_values as (

    select
        cell_candidates.report_id,
        cell_candidates.cell_seq,
        cell_candidates.table_code,
        cell_candidates.row_code,
        cell_candidates.candidate_number,
        {{ dbt.split_part('cell_candidates.target_cell', "'.'", 2) }} as col_code,
        cell_candidates.value_text,
        cast(cell_candidates.value_text as double) as value

    from cell_candidates
    where
        cell_candidates.table_code in (select rules.table_code from rules)
        and cell_candidates.cell_status = 'ambiguous'
        and cell_candidates.row_code is not null
        and {{ dbt.split_part('cell_candidates.target_cell', "'.'", 1) }}
        = cell_candidates.row_code

),

complete_lists as (

    {#- The ingest stores at most `stored_candidates_limit` splits of a row: a full list
        may have lost the split that fits, so one that looks unique there decides nothing. #}
    select
        candidate_values.report_id,
        candidate_values.cell_seq

    from candidate_values
    group by candidate_values.report_id, candidate_values.cell_seq
    having
        count(distinct candidate_values.candidate_number)
        < {{ var('stored_candidates_limit') }}

),

candidates_listed as (

    select distinct
        candidate_values.report_id,
        candidate_values.cell_seq,
        candidate_values.table_code,
        candidate_values.row_code,
        candidate_values.candidate_number

    from candidate_values
    inner join complete_lists
        on candidate_values.report_id = complete_lists.report_id
        and candidate_values.cell_seq = complete_lists.cell_seq

),

cells_listed as (

    select distinct
        candidates_listed.report_id,
        candidates_listed.cell_seq,
        candidates_listed.table_code,
        candidates_listed.row_code

    from candidates_listed

),

cell_pairs as (

    {#- Each ambiguous cell of a report a rule applies to, with every report of the same
        body and the year before (two of one year: both judge, never one by chance). #}
    select distinct
        rules.rule_id,
        candidates_listed.report_id,
        candidates_listed.cell_seq,
        candidates_listed.table_code,
        candidates_listed.row_code,
        previous_reports.report_id as previous_report_id

    from candidates_listed
    inner join rules
        on candidates_listed.table_code = rules.table_code
    inner join reports
        on candidates_listed.report_id = reports.report_id
        and (rules.template is null or reports.template = rules.template)
        and (rules.first_report_year is null or reports.report_year >= rules.first_report_year)
        and (rules.last_report_year is null or reports.report_year <= rules.last_report_year)
    inner join reports as previous_reports
        on reports.agency_id = previous_reports.agency_id
        and previous_reports.report_year = reports.report_year - 1
        and (
            rules.previous_template is null
            or previous_reports.template = rules.previous_template
        )

),

lake_previous_values as (

    select
        lake_cells.report_id,
        lake_cells.table_code,
        lake_cells.row_code,
        lake_cells.col_code,
        lake_cells.value,
        false as is_resolved

    from lake_cells
    inner join cell_statuses
        on lake_cells.cell_status = cell_statuses.cell_status
    inner join value_kinds
        on lake_cells.value_kind = value_kinds.value_kind
    where
        cell_statuses.is_placed
        and value_kinds.has_value
        and lake_cells.value is not null
        and lake_cells.report_id in (
            select cell_pairs.previous_report_id from cell_pairs
        )

),

{#- One pass per link of a chain (var legacy_split_chain_passes): pass n reads, beside the
    previous reports' placed lake cells, the cells pass n - 1 resolved in them, so a row
    whose year before was itself run together is resolved once that year is. #}
{%- set passes = var('legacy_split_chain_passes') | int %}
{%- set previous_named = "concat(candidates_judged.previous_report_id, case when"
    ~ " candidates_judged.resolved_term_count > 0 then ', its row resolved across years"
    ~ " in turn' else '' end)" %}
{%- for pass in range(1, passes + 1) %}
{%- set p = '_' ~ pass %}
{%- set before = '_' ~ (pass - 1) %}

previous_values{{ p }} as (

    select * from lake_previous_values
    {%- if pass > 1 %}

    union all

    select
        split_cells{{ before }}.report_id,
        split_cells{{ before }}.table_code,
        split_cells{{ before }}.row_code,
        split_cells{{ before }}.col_code,
        split_cells{{ before }}.value,
        true as is_resolved

    from split_cells{{ before }}
    {%- endif %}

),

candidate_terms{{ p }} as (

    select
        cell_pairs.rule_id,
        cell_pairs.report_id,
        cell_pairs.cell_seq,
        cell_pairs.previous_report_id,
        candidates_listed.candidate_number,
        paired_terms.side,
        paired_terms.sign,
        previous_values.is_resolved,
        case
            when paired_terms.report_role = 'this' then this_values.value
            when paired_terms.report_role = 'previous' then previous_values.value
        end as value

    from cell_pairs
    inner join candidates_listed
        on cell_pairs.report_id = candidates_listed.report_id
        and cell_pairs.cell_seq = candidates_listed.cell_seq
    inner join paired_terms
        on cell_pairs.rule_id = paired_terms.rule_id
        and cell_pairs.table_code = paired_terms.table_code
    left join candidate_values as this_values
        on paired_terms.report_role = 'this'
        and candidates_listed.report_id = this_values.report_id
        and candidates_listed.cell_seq = this_values.cell_seq
        and candidates_listed.candidate_number = this_values.candidate_number
        and coalesce(paired_terms.row_code, cell_pairs.row_code) = this_values.row_code
        and paired_terms.col_code = this_values.col_code
    left join previous_values{{ p }} as previous_values
        on paired_terms.report_role = 'previous'
        and cell_pairs.previous_report_id = previous_values.report_id
        and cell_pairs.table_code = previous_values.table_code
        and coalesce(paired_terms.row_code, cell_pairs.row_code) = previous_values.row_code
        and paired_terms.col_code = previous_values.col_code

),

candidates_evaluated{{ p }} as (

    select
        candidate_terms.rule_id,
        candidate_terms.report_id,
        candidate_terms.cell_seq,
        candidate_terms.previous_report_id,
        candidate_terms.candidate_number,
        count(*) - count(candidate_terms.value) as missing_term_count,
        max(case when candidate_terms.is_resolved then 1 else 0 end) as resolved_term_count,
        sum(
            case
                when candidate_terms.side = 'expected'
                    then candidate_terms.sign * candidate_terms.value
            end
        ) as expected,
        sum(
            case
                when candidate_terms.side = 'actual'
                    then candidate_terms.sign * candidate_terms.value
            end
        ) as actual

    from candidate_terms{{ p }} as candidate_terms
    group by
        candidate_terms.rule_id,
        candidate_terms.report_id,
        candidate_terms.cell_seq,
        candidate_terms.previous_report_id,
        candidate_terms.candidate_number

),

candidates_judged{{ p }} as (

    select
        candidates_evaluated.*,
        case
            when rules.comparison = 'equal'
                then abs(candidates_evaluated.expected - candidates_evaluated.actual)
                <= rules.tolerance
            when rules.comparison = 'expected_at_least_actual'
                then candidates_evaluated.expected + rules.tolerance
                >= candidates_evaluated.actual
            else false
        end as fits

    from candidates_evaluated{{ p }} as candidates_evaluated
    inner join rules
        on candidates_evaluated.rule_id = rules.rule_id
    where candidates_evaluated.missing_term_count = 0

),

{#- From here on each step reads the one before it once: Spark inlines every CTE, so a
    pass that read an earlier step twice would double the plan with each pass. #}
{# Per candidate and rule that can judge it: does it fit some previous report, which? #}
rule_fits{{ p }} as (

    select
        candidates_judged.report_id,
        candidates_judged.cell_seq,
        candidates_judged.candidate_number,
        candidates_judged.rule_id,
        max(case when candidates_judged.fits then 1 else 0 end) as fits_rule,
        {{ string_list(
            "case when candidates_judged.fits then " ~ previous_named ~ " end",
            'candidates_judged.previous_report_id',
            ', ',
        ) }} as fitting_previous_text,
        {{ string_list(previous_named, 'candidates_judged.previous_report_id', ', ') }}
            as judging_previous_text

    from candidates_judged{{ p }} as candidates_judged
    group by
        candidates_judged.report_id,
        candidates_judged.cell_seq,
        candidates_judged.candidate_number,
        candidates_judged.rule_id

),

{#- A candidate is kept when every rule that can judge the cell fits it (every candidate of
    a cell is judged by the same rules: the previous report's terms are the same). #}
candidate_fits{{ p }} as (

    select
        rule_fits.report_id,
        rule_fits.cell_seq,
        rule_fits.candidate_number,
        count(*) as rule_count,
        sum(rule_fits.fits_rule) as fitting_rule_count,
        min(rule_fits.rule_id) as first_rule_id,
        {{ string_list(
            "concat(rule_fits.rule_id, ' ', rules.rule_name)", 'rule_fits.rule_id', ', '
        ) }} as rules_text,
        {{ string_list('rule_fits.fitting_previous_text', 'rule_fits.rule_id', '; ') }}
            as fitting_previous_text,
        {{ string_list('rule_fits.judging_previous_text', 'rule_fits.rule_id', '; ') }}
            as judging_previous_text

    from rule_fits{{ p }} as rule_fits
    inner join rules
        on rule_fits.rule_id = rules.rule_id
    group by
        rule_fits.report_id,
        rule_fits.cell_seq,
        rule_fits.candidate_number

),

{#- Per cell: how many candidates are kept, the one when it is alone, and the previous
    reports named (those the kept split fits; when several or none are kept, every one
    that judged). #}
cells_explained{{ p }} as (

    select
        decided.report_id,
        decided.cell_seq,
        decided.kept_count,
        decided.candidate_number,
        decided.judging_rule_id,
        concat(
            decided.rules_text, ' against the same body',
            '{{ dbt.escape_single_quotes("'") }}', 's report of the year before (',
            case
                when decided.kept_count = 1 then decided.fitting_previous_text
                else decided.judging_previous_text
            end,
            ')'
        ) as evidence

    from (
        select
            candidate_fits.report_id,
            candidate_fits.cell_seq,
            sum(
                case
                    when candidate_fits.fitting_rule_count = candidate_fits.rule_count then 1
                    else 0
                end
            ) as kept_count,
            max(
                case
                    when candidate_fits.fitting_rule_count = candidate_fits.rule_count
                        then candidate_fits.candidate_number
                end
            ) as candidate_number,
            case
                when max(candidate_fits.rule_count) = 1 then max(candidate_fits.first_rule_id)
            end as judging_rule_id,
            max(candidate_fits.rules_text) as rules_text,
            max(
                case
                    when candidate_fits.fitting_rule_count = candidate_fits.rule_count
                        then candidate_fits.fitting_previous_text
                end
            ) as fitting_previous_text,
            max(candidate_fits.judging_previous_text) as judging_previous_text

        from candidate_fits{{ p }} as candidate_fits
        group by
            candidate_fits.report_id,
            candidate_fits.cell_seq
    ) as decided

),

split_cells{{ p }} as {{ cte_materialized() }} (

    select
        cells_explained.report_id,
        cells_explained.cell_seq,
        candidate_values.table_code,
        candidate_values.row_code,
        candidate_values.col_code,
        cells_explained.judging_rule_id,
        'inferred' as cell_status,
        'resolved' as split_outcome,
        candidate_values.value_text as raw_text,
        candidate_values.value,
        cells_explained.evidence,
        concat(
            'run-together digits: the only stored split under ', cells_explained.evidence
        ) as note

    from cells_explained{{ p }} as cells_explained
    inner join candidate_values
        on cells_explained.report_id = candidate_values.report_id
        and cells_explained.cell_seq = candidate_values.cell_seq
        and cells_explained.candidate_number = candidate_values.candidate_number
    where cells_explained.kept_count = 1

),
{%- endfor %}

{%- set last = '_' ~ passes %}

still_ambiguous_cells as (

    {#- Several splits fit: still ambiguous. None fits: the row breaks the rules whatever
        its split, it is left as printed (never repaired) and L06 reports the break. #}
    select
        cells_explained.report_id,
        cells_explained.cell_seq,
        cells_listed.table_code,
        cells_listed.row_code,
        cast(null as {{ dbt.type_string() }}) as col_code,
        cells_explained.judging_rule_id,
        'ambiguous' as cell_status,
        case
            when cells_explained.kept_count > 1 then 'several_fit' else 'none_fits'
        end as split_outcome,
        cast(null as {{ dbt.type_string() }}) as raw_text,
        cast(null as double) as value,
        cells_explained.evidence,
        case
            when cells_explained.kept_count > 1
                then concat(
                    'run-together digits: ',
                    cast(cells_explained.kept_count as {{ dbt.type_string() }}),
                    ' stored splits fit ', cells_explained.evidence, ', still ambiguous'
                )
            else concat(
                'run-together digits: no stored split fits ', cells_explained.evidence,
                ', still ambiguous (the row breaks the rule whatever its split)'
            )
        end as note

    from cells_explained{{ last }} as cells_explained
    inner join cells_listed
        on cells_explained.report_id = cells_listed.report_id
        and cells_explained.cell_seq = cells_listed.cell_seq
    where cells_explained.kept_count <> 1

),

final as (

    select
        ----------  ids
        replacement_cells.report_id,
        replacement_cells.cell_seq,

        ----------  strings
        replacement_cells.table_code,
        replacement_cells.row_code,
        replacement_cells.col_code,
        replacement_cells.judging_rule_id,
        replacement_cells.cell_status,
        replacement_cells.split_outcome,
        replacement_cells.raw_text,
        replacement_cells.evidence,
        replacement_cells.note,

        ----------  numerics
        replacement_cells.value

    from (
        select * from split_cells{{ last }}
        union all
        select * from still_ambiguous_cells
    ) as replacement_cells

)

select * from final
