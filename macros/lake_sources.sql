{#
    The lake's Parquet as source tables. On DuckDB the sources read the files
    directly (external_location in _ingest__sources.yml). Other engines need
    tables: this on-run-start hook (re)creates one external table per source
    table of `ingest`, over GONGKAI_LAKE/<name> (any path the engine reads:
    a local folder, hdfs://, s3a://, abfss://), the same env var DuckDB uses.
#}
{% macro register_lake_sources() %}
    {%- if execute -%}
        {%- do adapter.dispatch('register_lake_sources', 'gongkai')() -%}
    {%- endif -%}
{% endmacro %}

{% macro duckdb__register_lake_sources() %}
{% endmacro %}

{% macro spark__register_lake_sources() %}
    {%- set lake = env_var('GONGKAI_LAKE', 'warehouse/lake') | replace("'", "\\'") -%}
    {%- for source in graph.sources.values() if source.source_name == 'ingest' -%}
        {%- set relation = api.Relation.create(
            schema=source.schema, identifier=source.identifier
        ) -%}
        {%- do adapter.create_schema(relation) -%}
        {#- Dropping an external table leaves its files alone. -#}
        {%- do run_query('drop table if exists ' ~ relation) -%}
        {%- do run_query(
            'create table ' ~ relation ~ ' using parquet'
            ~ " options (mergeSchema 'true')"
            ~ " location '" ~ lake ~ '/' ~ source.name ~ "'"
        ) -%}
    {%- endfor -%}
    {#- The reviewer verdicts (gongkai review import) are a CSV file beside the seeds. -#}
    {%- set review = env_var('GONGKAI_REVIEW_DIR', 'review') | replace("'", "\\'") -%}
    {%- for source in graph.sources.values() if source.source_name == 'review' -%}
        {%- set relation = api.Relation.create(
            schema=source.schema, identifier=source.identifier
        ) -%}
        {%- do adapter.create_schema(relation) -%}
        {%- do run_query('drop table if exists ' ~ relation) -%}
        {#- Every column as text, named as documented: a file with no verdict yet has only
            its header, from which Spark infers nothing. -#}
        {%- set columns = [] -%}
        {%- for column in source.columns -%}
            {%- do columns.append(column ~ ' string') -%}
        {%- endfor -%}
        {#- RFC 4180 as Python's csv writes it: a quote inside a field is doubled (Spark's
            default escape is a backslash) and a note may run over several lines. -#}
        {%- do run_query(
            'create table ' ~ relation ~ ' (' ~ columns | join(', ') ~ ') using csv'
            ~ " options (header 'true', multiLine 'true', escape '\"', path '"
            ~ review ~ '/' ~ source.name ~ ".csv')"
        ) -%}
    {%- endfor -%}
{% endmacro %}

{#
    Other engines (Trino's Hive connector needs column types, Glue or Unity
    catalogs may hold the tables already): expected to exist; say which. The
    reviewer verdicts are text in every column, so the statement that makes
    their table is given whole (Trino's Hive connector: CSV over the folder).
#}
{% macro default__register_lake_sources() %}
    {%- for source in graph.sources.values() if source.source_name == 'ingest' -%}
        {%- do log(
            'gongkai: on ' ~ target.type ~ ' the lake table ' ~ source.schema ~ '.'
            ~ source.identifier ~ ' must exist (external Parquet over '
            ~ env_var('GONGKAI_LAKE', 'warehouse/lake') ~ '/' ~ source.name ~ ')',
            info=true,
        ) -%}
    {%- endfor -%}
    {%- for source in graph.sources.values() if source.source_name == 'review' -%}
        {%- do log(
            'gongkai: on ' ~ target.type ~ ' the review table ' ~ source.schema ~ '.'
            ~ source.identifier ~ ' must exist: ' ~ review_table_ddl(source),
            info=true,
        ) -%}
    {%- endfor -%}
{% endmacro %}

{#
    The verdicts CSV as an external table of Trino's Hive connector: every column varchar
    (the connector's CSV format takes no other type), the header line skipped, over the
    folder that holds verdicts.csv (GONGKAI_REVIEW_DIR, review/ by default).
#}
{% macro review_table_ddl(source) %}
    {%- set review = env_var('GONGKAI_REVIEW_DIR', 'review') | replace("'", "''") -%}
    {%- set columns = [] -%}
    {%- for column in source.columns -%}
        {%- do columns.append(column ~ ' varchar') -%}
    {%- endfor -%}
    {{- 'create table ' ~ source.schema ~ '.' ~ source.identifier
        ~ ' (' ~ columns | join(', ') ~ ')'
        ~ " with (format = 'CSV', skip_header_line_count = 1, external_location = '"
        ~ review ~ "')" -}}
{% endmacro %}
