{#
    Engine-specific SQL lives here, behind adapter.dispatch on target.type.
    duckdb__ is the implementation we run; default__ is portable ANSI-ish SQL
    for other engines (e.g. Spark) where it can be written without tricks.
#}

{# A stable text key: md5 of the columns joined by '|', nulls spelled out. #}
{% macro surrogate_key(columns) -%}
    {{ return(adapter.dispatch('surrogate_key', 'gongkai')(columns)) }}
{%- endmacro %}

{% macro duckdb__surrogate_key(columns) -%}
    md5(concat_ws('|'
    {%- for column in columns -%}
        , coalesce(cast({{ column }} as varchar), '<null>')
    {%- endfor -%}
    ))
{%- endmacro %}

{% macro default__surrogate_key(columns) -%}
    md5(
    {%- for column in columns -%}
        coalesce(cast({{ column }} as {{ dbt.type_string() }}), '<null>')
        {%- if not loop.last %} || '|' || {% endif -%}
    {%- endfor -%}
    )
{%- endmacro %}


{#
    One aggregate restricted to the rows where `condition` holds: the building
    block of our pivots (conditional aggregation, explicit about its columns).
#}
{% macro aggregate_where(aggregate, expression, condition) -%}
    {{ return(adapter.dispatch('aggregate_where', 'gongkai')(
        aggregate, expression, condition
    )) }}
{%- endmacro %}

{% macro duckdb__aggregate_where(aggregate, expression, condition) -%}
    {{ aggregate }}({{ expression }}) filter (where {{ condition }})
{%- endmacro %}

{% macro default__aggregate_where(aggregate, expression, condition) -%}
    {{ aggregate }}(case when {{ condition }} then {{ expression }} end)
{%- endmacro %}


{#
    Pivot `value_columns` of long rows to one column per key in `keys`
    (key_column = key), named <key> for the first value column and
    <key>_<column> for the others. Emits a comma-separated select list; the
    caller groups by its grain.
#}
{% macro pivot_columns(key_column, keys, value_columns, aggregate='max') -%}
    {%- for key in keys %}
        {%- set outer_loop = loop %}
        {%- for value_column in value_columns %}
        {%- set condition = key_column ~ " = '" ~ key ~ "'" %}
    {{ aggregate_where(aggregate, value_column, condition) }}
        as {{ key if loop.first else key ~ '_' ~ value_column }}
        {%- if not (outer_loop.last and loop.last) %},{% endif %}
        {%- endfor %}
    {%- endfor %}
{%- endmacro %}


{# Ordered, delimited text list of an expression's values in a group. #}
{% macro string_list(expression, order_by, delimiter=', ') -%}
    {{ return(adapter.dispatch('string_list', 'gongkai')(
        expression, order_by, delimiter
    )) }}
{%- endmacro %}

{% macro duckdb__string_list(expression, order_by, delimiter) -%}
    string_agg({{ expression }}, '{{ delimiter }}' order by {{ order_by }})
{%- endmacro %}

{% macro default__string_list(expression, order_by, delimiter) -%}
    {{ dbt.listagg(expression, "'" ~ delimiter ~ "'", 'order by ' ~ order_by) }}
{%- endmacro %}
