{#
    The headline counts of rpt_reports, as (column name, table_code, group_code,
    col_code) tuples over int_template_cells_grouped: the total column of every
    group of table 三, every cell of table 四 and a few items of table 二.
    Shared by the model and by the test that checks it against the facts.
#}
{% macro rpt_report_counts() -%}
    {%- set application_groups = [
        'new_received', 'carried_over', 'granted', 'partially_granted',
        'withheld', 'unavailable', 'not_processed', 'other', 'total_processed',
        'carried_forward',
    ] -%}
    {%- set proceedings = [
        'admin_review', 'lawsuit_direct', 'lawsuit_after_review'
    ] -%}
    {%- set results = ['upheld', 'corrected', 'other', 'pending', 'total'] -%}
    {%- set proactive_cells = [
        ('regulations', 'issued'), ('regulations', 'in_force'),
        ('normative_documents', 'issued'), ('normative_documents', 'in_force'),
        ('admin_licensing', 'decisions'), ('admin_penalty', 'decisions'),
        ('admin_coercion', 'decisions'),
    ] -%}
    {%- set counts = [] -%}
    {%- for group_code in application_groups -%}
        {%- do counts.append((group_code, 'applications', group_code, 'total')) -%}
    {%- endfor -%}
    {%- for proceeding in proceedings -%}
        {%- for result in results -%}
            {%- do counts.append((
                proceeding ~ '_' ~ result, 'reviews_litigation', proceeding, result
            )) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for item, measure in proactive_cells -%}
        {%- do counts.append((item ~ '_' ~ measure, 'proactive', item, measure)) -%}
    {%- endfor -%}
    {{ return(counts) }}
{%- endmacro %}
