"""Choose the reader for a document: by file suffix, then by sniffing the bytes."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ingest.readers import Decoded, ReadError
from ingest.readers.docx import read_doc, read_docx
from ingest.readers.html import read_html
from ingest.readers.mhtml import read_mhtml
from ingest.readers.pdf import read_pdf
from ingest.readers.text import read_text
from ingest.readers.xlsx import read_xls, read_xlsx

HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ""})
FORMAT_READERS = {
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".doc": read_doc,
    ".xlsx": read_xlsx,
    ".xls": read_xls,
    ".mhtml": read_mhtml,
    ".mht": read_mhtml,
}
LATER_SUFFIXES = {".wps": "WPS"}
# Files below an ingested folder are read only with these names; plain-text names (and no
# extension) are sniffed first, so a README in English or a licence file is skipped.
REPORT_SUFFIXES = frozenset(
    {*HTML_SUFFIXES, *TEXT_SUFFIXES, *FORMAT_READERS, *LATER_SUFFIXES} - {""}
)
SNIFFED_SUFFIXES = frozenset(TEXT_SUFFIXES)


def read_document(
    data: bytes, source_path: str, text_start: re.Pattern[str] | None = None
) -> Decoded:
    """Decode one document's bytes with the reader its suffix (or content) calls for.

    `text_start` marks where tables may begin in plain text: text readers keep rows from
    there on. Raises ReadError, naming the file, when no reader can read it.
    """
    suffix = PurePosixPath(source_path).suffix.lower()
    if suffix in FORMAT_READERS:
        return FORMAT_READERS[suffix](data, source_path)
    if suffix in LATER_SUFFIXES:
        raise ReadError(
            f"{source_path}: {LATER_SUFFIXES[suffix]} files are not read yet; "
            "save the report as HTML or text"
        )
    if suffix not in HTML_SUFFIXES and data.startswith(b"%PDF-"):
        return read_pdf(data, source_path)
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and sniff_html(data)):
        return read_html(data, source_path)
    if suffix in TEXT_SUFFIXES and sniff_html(data):
        return read_html(data, source_path)
    file_format = "markdown" if suffix in (".md", ".markdown") else "text"
    return read_text(data, source_path, file_format, start=text_start)


def sniff_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<table" in data[:65536].lower()
