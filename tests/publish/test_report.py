"""The static HTML report that `gongkai build` writes beside the warehouse."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from conftest import Built

from publish.report import write_report
from tests.conftest import ROOT

HREF = re.compile(r'<a href="([^"#]+)"')


def test_build_writes_the_report_and_the_docs(built: Built) -> None:
    assert (built.report / "index.html").is_file()
    docs = (built.docs / "index.html").read_text(encoding="utf-8")
    assert "dim_reports" in docs and "fct_reconciliation_results" in docs
    assert ".building" not in docs  # generated before the swap, named as the warehouse


def test_index_has_charts_and_links_every_report(built: Built) -> None:
    index = (built.report / "index.html").read_text(encoding="utf-8")
    assert index.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') >= 4
    assert index.count('class="mark"') >= 10
    for label in ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "纠错率", "R06"):
        assert label in index
    assert "<script" not in index and "http://" not in index.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert 'href="list/reports-1.html"' in index and 'href="list/findings-1.html"' in index
    report_ids = {report_id for (report_id,) in built.query("select report_id from dim_reports")}
    pages = {path.stem for path in (built.report / "reports").glob("*.html")}
    assert pages == report_ids
    listed = (built.report / "list" / "reports-1.html").read_text(encoding="utf-8")
    for report_id in report_ids:
        assert f'href="../reports/{report_id}.html"' in listed
        (built.report / "reports" / f"{report_id}.html").resolve(strict=True)


def list_pages(out: Path, name: str) -> list[str]:
    """The names of list `name`'s pages in list order, as its pages file gives them."""
    content = (out / "list" / f"{name}-pages.js").read_text(encoding="utf-8")
    assert content.startswith("gongkaiListPages([") and content.endswith("]);\n")
    import json

    return json.loads(content[len("gongkaiListPages(") : -3])


