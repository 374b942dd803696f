{#
    Seeds on Spark. dbt-spark's loader binds values by Python string formatting:
    empty cells arrive as the text 'None', a quote breaks the statement and a
    backslash is eaten (the regex seeds lose theirs). These overrides write every
    value as a proper Spark literal (null, numbers as is, text escaped), and map
    the seeds' portable `varchar` column types to Spark's `string`.
    dbt-databricks dispatches to spark__ too.
#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_types = seed_column_types(model, agate_table) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
            (
                {%- for value in row -%}
                    cast({{ spark_literal(value) }} as {{ column_types[loop.index0] }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%}
            ){%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first %}{% do statements.append(sql) %}{% endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}


{% macro spark__create_csv_table(model, agate_table) %}
    {%- set column_types = seed_column_types(model, agate_table) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {%- set sql -%}
        create table {{ this.render() }} (
            {%- for column_name in agate_table.column_names %}
            {{ adapter.quote_seed_column(column_name | string, quote_seed_column) }}
                {{ column_types[loop.index0] }}
            {%- if not loop.last %},{% endif -%}
            {%- endfor %}
        )
        {{ file_format_clause() }}
        {{ location_clause() }}
        {{ comment_clause() }}
    {%- endset -%}
    {%- call statement('_') -%}
        {{ sql }}
    {%- endcall -%}
    {{ return(sql) }}
{% endmacro %}


{# The type of each seed column, in CSV order: configured or inferred, varchar -> string. #}
{% macro seed_column_types(model, agate_table) %}
    {%- set configured = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- set type = configured.get(
            column_name, adapter.convert_type(agate_table, loop.index0)
        ) -%}
        {%- do types.append(
            dbt.type_string() if type | lower | trim == 'varchar' else type
        ) -%}
    {%- endfor -%}
    {{ return(types) }}
{% endmacro %}


{# A Spark SQL literal for one CSV value (Spark string literals escape with backslashes). #}
{% macro spark_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is sameas true or value is sameas false -%}
        {{ value | string | lower }}
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        '{{ value | string | replace('\\', '\\\\') | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}
