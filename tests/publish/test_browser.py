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


# Appended to a copy of the reports list: types a filter, clears it, sorts by year both ways,
# and writes what the page then showed into the DOM.
DRIVE_LIST = """<script>
(async function () {
  const wait = (ms) => new Promise((done) => setTimeout(done, ms));
  const input = document.querySelector('.filter input');
  const status = document.querySelector('.filter .matches');
  const rows = () => [...document.querySelectorAll('#reports tbody tr')];
  const seen = {before: rows().length};
  input.value = '%s';
  input.dispatchEvent(new Event('input'));
  for (let i = 0; i < 200 && !status.hasAttribute('data-matches'); i++) await wait(50);
  seen.matches = status.getAttribute('data-matches');
  seen.filtered = rows().map((row) => row.textContent);
  input.value = '';
  input.dispatchEvent(new Event('input'));
  seen.cleared = rows().length;
  const year = document.querySelectorAll('#reports thead th')[2];
  year.click();
  await wait(50);
  seen.ascending = rows().map((row) => row.cells[2].textContent);
  year.click();
  await wait(50);
  seen.descending = rows().map((row) => row.cells[2].textContent);
  seen.sortedClass = year.className;
  const pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = JSON.stringify(seen);
  document.body.appendChild(pre);
})();
</script>"""


def test_the_reports_list_filters_and_sorts_in_a_browser(built: Built, tmp_path: Path) -> None:
    import html
    import json

    listing = built.report / "list" / "reports-1.html"
    static = listing.read_text(encoding="utf-8")
    term = "平潭"
    static_rows = re.findall(r"<tr>(.*?)</tr>", static.split("<tbody>", 1)[1])
    expected = [row for row in static_rows if term in html.unescape(re.sub("<[^>]*>", "", row))]
    assert 0 < len(expected) < len(static_rows), "the term picks some reports, not all"
    checked = listing.with_name("_browser_check.html")
    checked.write_text(static.replace("</body>", DRIVE_LIST % term + "</body>"), encoding="utf-8")
    try:
        dom = run_chromium(tmp_path, "--virtual-time-budget=20000", "--dump-dom", checked.as_uri())
    finally:
        checked.unlink()
    measured = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.DOTALL)
    assert measured, dom[-2000:]
    seen = json.loads(html.unescape(measured.group(1)))
    assert seen["before"] == len(static_rows)
    # The filter searched the whole list (the data file), not only this page's rows.
    assert int(seen["matches"]) == len(expected) == len(seen["filtered"])
    assert all(term in row for row in seen["filtered"])
    assert seen["cleared"] == len(static_rows)
    years = sorted(
        year for (year,) in built.query("select report_year from dim_reports") if year is not None
    )
    known_up = [int(y) for y in seen["ascending"] if y not in ("", "–")]
    known_down = [int(y) for y in seen["descending"] if y not in ("", "–")]
    assert known_up == years and known_down == years[::-1]
    assert "sorted-desc" in seen["sortedClass"]
