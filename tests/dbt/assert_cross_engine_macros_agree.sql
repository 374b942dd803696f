{#
    Structural: the cross-engine macros (macros/cross_engine.sql) give the values
    they must, on whichever engine builds, and each portable default__ agrees with
    the engine's own implementation. Runs in every build, so CI runs it on DuckDB
    and on Spark. Returns one row per disagreement.

    default__string_list (ANSI listagg ... within group) is compiled for Trino by
    the Trino test; neither DuckDB 1.5 nor Spark 3.5 has that syntax.
#}
with

samples as {{ not_materialized() }} (

    select * from (
        values
            (1, 'b', 2, 'x'),
            (1, 'a', 1, 'x'),
            (1, null, 3, 'y'),
            (2, 'c', 1, null),
            (3, null, 1, 'x')
    ) as sample_rows (group_id, item, item_order, tag)  -- noqa: AL05

),

samples_again as {{ gongkai.default__not_materialized() }} (

    select * from samples

),

groups_aggregated as (

    select
        samples_again.group_id,
        {{ string_list('samples_again.item', 'samples_again.item_order') }}
            as string_list,
        {{ aggregate_where('count', '*', "samples_again.tag = 'x'") }}
            as count_where,
        {{ gongkai.default__aggregate_where('count', '*', "samples_again.tag = 'x'") }}
            as count_where_default,
        {{ aggregate_where('sum', 'samples_again.item_order', "samples_again.tag = 'x'") }}
            as sum_where,
        {{ gongkai.default__aggregate_where(
            'sum', 'samples_again.item_order', "samples_again.tag = 'x'"
        ) }} as sum_where_default

    from samples_again
    group by samples_again.group_id

),

expected_groups as (

    select * from (
        values
            (1, 'a, b', 2, 3),
            (2, 'c', 0, null),
            (3, null, 1, 1)
    ) as expected_rows (group_id, string_list, count_where, sum_where)  -- noqa: AL05

),

rows_keyed as (

    select
        samples.group_id,
        samples.item,
        samples.tag,
        {{ surrogate_key(['samples.group_id', 'samples.item', 'samples.tag']) }}
            as surrogate_key,
        {{ gongkai.default__surrogate_key(['samples.group_id', 'samples.item', 'samples.tag']) }}
            as surrogate_key_default,
        {{ hash_key(['samples.group_id', 'samples.item', 'samples.tag']) }} as hash_key,
        {{ gongkai.default__hash_key(['samples.group_id', 'samples.item', 'samples.tag']) }}
            as hash_key_default

    from samples

),

failures as (

    select
        'aggregates of group ' || cast(groups_aggregated.group_id as {{ dbt.type_string() }})
            as failure
    from groups_aggregated
    inner join expected_groups
        on groups_aggregated.group_id = expected_groups.group_id
    where
        groups_aggregated.string_list is distinct from expected_groups.string_list
        or groups_aggregated.count_where <> expected_groups.count_where
        or groups_aggregated.count_where_default <> expected_groups.count_where
        or groups_aggregated.sum_where is distinct from expected_groups.sum_where
        or groups_aggregated.sum_where_default is distinct from expected_groups.sum_where

    union all

    select 'surrogate_key of ' || rows_keyed.surrogate_key as failure
    from rows_keyed
    where
        rows_keyed.surrogate_key <> rows_keyed.surrogate_key_default
        or (rows_keyed.group_id = 1 and rows_keyed.item = 'a'
            and rows_keyed.surrogate_key <> '88796d96088955baa762c4c9dae86686')
        or (rows_keyed.group_id = 3
            and rows_keyed.surrogate_key <> 'dc7efd00e93454420038befd3e7d2036')

    union all

    select 'hash_key' as failure
    from rows_keyed
    having
        count(distinct rows_keyed.hash_key) <> count(*)
        or count(distinct rows_keyed.hash_key_default) <> count(*)
        or count(rows_keyed.hash_key) <> count(*)
        or min(rows_keyed.hash_key_default) < 0
        or max(rows_keyed.hash_key_default) >= 1152921504606846976
        or sum(cast(rows_keyed.hash_key as decimal(38, 0))) is null
        or sum(cast(rows_keyed.hash_key_default as decimal(38, 0))) is null

)

select * from failures
