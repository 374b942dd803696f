{#
    The shape every rule-evaluation model writes (see the `evaluation` column of
    reconciliation_rules and the var rule_evaluation_models): one scope row per
    report, rule and scope (input_ordinal 0, input columns null), then one row
    per input cell that explains a non-pass outcome (input_ordinal 1, 2, ...),
    repeating its scope's columns. fct_reconciliation_results keeps the scope
    rows, fct_finding_cells the input rows.
#}
{% macro rule_scope_columns() -%}
    {{ return([
        'report_id', 'rule_id', 'table_code', 'row_code', 'col_code', 'outcome',
        'expected', 'actual', 'difference', 'input_count',
        'unusable_input_count', 'unusable_inputs', 'detail',
    ]) }}
{%- endmacro %}

{% macro rule_input_columns() -%}
    {{ return({
        'input_ordinal': 'integer',
        'input_row_code': dbt.type_string(),
        'input_col_code': dbt.type_string(),
        'input_state': dbt.type_string(),
        'input_value': 'double',
        'input_raw_text': dbt.type_string(),
        'input_violation': dbt.type_string(),
    }) }}
{%- endmacro %}


{#
    The columns of a rule across reports: the report a scope was compared with
    (compared_report_id, a scope column) and the report an input cell is in
    (input_report_id). A model that compares reports passes compared=true and
    has both in its CTEs; for the others they are null and the scope's own report.
#}
{% macro rule_comparison_columns() -%}
    {{ return(['compared_report_id', 'input_report_id']) }}
{%- endmacro %}


{# The scope rows of `scopes` (a CTE with the scope columns). #}
{% macro rule_scope_rows(scopes, compared=false) -%}
    select
        {%- for column in rule_scope_columns() %}
        {{ scopes }}.{{ column }},
        {%- endfor %}
        {% if compared -%}
        {{ scopes }}.compared_report_id,
        {%- else -%}
        cast(null as {{ dbt.type_string() }}) as compared_report_id,
        {%- endif %}
        cast(null as {{ dbt.type_string() }}) as input_report_id,
        {%- for column, data_type in rule_input_columns().items() %}
        {% if column == 'input_ordinal' -%}
        cast(0 as bigint) as input_ordinal
        {%- else -%}
        cast(null as {{ data_type }}) as {{ column }}
        {%- endif %}{% if not loop.last %},{% endif %}
        {%- endfor %}

    from {{ scopes }}
{%- endmacro %}


{#
    The input rows: each row of `inputs` (a CTE with the input columns and the
    `keys` of its scope) with its scope's columns from `scopes`.
#}
{% macro rule_input_rows(scopes, inputs, keys, compared=false) -%}
    select
        {%- for column in rule_scope_columns() %}
        {{ scopes }}.{{ column }},
        {%- endfor %}
        {% if compared -%}
        {{ scopes }}.compared_report_id,
        {{ inputs }}.input_report_id,
        {%- else -%}
        cast(null as {{ dbt.type_string() }}) as compared_report_id,
        {{ scopes }}.report_id as input_report_id,
        {%- endif %}
        {%- for column in rule_input_columns() %}
        {{ inputs }}.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}

    from {{ inputs }}
    inner join {{ scopes }}
        {%- for key in keys %}
        {{ 'on' if loop.first else 'and' }} {{ inputs }}.{{ key }} = {{ scopes }}.{{ key }}
        {%- endfor %}
{%- endmacro %}


{#
    The key of one rule result: md5 of report_id, rule_id and the scope
    (table_code/row_code/col_code, the parts that are set), shared by
    fct_reconciliation_results and fct_finding_cells.
#}
{% macro finding_id(relation) -%}
    {{ surrogate_key([
        relation ~ '.report_id',
        relation ~ '.rule_id',
        "concat_ws('/', " ~ relation ~ ".table_code, " ~ relation ~ ".row_code, "
        ~ relation ~ ".col_code)",
    ]) }}
{%- endmacro %}

{#
    The cells of `cells` (a relation or CTE shaped like int_cells_labeled) that a rule term
    can name, with the state a rule reads them in: usable (placed, with a number), the
    value kind of a placed cell without one (blank, text, ...), or unparsed. A term whose
    cell is not here is missing.
#}
{% macro rule_input_cells(cells) -%}
    select
        {{ cells }}.report_id,
        {{ cells }}.template,
        {{ cells }}.table_code,
        {{ cells }}.row_code,
        {{ cells }}.col_code,
        {{ cells }}.value,
        {{ cells }}.raw_text,
        {{ cells }}.cell_status,
        case
            when {{ cells }}.is_placed
                and {{ cells }}.has_value
                and {{ cells }}.value is not null
                then 'usable'
            when {{ cells }}.is_placed then {{ cells }}.value_kind
            else 'unparsed'
        end as input_state

    from {{ cells }}
    where
        {{ cells }}.row_code is not null
        and {{ cells }}.col_code is not null
        and ({{ cells }}.is_placed or {{ cells }}.cell_status = 'unparsed')
{%- endmacro %}
