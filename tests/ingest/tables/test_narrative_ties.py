"""The report's own narrative breaks ties of run-together splits that no identity decides.

The documents are 平潭's saved pages on 2022-2024 rendered as page text with every table
cell run together (tests/fixtures/rendered/make_rendered.py), as the 2021 page came: table 二's
行政规范性文件 triple (本年制发 | 本年废止 | 现行有效) becomes one digit string with no identity
over it. The text quotes some of the same figures ("动态更新本年度制发的规范性文件88件").
"""

from __future__ import annotations

import json
from pathlib import Path

from ingest.document import parse_document
from tests.conftest import FIXTURES, SAMPLE

RENDERED = FIXTURES / "rendered"


def _parse(path: Path, text: str | None = None) -> tuple[dict, list[dict]]:
    data = path.read_bytes() if text is None else text.encode("utf-8")
    return parse_document(data, path.name, "test")


def _row(cells: list[dict], row: str = "normative_documents") -> list[dict]:
    return [c for c in cells if c["table_code"] == "proactive" and c["row_code"] == row]


def test_two_quoted_figures_fix_the_whole_triple() -> None:
    # 8855698 splits 15 ways; 现行有效…698件 and 本年度制发…88件 leave 88 | 55 | 698.
    doc, cells = _parse(RENDERED / "2022_pingtan-zone_2021template.run-together.txt")
    row = _row(cells)
    assert [(c["col_code"], c["raw_text"], c["status"]) for c in row] == [
        ("issued", "88", "inferred"),
        ("repealed", "55", "inferred"),
        ("in_force", "698", "inferred"),
    ]
    note = row[0]["note"]
    assert "the text's 88件 for normative_documents.issued" in note
    assert "the text's 698件 for normative_documents.in_force" in note
    assert note.endswith("split fixed")
    assert doc["status"] == "parsed"


def test_a_quote_settles_its_cell_and_the_rest_stays_ambiguous() -> None:
    # 2024: only 本年度制发行政规范性文件62件 is quoted: 62 is fixed, 33440 keeps 4 splits.
    _, cells = _parse(RENDERED / "2024_pingtan-zone_2021template_run-together.txt")
    row = _row(cells)
    assert [(c["col_code"], c["raw_text"], c["status"]) for c in row] == [
        ("issued", "62", "inferred"),
        (None, "33440", "ambiguous"),
    ]
    candidates = json.loads(row[1]["candidates"])
    assert len(candidates) == 4
    assert all(c["normative_documents.issued"] == "62" for c in candidates)
    # The split the page prints is among them (62 | 33 | 440).
    assert {
        "normative_documents.issued": "62",
        "normative_documents.repealed": "33",
        "normative_documents.in_force": "440",
    } in candidates


def test_a_quote_that_fits_no_split_decides_nothing() -> None:
    # 2023 quotes 现行有效…393件 where the table prints 470: no split of 77132470 holds 393,
    # so that quote decides nothing (the note says so); 制发…77件 still fixes its cell.
    _, cells = _parse(RENDERED / "2023_pingtan-zone_2021template_run-together.txt")
    row = _row(cells)
    assert [(c["col_code"], c["raw_text"], c["status"]) for c in row] == [
        ("issued", "77", "inferred"),
        (None, "132470", "ambiguous"),
    ]
    assert "393件 for normative_documents.in_force" in row[1]["note"]
    assert "fits no split" in row[1]["note"]
    assert all("393" not in part for c in json.loads(row[1]["candidates"]) for part in c.values())


def test_an_aggregate_figure_breaks_no_tie() -> None:
    # The same sentence about 全区各单位 counts more than the body's table: not its figure.
    path = RENDERED / "2022_pingtan-zone_2021template.run-together.txt"
    text = path.read_text(encoding="utf-8")
    sentence = (
        "设立规范性文件库，集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件"
    )
    assert sentence in text
    text = text.replace(sentence, "全区各单位" + sentence.replace("，", ""))
    _, cells = _parse(path, text)
    figures = [c for c in cells if c["table_code"] == "narrative"]
    assert {c["scope"] for c in figures if c["row_code"] == "normative_documents"} == {"全区"}
    row = _row(cells)
    assert [(c["raw_text"], c["status"]) for c in row] == [("8855698", "ambiguous")]
    assert len(json.loads(row[0]["candidates"])) == 15


def test_without_a_quote_the_2021_triple_stays_ambiguous() -> None:
    # 平潭 2021's text quotes no 规范性文件 figure: 693665 keeps its ten splits.
    _, cells = _parse(SAMPLE / "2021_pingtan-zone_2021template_concatenated.txt")
    row = _row(cells)
    assert [(c["raw_text"], c["status"]) for c in row] == [("693665", "ambiguous")]
    assert len(json.loads(row[0]["candidates"])) == 10
