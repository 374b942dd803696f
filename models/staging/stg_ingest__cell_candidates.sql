{#
    The candidates of the lake's ambiguous cells (候选值), one row per cell,
    candidate and target: the JSON text of the candidates column, unnested.
#}
with

source as (

    select * from {{ source('ingest', 'cells') }}

),

cells_with_candidates as (

    select
        cast(source.report_id as {{ dbt.type_string() }}) as report_id,
        cast(source.cell_seq as integer) as cell_seq,
        cast(source.table_code as {{ dbt.type_string() }}) as table_code,
        cast(source.row_code as {{ dbt.type_string() }}) as row_code,
        cast(source.status as {{ dbt.type_string() }}) as cell_status,
        cast(source.candidates as {{ dbt.type_string() }}) as candidates

    from source
    where source.candidates is not null

),

entries as (

    {{ candidate_entries(
        'cells_with_candidates',
        ['report_id', 'cell_seq', 'table_code', 'row_code', 'cell_status'],
    ) }}

),

renamed as (

    select
        ----------  ids
        entries.report_id,
        entries.cell_seq,

        ----------  strings
        entries.table_code,
        entries.row_code,
        entries.cell_status,
        cast(entries.target_cell as {{ dbt.type_string() }}) as target_cell,
        cast(entries.value_text as {{ dbt.type_string() }}) as value_text,

        ----------  numerics
        cast(entries.candidate_number as integer) as candidate_number

    from entries

)

select * from renamed
