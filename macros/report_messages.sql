{#
    The ingest's message for a pre-2019 report's run-together rows left ambiguous
    (ingest/document.py, _without_standard_tables), as SQL over a count: dim_reports
    finds it in the ingest's error to say what the warehouse made of those rows.
#}
{% macro legacy_ambiguous_rows_message(row_count) -%}
    concat(
        'legacy: ', cast({{ row_count }} as {{ dbt.type_string() }}),
        ' run-together row(s) left ambiguous'
    )
{%- endmacro %}
