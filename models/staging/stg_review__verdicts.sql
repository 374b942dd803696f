with

source as (

    select * from {{ source('review', 'verdicts') }}

),

renamed as (

    select
        ----------  ids
        cast(finding_id as {{ dbt.type_string() }}) as finding_id,
        cast(report_id as {{ dbt.type_string() }}) as report_id,
        cast(rule_id as {{ dbt.type_string() }}) as rule_id,

        ----------  strings
        cast(scope_code as {{ dbt.type_string() }}) as scope_code,
        cast(verdict as {{ dbt.type_string() }}) as verdict,
        cast(note as {{ dbt.type_string() }}) as verdict_note,
        cast(corrected_table_code as {{ dbt.type_string() }}) as corrected_table_code,
        cast(corrected_row_code as {{ dbt.type_string() }}) as corrected_row_code,
        cast(corrected_col_code as {{ dbt.type_string() }}) as corrected_col_code,
        cast(source_file as {{ dbt.type_string() }}) as source_file,

        ----------  numerics
        cast(verdict_seq as integer) as verdict_seq,
        cast(corrected_value as double) as corrected_value

    from source

)

select * from renamed
