"""The address a report was published at, read from what its file records, never guessed.

Real saved pages: the 平潭 pages of 2022–2024 carry the site system's `<meta name="Url">`;
the archived 平潭 2018 and 2021 texts open with a 原文链接 line; the 沭阳 page names its
address only under 来源, which names a publisher, so it has none. The browser markers
(saved-from comment, canonical link, og:url, MHTML headers) are put on a real page the way
browsers write them.
"""

from __future__ import annotations

import quopri
from pathlib import Path

import pytest

from ingest.document import parse_document
from ingest.source_url import source_url
from tests.conftest import ROOT, sample_file

REAL = ROOT / "tests" / "fixtures" / "real"
PINGTAN = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (REAL / "2022_pingtan-zone_2021template.html", f"{PINGTAN}/202302/t20230220_80629.htm"),
        (REAL / "2023_pingtan-zone_2021template.html", f"{PINGTAN}/202403/t20240308_87885.htm"),
        (REAL / "2024_pingtan-zone_2021template.html", f"{PINGTAN}/202503/t20250310_97791.htm"),
        (sample_file("2018_pingtan"), f"{PINGTAN}/201901/t20190110_80529.htm"),
        (sample_file("2021_pingtan"), f"{PINGTAN}/202202/t20220208_80613.htm"),
        # 来源：<a href="http://www.shuyang.gov.cn/…">: a 来源 field is not a marker.
        (sample_file("2023_shuyang"), None),
        (sample_file("2013_xietang"), None),
        (sample_file("2024_shanghai"), None),  # names its site in the text: not its address
        (sample_file("000_"), None),
    ],
    ids=lambda value: value.name if isinstance(value, Path) else None,
)
def test_real_documents(path: Path, expected: str | None) -> None:
    row, _ = parse_document(path.read_bytes(), path.name, "x")
    assert row["source_url"] == expected


SHUYANG_URL = "http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecfb31a335f4d689220a3a23e24a986.shtml"


def _shuyang() -> bytes:
    return sample_file("2023_shuyang").read_bytes()


def test_internet_explorers_saved_from_comment() -> None:
    data = f"<!-- saved from url=({len(SHUYANG_URL):04d}){SHUYANG_URL} -->\r\n".encode()
    row, cells = parse_document(data + _shuyang(), "saved.html", "x")
    assert row["source_url"] == SHUYANG_URL
    assert cells, "the marker changes nothing else"
    tight = f"<!-- saved from url=(0000){SHUYANG_URL}-->".encode()
    assert source_url(tight + _shuyang(), []) == SHUYANG_URL


@pytest.mark.parametrize(
    "tag",
    [
        f'<link rel="canonical" href="{SHUYANG_URL}">',
        f"<link href='{SHUYANG_URL}' rel='canonical' />",
        f'<meta property="og:url" content="{SHUYANG_URL}">',
        f'<meta content="{SHUYANG_URL}" property="og:url"/>',
    ],
)
def test_the_page_head_declares_its_address(tag: str) -> None:
    page = _shuyang().replace(b"<head>", b"<head>" + tag.encode(), 1)
    assert page != _shuyang()
    assert parse_document(page, "page.html", "x")[0]["source_url"] == SHUYANG_URL


def _mhtml(snapshot: bool) -> bytes:
    """The page saved as Chromium writes a single-file page (MHTML, quoted-printable)."""
    boundary = "----MultipartBoundary--gongkaiTest----"
    top = ["From: <Saved by Blink>"]
    if snapshot:
        top.append(f"Snapshot-Content-Location: {SHUYANG_URL}")
    top += [
        "Subject: saved page",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/related; type="text/html"; boundary="{boundary}"',
        "",
        "",
        f"--{boundary}",
        "Content-Type: text/html",
        "Content-ID: <frame-1@mhtml.blink>",
        "Content-Transfer-Encoding: quoted-printable",
        f"Content-Location: {SHUYANG_URL if not snapshot else SHUYANG_URL + '?page=1'}",
        "",
        "",
    ]
    body = quopri.encodestring(_shuyang()).replace(b"\n", b"\r\n")
    return "\r\n".join(top).encode() + body + f"\r\n--{boundary}--\r\n".encode()


def test_a_saved_mhtml_message_names_the_page() -> None:
    row, cells = parse_document(_mhtml(snapshot=True), "saved.mht", "x")
    assert row["file_format"] == "mhtml" and cells
    assert row["source_url"] == SHUYANG_URL  # the snapshot header comes first
    # Without it, the Content-Location of the page's part names the page.
    row, _ = parse_document(_mhtml(snapshot=False), "saved.mht", "x")
    assert row["source_url"] == SHUYANG_URL


def test_what_is_not_an_address_gives_none() -> None:
    head = "标题: 某县2023年度政府信息公开工作年度报告\n来源：平潭县人民政府\n相关链接：\n"
    assert source_url(head.encode(), head.splitlines()) is None
    not_http = "<!-- saved from url=(0014)about:internet -->"
    assert source_url(not_http.encode() + _shuyang(), []) is None
    # A 原文链接 far into the text is a citation, not the header of an archived copy.
    body = ["正文"] * 40 + [f"原文链接: {SHUYANG_URL}"]
    assert source_url("\n".join(body).encode(), body) is None
    # A Content-Location header in a file that is not a MIME message is page text.
    text = f"Content-Location: {SHUYANG_URL}\n正文".encode()
    assert source_url(text, ["正文"]) is None
