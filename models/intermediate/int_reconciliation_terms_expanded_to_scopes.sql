{#
    The rule terms seed (rules with evaluation terms), expanded to one row per template, rule, scope and term.
    A term leaves either its row_code or its col_code empty: the empty axis is
    the rule's scope axis, and the term applies to every code of that axis in
    the template (e.g. R01 to each of the seven applicant columns). Terms with
    a template are that template's own row set (other_total is 2019, its three
    sub-rows are 2021) and keep it as term_template: a report printing another
    template's row set is evaluated on that one (int_reconciliation_terms_summed).
#}
with

reconciliation_terms as (

    select * from {{ ref('reconciliation_terms') }}

),

reconciliation_rules as (

    select * from {{ ref('reconciliation_rules') }}
    where evaluation = 'terms'

),

template_cells as (

    select * from {{ ref('template_cells') }}

),

scope_codes as (

    select distinct
        template_cells.template,
        template_cells.table_code,
        'row_code' as scope_axis,
        template_cells.row_code as scope_code

    from template_cells

    union all

    select distinct
        template_cells.template,
        template_cells.table_code,
        'col_code' as scope_axis,
        template_cells.col_code as scope_code

    from template_cells

),

expanded as (

    select
        scope_codes.template,
        reconciliation_terms.rule_id,
        reconciliation_terms.table_code,
        reconciliation_rules.scope_axis,
        scope_codes.scope_code,
        reconciliation_terms.side,
        coalesce(reconciliation_terms.row_code, scope_codes.scope_code)
            as input_row_code,
        coalesce(reconciliation_terms.col_code, scope_codes.scope_code)
            as input_col_code,
        reconciliation_terms.sign,
        reconciliation_rules.tolerance,
        reconciliation_terms.template as term_template

    from reconciliation_terms
    inner join reconciliation_rules
        on reconciliation_terms.rule_id = reconciliation_rules.rule_id
    inner join scope_codes
        on reconciliation_terms.table_code = scope_codes.table_code
        and reconciliation_rules.scope_axis = scope_codes.scope_axis
        and (
            reconciliation_terms.template is null
            or reconciliation_terms.template = scope_codes.template
        )

)

select * from expanded
