{#
    Structural: every non-null code in column_name exists in a seed dictionary
    for the right table. Pass either table_code (one fixed table, e.g.
    'applications') or table_code_column (a column of the model holding it).
    Returns the offending rows with their code.
#}
{% test code_in_dictionary(
    model,
    column_name,
    to,
    field,
    table_code=none,
    table_code_column=none
) %}

with

model_rows as (

    select * from {{ model }}

),

dictionary as (

    select * from {{ to }}

),

unknown_codes as (

    select
        model_rows.{{ column_name }} as code,
        {% if table_code_column -%}
        model_rows.{{ table_code_column }} as table_code
        {%- else -%}
        '{{ table_code }}' as table_code
        {%- endif %}

    from model_rows
    where
        model_rows.{{ column_name }} is not null
        and not exists (
            select 1
            from dictionary
            where
                dictionary.{{ field }} = model_rows.{{ column_name }}
                and dictionary.table_code = {% if table_code_column -%}
                    model_rows.{{ table_code_column }}
                {%- else -%}
                    '{{ table_code }}'
                {%- endif %}
        )

)

select * from unknown_codes

{% endtest %}
