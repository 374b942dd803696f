"""The numbers behind the HTML report: read-only queries over the marts and dictionaries.

Totals are sums over the reports in the warehouse. Reports of different levels (a county and
the city containing it) are separate bodies, so a sum is "applications reported", not a
deduplicated count of applications nationwide.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from publish.warehouse import fetch_dicts, fetch_table

Rows = list[dict[str, Any]]


def report_sources(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(report_id, source_path) of every report, by report_id."""
    return connection.execute(
        "select report_id, source_path from main.dim_reports order by report_id"
    ).fetchall()


def wanted_report_rows(connection: duckdb.DuckDBPyConnection) -> Rows:
    """The dim_reports row of each report of `wanted_reports`, by report_id."""
    return fetch_dicts(
        connection,
        """
        select dim_reports.*
        from main.dim_reports
        inner join wanted_reports on dim_reports.report_id = wanted_reports.report_id
        order by dim_reports.report_id
    """,
    )


def applications_by_year(connection: duckdb.DuckDBPyConnection) -> Rows:
    """New applications received (total column) per report year, with the reports counted."""
    return fetch_dicts(
        connection,
        """
        select dim_reports.report_year,
            sum(fct_applications.new_received) as new_received,
            count(fct_applications.new_received) as reports_counted
        from main.fct_applications
        inner join main.dim_reports on fct_applications.report_id = dim_reports.report_id
        where fct_applications.applicant_type = 'total'
        group by dim_reports.report_year
        order by dim_reports.report_year nulls last
    """,
    )


def outcome_groups(connection: duckdb.DuckDBPyConnection) -> Rows:
    """The six outcome groups in form order, with their labels."""
    return fetch_dicts(
        connection,
        """
        select outcome_group, group_order, label_zh, label_en
        from dictionaries.outcome_groups order by group_order
    """,
    )


def outcomes_by_year(connection: duckdb.DuckDBPyConnection) -> Rows:
    """Applications per report year and outcome group (total column, template rows only).

    Only reports whose outcome cells in the total column are all known count: a cell printed
    but not placed, or not found, has a fact row with a null count, and summing around it
    would normalise the mix over part of the applications. `reports_excluded` counts the
    reports left out for that, per year.
    """
    return fetch_dicts(
        connection,
        """
        with report_outcomes as (
            select fct_application_outcomes.report_id,
                bool_and(fct_application_outcomes.is_placed
                    or fct_application_outcomes.value_kind = 'blank') as is_complete
            from main.fct_application_outcomes
            where fct_application_outcomes.applicant_type = 'total'
                and fct_application_outcomes.is_in_template
            group by fct_application_outcomes.report_id
        )
        select dim_reports.report_year,
            fct_application_outcomes.outcome_group,
            sum(fct_application_outcomes.application_count)
                filter (where report_outcomes.is_complete) as application_count,
            count(distinct fct_application_outcomes.report_id)
                filter (where not report_outcomes.is_complete) as reports_excluded
        from main.fct_application_outcomes
        inner join main.dim_reports
            on fct_application_outcomes.report_id = dim_reports.report_id
        inner join report_outcomes
            on fct_application_outcomes.report_id = report_outcomes.report_id
        where fct_application_outcomes.applicant_type = 'total'
            and fct_application_outcomes.is_in_template
        group by all
        order by dim_reports.report_year nulls last, fct_application_outcomes.outcome_group
    """,
    )


def correction_rates(connection: duckdb.DuckDBPyConnection) -> Rows:
    """Correction rates per proceeding, over all years and per report year (the rate mart)."""
    return fetch_dicts(
        connection,
        """
        select * from main.rpt_correction_rates_by_year
        order by is_all_years desc, report_year nulls last, proceeding_order
    """,
    )


def rules(connection: duckdb.DuckDBPyConnection) -> Rows:
    """The reconciliation rules, R01 first."""
    return fetch_dicts(
        connection,
        """
        select rule_id, rule_name, description_en, description_zh
        from dictionaries.reconciliation_rules order by rule_id
    """,
    )


def tables(connection: duckdb.DuckDBPyConnection) -> Rows:
    """The three standard tables in form order."""
    return fetch_dicts(
        connection,
        """
        select table_code, table_order, label_zh, label_en
        from dictionaries.table_codes order by table_order
    """,
    )


