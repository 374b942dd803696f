-- Analyst queries over the gongkai warehouse (schema main). Each query starts with a
-- `-- name:` line; tests/bi/test_superset.py runs every one of them through Superset's
-- SQL Lab and checks the answer equals DuckDB's. Counts are cast to bigint and rates
-- rounded to 4 places so any client shows the same numbers.

-- name: applications_per_year
-- Applications received (本年新收) per report year, from the 总计 column of table 三.
select
    dim_reports.report_year,
    count(*) as reports,
    sum(fct_applications.new_received)::bigint as applications_received
from fct_applications
inner join dim_reports
    on fct_applications.report_id = dim_reports.report_id
where fct_applications.applicant_type = 'total'
group by dim_reports.report_year
order by dim_reports.report_year;

-- name: grant_rate_by_report
-- Grant rate (予以公开 + 部分公开 over 办理结果总计) by report, 总计 column.
with outcomes as (
    select
        report_id,
        sum(application_count) filter (where outcome_group = 'granted') as granted,
        sum(application_count)
            filter (where outcome_group = 'partially_granted') as partially_granted
    from fct_application_outcomes
    where applicant_type = 'total'
    group by report_id
)
select
    dim_reports.report_id,
    dim_reports.report_year,
    dim_reports.agency,
    outcomes.granted::bigint as granted,
    outcomes.partially_granted::bigint as partially_granted,
    fct_applications.total_processed::bigint as total_processed,
    round(
        (outcomes.granted + outcomes.partially_granted)
        / nullif(fct_applications.total_processed, 0),
        4
    ) as grant_rate
from dim_reports
inner join fct_applications
    on dim_reports.report_id = fct_applications.report_id
    and fct_applications.applicant_type = 'total'
inner join outcomes
    on dim_reports.report_id = outcomes.report_id
order by dim_reports.report_year, dim_reports.report_id;

-- name: r01_failures
-- Reports that break R01 (新收 + 结转 = 办理结果总计 + 结转下年度), by column, with the
-- difference (actual - expected).
select
    dim_reports.report_id,
    dim_reports.report_year,
    dim_reports.agency,
    fct_reconciliation_results.scope_code,
    fct_reconciliation_results.col_label_zh,
    fct_reconciliation_results.expected,
    fct_reconciliation_results.actual,
    fct_reconciliation_results.difference
from fct_reconciliation_results
inner join dim_reports
    on fct_reconciliation_results.report_id = dim_reports.report_id
where fct_reconciliation_results.rule_id = 'R01'
    and fct_reconciliation_results.outcome = 'fail'
order by dim_reports.report_id, fct_reconciliation_results.scope_code;

-- name: correction_rate
-- Review and litigation correction rate (纠错率): cases 结果纠正 over 总计, by proceeding
-- (行政复议, 未经复议直接起诉, 复议后起诉), all reports.
select
    proceeding,
    proceeding_label_zh,
    sum(case_count) filter (where result = 'corrected')::bigint as corrected,
    sum(case_count) filter (where result = 'total')::bigint as total_cases,
    round(
        sum(case_count) filter (where result = 'corrected')
        / nullif(sum(case_count) filter (where result = 'total'), 0),
        4
    ) as correction_rate
from fct_reviews_litigation
group by proceeding, proceeding_label_zh
order by proceeding;
