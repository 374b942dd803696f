{#
    The types the marts promise (their contracts): counts are whole numbers
    (BIGINT), numbers that may be money are DECIMAL. Portable SQL, no dispatch.
#}

{# The DECIMAL type of printed numbers and money in the marts. #}
{% macro amount_type() -%}
    decimal(38, 4)
{%- endmacro %}


{#
    A count as BIGINT: null when the printed number is not a whole number (its
    raw text stays beside it and the value-constraints rule names it) or too
    large for a count. Never rounded.
#}
{% macro as_count(expression) -%}
    case
        when {{ expression }} = floor({{ expression }})
            and abs({{ expression }}) < 1e18
            then cast({{ expression }} as {{ dbt.type_bigint() }})
    end
{%- endmacro %}


{# A printed number or money amount as DECIMAL (null past its range). #}
{% macro as_amount(expression) -%}
    case
        when abs({{ expression }}) < 1e33
            then cast({{ expression }} as {{ amount_type() }})
    end
{%- endmacro %}


{#
    A number as plain decimal text, the same on every engine: a DOUBLE cast to
    text is engine-specific (Spark writes 1.0E10 where DuckDB writes 10000000000.0).
#}
{% macro number_text(expression, scale=2) -%}
    cast(cast({{ expression }} as decimal(38, {{ scale }})) as {{ dbt.type_string() }})
{%- endmacro %}


{# A text constant for SQL, whitespace folded, quotes escaped as the engine wants; null when empty. #}
{% macro text_literal(value) -%}
    {%- if value is none or value == '' -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        cast('{{ dbt.escape_single_quotes((value | string).split() | join(" ")) }}'
            as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}


{# An integer constant for SQL; null for none. #}
{% macro integer_literal(value) -%}
    cast({{ 'null' if value is none else value }} as integer)
{%- endmacro %}


{#
    A description without its caveats: the folded text before `caveats` when
    the description ends with exactly them, else the whole description.
#}
{% macro definition(description, caveats) -%}
    {%- set text = (description or '').split() | join(' ') -%}
    {%- set tail = (caveats or '').split() | join(' ') -%}
    {%- if tail and text.endswith(' ' ~ tail) -%}
        {{ return(text[:(text | length) - (tail | length) - 1]) }}
    {%- else -%}
        {{ return(text) }}
    {%- endif -%}
{%- endmacro %}
