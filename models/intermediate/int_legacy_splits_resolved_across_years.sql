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
    ambiguous cell again with a note saying so (its candidates stay). None kept,
    or no previous report that can judge: no row, the lake cell is unchanged (a
    report is never repaired; L06 then reports the break). int_cells_labeled
    applies these rows; int_report_build_keys puts them into the report's key,
    so adding or removing a previous report rebuilds the reports it resolves.

    Only the previous report's own placed cells are read (as the lake holds
    them), never cells this model resolved: a resolution does not chain.
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

previous_values as (

    select
        lake_cells.report_id,
        lake_cells.table_code,
        lake_cells.row_code,
        lake_cells.col_code,
        lake_cells.value

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

candidate_terms as (

    select
        cell_pairs.rule_id,
        cell_pairs.report_id,
        cell_pairs.cell_seq,
        cell_pairs.previous_report_id,
        candidates_listed.candidate_number,
        paired_terms.side,
        paired_terms.sign,
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
    left join previous_values
        on paired_terms.report_role = 'previous'
        and cell_pairs.previous_report_id = previous_values.report_id
        and cell_pairs.table_code = previous_values.table_code
        and coalesce(paired_terms.row_code, cell_pairs.row_code) = previous_values.row_code
        and paired_terms.col_code = previous_values.col_code

),

candidates_evaluated as (

    select
        candidate_terms.rule_id,
        candidate_terms.report_id,
        candidate_terms.cell_seq,
        candidate_terms.previous_report_id,
        candidate_terms.candidate_number,
        count(*) - count(candidate_terms.value) as missing_term_count,
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

    from candidate_terms
    group by
        candidate_terms.rule_id,
        candidate_terms.report_id,
        candidate_terms.cell_seq,
        candidate_terms.previous_report_id,
        candidate_terms.candidate_number

),

candidates_judged as (

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

    from candidates_evaluated
    inner join rules
        on candidates_evaluated.rule_id = rules.rule_id
    where candidates_evaluated.missing_term_count = 0

),

{# A rule judges a cell when some previous report gives every term it needs. #}
rules_judging as (

    select
        candidates_judged.report_id,
        candidates_judged.cell_seq,
        count(distinct candidates_judged.rule_id) as rule_count,
        {{ string_list(
            "concat(candidates_judged.rule_id, ' ', rules.rule_name)",
            'candidates_judged.rule_id',
            ', ',
        ) }} as rules_text

    from (
        select distinct
            candidates_judged.report_id,
            candidates_judged.cell_seq,
            candidates_judged.rule_id
        from candidates_judged
    ) as candidates_judged
    inner join rules
        on candidates_judged.rule_id = rules.rule_id
    group by
        candidates_judged.report_id,
        candidates_judged.cell_seq

),

{# A candidate is kept when every judging rule fits it against some previous report. #}
fits_listed as (

    select distinct
        candidates_judged.report_id,
        candidates_judged.cell_seq,
        candidates_judged.candidate_number,
        candidates_judged.rule_id,
        candidates_judged.previous_report_id

    from candidates_judged
    where candidates_judged.fits

),

candidates_kept as (

    select
        fits_listed.report_id,
        fits_listed.cell_seq,
        fits_listed.candidate_number

    from fits_listed
    inner join rules_judging
        on fits_listed.report_id = rules_judging.report_id
        and fits_listed.cell_seq = rules_judging.cell_seq
    group by
        fits_listed.report_id,
        fits_listed.cell_seq,
        fits_listed.candidate_number,
        rules_judging.rule_count
    having count(distinct fits_listed.rule_id) = rules_judging.rule_count

),

previous_reports_fitted as (

    select
        fitted.report_id,
        fitted.cell_seq,
        {{ string_list('fitted.previous_report_id', 'fitted.previous_report_id', ', ') }}
            as previous_reports_text

    from (
        select distinct
            fits_listed.report_id,
            fits_listed.cell_seq,
            fits_listed.previous_report_id

        from fits_listed
        inner join candidates_kept
            on fits_listed.report_id = candidates_kept.report_id
            and fits_listed.cell_seq = candidates_kept.cell_seq
            and fits_listed.candidate_number = candidates_kept.candidate_number
    ) as fitted
    group by
        fitted.report_id,
        fitted.cell_seq

),

cells_resolved as (

    select
        candidates_kept.report_id,
        candidates_kept.cell_seq,
        count(*) as kept_count,
        max(candidates_kept.candidate_number) as candidate_number

    from candidates_kept
    group by
        candidates_kept.report_id,
        candidates_kept.cell_seq

),

cells_explained as (

    select
        cells_resolved.*,
        concat(
            rules_judging.rules_text, ' against the same body',
            '{{ dbt.escape_single_quotes("'") }}', 's report of the year before (',
            previous_reports_fitted.previous_reports_text, ')'
        ) as evidence

    from cells_resolved
    inner join rules_judging
        on cells_resolved.report_id = rules_judging.report_id
        and cells_resolved.cell_seq = rules_judging.cell_seq
    inner join previous_reports_fitted
        on cells_resolved.report_id = previous_reports_fitted.report_id
        and cells_resolved.cell_seq = previous_reports_fitted.cell_seq

),

split_cells as (

    select
        cells_explained.report_id,
        cells_explained.cell_seq,
        candidate_values.col_code,
        'inferred' as cell_status,
        candidate_values.value_text as raw_text,
        candidate_values.value,
        concat(
            'run-together digits: the only stored split under ', cells_explained.evidence
        ) as note

    from cells_explained
    inner join candidate_values
        on cells_explained.report_id = candidate_values.report_id
        and cells_explained.cell_seq = candidate_values.cell_seq
        and cells_explained.candidate_number = candidate_values.candidate_number
    where cells_explained.kept_count = 1

),

still_ambiguous_cells as (

    select
        cells_explained.report_id,
        cells_explained.cell_seq,
        cast(null as {{ dbt.type_string() }}) as col_code,
        'ambiguous' as cell_status,
        cast(null as {{ dbt.type_string() }}) as raw_text,
        cast(null as double) as value,
        concat(
            'run-together digits: ', cast(cells_explained.kept_count as {{ dbt.type_string() }}),
            ' stored splits fit ', cells_explained.evidence, ', still ambiguous'
        ) as note

    from cells_explained
    where cells_explained.kept_count > 1

),

final as (

    select
        ----------  ids
        replacement_cells.report_id,
        replacement_cells.cell_seq,

        ----------  strings
        replacement_cells.col_code,
        replacement_cells.cell_status,
        replacement_cells.raw_text,
        replacement_cells.note,

        ----------  numerics
        replacement_cells.value

    from (
        select * from split_cells
        union all
        select * from still_ambiguous_cells
    ) as replacement_cells

)

select * from final
