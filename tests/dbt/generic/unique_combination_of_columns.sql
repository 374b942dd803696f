{#
    Structural: no two rows share the same values in combination_of_columns.
    Returns one row per duplicated combination.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

model_rows as (

    select * from {{ model }}

),

duplicated as (

    select
        {{ combination_of_columns | join(',\n        ') }},
        count(*) as row_count

    from model_rows
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1

)

select * from duplicated

{% endtest %}
