"""The XLSX export as LibreOffice Calc reads it (marker `soffice`: needs LibreOffice)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from conftest import Built

from publish.export import export_warehouse

pytestmark = pytest.mark.soffice


def _convert(source: Path, target: str, out: Path) -> Path:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is not installed"
    profile = out / "profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    converted = out / f"{source.stem}.{target.split(':')[0]}"
    assert converted.is_file(), f"LibreOffice wrote no {converted.name}"
    return converted


def test_calc_opens_the_workbook_with_chinese_headers_and_autofilters(
    built: Built, tmp_path: Path
) -> None:
    export_warehouse(built.database, tmp_path / "export")
    workbook = tmp_path / "export" / "gongkai.xlsx"
    # Calc re-saves the workbook in its own format: what it read is what it writes.
    ods = _convert(workbook, "ods", tmp_path)
    content = zipfile.ZipFile(ods).read("content.xml").decode()
    sheets = re.findall(r'<table:table table:name="([^"]+)"', content)
    assert sheets[:3] == ["rpt_reports", "dim_reports", "fct_applications"]
    assert "table3 表三" in sheets
    filters = re.findall(r"<table:database-range [^>]*>", content)
    ranged = {
        re.search(r'table:target-range-address="([^"]+)"', f).group(1)
        for f in filters
        if 'table:display-filter-buttons="true"' in f
    }
    # one autofilter per data sheet, on the row of column codes (row 2)
    assert any(address.startswith("rpt_reports.A2:") for address in ranged)
    assert any(address.startswith("fct_applications.A2:") for address in ranged)
    for header in ("报告编号", "发布机关", "报告年度", "予以公开"):
        assert f">{header}<" in content, header
    # and renders it: the printed pages of the first sheet carry the Chinese headers
    pdf = _convert(workbook, "pdf", tmp_path)
    with pdfplumber.open(pdf) as document:
        first_page = document.pages[0].extract_text() or ""
    assert "报告编号" in first_page and "report_id" in first_page
