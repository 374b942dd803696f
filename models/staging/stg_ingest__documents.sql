with

source as (

    select * from {{ source('ingest', 'documents') }}

),

renamed as (

    select
        ----------  ids
        cast(report_id as varchar) as report_id,
        cast(sha256 as varchar) as sha256,

        ----------  strings
        cast(source_path as varchar) as source_path,
        cast(file_format as varchar) as file_format,
        cast(encoding as varchar) as encoding,
        cast(layout as varchar) as layout,
        cast(title as varchar) as title,
        cast(agency as varchar) as agency,
        cast(agency_name as {{ dbt.type_string() }}) as agency_name_matched,
        cast(agency_division_code as {{ dbt.type_string() }})
            as agency_division_code_matched,
        cast(agency_kind as {{ dbt.type_string() }}) as agency_kind_matched,
        cast(agency_township as {{ dbt.type_string() }}) as agency_township_matched,
        cast(agency_match_method as {{ dbt.type_string() }}) as agency_match_method,
        cast(agency_match_evidence as {{ dbt.type_string() }}) as agency_match_evidence,
        cast(agency_match_note as {{ dbt.type_string() }}) as agency_match_note,
        cast(index_no as varchar) as index_no,
        cast(template as varchar) as template,
        cast(status as varchar) as document_status,
        cast(error as varchar) as error,
        cast(notes as varchar) as notes,
        cast(parser_version as varchar) as parser_version,

        ----------  numerics
        cast(bytes as bigint) as file_size_bytes,
        cast(report_year as integer) as report_year,
        cast(cells_total as integer) as cells_total,
        cast(cells_ok as integer) as cells_ok,
        cast(cells_inferred as integer) as cells_inferred,
        cast(cells_ambiguous as integer) as cells_ambiguous,
        cast(cells_unplaced as integer) as cells_unplaced,
        cast(cells_unparsed as integer) as cells_unparsed,
        cast(cells_unmapped as integer) as cells_unmapped,

        ----------  dates
        cast(published_date as date) as published_date

    from source

)

select * from renamed
