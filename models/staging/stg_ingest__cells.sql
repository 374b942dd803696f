with

source as (

    select * from {{ source('ingest', 'cells') }}

),

renamed as (

    select
        ----------  ids
        cast(report_id as {{ dbt.type_string() }}) as report_id,
        cast(cell_seq as integer) as cell_seq,

        ----------  strings
        cast(source_path as {{ dbt.type_string() }}) as source_path,
        cast(table_code as {{ dbt.type_string() }}) as table_code,
        cast(row_code as {{ dbt.type_string() }}) as row_code,
        cast(col_code as {{ dbt.type_string() }}) as col_code,
        cast(row_label_raw as {{ dbt.type_string() }}) as row_label_raw,
        cast(col_label_raw as {{ dbt.type_string() }}) as col_label_raw,
        cast(raw_text as {{ dbt.type_string() }}) as raw_text,
        cast(unit as {{ dbt.type_string() }}) as unit,
        cast(value_kind as {{ dbt.type_string() }}) as value_kind,
        cast(status as {{ dbt.type_string() }}) as cell_status,
        cast(locator as {{ dbt.type_string() }}) as locator,
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(note as {{ dbt.type_string() }}) as note,
        cast(candidates as {{ dbt.type_string() }}) as candidates,

        ----------  numerics
        cast(value as double) as value,
        cast(confidence as double) as confidence

    from source

)

select * from renamed
