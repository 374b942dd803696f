"""`gongkai status`: what is wrong with the warehouse's inputs, and what to do about it.

Read from the served warehouse (marts and dictionaries only): the files that failed and why,
the reports left partial and what is missing from them, the findings of each reconciliation
rule, and the next steps. The exit code is 1 when a file failed or a report is partial, and
the last line is the sentence that says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from publish.warehouse import fetch_dicts, read_only

SHOWN = 20  # files listed per section; the rest are counted


@dataclass
class Status:
    """The state of one warehouse, as lines for a person and an exit code."""

    lines: list[str] = field(default_factory=list)
    failed_files: int = 0
    partial_reports: int = 0

    @property
    def exit_code(self) -> int:
        return 1 if self.failed_files or self.partial_reports else 0

    @property
    def verdict(self) -> str:
        """The sentence that explains the exit code."""
        if not self.exit_code:
            return "exit 0: every file was read and every report's tables were placed."
        parts = []
        if self.failed_files:
            parts.append(
                f"{self.failed_files} file{'s' * (self.failed_files != 1)} could not be read"
            )
        if self.partial_reports:
            parts.append(
                f"{self.partial_reports} report{'s' * (self.partial_reports != 1)} "
                f"{'is' if self.partial_reports == 1 else 'are'} partial"
            )
        return f"exit 1: {' and '.join(parts)} (listed above)."

    def render(self) -> str:
        return "\n".join([*self.lines, self.verdict])


def warehouse_status(database: Path) -> Status:
    """The status of `database` (raises FileNotFoundError when there is none)."""
    with read_only(database) as connection:
        return _status(connection, database)


def _status(connection: duckdb.DuckDBPyConnection, database: Path) -> Status:
    status = Status()
    reports = fetch_dicts(
        connection,
        """
        select report_id, source_path, status, error, agency, report_year, template,
            cells_ambiguous, cells_unplaced, cells_unparsed
        from main.rpt_reports order by source_path
    """,
    )
    by_status: dict[str, int] = {}
    for report in reports:
        by_status[report["status"]] = by_status.get(report["status"], 0) + 1
    counts = ", ".join(f"{name} {count}" for name, count in sorted(by_status.items()))
    status.lines.append(f"warehouse: {database} ({len(reports)} reports: {counts})")

    failed = [r for r in reports if r["status"] == "error"]
    status.failed_files = len(failed)
    status.lines.append(
        f"files that failed ({len(failed)}):" if failed else "files that failed: none"
    )
    status.lines += [f"  {r['source_path']}: {r['error']}" for r in failed[:SHOWN]]
    if len(failed) > SHOWN:
        status.lines.append(
            f"  … and {len(failed) - SHOWN} more (rpt_reports where status = 'error')"
        )

    partial = [r for r in reports if r["status"] == "partial"]
    status.partial_reports = len(partial)
    missing = _missing_cells(connection)
    status.lines.append(
        f"reports left partial ({len(partial)}):" if partial else "reports left partial: none"
    )
    for report in partial[:SHOWN]:
        status.lines.append(f"  {report['source_path']}: {report['error'] or 'partial'}")
        unplaced = [
            f"{report[key]} {key.removeprefix('cells_')}"
            for key in ("cells_ambiguous", "cells_unplaced", "cells_unparsed")
            if report[key]
        ]
        if unplaced:
            status.lines.append(f"    cells printed but not placed: {', '.join(unplaced)}")
        for detail in missing.get(report["report_id"], []):
            status.lines.append(f"    missing: {detail}")
    if len(partial) > SHOWN:
        status.lines.append(
            f"  … and {len(partial) - SHOWN} more (rpt_reports where status = 'partial')"
        )

    status.lines.append("findings by rule (reports failing / not assessable / passing):")
    for rule in _findings_by_rule(connection):
        status.lines.append(
            f"  {rule['rule_id']} {rule['rule_name']}: {rule['failing']} failing, "
            f"{rule['not_assessable']} not assessable, {rule['passing']} passing"
        )
    status.lines.append("next:")
    status.lines += [f"  - {step}" for step in _next_steps(status, reports)]
    return status


def _missing_cells(connection: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """report_id → the details of its template-completeness findings that did not pass."""
    rows = fetch_dicts(
        connection,
        """
        select results.report_id, results.table_code, results.detail
        from main.fct_reconciliation_results as results
        inner join dictionaries.reconciliation_rules as rules
            on results.rule_id = rules.rule_id
        where rules.evaluation = 'template_completeness' and results.outcome <> 'pass'
        order by results.report_id, results.table_code
    """,
    )
    missing: dict[str, list[str]] = {}
    for row in rows:
        missing.setdefault(row["report_id"], []).append(
            f"{row['table_code']}: {row['detail'] or 'incomplete'}"
        )
    return missing


def _findings_by_rule(connection: duckdb.DuckDBPyConnection) -> list[dict]:
    return fetch_dicts(
        connection,
        """
        with per_report as (
            select rule_id, report_id,
                max(case when outcome = 'fail' then 1 else 0 end) as is_failing,
                max(case when outcome = 'not_assessable' then 1 else 0 end)
                    as is_not_assessable
            from main.fct_reconciliation_results
            group by rule_id, report_id
        )
        select rules.rule_id, rules.rule_name,
            coalesce(sum(per_report.is_failing), 0) as failing,
            coalesce(sum(case when per_report.is_failing = 0
                then per_report.is_not_assessable else 0 end), 0) as not_assessable,
            coalesce(sum(case when per_report.is_failing = 0
                and per_report.is_not_assessable = 0 then 1 else 0 end), 0) as passing
        from dictionaries.reconciliation_rules as rules
        left join per_report on rules.rule_id = per_report.rule_id
        group by rules.rule_id, rules.rule_name
        order by rules.rule_id
    """,
    )


def _next_steps(status: Status, reports: list[dict]) -> list[str]:
    steps = []
    if status.failed_files:
        steps.append(
            "fix or replace the files that failed (the reason is beside each), or "
            "drop them with `gongkai remove PATH`; then run `gongkai build` again"
        )
    if status.partial_reports:
        steps.append(
            "check the partial reports against their source: each report's page in "
            "warehouse/report/reports/ shows the cells that were not placed"
        )
    if any(r["status"] == "no_standard_tables" for r in reports):
        steps.append(
            "reports without standard tables (e.g. before 2019) have no counts; "
            "they are listed in rpt_reports with status no_standard_tables"
        )
    steps.append(
        "failing findings are in rpt_reports (rules_fail) and "
        "fct_reconciliation_results; `gongkai export` writes them to Excel"
    )
    return steps
