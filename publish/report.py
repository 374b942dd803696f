"""`gongkai report`: a static HTML report of the warehouse, one folder, opens from disk.

    index.html                    totals, outcome mix, reviews and litigation, reconciliation
    reports/<report_id>.html      one page per report: its tables as printed, failing cells marked
    list/reports-<page>.html      every report, a page of rows at a time (with
    list/findings-<page>.html     list/<name>-data-<page>.js: the page's rows as data, which
                                  assets/report.js reads page by page to filter and sort;
                                  list/<name>-pages.js names the pages in order)
    assets/report.css, report.js  shared by every page

Charts are inline SVG (publish/charts.py), links are relative, the one script is plain and
optional; no network. Output is a pure function of the warehouse: the same warehouse gives
the same files.

Only what changed is written. `.manifest.json` records, per report page, a fingerprint of
everything the page shows (report_data.report_fingerprints, with the dictionaries, this code
and the folders its link to the source file is made from): a page whose fingerprint is
unchanged is not drawn again (nor its link made), a page drawn again whose bytes equal the
file's is not rewritten, and the pages of reports no longer in the warehouse are deleted.
The lists' rows are kept in the list files, which `.list-<name>.index` maps with each
report's list fingerprint: a run draws the rows of the reports whose fingerprint changed,
takes the others from there, and cuts the pages again (where the rows say: a page's ends
do not move with rows added elsewhere, see report_lists).

At national scale (100k reports, 19M cells, a million failing results) the many small things
are drawn by the database with the Python helpers' bytes (publish/report_sql.py): the grid
cells (report_grids), the list rows (report_lists) and each page's failing results; Python
lays out the templates' grids once and joins strings. See bench/README.md for the figures.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import duckdb
import pyarrow as pa

from gongkai.files import write_atomic
from publish import report_data, report_grids, report_lists, report_page, report_store
from publish.charts import Series, bar_chart, number, percent, stacked_chart
from publish.html import ASSETS, SCRIPT, STYLESHEET, heading, link, page, table, text
from publish.report_lists import FINDING_LIST, FIRST_PAGE, LISTS, REPORT_LIST
from publish.warehouse import read_only

DEFAULT_OUT = Path("warehouse/report")
MANIFEST = ".manifest.json"
RENDER_CHUNK = 20_000  # report pages drawn per round of queries: bounds the memory held
# The code a page's bytes depend on: a change to any of these draws every page again.
RENDERER_FILES = (
    "report.py",
    "report_page.py",
    "report_grids.py",
    "report_data.py",
    "report_lists.py",
    "report_sql.py",
    "report_store.py",
    "html.py",
    "charts.py",
    "assets/report.css",
    "assets/report.js",
)


@dataclass
class ReportFiles:
    """What a run left in the report folder: every file, and which of them it wrote."""

    written: list[Path] = field(default_factory=list)
    deleted: list[Path] = field(default_factory=list)
    pages_drawn: int = 0
    # (folder, names of its files): the paths are made when asked for (100k Path objects
    # were a second of a run at 100k reports).
    listing: list[tuple[Path, list[str]]] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return sorted(folder / name for folder, names in self.listing for name in names)

    def __iter__(self) -> Iterator[Path]:
        return iter(self.files)

    def __len__(self) -> int:
        return sum(len(names) for _, names in self.listing)

    def summary(self) -> str:
        return (
            f"{len(self)} files: {len(self.written)} written, "
            f"{len(self) - len(self.written)} unchanged, {len(self.deleted)} deleted "
            f"({self.pages_drawn} report pages drawn)"
        )


def write_report(
    database: Path, out: Path = DEFAULT_OUT, source_root: Path | None = None
) -> ReportFiles:
    """Write the report of `database` into `out`; return its files and those written.

    `source_root` is the folder the reports' source_path values are relative to (the folder
    the ingest ran from; default: the current directory).
    """
    root = (source_root or Path.cwd()).resolve()
    pages_dir = out / "reports"
    result = ReportFiles()
    pages_dir.mkdir(parents=True, exist_ok=True)
    (out / "list").mkdir(exist_ok=True)
    (out / "assets").mkdir(exist_ok=True)
    for leftover in out.glob("**/.*.tmp"):
        leftover.unlink()  # from a killed run
    previous, previous_lists = _read_manifest(out)
    with read_only(database) as connection:
        sources = report_data.report_sources(connection)
        code = _code_fingerprint(connection)
        fingerprints = report_data.report_fingerprints(connection)
        page_keys = dict(
            zip(
                fingerprints.column("report_id").to_pylist(),
                fingerprints.column("page_key").to_pylist(),
                strict=True,
            )
        )
        place, odd_links = _link_keys(sources, root, pages_dir)
        keys = {
            report_id: hashlib.sha256(
                f"{code}:{page_keys.get(report_id)}:{odd_links.get(report_id, place)}".encode()
            ).hexdigest()[:32]
            for report_id, _ in sources
        }
        present = {entry.name for entry in os.scandir(pages_dir) if entry.name.endswith(".html")}
        stale = [
            report_id
            for report_id, _ in sources
            if previous.get(report_id) != keys[report_id] or f"{report_id}.html" not in present
        ]
        drawn = set(stale)
        hrefs = _source_hrefs([item for item in sources if item[0] in drawn], root, pages_dir)
        # The manifest forgets the pages about to change before any is touched: a run killed
        # midway leaves no entry claiming a page that holds other bytes.
        kept = {rid: key for rid, key in previous.items() if rid in keys and key == keys[rid]}
        list_keys = fingerprints.select(["report_id", "list_key"]).rename_columns(
            ["report_id", "report_key"]
        )
        lists_key = f"{code}:{_digest(_keys_text(list_keys))}"
        lists_kept = previous_lists if _lists_unchanged(out, previous_lists, lists_key) else {}
        _write_manifest(out, kept, lists_kept)
        # Pages first, the lists and index after them, stale pages last: a run killed at any
        # point leaves an index whose every link exists (old pages or new ones).
        if stale:
            dictionaries = report_page.Dictionaries.read(connection)
            for chunk in _chunks(stale, RENDER_CHUNK):
                for report_id, html in _draw_pages(connection, chunk, hrefs, dictionaries):
                    _write_if_changed(pages_dir / f"{report_id}.html", html, result)
                    result.pages_drawn += 1
        # Lists whose inputs (and files) are as the last run left them are not drawn again;
        # else only the rows of reports whose inputs changed are (the others are stored).
        lists: dict[str, bytes] = {}
        indexes: dict[str, bytes] = {}
        if not lists_kept:
            stored = {s.name: report_store.read_rows(out, s.name, code) for s in LISTS}
            lists, indexes = report_lists.list_files(connection, list_keys, stored, code)
        index = _index(connection, len(sources))
    for name in (STYLESHEET, SCRIPT):
        _write_if_changed(
            out / name, (ASSETS / Path(name).name).read_text(encoding="utf-8"), result
        )
    # The indexes say where the kept rows are in the list files: void while those change.
    for name in indexes:
        report_store.index_path(out, name).unlink(missing_ok=True)
    for leftover in out.glob(".list-*.rows"):
        leftover.unlink()  # the rows kept beside the lists by earlier versions
    for path, html in lists.items():
        _write_if_changed(out / path, html, result)
    for name, content in indexes.items():
        _write_if_changed(report_store.index_path(out, name), content, ReportFiles())
    _write_if_changed(out / "index.html", index, result)
    page_names = sorted(f"{report_id}.html" for report_id in keys)
    list_names = sorted(lists_kept["files"] if lists_kept else (Path(p).name for p in lists))
    for folder, names in ((pages_dir, page_names), (out / "list", list_names)):
        wanted = set(names)
        for leftover in sorted(entry.name for entry in os.scandir(folder)):
            if leftover not in wanted and (folder != pages_dir or leftover.endswith(".html")):
                (folder / leftover).unlink()
                result.deleted.append(folder / leftover)
    _write_manifest(out, keys, lists_kept or _lists_entry(lists_key, lists))
    result.listing = [
        (out / "list", list_names),
        (pages_dir, page_names),
        (out, ["index.html", STYLESHEET, SCRIPT]),
    ]
    return result


def _link_keys(
    sources: list[tuple[str, str]], root: Path, pages_dir: Path
) -> tuple[str, dict[str, str]]:
    """What each page's link to its source file is made from, beside its source_path (in
    its page_key): (the key of every plain path's link, report_id → its link for the
    others).

    A plain source_path (relative, no `.` or `..` parts, not ending in `/`: a file under
    `root`; `a//b` is `a/b`, as for the path from the pages folder to it) is
    linked as the path from the pages folder to `root` joined to it, or, the pages folder
    under `root`, from where the pages folder is under `root`: that place is the key. Making
    100k links was 0.9 s of every run at 100k reports; this makes the odd paths' only.
    """
    resolved = pages_dir.resolve()
    if resolved.is_relative_to(root):
        place = f"under:{resolved.relative_to(root).as_posix()}"
    else:
        place = f"outside:{Path(os.path.relpath(root, resolved)).as_posix()}"
    odd = [
        (report_id, path)
        for report_id, path in sources
        if not path or path.startswith("/") or path.endswith("/") or "/." in f"/{path}"
    ]
    return place, _source_hrefs(odd, root, pages_dir)


def _source_hrefs(sources: list[tuple[str, str]], root: Path, pages_dir: Path) -> dict[str, str]:
    """report_id → the link from its page to its source file (`source_path` under `root`),
    as os.path.relpath gives it.

    relpath per report was most of an unchanged run's time at 100k reports: the link to a
    folder is its parent's joined to its name, and relpath is asked only for the folders
    the pages folder lies in (where it would shorten the path) and for odd paths.
    """
    resolved = pages_dir.resolve()

    def asked(path: str) -> tuple[str, str | None]:
        """(link to the folder `path` under root, the part of the pages folder below it)."""
        target = Path(os.path.abspath(root / path))
        below = resolved.parts[: len(target.parts)] == target.parts
        onward = resolved.parts[len(target.parts)] if below and resolved != target else None
        return Path(os.path.relpath(target, resolved)).as_posix(), onward

    folders: dict[str, tuple[str, str | None]] = {"": asked("")}

    def folder_link(folder: str) -> tuple[str, str | None]:
        known = folders.get(folder)
        if known is None:
            parent, _, name = folder.rpartition("/")
            if parent == "" and folder.startswith("/"):
                parent = "/"  # an absolute path: its parts below the file system's root
            if name in ("", ".", ".."):
                known = asked(folder)
            else:
                parent_link, onward = folder_link(parent)
                if name == onward:
                    known = asked(folder)
                else:
                    known = (name if parent_link == "." else f"{parent_link}/{name}", None)
            folders[folder] = known
        return known

    # quote works a character at a time ("/" kept): the quoted link to a folder is quoted
    # once, and joined to each quoted name.
    quoted: dict[str, str] = {}
    hrefs = {}
    for report_id, source_path in sources:
        folder, _, name = source_path.rpartition("/")
        link_to_folder, onward = folder_link(folder)
        if name in ("", ".", "..") or name == onward:
            hrefs[report_id] = quote(Path(os.path.relpath(root / source_path, resolved)).as_posix())
        elif link_to_folder == ".":
            hrefs[report_id] = quote(name)
        else:
            prefix = quoted.get(link_to_folder)
            if prefix is None:
                prefix = quoted[link_to_folder] = quote(link_to_folder)
            hrefs[report_id] = f"{prefix}/{quote(name)}"
    return hrefs


def _draw_pages(
    connection: duckdb.DuckDBPyConnection,
    report_ids: list[str],
    hrefs: dict[str, str],
    dictionaries: report_page.Dictionaries,
) -> Iterator[tuple[str, str]]:
    """(report_id, page) for each of `report_ids`, from a few queries over all of them."""
    connection.register("wanted_reports", pa.table({"report_id": report_ids}))
    try:
        reports = report_data.wanted_report_rows(connection)
        grids = report_grids.grids(connection, dictionaries.shapes)
        loose = report_data.wanted_loose_cells(connection)
        failures = report_page.failure_rows(connection)
    finally:
        connection.unregister("wanted_reports")
    for report in reports:
        report_id = report["report_id"]
        yield (
            report_id,
            report_page.render(
                report,
                hrefs[report_id],
                dictionaries,
                grids,
                loose.get(report_id, []),
                failures.get(report_id, []),
            ),
        )


def _write_if_changed(path: Path, content: str | bytes, result: ReportFiles) -> None:
    """Write `content` to `path` atomically, unless the file already holds these bytes."""
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except FileNotFoundError:
        pass
    write_atomic(path, lambda temporary: temporary.write_bytes(data))
    result.written.append(path)


def _code_fingerprint(connection: duckdb.DuckDBPyConnection) -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(duckdb.__version__.encode())
    for name in RENDERER_FILES:
        digest.update((here / name).read_bytes())
    digest.update(str(report_data.dictionaries_fingerprint(connection)).encode())
    return digest.hexdigest()[:32]


def _read_manifest(out: Path) -> tuple[dict[str, str], dict[str, Any]]:
    """(report_id → page key, the lists' entry) of the last run's manifest."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        pages, lists = manifest["pages"], manifest.get("lists", {})
    except (FileNotFoundError, ValueError, KeyError, TypeError, AttributeError):
        return {}, {}
    return (
        pages if isinstance(pages, dict) else {},
        lists if isinstance(lists, dict) else {},
    )


def _write_manifest(out: Path, pages: dict[str, str], lists: dict[str, Any]) -> None:
    # An entry a line, by the C encoder (indent= takes the pure-Python one: ~0.4 s a write
    # at 100k reports).
    content = json.dumps(
        {"lists": lists, "pages": dict(sorted(pages.items()))}, separators=(",\n", ": ")
    )
    _write_if_changed(out / MANIFEST, content, ReportFiles())


def _keys_text(keys: pa.Table) -> bytes:
    """(report_id, report_key) rows as text, one a line, to digest."""
    return "".join(
        f"{report_id} {key}\n"
        for report_id, key in zip(
            keys.column(0).to_pylist(), keys.column(1).to_pylist(), strict=True
        )
    ).encode()


def _lists_entry(key: str, lists: dict[str, bytes]) -> dict[str, Any]:
    """The manifest's record of the lists: the key of their inputs and each file's size
    (what says the file is still there, whole: a stat, where a digest would read a
    gigabyte of pages at 100k reports)."""
    files = {Path(path).name: len(content) for path, content in sorted(lists.items())}
    return {"key": key, "files": files}


def _lists_unchanged(out: Path, entry: dict[str, Any], key: str) -> bool:
    """The lists' inputs have the key recorded and every list file has its recorded size."""
    if entry.get("key") != key or not isinstance(entry.get("files"), dict):
        return False
    for name, recorded in entry["files"].items():
        try:
            if (out / "list" / name).stat().st_size != recorded:
                return False
        except FileNotFoundError:
            return False
    return True


def _digest(content: bytes) -> str:
    return hashlib.blake2b(content, digest_size=16).hexdigest()


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _index(connection: duckdb.DuckDBPyConnection, report_count: int) -> str:
    body = [
        heading(1, "Government information disclosure annual reports", "政府信息公开工作年度报告"),
        '<p class="note">Sums over the reports in this warehouse: bodies at different levels '
        "report separately, so totals are reported counts, not deduplicated national counts. "
        "Blank cells are not counted as 0. 合计为本库所收年报的加总；空白单元格不计为 0。</p>",
        '<nav><a href="#applications">Applications 依申请公开</a>'
        '<a href="#reviews">Reviews 复议诉讼</a>'
        '<a href="#reconciliation">Reconciliation 勾稽关系</a>'
        f'<a href="{REPORT_LIST.page(FIRST_PAGE)}">Reports 年报列表</a>'
        f'<a href="{FINDING_LIST.page(FIRST_PAGE)}">Failing results 未通过的核对结果</a></nav>',
        _applications(connection),
        _reviews(connection),
        _reconciliation(connection),
        heading(2, "Reports", "年报列表", anchor="reports"),
        f"<p>{link(REPORT_LIST.page(FIRST_PAGE), f'All {report_count:,} reports 全部年报')}: "
        "a page of rows at a time, with a filter and sortable columns "
        "分页列出，可筛选、排序.</p>",
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
    every_share = report_data.rule_shares(connection)
    overall = _shares(every_share["all"])
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
        shares = _shares(every_share[key])
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
    parts += [
        heading(3, "Failing results", "未通过的核对结果"),
        f"<p>{link(FINDING_LIST.page(FIRST_PAGE), 'Every failing result 全部未通过的核对结果')}, "
        "a page of rows at a time, with a filter and sortable columns.</p>",
    ]
    return "\n".join(parts)


def _shares(rows: list[dict[str, Any]]) -> dict[tuple[Any, str], tuple[int, int, float | None]]:
    """(group, rule) → (failing reports, assessed reports, share failing)."""
    return {
        (row["grouping"], row["rule_id"]): (
            row["failing"],
            row["assessed"],
            row["failing"] / row["assessed"] if row["assessed"] else None,
        )
        for row in rows
    }


def _year(year: Any) -> str:
    return "unknown 未知" if year is None else str(year)
