with

source as (

    select * from {{ source('ingest', 'cells') }}

),

renamed as (

    select
        ----------  ids
        cast(report_id as varchar) as report_id,
        cast(cell_seq as integer) as cell_seq,

        ----------  strings
        cast(source_path as varchar) as source_path,
        cast(table_code as varchar) as table_code,
        cast(row_code as varchar) as row_code,
        cast(col_code as varchar) as col_code,
        cast(row_label_raw as varchar) as row_label_raw,
        cast(col_label_raw as varchar) as col_label_raw,
        cast(raw_text as varchar) as raw_text,
        cast(unit as varchar) as unit,
        cast(value_kind as varchar) as value_kind,
        cast(status as varchar) as cell_status,
        cast(locator as varchar) as locator,
        cast(scope as varchar) as scope,

        ----------  numerics
        cast(value as double) as value

    from source

)

select * from renamed
