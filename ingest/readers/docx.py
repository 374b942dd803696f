"""Word documents: body paragraphs and tables in document order.

A table's grid comes from Word's own merge marks: a cell spanning columns (gridSpan) appears
once, at its first grid column; a cell merged down (vMerge) appears once, in its first row.
Tables that hold other tables are page layout: their cells are read as body content, as the
HTML reader does. Headers and footers (page numbers) are not part of the body and not read.

Locators: `T1R5C2` = table 1, row 5, grid column 2 (rows and columns from 0, as in HTML);
`P7` = the 7th non-empty body paragraph. Legacy `.doc` files are converted to .docx first.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml.etree import _Element

from ingest.readers import Decoded, ReadError, SourceRow
from ingest.readers.cjk import join_cjk
from ingest.readers.convert import OLE_MAGIC, ZIP_MAGIC, convert
from ingest.readers.mhtml import read_html_like
from ingest.readers.packages import check_package

_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (
    qn(tag) for tag in ("w:p", "w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent")
)


def read_docx(data: bytes, path: str) -> Decoded:
    """Rows of the document body in order; ReadError when the file is no readable .docx."""
    check_package(data, path, "Word .docx")
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError) as error:
        raise ReadError(
            f"{path}: damaged or not a Word .docx file (not a valid ZIP package: {error})"
        ) from None
    except Exception as error:  # broken XML inside a valid ZIP
        raise ReadError(
            f"{path}: damaged Word .docx file ({type(error).__name__}: {error})"
        ) from None
    walker = _Walker()
    walker.walk(document.element.body)
    return Decoded(rows=walker.rows, lines=walker.lines, encoding="binary", file_format="docx")


def read_doc(data: bytes, path: str) -> Decoded:
    """Legacy Word: converted with LibreOffice. Files named .doc that are really .docx, HTML or
    MHTML (Word's "save as web page") go to those readers instead."""
    if data.startswith(ZIP_MAGIC):
        return read_docx(data, path)
    if not data.startswith(OLE_MAGIC) and not data.lstrip().startswith(b"{\\rtf"):
        return read_html_like(data, path, ".doc")
    decoded = read_docx(convert(data, path, ".doc", "docx", "Word"), path)
    decoded.file_format = "doc"
    return decoded


class _Walker:
    def __init__(self) -> None:
        self.rows: list[SourceRow] = []
        self.lines: list[str] = []
        self.paragraphs = 0
        self.tables = 0

    def walk(self, container: _Element) -> None:
        for element in _blocks(container):
            if element.tag == _P:
                self._paragraph(element)
            elif any(True for _ in element.iter(_TBL) if _ is not element):
                # A table holding tables lays out the page: read its cells as body content.
                for tc in element.iter(_TC):
                    if tc.getparent() is not None and tc.getparent().getparent() is element:
                        self.walk(tc)
            else:
                self._grid(element)

    def _paragraph(self, p: _Element) -> None:
        text = " ".join(Paragraph(p, None).text.split())
        if text:
            self.paragraphs += 1
            self.lines.append(text)
            self.rows.append(SourceRow((text,), (f"P{self.paragraphs}",), explicit=False))

    def _grid(self, table: _Element) -> None:
        self.tables += 1
        for row_index, tr in enumerate(table.iter(_TR)):
            cells: list[str] = []
            locators: list[str] = []
            for tc in tr.iter(_TC):
                if tc.vMerge is not None and tc.vMerge != "restart":
                    continue  # covered by the cell above it
                # Lines wrapped by hand (<w:br/>, one paragraph per line) make one label.
                words = [word for p in tc.iter(_P) for word in Paragraph(p, None).text.split()]
                cells.append(join_cjk(words))
                locators.append(f"T{self.tables}R{row_index}C{tc.grid_offset}")
            if cells:
                self.rows.append(SourceRow(tuple(cells), tuple(locators), explicit=True))
                self.lines.append(" | ".join(cells))


def _blocks(container: _Element) -> Iterator[_Element]:
    """Paragraphs and tables directly in `container`, looking through content controls."""
    for child in container.iterchildren():
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)
