{#
    Rules with evaluation present_sum_equal (the identities of the pre-2019
    statistics tables, rules L01 onward): see macros/present_sums.sql.
#}
{#- Incremental on report keys: a report's rows depend only on its own cells and metadata. #}
{{ report_incremental_config() }}
{{ present_sums_evaluated('present_sum_equal', 'equal') }}
