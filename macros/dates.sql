{# A date from year, month and day expressions. #}
{% macro date_from_parts(year, month, day) -%}
    {{ return(adapter.dispatch('date_from_parts', 'gongkai')(year, month, day)) }}
{%- endmacro %}

{% macro duckdb__date_from_parts(year, month, day) -%}
    make_date(cast({{ year }} as integer), cast({{ month }} as integer), cast({{ day }} as integer))
{%- endmacro %}

{% macro default__date_from_parts(year, month, day) -%}
    cast(concat(
        cast({{ year }} as {{ dbt.type_string() }}), '-',
        lpad(cast({{ month }} as {{ dbt.type_string() }}), 2, '0'), '-',
        lpad(cast({{ day }} as {{ dbt.type_string() }}), 2, '0')
    ) as date)
{%- endmacro %}
