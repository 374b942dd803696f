{#
    Rules with evaluation present_sum_equal (the identities of the pre-2019
    statistics tables, rules L01 onward): see macros/present_sums.sql.
#}
{#- A table: several models read it (a view would be computed once per reader). #}
{{ config(materialized='table') }}
{{ present_sums_evaluated('present_sum_equal', 'equal') }}
