"""Saved web pages (.mht/.mhtml): the page's HTML part, decoded, read by the HTML reader.

A browser's "save as single file" and Word's "save as web page" write a MIME message: the
HTML is one part, with its own charset (often GB2312) and transfer encoding (quoted-printable
or base64); images and styles are other parts and carry no report content.
"""

from __future__ import annotations

import email
import email.policy
from email.message import Message

from ingest.readers import Decoded, ReadError
from ingest.readers.encoding import looks_binary
from ingest.readers.html import read_html

_MIME_MARKERS = (b"mime-version:", b"content-type:", b"from:", b"subject:", b"date:")


def read_mhtml(data: bytes, path: str) -> Decoded:
    """The HTML part as the HTML reader reads it; `encoding` is the part's declared charset.
    A file named .mht that holds plain HTML is read as HTML."""
    if not is_mime(data):
        decoded = read_html(data, path)
        decoded.file_format = "mhtml"
        return decoded
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    part = _html_part(message)
    if part is None:
        raise ReadError(f"{path}: saved web page (MHTML) without an HTML part")
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        raise ReadError(f"{path}: saved web page (MHTML) with an empty HTML part")
    charset = part.get_content_charset()
    if charset:
        try:
            # Re-encoded as UTF-8, so a <meta charset> inside cannot contradict the part's own.
            payload = payload.decode(charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            charset = None  # a wrong declaration: let the HTML reader detect the encoding
    decoded = read_html(payload, path)
    decoded.file_format = "mhtml"
    if charset:
        decoded.encoding = charset.lower()
    return decoded


def is_mime(data: bytes) -> bool:
    """True when the bytes start like a MIME message (header lines before the first blank)."""
    head = data[:1024].lstrip().lower()
    return head.startswith(_MIME_MARKERS) and b"content-type:" in data[:4096].lower()


def read_html_like(data: bytes, path: str, kind: str) -> Decoded:
    """An Office-named file that is really a web page (MHTML or HTML), or a clear ReadError."""
    if is_mime(data):
        return read_mhtml(data, path)
    if not looks_binary(data) and b"<" in data[:65536]:
        return read_html(data, path)
    raise ReadError(
        f"{path}: unknown content for a {kind} file: neither that format nor a web page "
        "(damaged or misnamed?)"
    )


def _html_part(message: Message) -> Message | None:
    for part in message.walk():
        if part.get_content_type() in ("text/html", "application/xhtml+xml"):
            return part
    return None
