{#
    One row per report with placed numbers: a fingerprint of its tables (the multiset of
    its placed numbers with their coordinates, hashed), how many of them are not zero and how
    many were not printed as their own cell (inferred, ambiguous ...). The identical-tables
    rule (R15, int_identical_tables_compared) compares reports by it. Per report, so it is
    built incrementally: a build reads the cells of the changed reports only.
#}
{{ report_incremental_config() }}
with

cells_labeled as (

    select * from {{ ref('int_cells_labeled') }}
    {{ changed_reports_only() }}

),

placed_numbers as (

    select
        cells_labeled.report_id,
        concat(
            cells_labeled.table_code, '/', cells_labeled.row_code, '/',
            cells_labeled.col_code, '=',
            {{ number_text('cells_labeled.value', 4) }}
        ) as cell_text,
        cells_labeled.value,
        cells_labeled.cell_status

    from cells_labeled
    where cells_labeled.is_placed
        and cells_labeled.value is not null
        and cells_labeled.row_code is not null
        and cells_labeled.col_code is not null

),

tables_listed as (

    select
        placed_numbers.report_id,
        {#- The multiset of placed numbers as two sums of 64-bit hashes and a count, not
            the md5 of their sorted text: fixed-size aggregate state, where a text list
            per report held every cell at once (4.4 GB at 100k reports). #}
        count(*) as placed_count,
        sum(cast({{ hash_key(['placed_numbers.cell_text']) }} as decimal(38, 0)))
            as cell_hash_sum,
        sum(cast({{ hash_key(['placed_numbers.cell_text', "'#'"]) }} as decimal(38, 0)))
            as cell_hash_sum_salted,
        sum(case when placed_numbers.value <> 0 then 1 else 0 end) as nonzero_cells,
        sum(case when placed_numbers.cell_status not in ('ok', 'corrected') then 1 else 0 end)
            as uncertain_cells

    from placed_numbers
    group by placed_numbers.report_id

),

final as (

    select
        ----------  ids
        tables_listed.report_id,

        ----------  strings
        {{ surrogate_key([
            'tables_listed.placed_count',
            'tables_listed.cell_hash_sum',
            'tables_listed.cell_hash_sum_salted',
        ]) }} as tables_fingerprint,

        ----------  numerics
        tables_listed.nonzero_cells,
        tables_listed.uncertain_cells

    from tables_listed

)

select * from final
