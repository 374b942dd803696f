{#
    The generic model of evaluation kind `money_magnitude` (R09): every placed money cell
    with a value, converted to yuan by its printed unit (or the default unit its column's
    header prints, seeds/money_magnitudes.csv) with the money rows of seeds/units.csv, against the
    plausible range of that column. Outside it the unit looks off by 10^4 (万元 printed for
    yuan, or the reverse): fail. Zero always passes; a cell without a unit whose column
    has no default is not_assessable. One scope row per cell, its input row on failure.
#}
{#- Incremental on report keys: a report's rows depend only on its own cells and metadata. #}
{{ report_incremental_config() }}
with

reconciliation_rules as (

    select * from {{ ref('reconciliation_rules') }}

),

money_magnitudes as (

    select * from {{ ref('money_magnitudes') }}

),

units as (

    select * from {{ ref('units') }}

),

money_units as (

    select * from units
    where units.unit_kind = 'money'

),

documents as (

    select * from {{ ref('int_documents_grouped_to_reports') }}
    {{ changed_reports_only() }}

),

cells_labeled as (

    select * from {{ ref('int_cells_labeled') }}
    {{ changed_reports_only() }}

),

rules as (

    select reconciliation_rules.rule_id
    from reconciliation_rules
    where reconciliation_rules.evaluation = 'money_magnitude'

),

money_cells as (

    select
        cells_labeled.report_id,
        cells_labeled.table_code,
        cells_labeled.row_code,
        cells_labeled.col_code,
        cells_labeled.value,
        cells_labeled.raw_text,
        coalesce(cells_labeled.unit, money_magnitudes.default_unit) as money_unit,
        money_magnitudes.min_plausible_yuan,
        money_magnitudes.max_plausible_yuan

    from cells_labeled
    inner join documents
        on cells_labeled.report_id = documents.report_id
    inner join money_magnitudes
        on cells_labeled.table_code = money_magnitudes.table_code
        and cells_labeled.col_code = money_magnitudes.col_code
    where documents.is_reconcilable
        and cells_labeled.is_placed
        and cells_labeled.value is not null
        and cells_labeled.row_code is not null

),

converted as (

    select
        money_cells.*,
        money_cells.value * money_units.yuan_per_unit as amount_yuan

    from money_cells
    left join money_units
        on money_cells.money_unit = money_units.unit

),

scopes_evaluated as (

    select
        concat(converted.row_code, '/', converted.col_code) as scope_code,
        converted.report_id,
        rules.rule_id,
        converted.table_code,
        converted.row_code,
        converted.col_code,
        case
            when converted.value = 0 then 'pass'
            when converted.amount_yuan is null then 'not_assessable'
            when converted.amount_yuan < converted.min_plausible_yuan
                or converted.amount_yuan > converted.max_plausible_yuan
                then 'fail'
            else 'pass'
        end as outcome,
        cast(null as double) as expected,
        converted.amount_yuan as actual,
        cast(null as double) as difference,
        1 as input_count,
        case
            when converted.value <> 0 and converted.amount_yuan is null then 1 else 0
        end as unusable_input_count,
        case
            when converted.value <> 0 and converted.amount_yuan is null
                then concat(converted.row_code, '/', converted.col_code, ' (no unit printed)')
        end as unusable_inputs,
        concat(
            'printed ', converted.raw_text, ', read in ',
            coalesce(converted.money_unit, '(no unit)'),
            case
                when converted.amount_yuan is not null
                    then concat(
                        ' = ', {{ number_text('converted.amount_yuan') }},
                        ' yuan; plausible ',
                        {{ number_text('converted.min_plausible_yuan') }}, ' to ',
                        {{ number_text('converted.max_plausible_yuan') }}
                    )
                else ''
            end
        ) as detail,
        converted.value,
        converted.raw_text

    from converted
    cross join rules

),

flagged_inputs as (

    select
        scopes_evaluated.report_id,
        scopes_evaluated.rule_id,
        scopes_evaluated.scope_code,
        1 as input_ordinal,
        scopes_evaluated.row_code as input_row_code,
        scopes_evaluated.col_code as input_col_code,
        case when scopes_evaluated.outcome = 'fail' then 'invalid' else 'blank' end
            as input_state,
        scopes_evaluated.value as input_value,
        scopes_evaluated.raw_text as input_raw_text,
        case
            when scopes_evaluated.outcome = 'fail' then 'amount off by 10^4 for its unit?'
        end as input_violation

    from scopes_evaluated
    where scopes_evaluated.outcome <> 'pass'

),

evaluated as (

    {{ rule_scope_rows('scopes_evaluated') }}

    union all

    {{ rule_input_rows('scopes_evaluated', 'flagged_inputs', [
        'report_id', 'rule_id', 'scope_code'
    ]) }}

)

select * from evaluated
