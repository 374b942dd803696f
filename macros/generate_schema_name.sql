{#
    Staging, intermediate, seeds and stored test failures get their own schema
    (named exactly as configured, not prefixed with the target schema), so the
    schema analysts browse (the target schema, `main`) holds only the marts.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
