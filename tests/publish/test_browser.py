"""A real browser opens the report: Debian's headless chromium renders the SVG charts, and a
screenshot of a report page is checked; it replaces docs/images/report-page.png only when
GONGKAI_UPDATE_SCREENSHOT=1 (a test run does not rewrite tracked files).

CI installs chromium (see .ci/run); without it this test fails rather than skips.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import Built

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "images" / "report-page.png"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# Appended to a copy of index.html: the browser measures what it laid out, into the DOM.
MEASURE = """<script>
const marks = [...document.querySelectorAll('svg.chart rect.mark')];
const declared = marks.filter(m => parseFloat(m.getAttribute('width')) > 0);
const drawn = declared.filter(m => m.getBoundingClientRect().width > 0);
const charts = [...document.querySelectorAll('svg.chart')]
  .filter(s => s.getBoundingClientRect().height > 0);
document.body.insertAdjacentHTML('beforeend',
  `<pre id="measured">charts=${charts.length} marks=${marks.length} ` +
  `declared=${declared.length} drawn=${drawn.length}</pre>`);
</script>"""


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "chromium is not installed: apt-get install -y --no-install-recommends chromium"
    return path


def run_chromium(tmp_path: Path, *arguments: str) -> str:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    result = subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", *arguments],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_charts_render_in_a_browser(built: Built, tmp_path: Path) -> None:
    index = built.report / "index.html"
    checked = built.report / "_browser_check.html"
    checked.write_text(
        index.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8"
    )
    try:
        dom = run_chromium(tmp_path, "--dump-dom", checked.as_uri())
    finally:
        checked.unlink()
    measured = re.search(r"charts=(\d+) marks=(\d+) declared=(\d+) drawn=(\d+)", dom)
    assert measured, dom[-2000:]
    charts, marks, declared, drawn = map(int, measured.groups())
    assert charts >= 4
    assert marks >= 10
    # A zero count is a mark of width 0; every mark with a width must be drawn.
    assert declared >= 10
    assert drawn == declared


def test_screenshot_of_a_report_page(built: Built, tmp_path: Path) -> None:
    (report_id,) = built.query(
        "select report_id from fct_reconciliation_results where outcome = 'fail'"
        " order by report_id limit 1"
    )[0]
    page = built.report / "reports" / f"{report_id}.html"
    shown = re.sub(r"<[^>]*>", " ", page.read_text(encoding="utf-8"))  # what the shot shows
    assert str(ROOT) not in shown and "/tmp/" not in shown, "a path of this machine"
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shot = tmp_path / "report-page.png"
    run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,1600", page.as_uri())
    width, height, pixels = _png(shot.read_bytes())
    assert (width, height) == (1280, 1600)
    assert len(set(pixels)) > 20, "the screenshot is blank"
    if os.environ.get("GONGKAI_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, SCREENSHOT)


def _png(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the (still filtered) pixel bytes of a PNG file."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    position, compressed = 8, b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        if kind == b"IDAT":
            compressed += data[position + 8 : position + 8 + length]
        position += 12 + length
    return width, height, zlib.decompress(compressed)


# Appended to a copy of a list page: types a filter, clears it, sorts by a column both
# ways, and writes what the page then showed into the DOM. The script reads the list's data
# page by page: each step waits for the count of matching rows it sets when done.
DRIVE_LIST = """<script>
(async function () {
  const wait = (ms) => new Promise((done) => setTimeout(done, ms));
  const input = document.querySelector('.filter input');
  const status = document.querySelector('.filter .matches');
  const rows = () => [...document.querySelectorAll('#%(table)s tbody tr')];
  const settled = async () => {
    for (let i = 0; i < 400 && !status.hasAttribute('data-matches'); i++) await wait(50);
  };
  const seen = {before: rows().length};
  input.value = '%(term)s';
  input.dispatchEvent(new Event('input'));
  await settled();
  seen.matches = status.getAttribute('data-matches');
  seen.filtered = rows().map((row) => [...row.cells].map((cell) => cell.textContent));
  input.value = '';
  input.dispatchEvent(new Event('input'));
  seen.cleared = rows().length;
  const column = document.querySelectorAll('#%(table)s thead th')[%(column)d];
  column.click();
  await settled();
  seen.ascending = rows().map((row) => row.cells[%(column)d].textContent);
  column.click();
  await settled();
  seen.descending = rows().map((row) => row.cells[%(column)d].textContent);
  seen.sortedClass = column.className;
  const pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = JSON.stringify(seen);
  document.body.appendChild(pre);
})();
</script>"""


def drive_list(
    listing: Path, tmp_path: Path, table: str, term: str, column: int, shown: int = 0
) -> dict:
    """What the script showed on a copy of `listing` (`shown` rows a view, if given)."""
    import html
    import json

    checked = listing.with_name("_browser_check.html")
    script = DRIVE_LIST % {"table": table, "term": term, "column": column}
    static = listing.read_text(encoding="utf-8")
    if shown:
        static = re.sub(r'data-page-size="\d+"', f'data-page-size="{shown}"', static)
    checked.write_text(static.replace("</body>", script + "</body>"), encoding="utf-8")
    try:
        dom = run_chromium(tmp_path, "--virtual-time-budget=60000", "--dump-dom", checked.as_uri())
    finally:
        checked.unlink()
    measured = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.DOTALL)
    assert measured, dom[-2000:]
    return json.loads(html.unescape(measured.group(1)))


def static_rows(listing: Path) -> list[list[str]]:
    """The cells' text of the rows a list page shows without the script."""
    import html

    page = listing.read_text(encoding="utf-8")
    if "<tbody>" not in page:
        return []
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [
            html.unescape(re.sub("<[^>]*>", "", cell))
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


def test_the_reports_list_filters_and_sorts_in_a_browser(built: Built, tmp_path: Path) -> None:
    listing = built.report / "list" / "reports-1.html"
    term = "平潭"
    rows = static_rows(listing)
    expected = [row for row in rows if any(term in cell for cell in row)]
    assert 0 < len(expected) < len(rows), "the term picks some reports, not all"
    seen = drive_list(listing, tmp_path, "reports", term, 2)
    assert seen["before"] == len(rows)
    assert int(seen["matches"]) == len(expected) and seen["filtered"] == expected
    assert seen["cleared"] == len(rows)
    years = sorted(
        year for (year,) in built.query("select report_year from dim_reports") if year is not None
    )
    known_up = [int(y) for y in seen["ascending"] if y not in ("", "–")]
    known_down = [int(y) for y in seen["descending"] if y not in ("", "–")]
    assert known_up == years and known_down == years[::-1]
    assert "sorted-desc" in seen["sortedClass"]


def test_the_filter_searches_every_page_of_a_list(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lists of one row a page: the filter on page 1 finds the matching rows of every page,
    drawn by the script as the pages print them (numbers included), in list order; the
    sort orders the whole list."""
    import publish.report_lists
    from publish.report import write_report

    monkeypatch.setattr(publish.report_lists, "LIST_PAGE_ROWS", 1)
    out = tmp_path / "report"
    write_report(built.database, out)
    for table, term, column in (("findings", "r", 6), ("reports", "20", 2)):
        pages = [out / "list" / f"{table}-{name}.html" for name in list_pages(out, table)]
        assert len(pages) >= 2, table
        every = [row for page in pages for row in static_rows(page)]
        expected = [row for row in every if any(term in cell.lower() for cell in row)]
        assert len(expected) >= 2, (table, "more matches than one page holds")
        seen = drive_list(pages[0], tmp_path, table, term, column, shown=1000)
        assert seen["before"] == 1
        assert int(seen["matches"]) == len(expected) and seen["filtered"] == expected, table
        assert seen["ascending"] == sorted((row[column] for row in every), key=_number), table


def list_pages(out: Path, name: str) -> list[str]:
    """The names of list `name`'s pages in list order, as its pages file gives them."""
    import json

    content = (out / "list" / f"{name}-pages.js").read_text(encoding="utf-8")
    return json.loads(content.removeprefix("gongkaiListPages(").removesuffix(");\n"))


def _number(shown: str) -> float:
    """A number as the page prints it (1,944; –: unknown, sorted last)."""
    return float("inf") if shown in ("", "–") else float(shown.replace(",", ""))
