{#
    Structural: every input file is accounted for exactly once in dim_reports,
    either as the file representing its report or as one of its
    byte-identical copies. Returns the report_ids where the numbers disagree.
#}
with

documents as (

    select * from {{ ref('stg_ingest__documents') }}

),

dim_reports as (

    select * from {{ ref('dim_reports') }}

),

documents_counted as (

    select
        documents.report_id,
        count(*) as file_count

    from documents
    group by documents.report_id

),

compared as (

    select
        coalesce(documents_counted.report_id, dim_reports.report_id)
            as report_id,
        coalesce(documents_counted.file_count, 0) as file_count,
        coalesce(1 + dim_reports.duplicate_file_count, 0)
            as files_in_dim_reports

    from documents_counted
    full outer join dim_reports
        on documents_counted.report_id = dim_reports.report_id

),

mismatches as (

    select * from compared
    where compared.file_count <> compared.files_in_dim_reports

)

select * from mismatches
