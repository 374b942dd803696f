{#
    One series from 2008 to today: one row per report and harmonised measure
    (applications received, granted, …), from the standard tables where the
    report has them, else its pre-2019 statistics table, else a figure its
    text quotes about the body itself (scope self). Sources, their rank and
    their comparability with the 2019+ measure (format.md §5.2) are the
    measure_sources seed. A blank or unparsed input leaves the value null
    (never 0); a measure no source gives stays as a row with source null.
#}
{{ report_incremental_config() }}
with

reports as (

    select * from {{ ref('dim_reports') }}
    {{ changed_reports_only() }}

),

harmonised_measures as (

    select * from {{ ref('harmonised_measures') }}

),

measure_sources as (

    select * from {{ ref('measure_sources') }}

),

cells_labeled as (

    select * from {{ ref('int_cells_labeled') }}
    {{ changed_reports_only() }}

),

source_terms as (

    select
        measure_sources.measure_code,
        measure_sources.source,
        measure_sources.source_rank,
        measure_sources.comparability,
        measure_sources.comparability_note,
        count(*) over (
            partition by measure_sources.measure_code, measure_sources.source
        ) as term_count,
        measure_sources.table_code,
        measure_sources.row_code,
        measure_sources.col_code,
        measure_sources.sign

    from measure_sources

),

{# Narrative figures count only when the sentence counts the body itself. A cell printed
    but ambiguous (run-together digits, several splits; its row, no column) is a source
    whose value is unknown: null, flagged, never "not reported". A row the warehouse split
    by last year's report is placed (int_cells_labeled) and counts as printed. #}
source_cells as (

    select
        cells_labeled.report_id,
        source_terms.measure_code,
        source_terms.source,
        source_terms.source_rank,
        source_terms.term_count,
        source_terms.sign,
        source_terms.comparability,
        source_terms.comparability_note,
        cells_labeled.unit,
        cells_labeled.cell_seq,
        not cells_labeled.is_placed as is_ambiguous,
        case
            when cells_labeled.is_placed
                and cells_labeled.has_value
                and cells_labeled.value is not null
                then cells_labeled.value
        end as usable_value

    from cells_labeled
    inner join source_terms
        on cells_labeled.table_code = source_terms.table_code
        and cells_labeled.row_code = source_terms.row_code
        and (
            cells_labeled.col_code = source_terms.col_code
            or (cells_labeled.col_code is null and not cells_labeled.is_placed)
        )
    where
        (cells_labeled.is_placed or cells_labeled.cell_status = 'ambiguous')
        and (cells_labeled.table_code <> 'narrative' or cells_labeled.scope = 'self')

),

sources_found as (

    select
        source_cells.report_id,
        source_cells.measure_code,
        source_cells.source,
        min(source_cells.source_rank) as source_rank,
        max(source_cells.term_count) as term_count,
        count(*) as cell_count,
        count(source_cells.usable_value) as usable_count,
        sum(case when source_cells.is_ambiguous then 1 else 0 end) as ambiguous_count,
        sum(source_cells.sign * source_cells.usable_value) as value_sum,
        min(source_cells.usable_value) as min_value,
        max(source_cells.usable_value) as max_value,
        min(source_cells.unit) as unit,
        {#- One code per era: a report holds the 2019+ or the pre-2019 one. #}
        min(source_cells.comparability) as comparability,
        min(source_cells.comparability_note) as comparability_note

    from source_cells
    group by
        source_cells.report_id,
        source_cells.measure_code,
        source_cells.source

),

sources_valued as (

    select
        sources_found.*,
        case
            when sources_found.ambiguous_count > 0 then null
            when sources_found.source = 'narrative'
                and sources_found.usable_count > 0
                and sources_found.min_value = sources_found.max_value
                then sources_found.min_value
            when sources_found.source <> 'narrative'
                and sources_found.usable_count = sources_found.term_count
                and sources_found.cell_count = sources_found.term_count
                then sources_found.value_sum
        end as value,
        case
            when sources_found.ambiguous_count > 0
                then 'printed but ambiguous'
            when sources_found.source = 'narrative'
                and sources_found.usable_count = 0
                then 'stated in words, no figure'
            when sources_found.source = 'narrative'
                and sources_found.min_value <> sources_found.max_value
                then 'the text quotes different figures'
            when sources_found.source <> 'narrative'
                and sources_found.cell_count < sources_found.term_count
                then 'not every input cell is printed'
            when sources_found.usable_count < sources_found.cell_count
                then 'an input cell is blank or not a number'
            else 'reported'
        end as value_status

    from sources_found

),

sources_ranked as (

    select
        sources_valued.*,
        row_number() over (
            partition by sources_valued.report_id, sources_valued.measure_code
            order by sources_valued.source_rank
        ) as preference

    from sources_valued

),

chosen_sources as (

    select * from sources_ranked
    where sources_ranked.preference = 1

),

final as (

    select
        ----------  ids
        {{ surrogate_key(['reports.report_id', 'harmonised_measures.measure_code']) }}
            as harmonised_measure_id,
        reports.report_id,
        reports.agency_id,

        ----------  strings
        reports.agency_name,
        reports.agency,
        reports.template,
        harmonised_measures.measure_code,
        harmonised_measures.label_zh as measure_label_zh,
        harmonised_measures.label_en as measure_label_en,
        chosen_sources.source,
        chosen_sources.comparability,
        chosen_sources.comparability_note,
        coalesce(chosen_sources.value_status, 'not reported') as value_status,
        chosen_sources.unit,

        ----------  numerics
        reports.report_year,
        harmonised_measures.measure_order,
        {{ as_amount('chosen_sources.value') }} as value

    from reports
    cross join harmonised_measures
    left join chosen_sources
        on reports.report_id = chosen_sources.report_id
        and harmonised_measures.measure_code = chosen_sources.measure_code
    where reports.status <> 'error'

)

select * from final
