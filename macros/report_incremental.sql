{#
    Incremental builds on report keys.

    A model whose rows belong to one report each (cells, facts, per-report rule
    results) is built once in full and then only for the reports that changed:
    int_reports_changed lists the reports whose build key (int_report_build_keys:
    the file's sha256, the parser version, the source paths, the reviewer verdicts
    on the report and the project's fingerprint) differs from the key applied by
    the last complete build (int_report_build_keys_applied), new and removed
    reports included. Before the model's new rows are appended, the rows of those
    reports are deleted, so a changed report is replaced and a removed one leaves.

    The models gathering every rule's rows (var('rule_gathering_models')) hold
    rows of rules that pair reports too (var('cross_report_rule_evaluations'):
    last year's report, the same tables elsewhere, an area's parts), which change
    with reports other than their own: those rules' rows are deleted and rebuilt
    in full each run, the other rules' rows for the changed reports only.

    The ledger (int_report_build_keys_applied) is rebuilt only after every model
    in var('report_incremental_models') succeeded: a failed or partial build
    leaves it as it was, and the next build redoes the same reports (delete then
    insert is idempotent). A change to any model or seed changes the fingerprint
    and so every key: everything is rebuilt. A macro change is not seen: run
    `dbt build --full-refresh` after one.

    DuckDB only: other engines build these models as tables (Spark's Parquet
    tables have no delete), so the same SQL is a full build there.
#}

{# The materialization of a report-incremental model on this engine. #}
{% macro report_incremental_materialization() -%}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{%- endmacro %}


{#
    is_incremental() for these models: false without asking the database on engines
    where they are tables (dbt's is_incremental looks the relation up first, and
    `dbt compile` for Trino runs without a server).
#}
{% macro report_is_incremental() -%}
    {{ return(target.type == 'duckdb' and is_incremental()) }}
{%- endmacro %}


{#
    The config of a report-incremental model, called at its top: appended rows after
    deleting the changed reports' (and, with cross_report_rules, the rows of the rules
    that pair reports: the models gathering every rule's rows).
#}
{% macro report_incremental_config(cross_report_rules=false) -%}
    {%- set pre_hook = (
        "{{ delete_changed_reports(cross_report_rules=true) }}" if cross_report_rules
        else "{{ delete_changed_reports() }}"
    ) -%}
    {{ config(
        materialized=report_incremental_materialization(),
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook=pre_hook,
    ) }}
{%- endmacro %}


{# The ledger of the last complete build, or none (first build, other engines). #}
{% macro applied_report_keys_relation() -%}
    {%- if not execute or target.type != 'duckdb' -%}
        {{ return(none) }}
    {%- endif -%}
    {#- Not ref(): the ledger is built after the models that read it. -#}
    {%- set ledger = graph.nodes['model.gongkai.int_report_build_keys_applied'] -%}
    {{ return(adapter.get_relation(
        database=ledger.database, schema=ledger.schema, identifier=ledger.alias
    )) }}
{%- endmacro %}


{#
    `where <column> in (the changed reports)` in an incremental run, nothing in a
    full one. Every report-grained input of the model is filtered with it.
#}
{% macro changed_reports_only(column='report_id', keyword='where') -%}
    {%- set changed = ref('int_reports_changed') -%}
    {%- if report_is_incremental() -%}
        {{ keyword }} {{ column }} in (select changed.report_id from {{ changed }} as changed)
    {%- endif -%}
{%- endmacro %}


{#
    pre_hook of a report-incremental model: delete the rows of the changed
    reports; all rows when there is no ledger (the table's state is unknown).
    With cross_report_rules, also the rows of the rules that pair reports
    (a model gathering every rule's rows rebuilds those in full).
#}
{% macro delete_changed_reports(cross_report_rules=false) -%}
    {%- if report_is_incremental() -%}
        {%- if applied_report_keys_relation() is none -%}
            delete from {{ this }}
        {%- else -%}
            delete from {{ this }}
            where report_id in (select changed.report_id from {{ ref('int_reports_changed') }} as changed)
            {%- if cross_report_rules %}
                or rule_id in ({{ cross_report_rule_ids(ref('reconciliation_rules')) }})
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#
    The rules whose evaluation pairs reports (var('cross_report_rule_evaluations'):
    a report's result there depends on other reports, e.g. last year's). A query
    on `rules` (the reconciliation_rules seed).
#}
{% macro cross_report_rule_ids(rules) -%}
    select cross_rules.rule_id from {{ rules }} as cross_rules
    where cross_rules.evaluation in (
        {%- for evaluation in var('cross_report_rule_evaluations') -%}
            '{{ evaluation }}'{% if not loop.last %}, {% endif %}
        {%- endfor -%}
    )
{%- endmacro %}


{#
    In a model gathering every rule's rows (var('rule_gathering_models')), the filter
    on one evaluation model's rows: in an incremental run, the changed reports' rows
    of a per-report evaluation, every row of one that pairs reports (rebuilt in full:
    its rows change with other reports). Nothing in a full run.
#}
{% macro rule_rows_to_rebuild(evaluation, column='report_id', keyword='where') -%}
    {%- if evaluation not in var('cross_report_rule_evaluations') -%}
        {{ changed_reports_only(column, keyword) }}
    {%- endif -%}
{%- endmacro %}


{#
    The same for a relation holding every rule's rows: `where` the changed reports'
    rows or those of the rules that pair reports, in an incremental run.
#}
{% macro rule_results_to_rebuild(report_column='report_id', rule_column='rule_id', keyword='where') -%}
    {%- set changed = ref('int_reports_changed') -%}
    {%- set rules = ref('reconciliation_rules') -%}
    {%- if report_is_incremental() -%}
        {{ keyword }} (
            {{ report_column }} in (select changed.report_id from {{ changed }} as changed)
            or {{ rule_column }} in ({{ cross_report_rule_ids(rules) }})
        )
    {%- endif -%}
{%- endmacro %}


{#
    A hash of every model's and seed's file: the part of a report's build key
    that says which project built it.
#}
{% macro project_fingerprint() -%}
    {%- set parts = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() | sort(attribute='unique_id') -%}
            {%- if node.resource_type in ('model', 'seed') -%}
                {%- do parts.append(node.unique_id ~ '=' ~ node.checksum.checksum) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(local_md5(parts | join(','))) }}
{%- endmacro %}


{#
    Data tests on a report-incremental model check, in an incremental build, the rows
    of the reports it rebuilt: the others were checked by the build that wrote them.
    dbt wraps every generic test's relation with get_where_subquery (and the test's
    `where` config); this override adds the changed reports to it (and, on a model
    gathering every rule's rows, the rules that pair reports, rebuilt in full). A full
    build (no ledger yet, or another engine) tests every row, and so does a test that
    stores its failures.
#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set changed = changed_reports_for_tests(relation) -%}
    {#- A test that stores its failures (the findings of reconciliation_rule_holds) reads
        every row: its stored table must equal a fresh build's. -#}
    {%- if config.get('store_failures') -%}
        {%- set changed = none -%}
    {%- endif -%}
    {%- if not where and changed is none -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set conditions = [] -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- if changed is not none and relation.identifier in var('rule_gathering_models') -%}
        {%- set rules = graph.nodes['seed.gongkai.reconciliation_rules'] -%}
        {%- set rules = api.Relation.create(
            database=rules.database, schema=rules.schema, identifier=rules.alias
        ) -%}
        {%- do conditions.append(
            '(report_id in (select changed.report_id from ' ~ changed ~ ' as changed)'
            ~ ' or rule_id in (' ~ cross_report_rule_ids(rules) ~ '))'
        ) -%}
    {%- elif changed is not none -%}
        {%- do conditions.append(
            'report_id in (select changed.report_id from ' ~ changed ~ ' as changed)'
        ) -%}
    {%- endif -%}
    {%- set filtered -%}
        (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
    {%- endset -%}
    {{ return(filtered) }}
{%- endmacro %}


{# int_reports_changed when `relation` is a report-incremental model built incrementally. #}
{% macro changed_reports_for_tests(relation) -%}
    {%- if not execute or target.type != 'duckdb' or flags.FULL_REFRESH -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if relation.identifier is not defined
        or relation.identifier not in var('report_incremental_models') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if applied_report_keys_relation() is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set changed = graph.nodes['model.gongkai.int_reports_changed'] -%}
    {{ return(api.Relation.create(
        database=changed.database, schema=changed.schema, identifier=changed.alias
    )) }}
{%- endmacro %}
