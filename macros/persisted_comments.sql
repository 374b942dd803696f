{#
    Comments persisted in a metastore must fit its limits: Hive column comments
    hold 256 characters, Glue's 255. On Spark the relation and column comments
    are the description cut to persisted_comment_max_length (255) characters;
    the full text stays in the dbt docs. DuckDB keeps the whole description
    (the data dictionary reads it from the warehouse).
#}
{% macro persisted_comment(text) -%}
    {%- set limit = var('persisted_comment_max_length', 255) -%}
    {%- set text = (text or '') | trim -%}
    {%- if text | length > limit -%}
        {%- set text = text[:limit - 1] ~ '…' -%}
    {%- endif -%}
    {{ return(text) }}
{%- endmacro %}

{# A Spark string literal of the persisted comment. #}
{% macro spark_comment_literal(text) -%}
    '{{ persisted_comment(text) | replace('\\', '\\\\') | replace("'", "\\'") }}'
{%- endmacro %}

{% macro spark__comment_clause() %}
    {%- set raw_persist_docs = config.get('persist_docs', {}) -%}
    {%- if raw_persist_docs is mapping and raw_persist_docs.get('relation', false) -%}
        comment {{ spark_comment_literal(model.description) }}
    {%- endif -%}
{%- endmacro %}

{# Column comments written into a view's definition (dbt-spark's create view). #}
{% macro get_column_comment_sql(column_name, column_dict) -%}
    {%- set description = column_dict[column_name]['description'] if column_name in column_dict else '' -%}
    {{ adapter.quote(column_name) }}
    {%- if description %} comment {{ spark_comment_literal(description) }}{% endif %}
{%- endmacro %}

{#
    dbt-spark alters column comments only on delta, hudi and iceberg tables
    (Spark cannot on plain Parquet tables); same rule, comments within the limit.
#}
{% macro spark__alter_column_comment(relation, column_dict) %}
    {%- set file_format = config.get('file_format', validator=validation.any[basestring]) -%}
    {%- if file_format in ['delta', 'hudi', 'iceberg'] -%}
        {%- for column_name in column_dict -%}
            {%- set column = column_dict[column_name] -%}
            {%- set quoted = adapter.quote(column_name) if column['quote'] else column_name -%}
            {%- do run_query(
                'alter table ' ~ relation
                ~ (' alter column ' if relation.is_iceberg else ' change column ')
                ~ quoted ~ ' comment ' ~ spark_comment_literal(column['description'])
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}
