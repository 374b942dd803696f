"""`gongkai report`: a static HTML report of the warehouse, one folder, opens from disk.

    index.html               totals, outcome mix, reviews and litigation, reconciliation
    reports/<report_id>.html one page per report: its tables as printed, failing cells marked

Charts are inline SVG (publish/charts.py), CSS is inline, links are relative; no script and
no network. Output is deterministic: the same warehouse gives the same files.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

import duckdb

from gongkai.files import write_text_atomic
from publish import report_data, report_page
from publish.charts import Series, bar_chart, number, percent, stacked_chart
from publish.html import heading, link, page, table, text
from publish.warehouse import read_only

DEFAULT_OUT = Path("warehouse/report")


def write_report(
    database: Path, out: Path = DEFAULT_OUT, source_root: Path | None = None
) -> list[Path]:
    """Write the report of `database` into `out`; return the files written.

    `source_root` is the folder the reports' source_path values are relative to (the folder
    the ingest ran from; default: the current directory).
    """
    root = (source_root or Path.cwd()).resolve()
    pages_dir = out / "reports"
    with read_only(database) as connection:
        reports = report_data.reports(connection)
        documents = {out / "index.html": _index(connection, reports)}
        for report in reports:
            source = root / report["source_path"]
            href = quote(Path(os.path.relpath(source, pages_dir.resolve())).as_posix())
            documents[pages_dir / f"{report['report_id']}.html"] = report_page.render(
                connection, report, href
            )
    pages_dir.mkdir(parents=True, exist_ok=True)
    for leftover in [*out.glob(".*.html*.tmp"), *pages_dir.glob(".*.html*.tmp")]:
        leftover.unlink()  # from a killed run
    # Pages first, the index after them, stale pages last: a run killed at any point leaves
    # an index whose every link exists (the old index and old pages, or the new ones).
    index = out / "index.html"
    for path in sorted(documents, key=lambda p: p == index):
        write_text_atomic(path, documents[path])
    for stale in sorted(set(pages_dir.glob("*.html")) - set(documents)):
        stale.unlink()
    return sorted(documents)


def _index(connection: duckdb.DuckDBPyConnection, reports: list[dict[str, Any]]) -> str:
    body = [
        heading(1, "Government information disclosure annual reports", "政府信息公开工作年度报告"),
        '<p class="note">Sums over the reports in this warehouse: bodies at different levels '
        "report separately, so totals are reported counts, not deduplicated national counts. "
        "Blank cells are not counted as 0. 合计为本库所收年报的加总；空白单元格不计为 0。</p>",
        '<nav><a href="#applications">Applications 依申请公开</a>'
        '<a href="#reviews">Reviews 复议诉讼</a>'
        '<a href="#reconciliation">Reconciliation 勾稽关系</a>'
        '<a href="#reports">Reports 年报列表</a></nav>',
        _applications(connection),
        _reviews(connection),
        _reconciliation(connection),
        heading(2, "Reports", "年报列表", anchor="reports"),
        _report_list(reports),
    ]
    return page("gongkai · 政府信息公开年报", "\n".join(body))


def _applications(connection: duckdb.DuckDBPyConnection) -> str:
    by_year = report_data.applications_by_year(connection)
    total = sum(row["new_received"] or 0 for row in by_year)
    counted = sum(row["reports_counted"] for row in by_year)
    bars = [
        (f"{_year(r['report_year'])} ({r['reports_counted']} reports 份)", r["new_received"])
        for r in by_year
    ]
    groups = report_data.outcome_groups(connection)
    outcome_rows = report_data.outcomes_by_year(connection)
    outcomes = {
        (r["report_year"], r["outcome_group"]): r["application_count"] for r in outcome_rows
    }
    excluded = sum({r["report_year"]: r["reports_excluded"] for r in outcome_rows}.values())
    years = [r["report_year"] for r in by_year]
    series = []
    for group in groups:
        values = [outcomes.get((year, group["outcome_group"])) for year in years]
        known = [v for v in values if v is not None]
        series.append(
            Series(
                f"{group['label_zh']} {group['label_en']}", [sum(known) if known else None, *values]
            )
        )
    categories = ["All years 全部年度", *(_year(year) for year in years)]
    rows = [
        (text(category), *(number(item.values[index]) for item in series))
        for index, category in enumerate(categories)
    ]
    return "\n".join(
        [
            heading(
                2,
                "Applications received and their outcomes",
                "收到申请数及办理结果",
                anchor="applications",
            ),
            f"<p>All years 全部年度: <strong>{number(total)}</strong> new applications received "
            f"本年新收申请 in {counted} reports 份年报 (column 总计).</p>",
            bar_chart("New applications received per year 各年度本年新收申请数", bars),
            stacked_chart("Outcome mix 办理结果构成 (total column 总计列)", categories, series),
            '<p class="note">Outcome mix over the reports whose outcome cells are all known: '
            f"{excluded} report(s) with a cell printed but not placed, or not found, are left "
            "out rather than counted as 0. 办理结果构成仅统计各单元格均已识别的年报；"
            f"{excluded} 份含未识别单元格的年报未计入（不按 0 计）。</p>",
            table(
                ["Year 年度", *(text(item.label) for item in series)],
                rows,
                numeric=tuple(range(1, len(series) + 1)),
            ),
        ]
    )


def _reviews(connection: duckdb.DuckDBPyConnection) -> str:
    rates = report_data.correction_rates(connection)
    header = [
        "Proceeding 程序",
        "Reports rated 计入年报",
        "Corrected 结果纠正",
        "Concluded 已审结",
        "Correction rate 纠错率",
        "Left out: parts exceed total 分项大于总计",
        "Left out: unknown input 数据不明",
    ]

    def row(rate: dict[str, Any], *first: str) -> tuple[str, ...]:
        return (
            *first,
            number(rate["reports_rated"]),
            number(rate["corrected_cases"]),
            number(rate["concluded_cases"]),
            percent(rate["correction_rate"]),
            number(rate["reports_parts_exceed_total"]),
            number(rate["reports_unknown_input"]),
        )

    def name(rate: dict[str, Any]) -> str:
        return f"{rate['proceeding_label_zh']} {rate['proceeding_label_en']}"

    overall = [rate for rate in rates if rate["is_all_years"]]
    yearly = [rate for rate in rates if not rate["is_all_years"]]
    return "\n".join(
        [
            heading(
                2, "Administrative review and litigation", "行政复议、行政诉讼", anchor="reviews"
            ),
            '<p class="note">Correction rate = corrected ÷ concluded cases (total − pending), '
            "summed over the reports whose table adds up; a report whose parts exceed its "
            "total, or with an unknown cell, is left out and counted. "
            "纠错率 = 结果纠正 ÷ 已审结（总计 − 尚未审结）；"
            "分项之和大于总计或数据不明的年报不计入，单独计数。</p>",
            bar_chart(
                "Correction rate by proceeding 纠错率",
                [(name(rate), rate["correction_rate"]) for rate in overall],
                formatter=percent,
                maximum=1.0,
            ),
            table(
                header,
                [row(rate, text(name(rate))) for rate in overall],
                numeric=(1, 2, 3, 4, 5, 6),
            ),
            heading(3, "By year", "按年度"),
            table(
                ["Year 年度", *header],
                [row(rate, text(_year(rate["report_year"])), text(name(rate))) for rate in yearly],
                numeric=(2, 3, 4, 5, 6, 7),
            ),
        ]
    )


def _reconciliation(connection: duckdb.DuckDBPyConnection) -> str:
    rules = report_data.rules(connection)
    outcomes = report_data.rule_outcomes_per_report(connection)
    overall = _shares(outcomes, lambda row: "all")
    bars = [
        (f"{r['rule_id']} {r['rule_name']}", overall.get(("all", r["rule_id"]), (0, 0, None))[2])
        for r in rules
    ]
    parts = [
        heading(2, "Reconciliation", "勾稽关系核对", anchor="reconciliation"),
        '<p class="note">Share of reports failing a rule: reports with at least one failing '
        "result ÷ reports the rule could be assessed for (failing/assessed). "
        "未通过比例 = 至少一处未通过的年报数 ÷ 可核对的年报数。</p>",
        table(
            ["Rule 规则", "Description", "说明"],
            [
                (text(r["rule_id"]), text(r["description_en"]), text(r["description_zh"]))
                for r in rules
            ],
        ),
        bar_chart(
            "Share of reports failing each rule 各规则未通过的年报比例",
            bars,
            formatter=percent,
            maximum=1.0,
        ),
    ]
    for title_en, title_zh, key in (
        ("By year", "按年度", "report_year"),
        ("By template", "按年报格式", "template"),
    ):
        shares = _shares(outcomes, lambda row, key=key: row[key])
        groups = sorted({group for group, _ in shares}, key=_year)
        rows = []
        for group in groups:
            cells = []
            for rule in rules:
                failing, assessed, share = shares.get((group, rule["rule_id"]), (0, 0, None))
                cells.append(f"{failing}/{assessed} ({percent(share)})" if assessed else "–")
            rows.append((text(_year(group)), *cells))
        parts += [
            heading(3, title_en, title_zh),
            table(
                [title_en.removeprefix("By ").capitalize(), *(r["rule_id"] for r in rules)],
                rows,
                numeric=tuple(range(1, len(rules) + 1)),
            ),
        ]
    parts += [heading(3, "Failing results", "未通过的核对结果"), _failure_list(connection)]
    return "\n".join(parts)


def _failure_list(connection: duckdb.DuckDBPyConnection) -> str:
    failures = report_data.failures(connection)
    if not failures:
        return '<p class="note">None. 无。</p>'
    rows = [
        (
            link(f"reports/{f['report_id']}.html#{f['table_code']}", f["title"] or f["report_id"]),
            text(_year(f["report_year"])),
            text(f["template"]),
            text(f["rule_id"]),
            text(f["scope_label_zh"]) + "<br><small>" + text(f["scope_code"]) + "</small>",
            number(f["expected"]),
            number(f["actual"]),
            number(f["difference"]),
            text(f["detail"]),
        )
        for f in failures
    ]
    header = [
        "Report 年报",
        "Year 年度",
        "Template 格式",
        "Rule 规则",
        "Scope 范围",
        "Expected 应为",
        "Actual 实际",
        "Difference 差额",
        "Detail 说明",
    ]
    return table(header, rows, numeric=(5, 6, 7))


def _report_list(reports: list[dict[str, Any]]) -> str:
    rows = [
        (
            link(f"reports/{r['report_id']}.html", r["title"] or r["source_path"]),
            text(r["agency"]),
            text(r["report_year"]),
            text(r["template"]),
            text(r["status"]),
            str(r["failing_rules"]),
        )
        for r in reports
    ]
    header = [
        "Report 年报",
        "Agency 发布机关",
        "Year 年度",
        "Template 格式",
        "Status 状态",
        "Failing rules 未通过规则数",
    ]
    return table(header, rows, numeric=(2, 5))


def _shares(
    outcomes: list[dict[str, Any]], group_of: Any
) -> dict[tuple[Any, str], tuple[int, int, float | None]]:
    """(group, rule) → (failing reports, assessed reports, share failing)."""
    counts: dict[tuple[Any, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in outcomes:
        if row["is_assessed"]:
            entry = counts[(group_of(row), row["rule_id"])]
            entry[0] += bool(row["is_failing"])
            entry[1] += 1
    return {key: (f, a, f / a if a else None) for key, (f, a) in counts.items()}


def _year(year: Any) -> str:
    return "unknown 未知" if year is None else str(year)
