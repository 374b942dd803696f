{#
    The candidates of ambiguous cells, one row per candidate and target cell: the
    lake stores them as JSON text, an array of objects (one per candidate split or
    reading) mapping a target cell (`row.col` for run-together digits) to its text.
    A full select over `relation` (its rows whose candidates are not null) with
    the given columns, then candidate_number (1-based, in stored order), target_cell
    and value_text.
#}
{% macro candidate_entries(relation, columns) -%}
    {{ return(adapter.dispatch('candidate_entries', 'gongkai')(relation, columns)) }}
{%- endmacro %}

{% macro duckdb__candidate_entries(relation, columns) -%}
    select
        {%- for column in columns %}
        splits_numbered.{{ column }},
        {%- endfor %}
        splits_numbered.candidate_number,
        unnest(map_keys(splits_numbered.candidate_split)) as target_cell,
        unnest(map_values(splits_numbered.candidate_split)) as value_text

    from (
        select
            {%- for column in columns %}
            splits_parsed.{{ column }},
            {%- endfor %}
            generate_subscripts(splits_parsed.splits, 1) as candidate_number,
            unnest(splits_parsed.splits) as candidate_split

        from (
            select
                {%- for column in columns %}
                {{ relation }}.{{ column }},
                {%- endfor %}
                cast(json({{ relation }}.candidates) as map(varchar, varchar) []) as splits

            from {{ relation }}
            where {{ relation }}.candidates is not null
        ) as splits_parsed
    ) as splits_numbered
{%- endmacro %}

{% macro spark__candidate_entries(relation, columns) -%}
    select
        {%- for column in columns %}
        splits_numbered.{{ column }},
        {%- endfor %}
        splits_numbered.candidate_index + 1 as candidate_number,
        split_entries.target_cell,
        split_entries.value_text

    from (
        select
            {%- for column in columns %}
            {{ relation }}.{{ column }},
            {%- endfor %}
            posexplode(
                from_json({{ relation }}.candidates, 'array<map<string, string>>')
            ) as (candidate_index, candidate_split)

        from {{ relation }}
        where {{ relation }}.candidates is not null
    ) as splits_numbered
    lateral view explode(splits_numbered.candidate_split) split_entries as target_cell, value_text
{%- endmacro %}

{# Trino: unnest with ordinality. #}
{% macro default__candidate_entries(relation, columns) -%}
    select
        {%- for column in columns %}
        {{ relation }}.{{ column }},
        {%- endfor %}
        splits.candidate_number,
        split_entries.target_cell,
        split_entries.value_text

    from {{ relation }}
    cross join unnest(
        cast(json_parse({{ relation }}.candidates) as array(map(varchar, varchar)))
    ) with ordinality as splits (candidate_split, candidate_number)
    cross join unnest(splits.candidate_split) as split_entries (target_cell, value_text)
    where {{ relation }}.candidates is not null
{%- endmacro %}
