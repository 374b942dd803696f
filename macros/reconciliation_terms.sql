{#
    The located cells of `cells` (rule_input_cells' columns) joined to the terms they
    feed (`terms`: int_reconciliation_terms_expanded_to_scopes) of the template each
    rule is evaluated on, kept as evaluated_template: the report's own (the cell's
    template), and for the few (report, rule) pairs of `overrides` (report_id, rule_id,
    evaluated_template) the other one as well. Joining on the template directly keeps
    every cell from meeting both templates' terms before the evaluated one is picked
    (twice the rows); a reader joins its scopes on evaluated_template, which drops the
    own-template rows of an overridden pair without an anti-join over every cell.
#}
{% macro located_terms(cells, terms, overrides) -%}
    {%- set columns -%}
        {{ cells }}.report_id,
        {{ terms }}.rule_id,
        {{ terms }}.scope_code,
        {{ terms }}.template as evaluated_template,
        {{ terms }}.side,
        {{ terms }}.input_row_code,
        {{ terms }}.input_col_code,
        {{ terms }}.sign,
        {{ cells }}.value,
        {{ cells }}.raw_text,
        {{ cells }}.input_state
    {%- endset %}
    select
        {{ columns }}

    from {{ cells }}
    inner join {{ terms }}
        on {{ cells }}.template = {{ terms }}.template
        and {{ cells }}.table_code = {{ terms }}.table_code
        and {{ cells }}.row_code = {{ terms }}.input_row_code
        and {{ cells }}.col_code = {{ terms }}.input_col_code

    union all

    select
        {{ columns }}

    from {{ cells }}
    inner join (
        select
            {{ overrides }}.report_id,
            {{ terms }}.*

        from {{ overrides }}
        inner join {{ terms }}
            on {{ overrides }}.evaluated_template = {{ terms }}.template
            and {{ overrides }}.rule_id = {{ terms }}.rule_id
    ) as {{ terms }}
        on {{ cells }}.report_id = {{ terms }}.report_id
        and {{ cells }}.table_code = {{ terms }}.table_code
        and {{ cells }}.row_code = {{ terms }}.input_row_code
        and {{ cells }}.col_code = {{ terms }}.input_col_code
{%- endmacro %}
