"""Published formats that cannot be read, and the odd ways they come: one clear error row each,
and the batch goes on. Also: legacy .doc/.xls through LibreOffice, MHTML and HTML variants."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ingest.lake.pipeline import run
from ingest.readers.convert import soffice_path
from ingest.readers.pdf_text import Line, drop_page_furniture, lines_from_words
from tests.ingest.readers.test_formats import FORMATS, REFERENCES, golden, parse, placed

SHUYANG_HTML = (FORMATS / "shuyang.html").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _no_ocr_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """These errors do not depend on what is installed: read a scan as if no OCR engine were
    (tests/ingest/readers/test_ocr.py reads scans with one)."""
    from ingest.readers import ocr

    monkeypatch.setattr(ocr, "engine_available", lambda: False)


def _half(name: str) -> bytes:
    data = (FORMATS / name).read_bytes()
    return data[: len(data) // 2]


BAD = {
    "scanned.pdf": (
        (FORMATS / "scanned.pdf").read_bytes(),
        "no text layer; install Debian's tesseract-ocr",
    ),
    "encrypted.pdf": ((FORMATS / "encrypted.pdf").read_bytes(), "encrypted PDF"),
    "truncated.pdf": (_half("shuyang.pdf"), "damaged"),
    "not_a.pdf": (b"<html>moved</html>" * 50, "damaged or not a PDF"),
    "truncated.docx": (_half("rendered.docx"), "not a valid ZIP"),
    "truncated.xlsx": (_half("rendered.xlsx"), "not a valid ZIP"),
    "workbook.docx": ((FORMATS / "rendered.xlsx").read_bytes(), "damaged Word .docx"),
    "garbage.doc": (bytes(range(256)) * 8, "unknown content for a .doc file"),
    "mime_without_html.mht": (
        b"MIME-Version: 1.0\nContent-Type: text/plain\n\nhi",
        "without an HTML part",
    ),
    "empty.pdf": (b"", "empty file (0 bytes)"),
    "empty.docx": (b"", "empty file (0 bytes)"),
    "empty.xlsx": (b"", "empty file (0 bytes)"),
    "empty.mht": (b"", "empty file (0 bytes)"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_unreadable_file_is_one_error_row_saying_why(name: str, tmp_path: Path) -> None:
    data, reason = BAD[name]
    (tmp_path / name).write_bytes(data)
    doc, cells = parse(tmp_path / name)
    assert (doc["status"], cells) == ("error", [])
    assert doc["error"].startswith(f"{name}: ") and reason in doc["error"], doc["error"]


def test_pdf_with_only_a_permissions_password_is_read() -> None:
    doc, _ = parse(FORMATS / "restricted.pdf")
    assert doc["status"] == "no_standard_tables"
    assert doc["title"] == "某某局2024年政府信息公开工作年度报告"


def test_batch_of_every_format_and_every_failure_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The default suite does not depend on what else is installed: LibreOffice (whole, or
    # Calc without Writer) is left out here; the soffice-marked tests convert with it.
    monkeypatch.setattr("ingest.readers.convert.shutil.which", lambda _: None)
    folder = tmp_path / "in"
    folder.mkdir()
    fixtures = [path for path in FORMATS.iterdir() if path.suffix != ".py"]
    for path in fixtures:
        shutil.copy(path, folder / path.name)
    present = {path.read_bytes() for path in fixtures}
    for name, (data, _) in BAD.items():
        if data not in present:  # the same bytes twice would be a duplicate, not an error
            (folder / f"bad_{name}").write_bytes(data)
            present.add(data)
    summary = run([str(folder)], tmp_path / "lake", workers=2, progress=False)
    docs = {Path(d["source_path"]).name: d for d in pq.read_table(tmp_path / "lake/documents")
            .to_pylist()}  # fmt: skip
    assert set(docs) == {p.name for p in folder.iterdir()}
    for name, doc in docs.items():
        if name.startswith(("bad_", "scanned", "encrypted")) or name.endswith((".doc", ".xls")):
            assert doc["status"] == "error" and doc["error"], name
        elif name.startswith("restricted"):
            assert doc["status"] == "no_standard_tables"
        else:
            assert doc["status"] == "parsed", (name, doc["error"])
    assert summary.failed


@pytest.mark.soffice
@pytest.mark.parametrize("name", ["shuyang.doc", "shuyang.xls"])
def test_legacy_office_file_is_converted_with_libreoffice(name: str) -> None:
    assert soffice_path(), "LibreOffice is not installed: apt-get install libreoffice-writer-nogui"
    doc, cells = parse(FORMATS / name)
    assert doc["status"] == "parsed", doc["error"]
    assert doc["file_format"] == name.rsplit(".", 1)[1]
    assert placed(cells) == golden(REFERENCES["shuyang"][1], doc["template"])


@pytest.mark.parametrize("name", ["shuyang.doc", "shuyang.xls"])
def test_legacy_office_file_without_libreoffice_says_what_is_missing(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ingest.readers.convert.shutil.which", lambda _: None)
    doc, _ = parse(FORMATS / name)
    assert doc["status"] == "error"
    assert "LibreOffice" in doc["error"] and "soffice" in doc["error"], doc["error"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("web_page.doc", SHUYANG_HTML.encode("utf-8")),  # Word "save as web page", named .doc
        ("export.xls", SHUYANG_HTML.encode("gb18030")),  # an HTML table "exported to Excel"
        ("single_file.doc", (FORMATS / "shuyang.mht").read_bytes()),
        ("really_docx.doc", (FORMATS / "shuyang.docx").read_bytes()),
        ("really_xlsx.xls", (FORMATS / "shuyang.xlsx").read_bytes()),
        ("plain_html.mht", SHUYANG_HTML.encode("utf-8")),
    ],
)
def test_misnamed_office_files_are_read_by_their_content(
    name: str, data: bytes, tmp_path: Path
) -> None:
    (tmp_path / name).write_bytes(data)
    doc, cells = parse(tmp_path / name)
    assert doc["status"] == "parsed", doc["error"]
    assert placed(cells) == golden(REFERENCES["shuyang"][1], doc["template"])


def test_mhtml_base64_part_with_its_charset(tmp_path: Path) -> None:
    body = base64.encodebytes(SHUYANG_HTML.encode("gb18030")).decode("ascii")
    message = (
        "From: <Saved by Blink>\nMIME-Version: 1.0\n"
        'Content-Type: multipart/related; type="text/html"; boundary="----B"\n\n'
        "------B\nContent-Type: text/css\nContent-Transfer-Encoding: quoted-printable\n\n"
        "p { margin: 0 }\n"
        '------B\nContent-Type: text/html; charset="GBK"\nContent-Transfer-Encoding: base64\n\n'
        f"{body}\n------B--\n"
    )
    (tmp_path / "page.mhtml").write_text(message, encoding="ascii")
    doc, cells = parse(tmp_path / "page.mhtml")
    assert (doc["status"], doc["encoding"], doc["file_format"]) == ("parsed", "gbk", "mhtml")
    assert placed(cells) == golden(REFERENCES["shuyang"][1], doc["template"])


def test_gbk_htm_report_with_charset_meta(tmp_path: Path) -> None:
    html = SHUYANG_HTML.replace("charset='utf-8'", "charset='gb2312'")
    (tmp_path / "report.htm").write_bytes(html.encode("gb18030"))
    doc, cells = parse(tmp_path / "report.htm")
    assert (doc["status"], doc["encoding"]) == ("parsed", "gb18030")
    assert doc["title"] == "沭阳县发展和改革局2023年政府信息公开年度报告"
    assert placed(cells) == golden(REFERENCES["shuyang"][1], doc["template"])


def test_data_tables_nested_inside_layout_tables(tmp_path: Path) -> None:
    html = (FORMATS / "rendered.html").read_text(encoding="utf-8")
    start, end = html.index("<body>") + 6, html.index("</body>")
    nav = "<td><ul><li><a href='/'>首页</a></li></ul><table><tr><td>2</td></tr></table></td>"
    page = f"{html[:start]}<table><tr>{nav}<td>{html[start:end]}</td></tr></table>{html[end:]}"
    (tmp_path / "nested.html").write_text(page, encoding="utf-8")
    doc, cells = parse(tmp_path / "nested.html")
    assert doc["status"] == "parsed", doc["error"]
    assert placed(cells) == placed(parse(FORMATS / "rendered.html")[1])


def test_pdf_words_make_lines_and_wide_gaps_make_cells() -> None:
    def word(text: str, x0: float, x1: float, top: float) -> dict:
        return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + 10, "size": 10}

    lines = lines_from_words(
        [word("行政许可", 50, 90, 100), word("2024", 93, 113, 101), word("年", 116, 126, 100),
         word("18858", 300, 325, 100.5), word("规章", 50, 70, 120)]
    )  # fmt: skip
    assert [line.cells for line in lines] == [["行政许可2024年", "18858"], ["规章"]]


def test_page_numbers_and_running_headers_are_dropped_only_in_the_margins() -> None:
    def line(text: str, top: float, number: int) -> Line:
        return Line([text], top, top + 10, 50, 100, 10, number)

    page = [line("某某局政府信息公开", 10, 1), line("3", 400, 2), line("正文", 420, 3)]
    pages = [page + [line("- 1 -", 820, 4)], page + [line("第2页 共2页", 820, 4)]]
    kept = drop_page_furniture(pages, [842.0, 842.0])
    assert [[x.text for x in lines] for lines in kept] == [["3", "正文"], ["3", "正文"]]
