{#
    The generic model of evaluation kind `template_year` (R10): the template a report's
    tables are on (recognised from their labels) against the template of its report year
    (seeds/template_years.csv). A report whose template or year is unknown is
    not_assessable; one without standard tables is not evaluated.
#}
{#- Incremental on report keys: a report's rows depend only on its own cells and metadata. #}
{{ report_incremental_config() }}
with

reconciliation_rules as (

    select * from {{ ref('reconciliation_rules') }}

),

template_years as (

    select * from {{ ref('template_years') }}

),

documents as (

    select * from {{ ref('int_documents_grouped_to_reports') }}
    {{ changed_reports_only() }}

),

document_statuses as (

    select * from {{ ref('document_statuses') }}

),

rules as (

    select reconciliation_rules.rule_id
    from reconciliation_rules
    where reconciliation_rules.evaluation = 'template_year'

),

reports as (

    select
        documents.report_id,
        documents.report_year,
        documents.template

    from documents
    inner join document_statuses
        on documents.document_status = document_statuses.document_status
    where document_statuses.is_read

),

expected_templates as (

    select
        reports.report_id,
        reports.report_year,
        reports.template,
        template_years.template as expected_template

    from reports
    left join template_years
        on (
            template_years.first_report_year is null
            or reports.report_year >= template_years.first_report_year
        )
        and (
            template_years.last_report_year is null
            or reports.report_year <= template_years.last_report_year
        )

),

scopes_evaluated as (

    select
        expected_templates.report_id,
        rules.rule_id,
        cast(null as {{ dbt.type_string() }}) as table_code,
        cast(null as {{ dbt.type_string() }}) as row_code,
        cast(null as {{ dbt.type_string() }}) as col_code,
        case
            when expected_templates.report_year is null
                or expected_templates.template = 'unknown'
                or expected_templates.expected_template is null
                then 'not_assessable'
            when expected_templates.template = expected_templates.expected_template
                then 'pass'
            else 'fail'
        end as outcome,
        cast(null as double) as expected,
        cast(null as double) as actual,
        cast(null as double) as difference,
        2 as input_count,
        case
            when expected_templates.report_year is null
                or expected_templates.template = 'unknown' then 1
            else 0
        end as unusable_input_count,
        case
            when expected_templates.report_year is null then 'report_year (not found)'
            when expected_templates.template = 'unknown' then 'template (not recognised)'
        end as unusable_inputs,
        concat(
            'report year ',
            coalesce(cast(expected_templates.report_year as {{ dbt.type_string() }}), '?'),
            ' calls for the ', coalesce(expected_templates.expected_template, '?'),
            ' template; the tables are on the ', expected_templates.template, ' template'
        ) as detail,
        cast(null as {{ dbt.type_string() }}) as compared_report_id

    from expected_templates
    cross join rules

),

evaluated as (

    {{ rule_scope_rows('scopes_evaluated', compared=true) }}

)

select * from evaluated
