{#
    The generic model of evaluation kind `publication_deadline` (R17): each report's
    publication date against the deadline seeds/publication_deadlines.csv gives for its
    report year and kind of body (31 January or 31 March of the next year). A report
    without a printed publication date, or whose body is not matched, is not_assessable.
    actual is the number of days after the deadline (negative: early).
#}
{#- Incremental on report keys: a report's rows depend only on its own cells and metadata. #}
{{ report_incremental_config() }}
with

reconciliation_rules as (

    select * from {{ ref('reconciliation_rules') }}

),

publication_deadlines as (

    select * from {{ ref('publication_deadlines') }}

),

documents as (

    select * from {{ ref('int_documents_grouped_to_reports') }}
    {{ changed_reports_only() }}

),

agencies as (

    select * from {{ ref('int_reports_matched_to_agencies') }}
    {{ changed_reports_only() }}

),

rules as (

    select reconciliation_rules.rule_id
    from reconciliation_rules
    where reconciliation_rules.evaluation = 'publication_deadline'

),

reports as (

    select
        documents.report_id,
        documents.report_year,
        documents.published_date,
        agencies.agency_kind

    from documents
    left join agencies
        on documents.report_id = agencies.report_id
    where documents.report_year is not null
        and documents.document_status <> 'error'

),

deadlines_matched as (

    select
        reports.report_id,
        reports.published_date,
        reports.agency_kind,
        publication_deadlines.deadline_month,
        publication_deadlines.deadline_day,
        {{ date_from_parts(
            'reports.report_year + 1',
            'publication_deadlines.deadline_month',
            'publication_deadlines.deadline_day',
        ) }} as deadline_date,
        row_number() over (
            partition by reports.report_id
            order by publication_deadlines.agency_kind is null
        ) as deadline_rank

    from reports
    left join publication_deadlines
        on (
            publication_deadlines.first_report_year is null
            or reports.report_year >= publication_deadlines.first_report_year
        )
        and (
            publication_deadlines.last_report_year is null
            or reports.report_year <= publication_deadlines.last_report_year
        )
        and (
            publication_deadlines.agency_kind is null
            or publication_deadlines.agency_kind = reports.agency_kind
        )

),

checked as (

    select
        deadlines_matched.*,
        case
            when deadlines_matched.published_date is null then 'published_date (not printed)'
            when deadlines_matched.deadline_date is null
                then 'agency_kind (body not matched)'
        end as unusable_input

    from deadlines_matched
    where deadlines_matched.deadline_rank = 1

),

scopes_evaluated as (

    select
        checked.report_id,
        rules.rule_id,
        cast(null as {{ dbt.type_string() }}) as table_code,
        cast(null as {{ dbt.type_string() }}) as row_code,
        cast(null as {{ dbt.type_string() }}) as col_code,
        case
            when checked.unusable_input is not null then 'not_assessable'
            when checked.published_date <= checked.deadline_date then 'pass'
            else 'fail'
        end as outcome,
        cast(0 as double) as expected,
        case
            when checked.unusable_input is null
                then cast({{ dbt.datediff(
                    'checked.deadline_date', 'checked.published_date', 'day'
                ) }} as double)
        end as actual,
        case
            when checked.unusable_input is null
                then cast({{ dbt.datediff(
                    'checked.deadline_date', 'checked.published_date', 'day'
                ) }} as double)
        end as difference,
        2 as input_count,
        case when checked.unusable_input is null then 0 else 1 end as unusable_input_count,
        checked.unusable_input as unusable_inputs,
        concat(
            'deadline ',
            coalesce(cast(checked.deadline_date as {{ dbt.type_string() }}), '?'),
            ', published ',
            coalesce(cast(checked.published_date as {{ dbt.type_string() }}), '?'),
            ' (days after the deadline in actual)'
        ) as detail,
        cast(null as {{ dbt.type_string() }}) as compared_report_id

    from checked
    cross join rules

),

evaluated as (

    {{ rule_scope_rows('scopes_evaluated', compared=true) }}

)

select * from evaluated
