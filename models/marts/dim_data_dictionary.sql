{#
    The data dictionary, built from the marts' YAML when dbt runs (the graph):
    one row per mart (column_position 0) and per documented column, with the
    Chinese name and caveats from `meta` and the contract's data_type. A
    description that ends with its meta.caveats (written so that the DuckDB
    comment carries them too) gives the dictionary only the part before them.
    The export reads it, so the served file describes itself.
#}
{%- set rows = [] -%}
{%- if execute -%}
    {%- for node in graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | sort(attribute='name') -%}
        {%- if node.fqn[1] == 'marts' and node.name != this.identifier -%}
            {%- set model_meta = node.config.meta or node.meta or {} -%}
            {%- set grain = model_meta.get('grain', []) -%}
            {%- do rows.append({
                'mart_name': node.name,
                'column_name': none,
                'column_position': 0,
                'label_zh': model_meta.get('label_zh'),
                'data_type': none,
                'description': definition(node.description, model_meta.get('caveats')),
                'caveats': model_meta.get('caveats'),
                'key_position': none,
                'export_order': model_meta.get('export_order', 100),
                'is_exported': model_meta.get('exported', true),
            }) -%}
            {%- for column in node.columns.values() -%}
                {%- set column_meta = (column.config or {}).get('meta')
                    or column.meta or {} -%}
                {%- do rows.append({
                    'mart_name': node.name,
                    'column_name': column.name,
                    'column_position': loop.index,
                    'label_zh': column_meta.get('label_zh'),
                    'data_type': column.data_type,
                    'description': definition(
                        column.description, column_meta.get('caveats')
                    ),
                    'caveats': column_meta.get('caveats'),
                    'key_position': (grain.index(column.name) + 1)
                        if column.name in grain else none,
                    'export_order': model_meta.get('export_order', 100),
                    'is_exported': model_meta.get('exported', true),
                }) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}

with

entries as (
    {%- for row in rows %}

    select
        {{ text_literal(row.mart_name) }} as mart_name,
        {{ text_literal(row.column_name) }} as column_name,
        {{ text_literal(row.label_zh) }} as label_zh,
        {{ text_literal(row.data_type) }} as data_type,
        {{ text_literal(row.description) }} as description,
        {{ text_literal(row.caveats) }} as caveats,
        {{ integer_literal(row.column_position) }} as column_position,
        {{ integer_literal(row.key_position) }} as key_position,
        {{ integer_literal(row.export_order) }} as export_order,
        {{ 'true' if row.is_exported else 'false' }} as is_exported
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}
    {%- if not rows %}

    select
        cast(null as {{ dbt.type_string() }}) as mart_name,
        cast(null as {{ dbt.type_string() }}) as column_name,
        cast(null as {{ dbt.type_string() }}) as label_zh,
        cast(null as {{ dbt.type_string() }}) as data_type,
        cast(null as {{ dbt.type_string() }}) as description,
        cast(null as {{ dbt.type_string() }}) as caveats,
        cast(null as integer) as column_position,
        cast(null as integer) as key_position,
        cast(null as integer) as export_order,
        false as is_exported
    where false
    {%- endif %}

),

final as (

    select
        ----------  ids
        entries.mart_name,
        entries.column_name,

        ----------  strings
        entries.label_zh,
        entries.data_type,
        entries.description,
        entries.caveats,

        ----------  numerics
        entries.column_position,
        entries.key_position,
        entries.export_order,

        ----------  booleans
        entries.is_exported

    from entries

)

select * from final
