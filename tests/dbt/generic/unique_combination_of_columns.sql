{#
    Structural: no two rows share the same values in combination_of_columns.
    Returns one row per duplicated combination.

    Two steps for scale: rows are first grouped by one 64-bit hash of the
    columns (cheap even for ~20M rows of text keys); only rows whose hash
    repeats are grouped again by the columns themselves, so the result is
    exact.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

model_rows as (

    select * from {{ model }}

),

repeated_hashes as (

    select {{ hash_key(combination_of_columns) }} as row_hash
    from model_rows
    group by {{ hash_key(combination_of_columns) }}
    having count(*) > 1

),

candidate_rows as (

    select * from model_rows
    where {{ hash_key(combination_of_columns) }} in (
        select repeated_hashes.row_hash from repeated_hashes
    )

),

duplicated as (

    select
        {{ combination_of_columns | join(',\n        ') }},
        count(*) as row_count

    from candidate_rows
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1

)

select * from duplicated

{% endtest %}
