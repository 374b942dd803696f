"""The address a document was published at, as the document itself records it.

A saved or archived page often carries its own URL: a saved MHTML message names the page in
its headers, Internet Explorer writes `<!-- saved from url=… -->`, a page declares
`<link rel="canonical">` or `og:url`, government site systems print `<meta name="Url">`,
and an archived copy opens with a 原文链接 line. The markers and their order are data
(seeds/source_url_markers.csv). Only an http(s) address counts; a 来源 line names a
publisher and is never read as one. No marker: None, never a guess from the file name.
"""

from __future__ import annotations

import quopri
import re
from functools import cache
from html import unescape

from gongkai.seeds import read_seed

# Markers sit in a page's head or a message's headers: the first bytes are enough.
HEAD_BYTES = 262_144
ARCHIVE_HEAD_LINES = 15
_URL = r"(https?://[^\s\"'<>]+)"
_MIME_MARKERS = (b"mime-version:", b"content-type:", b"from:", b"subject:", b"date:")


def _attribute(name: str, value: str) -> str:
    """`name="value"` with either quote or none, spaces allowed around `=`."""
    return rf"""{name}\s*=\s*["']?{re.escape(value)}["'\s/>]"""


def _tag_patterns(kind: str, name: str) -> list[re.Pattern[str]]:
    """Patterns whose group 1 is the address a marker of `kind` gives (either attribute order)."""
    if kind == "mime_header":
        # A long header may be folded onto the next line (RFC 5322).
        header = rf"^{re.escape(name)}:[ \t]*(?:\r?\n[ \t]+)?{_URL}"
        return [re.compile(header, re.IGNORECASE | re.MULTILINE)]
    if kind == "saved_from_comment":
        return [re.compile(rf"<!--\s*{re.escape(name)}=(?:\(\d+\))?{_URL}", re.IGNORECASE)]
    attribute, target = {
        "link_rel": ("rel", "href"),
        "meta_property": ("property", "content"),
        "meta_name": ("name", "content"),
    }[kind]
    tag = "link" if kind == "link_rel" else "meta"
    named = _attribute(attribute, name)
    value = rf"""{target}\s*=\s*["']?{_URL}"""
    return [
        re.compile(rf"<{tag}\b[^>]*?{named}[^>]*?{value}", re.IGNORECASE),
        re.compile(rf"<{tag}\b[^>]*?{value}[^>]*?{named}", re.IGNORECASE),
    ]


@cache
def _markers() -> tuple[tuple[str, str, tuple[re.Pattern[str], ...]], ...]:
    """(kind, name, patterns) per marker, in the seed's order."""
    rows = sorted(read_seed("source_url_markers.csv"), key=lambda row: int(row["marker_order"]))
    markers = []
    for row in rows:
        kind, name = row["marker_kind"], row["marker_name"]
        if kind == "archive_field":
            # The label, a colon, the address: page-layout spaces allowed inside the label.
            label = r"\s*".join(map(re.escape, name))
            patterns = (re.compile(rf"^\s*{label}\s*[:：]\s*{_URL}", re.MULTILINE),)
        else:
            patterns = tuple(_tag_patterns(kind, name))
        markers.append((kind, name, patterns))
    return tuple(markers)


def source_url(data: bytes, lines: list[str]) -> str | None:
    """The first address a marker of the document gives, in the seed's order; else None.

    `data` is the file as read (markup and headers are ASCII in every encoding these pages
    use); `lines` is its decoded text, whose head holds an archive's 原文链接 line.
    """
    head = data[:HEAD_BYTES]
    is_mime = head[:1024].lstrip().lower().startswith(_MIME_MARKERS)
    raw = head.decode("latin-1")
    # The HTML part of a saved MHTML page is usually quoted-printable (`rel=3D"canonical"`).
    markup = quopri.decodestring(head).decode("latin-1") if is_mime else raw
    text_head = "\n".join(lines[:ARCHIVE_HEAD_LINES])
    for kind, _name, patterns in _markers():
        if kind == "mime_header" and not is_mime:
            continue
        haystack = {"mime_header": raw, "archive_field": text_head}.get(kind, markup)
        if "://" not in haystack:
            continue  # every marker's pattern ends in an http(s):// address
        for pattern in patterns:
            match = pattern.search(haystack)
            if match:
                return _clean(match.group(1), kind)
    return None


def _clean(url: str, kind: str) -> str:
    """The address as written: entities decoded (`&amp;`), trailing punctuation dropped."""
    if kind == "saved_from_comment":
        url = url.removesuffix("--")  # "…/page.htm-->" with no space before the comment's end
    return unescape(url).rstrip(".,;)）。")
