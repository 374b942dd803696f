"""Bytes -> str with a detected encoding; never a silent mis-decode."""

from __future__ import annotations

import re

from ingest.readers import ReadError

_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "gb_2312-80"}
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
# Characters a wrong decoding tends to produce: private use, replacement, rare CJK ext.
# Bytes that are no control character in text: printable, tab, newlines, form feed, escape.
_NOT_CONTROL = bytes([*range(32, 256), 9, 10, 12, 13, 27])
_SUSPECT_RE = re.compile(r"[\ue000-\uf8ff\ufffd\u3400-\u4dbf]")


def looks_binary(data: bytes) -> bool:
    """True for content that is no text document: NUL bytes or many control bytes."""
    head = data[:4096]
    if b"\x00" in head:
        return True
    controls = len(head.translate(None, _NOT_CONTROL))
    return controls > len(head) // 20


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Return (text, encoding). Raises ReadError naming the file when no encoding fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", path), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", path), "utf-16"
    if looks_binary(data):
        raise ReadError(f"{path}: binary content, not a text or HTML report")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        declared = _CHARSET_RE.search(data[:4096])
        candidates = ["gb18030"]
        if declared and declared.group(1).decode("ascii").lower() not in _GB_FAMILY:
            candidates.insert(0, declared.group(1).decode("ascii").lower())
        for encoding in candidates:
            try:
                text = data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
            if _plausible_chinese(text):
                return text, encoding
        raise ReadError(
            f"{path}: not valid UTF-8 (byte {utf8_error.start}) and no GB18030/GBK reading "
            "gives plausible Chinese text; re-save the file as UTF-8"
        ) from None


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ReadError(f"{path}: declared {encoding} but byte {error.start} is invalid") from None


def _plausible_chinese(text: str) -> bool:
    cjk = len(_CJK_RE.findall(text))
    suspect = len(_SUSPECT_RE.findall(text))
    return cjk > 0 and suspect * 50 < cjk
