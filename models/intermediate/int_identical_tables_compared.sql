{#
    The generic model of evaluation kind `identical_tables` (R15). Each reconcilable
    report's placed numbers are fingerprinted; two reports with the same fingerprint and at
    least `threshold` (seeds/rule_parameters.csv) non-zero numbers, so that all-zero tables
    of small bodies do not count, are compared:
    - the same body and year: one report in two files (an HTML page and its PDF or DOCX
      attachment): pass, naming the other source;
    - the same body, another year, or another body: fail.
    One row per report: the partner is the fail partner with the smallest report_id (or the
    other source), the count of all partners in detail; primary_report_id names the report
    that represents the sources of one report (the smallest report_id among them).
    Incremental: a build rebuilds the rows of the changed reports and of every report with
    their tables fingerprint before or after the change (int_reports_changed_with_partners).
#}
{{ report_incremental_config(partners_of='identical_tables') }}
with

reconciliation_rules as (

    select * from {{ ref('reconciliation_rules') }}

),

rule_parameters as (

    select * from {{ ref('rule_parameters') }}

),

documents as (

    select * from {{ ref('int_documents_grouped_to_reports') }}

),

agencies as (

    select * from {{ ref('int_reports_matched_to_agencies') }}

),

reports_fingerprinted as (

    select * from {{ ref('int_report_tables_fingerprinted') }}

),

rules as (

    select
        reconciliation_rules.rule_id,
        coalesce(rule_parameters.threshold, 1) as min_nonzero_cells

    from reconciliation_rules
    left join rule_parameters
        on reconciliation_rules.rule_id = rule_parameters.rule_id
    where reconciliation_rules.evaluation = 'identical_tables'

),

reports as (

    select
        documents.report_id,
        documents.report_year,
        documents.file_format,
        agencies.agency_id

    from documents
    left join agencies
        on documents.report_id = agencies.report_id
    where documents.is_reconcilable

),

fingerprints as (

    select
        reports.*,
        reports_fingerprinted.tables_fingerprint,
        reports_fingerprinted.nonzero_cells,
        reports_fingerprinted.uncertain_cells

    from reports
    inner join reports_fingerprinted
        on reports.report_id = reports_fingerprinted.report_id

),

fingerprints_rebuilt as (

    {#- The reports whose rows this build writes; their partners are any report. #}
    select * from fingerprints
    {{ partners_rebuilt_only('identical_tables', 'fingerprints.report_id') }}

),

partners as (

    select
        fingerprints.report_id,
        others.report_id as partner_report_id,
        others.file_format as partner_file_format,
        others.report_year as partner_report_year,
        fingerprints.uncertain_cells + others.uncertain_cells as uncertain_cells,
        case
            when fingerprints.agency_id = others.agency_id
                and fingerprints.report_year = others.report_year
                then 'same_report'
            when fingerprints.agency_id = others.agency_id then 'same_body_other_year'
            else 'other_body'
        end as relation

    from fingerprints_rebuilt as fingerprints
    inner join fingerprints as others
        on fingerprints.tables_fingerprint = others.tables_fingerprint
        and fingerprints.report_id <> others.report_id
    cross join rules
    where fingerprints.nonzero_cells >= rules.min_nonzero_cells

),

partners_ranked as (

    select
        partners.*,
        row_number() over (
            partition by partners.report_id
            order by partners.relation = 'same_report', partners.partner_report_id
        ) as partner_rank,
        count(*) over (partition by partners.report_id) as partner_count

    from partners

),

scopes_evaluated as (

    select
        fingerprints.report_id,
        rules.rule_id,
        cast(null as {{ dbt.type_string() }}) as table_code,
        cast(null as {{ dbt.type_string() }}) as row_code,
        cast(null as {{ dbt.type_string() }}) as col_code,
        case
            when partners_ranked.report_id is null then 'pass'
            when partners_ranked.relation = 'same_report' then 'pass'
            else 'fail'
        end as outcome,
        cast(null as double) as expected,
        cast(null as double) as actual,
        cast(null as double) as difference,
        fingerprints.nonzero_cells as input_count,
        0 as unusable_input_count,
        cast(null as {{ dbt.type_string() }}) as unusable_inputs,
        case
            when partners_ranked.relation = 'same_report'
                then concat(
                    'one report, two sources: the same body and year with identical tables in ',
                    coalesce(partners_ranked.partner_file_format, 'another file')
                )
            when partners_ranked.relation = 'same_body_other_year'
                then concat(
                    'tables identical to the same body',
                    '{{ dbt.escape_single_quotes("'") }}s report of ',
                    cast(partners_ranked.partner_report_year as {{ dbt.type_string() }})
                )
            when partners_ranked.relation = 'other_body'
                then concat(
                    'tables identical to another body{{ dbt.escape_single_quotes("'") }}s report (',
                    cast(partners_ranked.partner_count as {{ dbt.type_string() }}),
                    ' identical in all)'
                )
        end as detail,
        partners_ranked.partner_report_id as compared_report_id

    from fingerprints_rebuilt as fingerprints
    cross join rules
    left join partners_ranked
        on fingerprints.report_id = partners_ranked.report_id
        and partners_ranked.partner_rank = 1

),

primaries as (

    {#- One report in several files (same body, year and tables): the smallest report_id
        represents them all (dim_reports.primary_report_id). #}
    select
        partners.report_id,
        min(partners.partner_report_id) as smallest_partner_report_id

    from partners
    where partners.relation = 'same_report'
    group by partners.report_id

),

evaluated as (

    {{ rule_scope_rows('scopes_evaluated', compared=true) }}

),

final as (

    select
        evaluated.*,
        case
            when primaries.smallest_partner_report_id < evaluated.report_id
                then primaries.smallest_partner_report_id
            else evaluated.report_id
        end as primary_report_id

    from evaluated
    left join primaries
        on evaluated.report_id = primaries.report_id

)

select * from final
