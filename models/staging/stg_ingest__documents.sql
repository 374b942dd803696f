with

source as (

    select * from {{ source('ingest', 'documents') }}

),

renamed as (

    select
        ----------  ids
        cast(report_id as {{ dbt.type_string() }}) as report_id,
        cast(sha256 as {{ dbt.type_string() }}) as sha256,

        ----------  strings
        cast(source_path as {{ dbt.type_string() }}) as source_path,
        cast(file_format as {{ dbt.type_string() }}) as file_format,
        cast(encoding as {{ dbt.type_string() }}) as encoding,
        cast(layout as {{ dbt.type_string() }}) as layout,
        cast(title as {{ dbt.type_string() }}) as title,
        cast(agency as {{ dbt.type_string() }}) as agency,
        cast(agency_name as {{ dbt.type_string() }}) as agency_name_matched,
        cast(agency_division_code as {{ dbt.type_string() }})
            as agency_division_code_matched,
        cast(agency_kind as {{ dbt.type_string() }}) as agency_kind_matched,
        cast(agency_township as {{ dbt.type_string() }}) as agency_township_matched,
        cast(agency_match_method as {{ dbt.type_string() }}) as agency_match_method,
        cast(agency_match_evidence as {{ dbt.type_string() }}) as agency_match_evidence,
        cast(agency_match_note as {{ dbt.type_string() }}) as agency_match_note,
        cast(agency_report_scope as {{ dbt.type_string() }}) as agency_report_scope,
        cast(index_no as {{ dbt.type_string() }}) as index_no,
        cast(source_url as {{ dbt.type_string() }}) as source_url,
        cast(template as {{ dbt.type_string() }}) as template,
        cast(status as {{ dbt.type_string() }}) as document_status,
        cast(error as {{ dbt.type_string() }}) as error,
        cast(notes as {{ dbt.type_string() }}) as notes,
        cast(parser_version as {{ dbt.type_string() }}) as parser_version,

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
