"""Datasette over the SQLite copy of the marts, opened in a real browser.

Marker `datasette`: needs the `datasette` dependency group and Debian's chromium
(`uv run --group datasette pytest -m datasette`, as .ci/run does).
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import Built
from test_browser import run_chromium

from publish.sqlite import METADATA_FILE, export_sqlite

pytestmark = pytest.mark.datasette

PINGTAN_2021 = "2021_pingtan-zone_2021template_concatenated.txt"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("datasette")
    database = export_sqlite(built.database, out)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "datasette",
            "serve",
            "--immutable",
            str(database),
            "--metadata",
            str(out / METADATA_FILE),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=2).read()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_sqlite_copy_carries_every_mart_with_descriptions(built: Built, tmp_path: Path) -> None:
    database = export_sqlite(built.database, tmp_path)
    metadata = json.loads((tmp_path / METADATA_FILE).read_text(encoding="utf-8"))
    tables = metadata["databases"]["gongkai"]["tables"]
    with sqlite3.connect(database) as sqlite:
        for name, entry in tables.items():
            (count,) = sqlite.execute(f'select count(*) from "{name}"').fetchone()
            assert count == built.query(f"select count(*) from main.{name}")[0][0], name
            columns = [row[1] for row in sqlite.execute(f'pragma table_info("{name}")')]
            assert sorted(entry["columns"]) == sorted(columns), name
            assert all(entry["columns"].values()), f"{name}: a column has no description"
        keys = {row[1] for row in sqlite.execute('pragma table_info("rpt_reports")') if row[5]}
        assert keys == {"report_id"}
    assert tables["rpt_reports"]["columns"]["report_id"].startswith("报告编号 — ")
    assert tables["rpt_reports"]["facets"] == [
        "report_year",
        "province_name",
        "agency_level",
        "template",
        "status",
    ]
    assert tables["fct_reconciliation_results"]["facets"][:2] == ["rule_id", "outcome"]


def test_a_browser_opens_a_faceted_view_and_a_report_page(
    built: Built, served: str, tmp_path: Path
) -> None:
    faceted = run_chromium(
        tmp_path,
        "--dump-dom",
        f"{served}/gongkai/rpt_reports?_facet=report_year&_facet=province_name",
    )
    assert 'id="facet-report_year"' in faceted and 'id="facet-province_name"' in faceted
    assert "11 rows" in faceted
    assert "福建省" in faceted  # a province facet value (平潭)
    (report_id,) = built.query(
        "select report_id from dim_reports where source_path like '%' || ?", [PINGTAN_2021]
    )[0]
    page = run_chromium(tmp_path, "--dump-dom", f"{served}/gongkai/rpt_reports/{report_id}")
    assert report_id in page and "平潭综合实验区" in page
    assert "printed_not_placed" in page
    searched = run_chromium(
        tmp_path, "--dump-dom", f"{served}/gongkai/rpt_reports?_search={quote('平潭综合')}"
    )
    assert "2 rows where search matches" in searched
    (finding_id,) = built.query(
        "select finding_id from fct_reconciliation_results where report_id = ?"
        " and outcome = 'fail' limit 1",
        [report_id],
    )[0]
    finding = run_chromium(
        tmp_path, "--dump-dom", f"{served}/gongkai/fct_reconciliation_results/{finding_id}"
    )
    assert finding_id in finding and "template_complete" in finding
