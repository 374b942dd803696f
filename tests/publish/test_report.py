"""The static HTML report that `gongkai build` writes beside the warehouse."""

from __future__ import annotations

import re
from pathlib import Path
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
    report_ids = {report_id for (report_id,) in built.query("select report_id from dim_reports")}
    pages = {path.stem for path in (built.report / "reports").glob("*.html")}
    assert pages == report_ids
    for report_id in report_ids:
        assert f'href="reports/{report_id}.html"' in index
        (built.report / "reports" / f"{report_id}.html").resolve(strict=True)


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

    import publish.report

    out = tmp_path / "report"
    pages = len(write_report(built.database, out))
    real_replace = os.replace

    def linked_pages_exist() -> None:
        index = (out / "index.html").read_text(encoding="utf-8")
        for href in HREF.findall(index):
            if href.startswith("reports/"):
                assert (out / unquote(href)).is_file(), href

    for kill_at in (1, pages // 2, pages - 1, pages):
        # The previous report was another warehouse's: its index links a page this one lacks.
        (out / "reports" / "gone.html").write_text("<html>old</html>", encoding="utf-8")
        (out / "index.html").write_text('<a href="reports/gone.html">old</a>', encoding="utf-8")
        calls = []

        def replace(source, destination, calls=calls, kill_at=kill_at):  # noqa: ANN001, ANN202
            calls.append(destination)
            if len(calls) == kill_at:
                raise KeyboardInterrupt
            return real_replace(source, destination)

        monkeypatch.setattr(publish.report.os, "replace", replace)
        with pytest.raises(KeyboardInterrupt):
            write_report(built.database, out)
        monkeypatch.setattr(publish.report.os, "replace", real_replace)
        linked_pages_exist()
    write_report(built.database, out)
    linked_pages_exist()
    assert not (out / "reports" / "gone.html").exists()
    assert not list(out.rglob("*.tmp"))


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