def test_lists_are_paginated_and_link_every_row(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import publish.report_lists

    monkeypatch.setattr(publish.report_lists, "LIST_PAGE_ROWS", 4)
    out = tmp_path / "report"
    write_report(built.database, out)
    report_ids = [report_id for (report_id,) in built.query("select report_id from dim_reports")]
    failing = built.query("select count(*) from fct_reconciliation_results where outcome = 'fail'")
    for name, rows in (("reports", len(report_ids)), ("findings", failing[0][0])):
        names = list_pages(out, name)
        assert names[0] == "1" and len(set(names)) == len(names), name
        on_disk = {
            path.name
            for path in (out / "list").glob(f"{name}-*.html")
            if not path.name.startswith(f"{name}-data-")
        }
        assert on_disk == {f"{name}-{page}.html" for page in names}, name
        assert len(names) >= 2 or rows <= 16, (name, "more rows than a page's ceiling")
        linked = []
        for number, page in enumerate(names):
            html = (out / "list" / f"{name}-{page}.html").read_text(encoding="utf-8")
            body = html.split("<tbody>", 1)[1]
            found = re.findall(r'<a href="\.\./reports/([0-9a-f]+)\.html', body)
            linked += found
            # Pages of 1 to 16 rows (a quarter of 4 to four times 4), the last one may be short.
            assert len(found) <= 16 and (len(found) >= 1 or number == len(names) - 1), name
            assert f"<span>{len(found):,} rows on this page" in html
            following = names[number + 1] if number + 1 < len(names) else None
            previous = names[number - 1] if number else None
            assert ('href="' + f'{name}-{following}.html"' in html) == (following is not None)
            assert ('href="' + f'{name}-{previous}.html"' in html) == (previous is not None)
            assert '<script src="../assets/report.js"></script>' in html
            assert f'data-source="{name}-data-" data-pages="{name}-pages.js"' in html
            # Each page's rows as data, in a file of its own: what the filter reads.
            content = (out / "list" / f"{name}-data-{page}.js").read_text(encoding="utf-8")
            assert content.startswith(f'gongkaiListData({{"page":"{page}","rows":[['), name
        assert len(linked) == rows, name
        data = sorted((out / "list").glob(f"{name}-data-*.js"))
        assert len(data) == len(names), name
    assert sorted(set(linked)) == sorted(
        {
            rid
            for (rid,) in built.query(
                "select report_id from fct_reconciliation_results where outcome = 'fail'"
            )
        }
    )


def test_added_reports_change_only_the_pages_they_land_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pages end where the rows say, not at a count from the list's start: 40 reports added
    among 4,000 rewrite the pages they land on and their neighbours (links), the other pages
    keep their names and bytes; every page stays within its floor and ceiling of rows."""
    import random

    import pyarrow as pa

    from publish import report_lists, report_store
    from publish.report_store import Strings

    monkeypatch.setattr(report_lists, "LIST_PAGE_ROWS", 40)
    generator = random.Random(15)

    def rows(report_ids: list[str]) -> pa.Table:
        ids, html, data = [], [], []
        for report_id in report_ids:
            for row in range(int(report_id[1:]) % 5 + (report_id == "r0100") * 400):
                ids.append(report_id)
                html.append(f"<tr><td>{report_id} {row}</td></tr>")
                data.append(f'["{report_id}",{row}],')
        return pa.table(
            {
                "report_id": ids,
                "report_key": pa.array([0] * len(ids), pa.uint64()),
                "html": html,
                "json": data,
            },
            schema=report_store.SCHEMA,
        )

    def files(report_ids: list[str]) -> dict[str, bytes]:
        table = rows(report_ids)
        drawn, pages = report_lists._files(
            report_lists.FINDING_LIST,
            table.column("report_id"),
            Strings(table.column("html")),
            Strings(table.column("json")),
        )
        counts = [page.stop - page.first for page in pages]
        assert all(count <= 160 for count in counts)  # a report of 400 rows is cut too
        assert all(count >= 10 for count in counts[:-1])
        assert sum(counts) == table.num_rows
        return drawn

    every = [f"r{number:04d}" for number in range(4000)]
    added = set(generator.sample(every, 40))
    before = files([report_id for report_id in every if report_id not in added])
    after = files(every)
    pages = [path for path in after if path.endswith(".html")]
    changed = [path for path in pages if before.get(path) != after[path]]
    assert len(pages) > 150
    # Each added report changes its page, and at most the names two neighbours link to.
    assert len(changed) <= 3 * len(added)
    assert len(changed) < len(pages) / 2
    kept = [path for path in pages if path not in changed]
    assert all(before[path] == after[path] for path in kept)


def test_report_pages_keep_blanks_blank(built: Built) -> None:
    rows = built.query(
        "select report_id, count(*) filter (where value_kind = 'blank') as blanks"
        " from main.fct_cells where is_placed group by report_id"
    )
    assert any(blanks for _, blanks in rows), "the sample has printed blanks"
    for report_id, blanks in rows:
        html = (built.report / "reports" / f"{report_id}.html").read_text(encoding="utf-8")
        cells = re.findall(r'<td class="blank[^"]*"[^>]*>([^<]*)</td>', html)
        assert len(cells) == blanks, report_id
        assert all(content == "" for content in cells)


def test_failing_cells_are_highlighted(built: Built) -> None:
    failing = built.query(
        "select report_id, detail from fct_reconciliation_results"
        " where outcome = 'fail' and rule_id = 'R06'"
    )
    assert failing, "the sample's concatenated Pingtan report misses template cells"
    for report_id, detail in failing:
        html = (built.report / "reports" / f"{report_id}.html").read_text(encoding="utf-8")
        missing = detail.removeprefix("missing: ").split(", ")
        # a template cell is missing outright, or printed but not placed (an ambiguous row)
        flagged = html.count('class="missing fail"') + html.count('class="unplaced fail"')
        assert flagged >= len(missing)


def test_report_pages_link_to_their_source_file(built: Built) -> None:
    for report_id, source_path in built.query("select report_id, source_path from dim_reports"):
        page = built.report / "reports" / f"{report_id}.html"
        links = [unquote(h) for h in HREF.findall(page.read_text(encoding="utf-8"))]
        sources = [h for h in links if Path(h).name == Path(source_path).name]
        assert len(sources) == 1, (report_id, links)
        # Paths are kept as named; the sample is named from the repository root.
        assert (page.parent / sources[0]).resolve() == (ROOT / source_path).resolve()


def test_report_is_deterministic(built: Built, tmp_path: Path) -> None:
    written = write_report(built.database, tmp_path / "report")
    for path in written:
        original = built.report / path.relative_to(tmp_path / "report")
        assert path.read_bytes() == original.read_bytes(), path.name


def test_cells_explaining_failures_are_highlighted_by_a_join(built: Built) -> None:
    """Every cell of fct_finding_cells for a failing result is outlined on its report page,
    and no other cell is: the page joins the finding rows, it parses no finding text."""
    flagged = built.query(
        "select report_id, count(distinct (table_code, row_code, col_code))"
        " from main.fct_finding_cells where outcome = 'fail' group by report_id"
    )
    assert flagged, "the sample has failing results"
    for report_id, cells in flagged:
        html = (built.report / "reports" / f"{report_id}.html").read_text(encoding="utf-8")
        assert len(re.findall(r'<td class="[^"]*\bfail\b', html)) == cells, report_id


def test_a_killed_report_run_never_leaves_an_index_linking_missing_pages(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import shutil

    import publish.report

    out = tmp_path / "report"
    write_report(built.database, out)
    real_replace = os.replace

    def linked_pages_exist() -> None:
        for listing in [out / "index.html", *(out / "list").glob("*.html")]:
            for href in HREF.findall(listing.read_text(encoding="utf-8")):
                if href.startswith(("reports/", "list/", "../reports/")):
                    assert (listing.parent / unquote(href)).is_file(), (listing, href)

    def previous_report() -> None:
        # The previous report was another warehouse's: its index links a page this one lacks,
        # and none of this warehouse's pages is there yet.
        for folder in ("reports", "list"):
            shutil.rmtree(out / folder)
            (out / folder).mkdir()
        (out / "reports" / "gone.html").write_text("<html>old</html>", encoding="utf-8")
        (out / "index.html").write_text('<a href="reports/gone.html">old</a>', encoding="utf-8")

    calls: list = []

    def counting(source, destination):  # noqa: ANN001, ANN202
        calls.append(destination)
        return real_replace(source, destination)

    previous_report()
    monkeypatch.setattr(publish.report.os, "replace", counting)
    write_report(built.database, out)
    replaces = len(calls)
    assert replaces > 11  # the pages, the index, the manifest
    for kill_at in (1, replaces // 2, replaces - 1, replaces):
        previous_report()
        calls.clear()

        def replace(source, destination, kill_at=kill_at):  # noqa: ANN001, ANN202
            calls.append(destination)
            if len(calls) == kill_at:
                raise KeyboardInterrupt
            return real_replace(source, destination)

        monkeypatch.setattr(publish.report.os, "replace", replace)
        with pytest.raises(KeyboardInterrupt):
            write_report(built.database, out)
        monkeypatch.setattr(publish.report.os, "replace", real_replace)
        linked_pages_exist()
        # Whatever the kill left, the next run gives exactly the full report.
        write_report(built.database, out)
        linked_pages_exist()
        assert not (out / "reports" / "gone.html").exists()
        assert not list(out.rglob("*.tmp"))
        fresh = tmp_path / f"fresh-{kill_at}"
        write_report(built.database, fresh)
        assert _contents(out) == _contents(fresh)


def test_report_page_marks_printed_but_unplaced_cells_and_shows_its_metadata(
    built: Built,
) -> None:
    # 平潭 2021 prints 行政规范性文件 as run-together digits with no unique split: its cells
    # are unknown ("?", printed but not placed), not "not printed" and never 0.
    (report_id, published, index_no) = built.query(
        "select report_id, published_date, index_no from dim_reports"
        " where source_path like '%2021_pingtan-zone%'"
    )[0]
    page = (built.report / "reports" / f"{report_id}.html").read_text(encoding="utf-8")
    assert "printed but not placed 已印出但未能定位" in page  # the legend
    cells = re.findall(r'<td class="unplaced[^"]*" title="([^"]*)">\?</td>', page)
    assert len(cells) == 3  # issued, repealed, in force
    assert "Published 发布日期" in page and "Index number 索引号" in page
    if published is not None:
        assert str(published)[:10] in page
    if index_no is not None:
        assert index_no in page


def test_report_page_shows_the_source_url_the_file_records(built: Built) -> None:
    rows = built.query("select report_id, source_url from rpt_reports")
    recorded = [(report_id, url) for report_id, url in rows if url is not None]
    # The archived 平潭 2018 and 2021 texts open with 原文链接: https://www.pingtan.gov.cn/…
    assert len(recorded) >= 2
    for report_id, url in rows:
        page = (built.report / "reports" / f"{report_id}.html").read_text(encoding="utf-8")
        assert "Source URL 来源网址" in page
        if url is None:
            assert "http" not in page.split("Source URL 来源网址", 1)[1].split("</tr>", 1)[0]
        else:
            assert f'<a href="{url}">{url}</a>' in page


# ---------------------------------------------------------------- only what changed is written


def _contents(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _stamps(folder: Path) -> dict[str, int]:
    return {
        path.relative_to(folder).as_posix(): path.stat().st_mtime_ns
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def warehouse_copy(built: Built, tmp_path: Path) -> Path:
    """A copy of the sample warehouse a test may change."""
    import shutil

    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(built.database, copy)
    return copy


def _change(database: Path, *statements: str) -> None:
    import duckdb

    with duckdb.connect(str(database)) as connection:
        for statement in statements:
            connection.execute(statement)


def test_a_second_render_writes_nothing(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    import publish.report

    out = tmp_path / "report"
    first = write_report(built.database, out)
    assert first.written and first.pages_drawn == len(list((out / "reports").glob("*.html")))
    before = _stamps(out)
    replaced: list = []
    monkeypatch.setattr(publish.report.os, "replace", lambda *a: replaced.append(a))

    def not_drawn(*_: object) -> None:
        raise AssertionError("the lists' inputs did not change: they are not drawn again")

    monkeypatch.setattr(publish.report.report_lists, "list_files", not_drawn)
    second = write_report(built.database, out)
    assert second.written == [] and second.deleted == [] and replaced == []
    assert second.pages_drawn == 0  # nothing was drawn again either
    assert _stamps(out) == before
    assert sorted(second.files) == sorted(first.files)
    del os


def test_one_changed_report_rewrites_its_page_and_the_lists_only(
    warehouse_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    write_report(warehouse_copy, out)
    import duckdb

    with duckdb.connect(str(warehouse_copy), read_only=True) as connection:
        (titled,) = connection.execute(
            "select report_id from dim_reports where report_id not in"
            " (select report_id from fct_reconciliation_results where outcome = 'fail')"
            " order by report_id limit 1"
        ).fetchone()
        (celled, seq) = connection.execute(
            "select report_id, min(cell_seq) from fct_cells where is_placed"
            " and value_kind = 'number' and report_id <> ? group by report_id"
            " order by report_id limit 1",
            [titled],
        ).fetchone()
    # A new title shows on the report's page and in the reports list; a re-read cell only on
    # the page of its report.
    _change(
        warehouse_copy,
        f"update dim_reports set title = 'changed 已改' where report_id = '{titled}'",
        f"update fct_cells set raw_text = '999999' where report_id = '{celled}'"
        f" and cell_seq = {seq}",
    )
    result = write_report(warehouse_copy, out)
    written = sorted(path.relative_to(out).as_posix() for path in result.written)
    assert written == sorted(
        [
            f"reports/{celled}.html",
            f"reports/{titled}.html",
            "list/reports-1.html",
            "list/reports-data-1.js",
        ]
    )
    assert result.pages_drawn == 2
    assert "999999" in (out / "reports" / f"{celled}.html").read_text(encoding="utf-8")
    # And what the run left is exactly what a full render of the changed warehouse gives.
    fresh = tmp_path / "fresh"
    write_report(warehouse_copy, fresh)
    assert _contents(out) == _contents(fresh)


def test_a_removed_report_loses_its_page(warehouse_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    write_report(warehouse_copy, out)
    import duckdb

    with duckdb.connect(str(warehouse_copy), read_only=True) as connection:
        (removed,) = connection.execute(
            "select report_id from dim_reports order by report_id limit 1"
        ).fetchone()
    assert (out / "reports" / f"{removed}.html").is_file()
    tables = ("dim_reports", "fct_cells", "fct_reconciliation_results", "fct_finding_cells")
    _change(warehouse_copy, *(f"delete from {t} where report_id = '{removed}'" for t in tables))
    result = write_report(warehouse_copy, out)
    assert not (out / "reports" / f"{removed}.html").exists()
    assert [p.relative_to(out).as_posix() for p in result.deleted] == [f"reports/{removed}.html"]
    assert result.pages_drawn == 0
    assert removed not in (out / "list" / "reports-1.html").read_text(encoding="utf-8")
    fresh = tmp_path / "fresh"
    write_report(warehouse_copy, fresh)
    assert _contents(out) == _contents(fresh)


def test_an_incremental_render_after_adding_and_removing_reports_equals_a_full_one(
    warehouse_copy: Path, built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report of a warehouse lacking two reports, then into the same folder the report
    of the warehouse with them but lacking a third: the second run draws the two pages and
    only their list rows (the others come from the rows the first run kept), deletes the
    third's page, and leaves what a full render gives, byte for byte."""
    import shutil

    import publish.report_lists

    with_failures = built.query(
        "select report_id from fct_reconciliation_results where outcome = 'fail'"
        " order by report_id limit 1"
    )[0][0]
    without, removed = (
        rid
        for (rid,) in built.query(
            "select report_id from dim_reports where report_id <> ? order by report_id limit 2",
            [with_failures],
        )
    )
    removed_failing = built.query(
        "select report_id from fct_reconciliation_results where outcome = 'fail'"
        " and report_id not in (?, ?, ?) order by report_id desc limit 1",
        [with_failures, without, removed],
    )[0][0]
    tables = (
        "dim_reports",
        "fct_cells",
        "fct_reconciliation_results",
        "fct_finding_cells",
        "fct_applications",
        "fct_application_outcomes",
    )

    def without_reports(name: str, *report_ids: str) -> Path:
        copy = tmp_path / name
        shutil.copyfile(warehouse_copy, copy)
        listed = ", ".join(f"'{rid}'" for rid in report_ids)
        _change(copy, *(f"delete from {t} where report_id in ({listed})" for t in tables))
        return copy

    smaller = without_reports("smaller.duckdb", with_failures, without)
    changed = without_reports("changed.duckdb", removed, removed_failing)
    out = tmp_path / "report"
    write_report(smaller, out)
    assert not (out / "reports" / f"{with_failures}.html").exists()
    merged = publish.report_lists._merged
    drawn: list[set[str]] = []

    def merged_spy(ordered: list[str], changed_ids: set[str], *rest: Any) -> Any:
        drawn.append(set(changed_ids))
        return merged(ordered, changed_ids, *rest)

    monkeypatch.setattr(publish.report_lists, "_merged", merged_spy)
    result = write_report(changed, out)
    assert result.pages_drawn == 2
    assert drawn == [{with_failures, without}] * 2  # the rows of the two reports, no others
    assert sorted(p.relative_to(out).as_posix() for p in result.deleted) >= sorted(
        [f"reports/{removed}.html", f"reports/{removed_failing}.html"]
    )
    fresh = tmp_path / "fresh"
    write_report(changed, fresh)
    assert _contents(out) == _contents(fresh)
    assert (out / ".list-findings.index").is_file()  # the rows kept, compared above too
    # And back: the reports the first run lacked are gone again, the others come back.
    write_report(smaller, out)
    again = tmp_path / "again"
    write_report(smaller, again)
    assert _contents(out) == _contents(again)


def test_list_rows_are_those_the_python_helpers_draw(built: Built) -> None:
    """The database draws the list rows (HTML and the data file's JSON): they are the rows
    the report drew in Python before, row for row and byte for byte."""
    import json

    from publish.charts import number
    from publish.html import link, text

    reports = built.query(
        "with failures as (select report_id, count(distinct rule_id) as n"
        " from fct_reconciliation_results where outcome = 'fail' group by report_id)"
        " select dim_reports.report_id, title, source_path, agency, report_year,"
        " published_date, template, status, coalesce(failures.n, 0) from dim_reports"
        " left join failures using (report_id)"
        " order by report_year nulls last, agency, dim_reports.report_id"
    )
    from decimal import Decimal

    findings = built.query(
        "select f.report_id, f.table_code, d.title, d.agency, d.report_year, d.template,"
        " f.rule_id, f.scope_label_zh, f.scope_code, f.expected, f.actual, f.difference,"
        " f.detail from fct_reconciliation_results as f"
        " inner join dim_reports as d on f.report_id = d.report_id where f.outcome = 'fail'"
        " order by d.report_year nulls last, d.agency, f.report_id, f.rule_id, f.scope_code,"
        " f.finding_id"
    )
    assert findings, "the sample has failing results"
    expected = {
        "reports": [
            (
                [f"../reports/{rid}.html", title or path],
                agency,
                year,
                None if published is None else published.isoformat(),
                template,
                status,
                failing,
            )
            for rid, title, path, agency, year, published, template, status, failing in reports
        ],
        "findings": [
            (
                # A result of no table links to the page's failing rules.
                [f"../reports/{row[0]}.html#{row[1] or 'failures'}", row[2] or row[0]],
                *row[3:7],
                f"{row[7] or ''} {row[8] or ''}".strip(),
                *row[9:13],
            )
            for row in findings
        ],
    }
    assert any(row[1] is None for row in findings), "the sample has results of no table"
    kinds = {
        "reports": ("link", "text", "text", "text", "text", "text", "number"),
        "findings": ("link",) + ("text",) * 5 + ("number",) * 3 + ("text",),
    }
    for name, rows in expected.items():
        data = []
        names = list_pages(built.report, name)
        for page_name in names:
            data_file = built.report / "list" / f"{name}-data-{page_name}.js"
            content = data_file.read_text(encoding="utf-8")
            assert content.startswith("gongkaiListData(") and content.endswith(");\n")
            loaded = json.loads(content[len("gongkaiListData(") : -3], parse_float=Decimal)
            assert loaded["page"] == page_name
            data += loaded["rows"]
        # Decimals are exact JSON numbers (1944, not "1944.0000"): equal as Decimals, and
        # an integral one is written as an integer.
        assert len(data) == len(rows), name
        for got, want in zip(data, rows, strict=True):
            assert got == list(want), name
            for value, decimal in zip(got, want, strict=True):
                if isinstance(decimal, Decimal):
                    assert isinstance(value, int) == (decimal == decimal.to_integral_value())
        html = []
        for row in rows:
            cells = []
            for value, kind in zip(row, kinds[name], strict=True):
                if kind == "link":
                    cells.append(f"<td>{link(*value)}</td>")
                elif kind == "number":
                    cells.append(f'<td class="num">{number(value)}</td>')
                else:
                    cells.append(f"<td>{text(value)}</td>")
            html.append(f"<tr>{''.join(cells)}</tr>")
        shown = []
        for path in (built.report / "list" / f"{name}-{page}.html" for page in names):
            body = path.read_text(encoding="utf-8").split("<tbody>", 1)
            if len(body) == 2:
                shown += re.findall(r"<tr>.*?</tr>", body[1].split("</tbody>", 1)[0])
        assert shown == html, name
        assert len(shown) == len(rows)


def test_database_drawn_values_are_those_of_the_python_helpers() -> None:
    """publish.report_sql renders escaping, counts and JSON strings as the Python helpers
    do, on the awkward values: markup, control characters, half-even rounding, huge and
    negative decimals, nulls."""
    import datetime
    import json
    from decimal import Decimal

    import duckdb

    from publish import report_sql
    from publish.charts import number
    from publish.html import text

    connection = duckdb.connect()
    texts = ["a\"b\\c/d\x01\x1f\x7f\u2028é\n\t\r\b\x0c<>&'\xa0\x0b", "plain", "", None]
    texts.append("\\u001F\x1f")  # a control character beside the text of an escape
    for value in texts:
        row = connection.execute(
            f"select {report_sql.json_text('v')}, {report_sql.text('v')}"
            " from (select ?::varchar as v)",
            [value],
        ).fetchone()
        assert row == (json.dumps(value, ensure_ascii=False), text(value)), repr(value)
    decimals = ["1944.0000", "-12.5000", "0.1250", "0.1350", "-0.0010", "0.9950", "2.6750"]
    decimals += ["-2.6750", "123456789012345.6750", "99999999999999999999.9999", "0.0000"]
    for value in [*decimals, None]:
        exact = None if value is None else Decimal(value)
        row = connection.execute(
            f"select {report_sql.number('v')}, {report_sql.json_text('v')}"
            " from (select ?::decimal(38,4) as v)",
            [value],
        ).fetchone()
        assert row == (number(exact), json.dumps(exact, default=str)), value
        (as_number,) = connection.execute(
            f"select {report_sql.json_number('v')} from (select ?::decimal(38,4) as v)", [value]
        ).fetchone()
        # An exact JSON number, no trailing zeros: 1944, -12.5, 0.125; null for null.
        assert json.loads(as_number, parse_float=Decimal) == exact, value
        assert exact is None or as_number == format(exact.normalize(), "f"), value
    for value in [0, 3, 12345, -7, None]:
        row = connection.execute(
            f"select {report_sql.number('v')}, {report_sql.json_integer('v')},"
            f" {report_sql.text('v')} from (select ?::bigint as v)",
            [value],
        ).fetchone()
        assert row == (number(value), json.dumps(value), text(value)), value
    day = datetime.date(2021, 3, 1)
    row = connection.execute(
        f"select {report_sql.text('v')}, {report_sql.json_text('v')} from (select ?::date as v)",
        [day],
    ).fetchone()
    assert row == (text(day), json.dumps(day.isoformat()))


@pytest.mark.parametrize(
    "source_path",
    [
        "corpus/sample/a b/报告.txt",
        "warehouse/x.txt",  # beside the pages' folder: relpath shortens the link
        "warehouse/report",  # a name the pages' folder goes on through
        "warehouse/report/reports/r.txt",
        "./corpus/../corpus/x.txt",
        "../outside/x.txt",
        "/abs/olute/x.txt",
        "corpus//double/x.txt",
        "x.txt",
    ],
)
def test_links_to_source_files_are_those_relpath_gives(tmp_path: Path, source_path: str) -> None:
    import os
    from urllib.parse import quote

    from publish.report import _source_hrefs

    root = tmp_path / "root"
    pages = root / "warehouse" / "report" / "reports"
    pages.mkdir(parents=True)
    sources = [("r", source_path), ("s", "corpus/sample/other.txt")]
    links = _source_hrefs(sources, root, pages)
    for report_id, path in sources:
        relative = Path(os.path.relpath(root / path, pages.resolve())).as_posix()
        assert links[report_id] == quote(relative), path


def test_pages_whose_link_key_is_equal_have_equal_links(tmp_path: Path) -> None:
    """A page's key holds what its link to the source file is made from, not the link (the
    links are made for the pages drawn only): the plain paths' links are equal wherever
    their key is, the pages folder outside the root or under it; the odd paths are keyed
    by their link."""
    from publish.report import _link_keys, _source_hrefs

    root = tmp_path / "root"
    plain = ["corpus/sample/a b/报告.txt", "warehouse/x.txt", "warehouse/report/r.txt", "x.txt"]
    plain += ["copy-1//abs/olute/x.txt", "warehouse//report/reports/r.txt"]
    odd = ["./corpus/../corpus/x.txt", "../outside/x.txt", "/abs/olute/x.txt", "a/b/", ""]
    sources = [(f"r{number}", path) for number, path in enumerate(plain + odd)]
    folders = [
        tmp_path / "one" / "report" / "reports",
        tmp_path / "two" / "report" / "reports",  # a sibling: the same path to the root
        tmp_path / "deeper" / "one" / "report" / "reports",
        root / "warehouse" / "report" / "reports",
        root / "other" / "report" / "reports",
    ]
    seen: dict[str, dict[str, str]] = {}
    for folder in folders:
        folder.mkdir(parents=True)
        place, odd_links = _link_keys(sources, root, folder)
        links = _source_hrefs(sources, root, folder)
        assert odd_links == {rid: links[rid] for rid, path in sources if path in odd}
        plain_links = {rid: links[rid] for rid, path in sources if path in plain}
        assert seen.setdefault(place, plain_links) == plain_links, folder
    assert len(seen) == 4  # the two siblings share their key; the others differ


def test_every_module_that_draws_pages_is_in_the_code_fingerprint() -> None:
    """A change to any module the pages' bytes depend on must draw every page again."""
    import publish.report as report

    here = Path(report.__file__).parent
    drawing = {path.name for path in here.glob("report*.py")} | {"html.py", "charts.py"}
    assert drawing <= set(report.RENDERER_FILES)


def test_kept_list_rows_are_the_same_bytes_however_they_were_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows a run keeps for the next are in the list files, with an index of them: cut
    into slices of several tables or whole, the same files and index; read back through the
    index, the same rows; another code's index, a cut index or a list file not the size
    recorded is not used."""
    import pyarrow as pa

    from publish import report_lists, report_store
    from publish.report_store import Strings

    monkeypatch.setattr(report_lists, "LIST_PAGE_ROWS", 2)  # a page ends after every report: 3
    rows = pa.table(
        {
            "report_id": ["a", "a", "b", "c", "c"],
            "report_key": pa.array([1, 1, 2**64 - 1, 0, 0], pa.uint64()),
            "html": ["<tr>1</tr>", "<tr>é</tr>", "<tr></tr>", "<tr>3</tr>", "<tr>4</tr>"],
            "json": ["[1],", '["é"],', "[],", "[null],", '["],["],'],
        },
        schema=report_store.SCHEMA,
    )

    def kept(folder: Path, table: pa.Table) -> bytes:
        files, pages = report_lists._files(
            report_lists.REPORT_LIST,
            table.column("report_id"),
            Strings(table.column("html")),
            Strings(table.column("json")),
        )
        for name, content in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(content)
        index = report_store.index_bytes("code", table, pages)
        report_store.index_path(folder, "reports").write_bytes(index)
        return index

    whole, cut = tmp_path / "whole", tmp_path / "cut"
    pieces = pa.concat_tables([rows.slice(0, 1), rows.slice(1, 2), rows.slice(3, 2)])
    assert pieces.column("html").num_chunks == 3
    assert kept(whole, rows) == kept(cut, pieces)
    assert len(list((whole / "list").glob("reports-data-*.js"))) == 3
    assert report_store.read_rows(whole, "reports", "code").equals(rows)
    assert report_store.read_rows(whole, "reports", "other code") is None
    assert report_store.read_rows(whole, "findings", "code") is None  # no index
    index = report_store.index_path(cut, "reports")
    index.write_bytes(index.read_bytes()[:-8])
    assert report_store.read_rows(cut, "reports", "code") is None
    page = whole / "list" / f"reports-{list_pages(whole, 'reports')[1]}.html"
    page.write_bytes(page.read_bytes() + b" ")
    assert report_store.read_rows(whole, "reports", "code") is None
    empty = tmp_path / "empty"
    kept(empty, rows.slice(0, 0))
    assert report_store.read_rows(empty, "reports", "code").num_rows == 0
