{#
    Where each node lands. Marts go to the target schema. Staging, intermediate,
    seeds and stored test failures get a schema of their own, prefixed with the
    target schema (<target>_staging, ...) so that two users on a shared metastore
    (Spark, Trino) never write into each other's tables.

    One exception keeps DuckDB's served layout: a DuckDB warehouse on its default
    schema `main` is one file per user, so there the schemas are named exactly as
    configured (main holds only the marts analysts query; staging, intermediate,
    dictionaries and test_failures beside it).
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif target.type == 'duckdb' and target.schema == 'main' -%}
        {{ custom_schema_name | trim }}
    {%- else -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
