{#
    One row per finding a reviewer judged (latest verdict), whether the finding still exists
    in this build (a verdict on a finding that is gone, e.g. because the report was re-read
    differently, is reported here, not dropped) and whether its cell correction applied.
#}
with

verdicts_latest as (

    select * from {{ ref('int_review_verdicts_latest') }}

),

results as (

    select * from {{ ref('fct_reconciliation_results') }}

),

cells_labeled as (

    select * from {{ ref('int_cells_labeled') }}

),

corrections_applied as (

    select distinct cells_labeled.correction_finding_id as finding_id
    from cells_labeled
    where cells_labeled.correction_finding_id is not null

),

final as (

    select
        ----------  ids
        verdicts_latest.finding_id,
        verdicts_latest.report_id,
        verdicts_latest.rule_id,

        ----------  strings
        verdicts_latest.scope_code,
        verdicts_latest.verdict,
        verdicts_latest.verdict_note,
        case
            when verdicts_latest.corrected_table_code is not null
                then concat(
                    verdicts_latest.corrected_table_code, '/',
                    verdicts_latest.corrected_row_code, '/',
                    verdicts_latest.corrected_col_code
                )
        end as corrected_cell,
        verdicts_latest.source_file,
        results.outcome as current_outcome,

        ----------  numerics
        verdicts_latest.corrected_value,
        verdicts_latest.verdict_seq,
        cast(verdicts_latest.verdict_count as bigint) as verdict_count,

        ----------  booleans
        results.finding_id is null as is_orphan,
        case
            when verdicts_latest.corrected_value is not null
                then corrections_applied.finding_id is not null
        end as is_correction_applied

    from verdicts_latest
    left join results
        on verdicts_latest.finding_id = results.finding_id
    left join corrections_applied
        on verdicts_latest.finding_id = corrections_applied.finding_id

)

select * from final
