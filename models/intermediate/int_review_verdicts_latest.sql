{# The latest verdict on each finding (the highest verdict_seq); earlier ones stay in the source. #}
with

verdicts as (

    select * from {{ ref('stg_review__verdicts') }}

),

ranked as (

    select
        verdicts.*,
        row_number() over (
            partition by verdicts.finding_id
            order by verdicts.verdict_seq desc
        ) as verdict_rank,
        count(*) over (partition by verdicts.finding_id) as verdict_count

    from verdicts

),

final as (

    select
        ranked.finding_id,
        ranked.report_id,
        ranked.rule_id,
        ranked.scope_code,
        ranked.verdict,
        ranked.verdict_note,
        ranked.corrected_table_code,
        ranked.corrected_row_code,
        ranked.corrected_col_code,
        ranked.source_file,
        ranked.verdict_seq,
        ranked.verdict_count,
        ranked.corrected_value

    from ranked
    where ranked.verdict_rank = 1

)

select * from final
