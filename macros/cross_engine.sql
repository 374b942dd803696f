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


{#
    A 64-bit hash of the columns, for cheap grouping: a pre-filter only, since
    different values can share a hash. Callers re-check candidates exactly.
#}
{% macro hash_key(columns) -%}
    {{ return(adapter.dispatch('hash_key', 'gongkai')(columns)) }}
{%- endmacro %}

{% macro duckdb__hash_key(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro default__hash_key(columns) -%}
    {{ surrogate_key(columns) }}
{%- endmacro %}


{#
    dbt's built-in `unique` test, for DuckDB: the same result (each repeated
    value with n_records), found by grouping a 64-bit hash first and only
    re-grouping the values whose hash repeats. Grouping ~10M md5 keys directly
    was the slowest part of our tests at national scale.
#}
{% macro duckdb__test_unique(model, column_name) -%}

with

model_rows as (

    select {{ column_name }} as unique_field
    from {{ model }}
    where {{ column_name }} is not null

),

repeated_hashes as (

    select hash(model_rows.unique_field) as value_hash
    from model_rows
    group by hash(model_rows.unique_field)
    having count(*) > 1

),

duplicated as (

    select
        model_rows.unique_field,
        count(*) as n_records

    from model_rows
    where hash(model_rows.unique_field) in (
        select repeated_hashes.value_hash from repeated_hashes
    )
    group by model_rows.unique_field
    having count(*) > 1

)

select * from duplicated

{%- endmacro %}


{#
    Placed between `<name> as` and the CTE's parenthesis: asks the engine to
    inline the CTE into each reference. DuckDB otherwise materializes a CTE
    that is referenced more than once, buffering millions of cell rows in
    memory; recomputing a filter or join over the cell table is cheaper.
#}
{% macro not_materialized() -%}
    {{ return(adapter.dispatch('not_materialized', 'gongkai')()) }}
{%- endmacro %}

{% macro duckdb__not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro default__not_materialized() -%}
{%- endmacro %}
