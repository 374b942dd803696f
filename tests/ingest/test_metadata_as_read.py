"""Metadata as a person reads it, on the real pages and PDFs and on patterns they print."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest

from ingest.document import parse_document
from ingest.metadata import extract_metadata
from tests.conftest import FIXTURES

REAL = FIXTURES / "real"
PINGTAN = "平潭综合实验区{}年度政府信息公开工作年度报告"

# file: (title, agency, report_year, published_date), read off the documents by hand.
GOLD = {
    "2022_pingtan-zone_2021template.html": (
        PINGTAN.format(2022),
        "平潭综合实验区",
        2022,
        date(2023, 2, 20),
    ),
    "2022_pingtan-zone_2021template.chromium.pdf": (
        PINGTAN.format(2022),
        "平潭综合实验区",
        2022,
        date(2023, 2, 20),
    ),
    "2023_pingtan-zone_2021template.html": (
        PINGTAN.format(2023),
        "平潭综合实验区",
        2023,
        date(2024, 3, 8),
    ),
    "2024_pingtan-zone_2021template.html": (
        PINGTAN.format(2024),
        "平潭综合实验区",
        2024,
        date(2025, 3, 10),
    ),
    "2023_shuyang-county-development-reform-bureau_2021template.chromium.pdf": (
        "沭阳县发展和改革局2023年政府信息公开年度报告",
        "沭阳县发展和改革局",
        2023,
        date(2024, 1, 17),
    ),
}


@pytest.mark.parametrize("name", sorted(GOLD))
def test_real_documents(name: str) -> None:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    path: Path = REAL / name
    doc, _ = parse_document(path.read_bytes(), name, "test")
    got = (doc["title"], doc["agency"], doc["report_year"], doc["published_date"])
    assert got == GOLD[name]


def test_site_suffix_and_column_name_are_not_the_title() -> None:
    meta = extract_metadata(
        [
            "平潭综合实验区2022年度政府信息公开工作年度报告_政府信息公开年报_平潭综合实验区党工委管委会",
            "当前位置：首页 > 政务公开 > 政府信息公开年报",
        ]
    )
    assert meta.title == "平潭综合实验区2022年度政府信息公开工作年度报告"
    column_only = extract_metadata(["栏目：政府信息公开年报", "政府信息公开年报", "正文"])
    assert column_only.title is None


def test_agency_keeps_every_character_of_its_name() -> None:
    # A `.strip("关于 ")` turned 于都县 into 都县.
    meta = extract_metadata(["于都县2023年政府信息公开工作年度报告", "一、总体情况"])
    assert meta.agency == "于都县"
    assert extract_metadata(["关于于都县2023年政府信息公开工作年度报告"]).agency == "于都县"


def test_a_cited_document_is_neither_title_nor_agency() -> None:
    lines = [
        "根据《福建省人民政府办公厅关于编制公布2021年政府信息公开工作年度报告有关事项的通知》",
        "2021年，我局坚持以公开为常态。",
        "六、其他需要报告的事项",
        "无。",
        "某某县交通运输局",
        "2022年1月20日",
    ]
    meta = extract_metadata(lines)
    assert meta.title is None
    # No title: the signature names the body and dates the report; the opening sentence
    # gives the year.
    assert (meta.agency, meta.published_date, meta.report_year) == (
        "某某县交通运输局",
        date(2022, 1, 20),
        2021,
    )


def test_field_values_stop_at_the_next_field() -> None:
    meta = extract_metadata(["来源：某某市人民政府时间：2023-02-20 15:07", "正文"])
    assert meta.agency == "某某市人民政府"
    assert meta.published_date == date(2023, 2, 20)
