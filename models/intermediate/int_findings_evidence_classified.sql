{#
    Source error or extraction error, for every failing result: the input cells of the
    failing scope (the evaluation models' input rows) are looked up in the report they
    are in. When one of them was not printed as its own cell (inferred from run-together
    digits, ambiguous, unparsed) or is missing from a report whose tables were only partly
    read, the extraction is the likelier culprit (check_extraction); when every input was
    printed in its own cell, the report itself (source_error). A cell a reviewer corrected
    counts as printed. One row per failing finding.
#}
{#- Incremental: the changed reports' rows, and their partners' rows of the rules that
    pair reports (int_reports_changed_with_partners). #}
{{ report_incremental_config(cross_report_rules=true) }}
{%- set evaluation_models = var('rule_evaluation_models') -%}
-- depends_on: {{ ref('reconciliation_rules') }} (the pre_hook reads it)

with

{% for evaluation, model in evaluation_models.items() -%}
{{ evaluation }}_evaluated as (

    select * from {{ ref(model) }}
    where outcome = 'fail'
    {{ rule_rows_to_rebuild(evaluation, keyword='and') }}

),

{% endfor -%}
cells_labeled as (

    select * from {{ ref('int_cells_labeled') }}

),

documents as (

    select * from {{ ref('int_documents_grouped_to_reports') }}

),

rule_rows as (
    {%- for evaluation in evaluation_models %}
    {%- set relation = evaluation ~ '_evaluated' %}

    select
        {{ relation }}.report_id,
        {{ relation }}.rule_id,
        {{ relation }}.table_code,
        {{ relation }}.row_code,
        {{ relation }}.col_code,
        {{ relation }}.input_ordinal,
        {{ relation }}.input_report_id,
        {{ relation }}.input_row_code,
        {{ relation }}.input_col_code
    from {{ relation }}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

placed_cells as (

    select
        cells_labeled.report_id,
        cells_labeled.table_code,
        cells_labeled.row_code,
        cells_labeled.col_code,
        max(
            case when cells_labeled.cell_status in ('ok', 'corrected') then 0 else 1 end
        ) as is_uncertain

    from cells_labeled
    where cells_labeled.row_code is not null
        and cells_labeled.col_code is not null
        -- only the input reports of these rows: in an incremental run, a few
        and cells_labeled.report_id in (select rule_rows.input_report_id from rule_rows)
    group by
        cells_labeled.report_id,
        cells_labeled.table_code,
        cells_labeled.row_code,
        cells_labeled.col_code

),

inputs_judged as (

    select
        rule_rows.report_id,
        rule_rows.rule_id,
        rule_rows.table_code,
        rule_rows.row_code,
        rule_rows.col_code,
        case
            when rule_rows.input_ordinal = 0 then 0
            when placed_cells.report_id is not null then placed_cells.is_uncertain
            when documents.document_status = 'partial' then 1
            else 0
        end as is_uncertain,
        case when rule_rows.input_ordinal > 0 then 1 else 0 end as is_input

    from rule_rows
    left join placed_cells
        on rule_rows.input_report_id = placed_cells.report_id
        and rule_rows.table_code = placed_cells.table_code
        and rule_rows.input_row_code = placed_cells.row_code
        and rule_rows.input_col_code = placed_cells.col_code
    left join documents
        on rule_rows.input_report_id = documents.report_id

),

findings as (

    select
        inputs_judged.report_id,
        inputs_judged.rule_id,
        inputs_judged.table_code,
        inputs_judged.row_code,
        inputs_judged.col_code,
        sum(inputs_judged.is_input) as input_cell_count,
        sum(inputs_judged.is_uncertain) as uncertain_input_count

    from inputs_judged
    group by
        inputs_judged.report_id,
        inputs_judged.rule_id,
        inputs_judged.table_code,
        inputs_judged.row_code,
        inputs_judged.col_code

),

final as (

    select
        {{ finding_id('findings') }} as finding_id,
        findings.report_id,
        findings.rule_id,
        findings.input_cell_count,
        findings.uncertain_input_count,
        case
            when findings.uncertain_input_count > 0 then 'check_extraction'
            else 'source_error'
        end as evidence_class

    from findings

)

select * from final
