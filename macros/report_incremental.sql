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

    The rules that pair reports (var('cross_report_rule_evaluations'): last
    year's report, the same tables elsewhere, an area's parts) give a report rows
    that change with reports other than its own. Their evaluation models rebuild
    the rows of the changed reports and of those reports' partners, before and
    after the change (int_reports_changed_with_partners, by the pairing keys the
    ledger keeps); the models gathering every rule's rows (var('rule_gathering_models'))
    rebuild the changed reports' rows and those partners' rows of these rules.

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
    deleting the changed reports' (with cross_report_rules, also the partners' rows of
    the rules that pair reports: the models gathering every rule's rows; with
    partners_of, an evaluation model of such rules: the rows of the changed reports and
    their partners for that evaluation).
#}
{% macro report_incremental_config(cross_report_rules=false, partners_of=none, with_partners=false) -%}
    {%- if with_partners -%}
        {%- set pre_hook = "{{ delete_changed_reports(with_partners=true) }}" -%}
    {%- elif partners_of is not none -%}
        {%- set pre_hook = "{{ delete_changed_reports(partners_of='" ~ partners_of ~ "') }}" -%}
    {%- elif cross_report_rules -%}
        {%- set pre_hook = "{{ delete_changed_reports(cross_report_rules=true) }}" -%}
    {%- else -%}
        {%- set pre_hook = "{{ delete_changed_reports() }}" -%}
    {%- endif -%}
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
    The same ledger when it keeps the pairing keys (int_report_pairing_keys), or none: a
    ledger written before it kept them cannot say where a report's partners were.
#}
{% macro applied_pairing_keys_relation() -%}
    {%- set ledger = applied_report_keys_relation() -%}
    {%- if ledger is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set kept = adapter.get_columns_in_relation(ledger) | map(attribute='name') | list -%}
    {%- for column in pairing_key_columns() -%}
        {%- if column not in kept -%}
            {{ return(none) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(ledger) }}
{%- endmacro %}


