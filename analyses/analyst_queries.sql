-- Analyst queries over the gongkai warehouse's marts. Each query starts with a
-- `-- name:` line. dbt compiles this file (`gongkai build` does, through `dbt docs
-- generate`) to target/compiled/gongkai/analyses/analyst_queries.sql, with every
-- ref() resolved; tests/bi run that compiled text through the DuckDB CLI and
-- Superset's SQL Lab. Rates are defined once, in the rpt_ models, and read here:
-- the HTML report shows the same correction rate. Counts are cast to bigint and
-- rates rounded to 4 places so any client shows the same numbers.

-- name: applications_per_year
-- Applications received (本年新收) per report year, from the 总计 column of table 三.
select
    dim_reports.report_year,
    count(*) as reports,
    cast(sum(fct_applications.new_received) as bigint) as applications_received
from {{ ref('fct_applications') }} as fct_applications
inner join {{ ref('dim_reports') }} as dim_reports
    on fct_applications.report_id = dim_reports.report_id
where fct_applications.applicant_type = 'total'
group by dim_reports.report_year
order by dim_reports.report_year;

-- name: grant_rate_by_report
-- Grant rate (公开率, rpt_grant_rates): 予以公开 + 部分公开 over 办理结果总计, by report,
-- 总计 column; null with rate_status when an input is unknown or the parts exceed it.
select
    dim_reports.report_id,
    dim_reports.report_year,
    dim_reports.agency,
    cast(rpt_grant_rates.granted as bigint) as granted,
    cast(rpt_grant_rates.partially_granted as bigint) as partially_granted,
    cast(rpt_grant_rates.total_processed as bigint) as total_processed,
    round(rpt_grant_rates.grant_rate, 4) as grant_rate
from {{ ref('rpt_grant_rates') }} as rpt_grant_rates
inner join {{ ref('dim_reports') }} as dim_reports
    on rpt_grant_rates.report_id = dim_reports.report_id
where rpt_grant_rates.applicant_type = 'total'
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
from {{ ref('fct_reconciliation_results') }} as fct_reconciliation_results
inner join {{ ref('dim_reports') }} as dim_reports
    on fct_reconciliation_results.report_id = dim_reports.report_id
where fct_reconciliation_results.rule_id = 'R01'
    and fct_reconciliation_results.outcome = 'fail'
order by dim_reports.report_id, fct_reconciliation_results.scope_code;

-- name: correction_rate
-- Review and litigation correction rate (纠错率, rpt_correction_rates_by_year): cases
-- 结果纠正 over concluded cases (总计 - 尚未审结), by proceeding, all years; reports whose
-- parts exceed their total are left out and counted.
select
    rpt_correction_rates_by_year.proceeding,
    rpt_correction_rates_by_year.proceeding_label_zh,
    cast(rpt_correction_rates_by_year.corrected_cases as bigint) as corrected,
    cast(rpt_correction_rates_by_year.concluded_cases as bigint) as concluded_cases,
    cast(rpt_correction_rates_by_year.reports_parts_exceed_total as bigint)
        as reports_parts_exceed_total,
    round(rpt_correction_rates_by_year.correction_rate, 4) as correction_rate
from {{ ref('rpt_correction_rates_by_year') }} as rpt_correction_rates_by_year
where rpt_correction_rates_by_year.is_all_years
order by rpt_correction_rates_by_year.proceeding;
