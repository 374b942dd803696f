{#
    Engine-specific SQL lives here, behind adapter.dispatch on target.type:
    duckdb__ and spark__ are the implementations CI builds with; default__ is
    portable SQL for other engines (Trino, ...). tests/test_macros.py runs every
    default__ next to the engine's own implementation and compares the results.
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

{#
    Portable: the same '|'-joined text hashed by dbt.hash (md5 as lowercase hex on
    every engine; Trino's md5 takes varbinary, which dbt-trino's hash handles), so
    keys are identical across engines.
#}
{% macro default__surrogate_key(columns) -%}
    {{ dbt.hash(surrogate_key_text(columns)) }}
{%- endmacro %}

{# The text surrogate_key hashes: the columns as text, nulls as '<null>', '|' between. #}
{% macro surrogate_key_text(columns) -%}
    {%- for column in columns -%}
        coalesce(cast({{ column }} as {{ dbt.type_string() }}), '<null>')
        {%- if not loop.last %} || '|' || {% endif -%}
    {%- endfor -%}
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

{# `count(*)` becomes `count(case when ... then 1 end)`: `then *` is not SQL. #}
{% macro default__aggregate_where(aggregate, expression, condition) -%}
    {%- set value = '1' if expression | trim == '*' else expression -%}
    {{ aggregate }}(case when {{ condition }} then {{ value }} end)
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


{#
    Ordered, delimited text list of an expression's non-null values in a group;
    null when there are none. Ties in order_by are broken by the value itself, so
    the text is the same on every engine and every run.
#}
{% macro string_list(expression, order_by, delimiter=', ') -%}
    {{ return(adapter.dispatch('string_list', 'gongkai')(
        expression, order_by, delimiter
    )) }}
{%- endmacro %}

{#
    Not string_agg(... order by ...): DuckDB keeps a sort buffer for every group of an
    ordered aggregate, outside what it can spill, so at 100k reports (a group per report
    and scope) a build ran past its memory limit. A list of (sort key, value) pairs,
    sorted, is the same text (nulls in a sort key last, as in order by) in bounded memory.
#}
{% macro duckdb__string_list(expression, order_by, delimiter) -%}
    array_to_string(list_transform(list_sort(
        list(struct_pack(sort_key := row({{ order_by }}), item := {{ expression }}))
            filter (where ({{ expression }}) is not null)
    ), entry -> entry.item), '{{ delimiter }}')
{%- endmacro %}

{#
    Spark 3.5 has no ordered string aggregate (dbt.listagg's collect_list keeps no
    order: results differed from DuckDB): collect (key, value) pairs, sort them and
    keep the values. array_join skips nulls; no values gives null, as string_agg.
#}
{% macro spark__string_list(expression, order_by, delimiter) -%}
    case when count({{ expression }}) > 0 then array_join(
        transform(
            array_sort(collect_list(named_struct(
                'sort_key', struct({{ order_by }}), 'item', {{ expression }}
            ))),
            entry -> entry.item
        ),
        '{{ delimiter }}'
    ) end
{%- endmacro %}

{# ANSI SQL:2016 ordered set aggregate (Trino, Snowflake, Oracle, Spark 4). #}
{% macro default__string_list(expression, order_by, delimiter) -%}
    listagg({{ expression }}, '{{ delimiter }}')
        within group (order by {{ order_by }}, {{ expression }})
{%- endmacro %}


{#
    A 64-bit integer hash of the columns, for cheap grouping and for sums that
    compare multisets: a pre-filter only, since different values can share a
    hash. Callers re-check candidates exactly. Sum it as decimal(38, 0): bigint
    sums overflow (an error with ANSI on, silently wrapped with it off).
#}
{% macro hash_key(columns) -%}
    {{ return(adapter.dispatch('hash_key', 'gongkai')(columns)) }}
{%- endmacro %}

{% macro duckdb__hash_key(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__hash_key(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}

{# Trino's xxhash64 takes varbinary and returns 8 bytes. #}
{% macro trino__hash_key(columns) -%}
    from_big_endian_64(xxhash64(to_utf8({{ surrogate_key_text(columns) }})))
{%- endmacro %}

{#
    Portable (any engine with dbt.hash, substr and position): the first 15 hex
    digits of the surrogate key's md5, read as a 60-bit non-negative integer.
#}
{% macro default__hash_key(columns) -%}
    {%- set hex = dbt.hash(surrogate_key_text(columns)) -%}
    (
    {%- for digit in range(15) %}
        {% if not loop.first %}+ {% endif -%}
        cast(position(substr({{ hex }}, {{ digit + 1 }}, 1) in '0123456789abcdef') - 1 as bigint)
            * {{ 16 ** (14 - digit) }}
    {%- endfor %}
    )
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


{#
    `name as {{ cte_materialized() }} (...)`: a CTE computed once. DuckDB inlines a CTE
    read once, and its optimizer takes time exponential in the depth of a chain of such
    CTEs (the passes of int_legacy_splits_resolved_across_years: 4 s at four passes, minutes
    at ten); materialized keeps each pass one step. Spark has no such keyword (it inlines
    every CTE), so nothing there.
#}
{% macro cte_materialized() -%}
    {{ return(adapter.dispatch('cte_materialized', 'gongkai')()) }}
{%- endmacro %}

{% macro duckdb__cte_materialized() -%}
    materialized
{%- endmacro %}

{% macro default__cte_materialized() -%}
{%- endmacro %}