def labels(connection: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(axis, table_code, code) → (Chinese label, English label) for rows and columns."""
    rows = fetch_dicts(
        connection,
        """
        select 'row' as axis, table_code, row_code as code, label_zh, label_en
        from dictionaries.row_labels
        union all
        select 'col', table_code, col_code, label_zh, label_en from dictionaries.column_labels
    """,
    )
    return {(r["axis"], r["table_code"], r["code"]): (r["label_zh"], r["label_en"]) for r in rows}


def all_template_cells(connection: duckdb.DuckDBPyConnection) -> Rows:
    """Every template's grid: its cells with their row and column order."""
    return fetch_dicts(
        connection,
        """
        select template, table_code, row_code, col_code, row_order, col_order
        from dictionaries.template_cells
        order by template, table_code, row_order, col_order
    """,
    )


def wanted_loose_cells(connection: duckdb.DuckDBPyConnection) -> dict[str, Rows]:
    """report_id → its cells not placed, in reading order (for `wanted_reports`)."""
    return _grouped(
        connection,
        """
        select fct_cells.report_id, cell_seq, table_code, row_code, col_code, row_label_raw,
            col_label_raw, raw_text, unit, value_kind, cell_status, locator, is_placed,
            is_in_template
        from main.fct_cells
        inner join wanted_reports on fct_cells.report_id = wanted_reports.report_id
        where not is_placed
        order by fct_cells.report_id, cell_seq, col_code
    """,
    )


def report_fingerprints(connection: duckdb.DuckDBPyConnection) -> pa.Table:
    """(report_id, page_key, list_key) of every report, by report_id.

    page_key: a hash of everything its page shows: its row of `reports`, its cells, its
    failing results and the cells that explain them. list_key: a hash of what its rows in
    the lists show (its row of `reports`, its failing results). Equal hashes: equal bytes
    (with the same dictionaries and code, which the report's manifest records beside them).
    """
    return fetch_table(
        connection,
        """
        with
        reports as (
            select report_id, hash(dim_reports) as h,
                hash(report_id, title, source_path, agency, report_year, published_date,
                    template, status) as listed
            from main.dim_reports
        ),
        cells as (
            select report_id,
                bit_xor(hash(cell_seq, table_code, row_code, col_code, row_label_raw,
                    raw_text, value_kind, cell_status, locator, is_placed)) as h,
                count(*) as n
            from main.fct_cells group by report_id
        ),
        failures as (
            -- The columns the page and the lists show (a hash of the whole row, a struct,
            -- took twice as long at 100k reports).
            select report_id,
                bit_xor(hash(finding_id, rule_id, rule_name, rule_description_zh, table_code,
                    scope_label_zh, scope_code, expected, actual, difference, detail)) as h,
                count(*) as n
            from main.fct_reconciliation_results
            where outcome = 'fail' group by report_id
        ),
        finding_cells as (
            select report_id, bit_xor(hash(rule_id, table_code, row_code, col_code)) as h
            from main.fct_finding_cells
            where outcome = 'fail' group by report_id
        )
        select reports.report_id,
            hash(reports.h, coalesce(cells.h, 0), coalesce(cells.n, 0),
                coalesce(failures.h, 0), coalesce(failures.n, 0), coalesce(finding_cells.h, 0)
            ) as page_key,
            hash(reports.listed, coalesce(failures.h, 0), coalesce(failures.n, 0)) as list_key
        from reports
        left join cells on reports.report_id = cells.report_id
        left join failures on reports.report_id = failures.report_id
        left join finding_cells on reports.report_id = finding_cells.report_id
        order by reports.report_id
    """,
    )


def dictionaries_fingerprint(connection: duckdb.DuckDBPyConnection) -> int:
    """A hash of the dictionaries every page reads (grids, labels, tables, rules)."""
    (value,) = connection.execute(
        """
        select hash(
            (select bit_xor(hash(t)) from dictionaries.template_cells as t),
            (select bit_xor(hash(t)) from dictionaries.row_labels as t),
            (select bit_xor(hash(t)) from dictionaries.column_labels as t),
            (select bit_xor(hash(t)) from dictionaries.table_codes as t),
            (select bit_xor(hash(t)) from dictionaries.reconciliation_rules as t)
        )
    """
    ).fetchone()
    return int(value)


def rule_shares(connection: duckdb.DuckDBPyConnection) -> dict[str, Rows]:
    """Per group (`all`, `report_year` or `template`) and rule: the reports the rule could be
    assessed for (any pass or fail) and those failing it (any fail). One pass over the
    results for the three groupings."""
    rows = fetch_dicts(
        connection,
        """
        with per_report_rule as (
            -- Grouped before the join: the millions of results become a row per report and
            -- rule, and only those meet dim_reports.
            select report_id, rule_id,
                bool_or(outcome in ('pass', 'fail')) as is_assessed,
                bool_or(outcome = 'fail') as is_failing
            from main.fct_reconciliation_results
            group by report_id, rule_id
        ),
        per_report as (
            select per_report_rule.*, dim_reports.report_year, dim_reports.template
            from per_report_rule
            inner join main.dim_reports on per_report_rule.report_id = dim_reports.report_id
        )
        select grouping(report_year) = 0 as by_year, grouping(template) = 0 as by_template,
            report_year, template, rule_id,
            count(*) filter (where is_assessed and is_failing) as failing,
            count(*) filter (where is_assessed) as assessed
        from per_report
        group by grouping sets ((rule_id), (report_year, rule_id), (template, rule_id))
        having count(*) filter (where is_assessed) > 0
        order by all
    """,
    )
    grouped: dict[str, Rows] = {"all": [], "report_year": [], "template": []}
    for row in rows:
        by_year, by_template = row.pop("by_year"), row.pop("by_template")
        kind = "report_year" if by_year else "template" if by_template else "all"
        grouping = row.pop("report_year"), row.pop("template")
        row["grouping"] = grouping[0] if by_year else grouping[1] if by_template else "all"
        grouped[kind].append(row)
    return grouped


def _grouped(
    connection: duckdb.DuckDBPyConnection, sql: str, parameters: list | None = None
) -> dict[str, Rows]:
    grouped: dict[str, Rows] = {}
    cursor = connection.execute(sql, parameters or [])
    names = [column[0] for column in cursor.description]
    while batch := cursor.fetchmany(50_000):
        for row in batch:
            record = dict(zip(names, row, strict=True))
            grouped.setdefault(record["report_id"], []).append(record)
    return grouped
