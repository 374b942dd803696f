{#
    Structural: the per-status cell counts the ingest writes on each document
    agree with the cells in the lake. Returns the reports that disagree.
#}
with

documents as (

    select * from {{ ref('stg_ingest__documents') }}

),

cells as (

    select * from {{ ref('stg_ingest__cells') }}

),

cells_counted as (

    select
        cells.report_id,
        count(*) as cells_total,
        {{ aggregate_where('count', '*', "cells.cell_status = 'ok'") }}
            as cells_ok,
        {{ aggregate_where('count', '*', "cells.cell_status = 'inferred'") }}
            as cells_inferred,
        {{ aggregate_where('count', '*', "cells.cell_status = 'ambiguous'") }}
            as cells_ambiguous,
        {{ aggregate_where('count', '*', "cells.cell_status = 'unplaced'") }}
            as cells_unplaced,
        {{ aggregate_where('count', '*', "cells.cell_status = 'unparsed'") }}
            as cells_unparsed,
        {{ aggregate_where('count', '*', "cells.cell_status = 'unmapped'") }}
            as cells_unmapped

    from cells
    group by cells.report_id

),

non_duplicate_documents as (

    select * from documents
    where documents.document_status <> 'duplicate'

),

mismatches as (

    select
        non_duplicate_documents.report_id,
        non_duplicate_documents.cells_total as documented_total,
        coalesce(cells_counted.cells_total, 0) as cells_total

    from non_duplicate_documents
    left join cells_counted
        on non_duplicate_documents.report_id = cells_counted.report_id
    where
        non_duplicate_documents.cells_total
            <> coalesce(cells_counted.cells_total, 0)
        or non_duplicate_documents.cells_ok
            <> coalesce(cells_counted.cells_ok, 0)
        or non_duplicate_documents.cells_inferred
            <> coalesce(cells_counted.cells_inferred, 0)
        or non_duplicate_documents.cells_ambiguous
            <> coalesce(cells_counted.cells_ambiguous, 0)
        or non_duplicate_documents.cells_unplaced
            <> coalesce(cells_counted.cells_unplaced, 0)
        or non_duplicate_documents.cells_unparsed
            <> coalesce(cells_counted.cells_unparsed, 0)
        or non_duplicate_documents.cells_unmapped
            <> coalesce(cells_counted.cells_unmapped, 0)

)

select * from mismatches
