"""Document metadata of every sample report, transcribed by hand from the documents."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.document import parse_document
from tests.conftest import sample_file

# prefix: (title, agency, report_year, published_date, index_no, template, status)
EXPECTED = {
    "000_": (
        "浔阳区人民政府2019年政府信息公开工作年度报告",
        "浔阳区人民政府",
        2019,
        date(2020, 1, 21),
        "000014349/2020-805051",
        "2019",
        "parsed",
    ),
    "001_": (
        "温州市鹿城区人民政府办公室2022年政府信息公开工作年度报告",
        "温州市鹿城区人民政府办公室",
        2022,
        None,
        None,
        "2021",
        "parsed",
    ),
    "002_": (
        "中山市人民政府办公室2020年度政府信息公开工作年度报告",
        "中山市人民政府办公室",
        2020,
        date(2021, 1, 29),
        None,
        "2019",
        "parsed",
    ),
    "003_": (
        "南芬区2017年度政府信息公开工作报告",
        "南芬区人民政府",
        2017,
        date(2018, 3, 9),
        None,
        "pre2019",
        "no_standard_tables",
    ),
    "004_": (
        "连云区人民政府2024年政府信息公开工作年度报告",
        "连云区人民政府办公室",
        2024,
        date(2025, 2, 20),
        "14258248/2025-00020",
        "2021",
        "parsed",
    ),
    "2013_": (
        "2013年度谢塘镇政府信息公开工作年度报告",
        "谢塘镇",
        2013,
        date(2015, 7, 27),
        "/2015-34352",
        "pre2019",
        "no_standard_tables",
    ),
    "2018_": (
        "平潭综合实验区2018年度政府信息公开工作年度报告",
        "平潭综合实验区",
        2018,
        date(2019, 1, 10),
        None,
        "pre2019",
        "parsed",  # its pre-2019 statistics table (test_figures.py)
    ),
    "2021_": (
        "平潭综合实验区2021年度政府信息公开工作年度报告",
        "平潭综合实验区",
        2021,
        date(2022, 2, 8),
        None,
        "2021",
        "partial",
    ),
    "2023_": (
        "沭阳县发展和改革局2023年政府信息公开年度报告",
        "沭阳县发展和改革局",
        2023,
        date(2024, 1, 17),
        "014314799/2024-00002",
        "2021",
        "parsed",
    ),
    "2024_": (
        "2024年上海市科委政府信息公开工作年度报告",
        "上海市科委",
        2024,
        None,
        None,
        "2021",
        "parsed",
    ),
    "2025_": (
        "沐阳县人民政府2025年政府信息公开工作年度报告",
        "沐阳县人民政府",
        2025,
        date(2026, 1, 23),
        None,
        "2021",
        "parsed",
    ),
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_metadata(prefix: str) -> None:
    path = sample_file(prefix)
    doc, _ = parse_document(path.read_bytes(), path.name, "test")
    found = tuple(
        doc[k]
        for k in (
            "title",
            "agency",
            "report_year",
            "published_date",
            "index_no",
            "template",
            "status",
        )
    )
    assert found == EXPECTED[prefix]


def test_no_standard_tables_reports_say_so() -> None:
    path = sample_file("003_")
    doc, cells = parse_document(path.read_bytes(), path.name, "test")
    assert "no standard tables" in doc["error"]
    # Only what its text says, in words: no application, review or lawsuit (test_figures.py).
    assert {c["table_code"] for c in cells} == {"narrative"}
    assert all(c["value"] is None and c["value_kind"] == "text" for c in cells)