{# The columns of int_report_pairing_keys that the ledger keeps. #}
{% macro pairing_key_columns() -%}
    {{ return([
        'report_id', 'agency_id', 'report_year', 'template', 'division_code',
        'parent_division_code', 'report_scope', 'tables_fingerprint',
    ]) }}
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
    `where <column> in (the reports whose rows of `evaluation`, a kind of rule that pairs
    reports, are rebuilt)` in an incremental run (int_reports_changed_with_partners),
    nothing in a full one.
#}
{% macro partners_rebuilt_only(evaluation, column='report_id', keyword='where') -%}
    {%- set partners = ref('int_reports_changed_with_partners') -%}
    {%- if report_is_incremental() -%}
        {{ keyword }} {{ column }} in (
            select partners.report_id from {{ partners }} as partners
            where partners.evaluation = '{{ evaluation }}'
        )
    {%- endif -%}
{%- endmacro %}


{#
    `where <column> in (the changed reports and their partners of every rule that pairs
    reports)` in an incremental run, nothing in a full one: for a per-report summary of
    every rule's findings (var('report_summaries_with_partners'), e.g. rpt_reports),
    whose row changes when a partner's result changes.
#}
{% macro reports_with_partners_only(column='report_id', keyword='where') -%}
    {%- set changed = ref('int_reports_changed') -%}
    {%- set partners = ref('int_reports_changed_with_partners') -%}
    {%- if report_is_incremental() -%}
        {{ keyword }} (
            {{ column }} in (select changed.report_id from {{ changed }} as changed)
            or {{ column }} in (select partners.report_id from {{ partners }} as partners)
        )
    {%- endif -%}
{%- endmacro %}


{#
    pre_hook of a report-incremental model: delete the rows of the changed
    reports; all rows when there is no ledger (the table's state is unknown).
    With cross_report_rules, also the partners' rows of the rules that pair reports
    (a model gathering every rule's rows); with partners_of, the rows of the
    changed reports and their partners for that evaluation (its model).
#}
{% macro delete_changed_reports(cross_report_rules=false, partners_of=none, with_partners=false) -%}
    {%- if report_is_incremental() -%}
        {%- if applied_report_keys_relation() is none -%}
            delete from {{ this }}
        {%- elif with_partners -%}
            delete from {{ this }}
            {{ reports_with_partners_only() }}
        {%- elif partners_of is not none -%}
            delete from {{ this }}
            {{ partners_rebuilt_only(partners_of) }}
        {%- else -%}
            delete from {{ this }}
            where report_id in (select changed.report_id from {{ ref('int_reports_changed') }} as changed)
            {%- if cross_report_rules %}
                {{ cross_report_rows(ref('reconciliation_rules'), keyword='or') }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#
    The rules whose evaluation pairs reports (var('cross_report_rule_evaluations'):
    a report's result there depends on other reports, e.g. last year's), or those of
    one such evaluation. A query on `rules` (the reconciliation_rules seed).
#}
{% macro cross_report_rule_ids(rules, evaluations=none) -%}
    {%- set evaluations = var('cross_report_rule_evaluations') if evaluations is none
        else evaluations -%}
    select cross_rules.rule_id from {{ rules }} as cross_rules
    where cross_rules.evaluation in (
        {%- for evaluation in evaluations -%}
            '{{ evaluation }}'{% if not loop.last %}, {% endif %}
        {%- endfor -%}
    )
{%- endmacro %}


{#
    `<keyword> (the rows of the rules that pair reports whose report is rebuilt for that
    evaluation)`: for each such evaluation, its rules' rows of the changed reports and
    their partners (int_reports_changed_with_partners). On every rule's rows.
#}
{% macro cross_report_rows(rules, report_column='report_id', rule_column='rule_id', keyword='or') -%}
    {%- set partners = ref('int_reports_changed_with_partners') -%}
    {{ keyword }} (
    {%- for evaluation in var('cross_report_rule_evaluations') %}
        (
            {{ rule_column }} in ({{ cross_report_rule_ids(rules, [evaluation]) }})
            and {{ report_column }} in (
                select partners.report_id from {{ partners }} as partners
                where partners.evaluation = '{{ evaluation }}'
            )
        ){% if not loop.last %} or{% endif %}
    {%- endfor %}
    )
{%- endmacro %}


{#
    In a model gathering every rule's rows (var('rule_gathering_models')), the filter
    on one evaluation model's rows: in an incremental run, the changed reports' rows
    of a per-report evaluation; of one that pairs reports, the rows of the changed
    reports and their partners (its rows change with other reports). Nothing in a
    full run.
#}
{% macro rule_rows_to_rebuild(evaluation, column='report_id', keyword='where') -%}
    {%- if evaluation not in var('cross_report_rule_evaluations') -%}
        {{ changed_reports_only(column, keyword) }}
    {%- else -%}
        {{ partners_rebuilt_only(evaluation, column, keyword) }}
    {%- endif -%}
{%- endmacro %}


{#
    The same for a relation holding every rule's rows: `where` the changed reports'
    rows or the partners' rows of the rules that pair reports, in an incremental run.
#}
{% macro rule_results_to_rebuild(report_column='report_id', rule_column='rule_id', keyword='where') -%}
    {%- set changed = ref('int_reports_changed') -%}
    {%- set rules = ref('reconciliation_rules') -%}
    {%- set partners = ref('int_reports_changed_with_partners') -%}
    {%- if report_is_incremental() -%}
        {{ keyword }} (
            {{ report_column }} in (select changed.report_id from {{ changed }} as changed)
            {{ cross_report_rows(rules, report_column, rule_column, keyword='or') }}
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
    `where` config); this override adds the rebuilt reports to it: the changed ones, on
    an evaluation model of rules that pair reports the changed ones and their partners
    for it, on a model gathering every rule's rows both (int_reports_changed_with_partners).
    A full build (no ledger yet, or another engine) tests every row, and so does a test
    that stores its failures.
#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set rebuilt = rebuilt_reports_for_tests(relation) -%}
    {#- A test that stores its failures (the findings of reconciliation_rule_holds) reads
        every row: its stored table must equal a fresh build's. -#}
    {%- if config.get('store_failures') -%}
        {%- set rebuilt = none -%}
    {%- endif -%}
    {%- if not where and rebuilt is none -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set conditions = [] -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- if rebuilt is not none -%}
        {%- do conditions.append(rebuilt) -%}
    {%- endif -%}
    {%- set filtered -%}
        (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
    {%- endset -%}
    {{ return(filtered) }}
{%- endmacro %}


{#
    The condition on report_id that selects the rows `relation` rebuilt, when it is a
    report-incremental model built incrementally; none otherwise.
#}
{% macro rebuilt_reports_for_tests(relation) -%}
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
    {%- set changed = node_relation('model.gongkai.int_reports_changed') -%}
    {%- set partners = node_relation('model.gongkai.int_reports_changed_with_partners') -%}
    {%- set changed_rows = 'report_id in (select changed.report_id from ' ~ changed ~ ' as changed)' -%}
    {%- set partner_rows = 'report_id in (select partners.report_id from ' ~ partners
        ~ ' as partners' -%}
    {%- if relation.identifier in var('rule_gathering_models')
        or relation.identifier in var('report_summaries_with_partners') -%}
        {{ return('(' ~ changed_rows ~ ' or ' ~ partner_rows ~ '))') }}
    {%- endif -%}
    {%- for evaluation in var('cross_report_rule_evaluations') -%}
        {%- if relation.identifier == var('rule_evaluation_models')[evaluation] -%}
            {{ return(partner_rows ~ " where partners.evaluation = '" ~ evaluation ~ "')") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(changed_rows) }}
{%- endmacro %}


{# The relation of a node of the graph, without ref() (no dependency: tests, hooks). #}
{% macro node_relation(unique_id) -%}
    {%- set node = graph.nodes[unique_id] -%}
    {{ return(api.Relation.create(
        database=node.database, schema=node.schema, identifier=node.alias
    )) }}
{%- endmacro %}


{#
    In a singular data test over report-grained tables, `where <column> in (the reports
    this build rebuilt)` on an incremental DuckDB build (the changed reports and their
    partners: a superset of every report-incremental model's rebuilt rows), as the
    generic tests of those models are filtered (get_where_subquery); nothing on a full
    build, another engine, or with the var test_every_row set true (`dbt build --vars
    '{test_every_row: true}'` checks every row again).
#}
{% macro tested_reports_only(column='report_id', keyword='where') -%}
    {%- if not execute or target.type != 'duckdb' or flags.FULL_REFRESH
        or var('test_every_row', false) -%}
        {{ return('') }}
    {%- endif -%}
    {%- if applied_report_keys_relation() is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set changed = node_relation('model.gongkai.int_reports_changed') -%}
    {%- set partners = node_relation('model.gongkai.int_reports_changed_with_partners') -%}
    {{ keyword }} (
        {{ column }} in (select changed.report_id from {{ changed }} as changed)
        or {{ column }} in (select partners.report_id from {{ partners }} as partners)
    )
{%- endmacro %}
