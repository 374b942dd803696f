{#
    On-run-end: when GONGKAI_MARTS_PARQUET names a folder, every mart and seed
    this run built is written there as Parquet, one folder each
    (<folder>/<name>/*.parquet), whichever engine built it. Publishing
    (gongkai publish --marts <folder>) reads those files through DuckDB, so
    exports, the HTML report and the data dictionary work after a Spark build.
    Marts are the models under models/marts/; seeds are the dictionaries.
#}
{% macro export_marts(results) %}
    {%- set folder = env_var('GONGKAI_MARTS_PARQUET', '') -%}
    {%- if execute and folder -%}
        {%- for result in results
            if result.status == 'success' and (
                result.node.resource_type == 'seed'
                or (result.node.resource_type == 'model' and result.node.fqn[1] == 'marts')
            ) -%}
            {%- set relation = api.Relation.create(
                database=result.node.database,
                schema=result.node.schema,
                identifier=result.node.alias,
            ) -%}
            {%- do adapter.dispatch('export_relation_to_parquet', 'gongkai')(
                relation, folder ~ '/' ~ result.node.name
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}

{# DuckDB creates the mart's folder but not its parents: the folder named must exist. #}
{% macro duckdb__export_relation_to_parquet(relation, path) %}
    {%- do run_query(
        'copy (select * from ' ~ relation ~ ") to '" ~ path ~ "'"
        ~ ' (format parquet, per_thread_output true, overwrite true)'
    ) -%}
{% endmacro %}

{% macro spark__export_relation_to_parquet(relation, path) %}
    {%- do run_query(
        "insert overwrite directory '" ~ path ~ "' using parquet"
        ~ ' select * from ' ~ relation
    ) -%}
{% endmacro %}

{% macro default__export_relation_to_parquet(relation, path) %}
    {{ exceptions.raise_compiler_error(
        "gongkai: exporting marts to Parquet is not written for " ~ target.type
        ~ "; write a " ~ target.type ~ "__export_relation_to_parquet macro"
    ) }}
{% endmacro %}
