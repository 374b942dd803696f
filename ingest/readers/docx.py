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
import posixpath
import zipfile
from collections.abc import Callable, Iterator

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree
from lxml.etree import _Element

from ingest.readers import Decoded, ReadError, SourceRow
from ingest.readers.cjk import join_cjk
from ingest.readers.convert import OLE_MAGIC, ZIP_MAGIC, convert
from ingest.readers.mhtml import read_html_like
from ingest.readers.packages import check_package

# python-docx's own parser settings, so the body is the same tree it would give.
_XML_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OVERRIDE = "{http://schemas.openxmlformats.org/package/2006/content-types}Override"
_DOCUMENT, _BODY = qn("w:document"), qn("w:body")
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (
    qn(tag) for tag in ("w:p", "w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent")
)
_R, _HYPERLINK, _T, _BR, _TYPE, _VAL = (
    qn(tag) for tag in ("w:r", "w:hyperlink", "w:t", "w:br", "w:type", "w:val")
)
_TR_PR, _GRID_BEFORE, _TC_PR, _GRID_SPAN, _V_MERGE = (
    qn(tag) for tag in ("w:trPr", "w:gridBefore", "w:tcPr", "w:gridSpan", "w:vMerge")
)
# What each kind of run content reads as (w:t and w:br depend on the element).
_RUN_TEXT = {
    _T: "",
    _BR: "",
    qn("w:cr"): "\n",
    qn("w:noBreakHyphen"): "-",
    qn("w:ptab"): "\t",
    qn("w:tab"): "\t",
}


def read_docx(data: bytes, path: str) -> Decoded:
    """Rows of the document body in order; ReadError when the file is no readable .docx."""
    check_package(data, path, "Word .docx")
    body = _body(data)
    if body is not None:
        walker = _Walker()
        walker.walk(body)
        return Decoded(rows=walker.rows, lines=walker.lines, encoding="binary", file_format="docx")
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


def _body(data: bytes) -> _Element | None:
    """The document body, parsed as python-docx parses it, read straight from the package
    (python-docx also loads styles, numbering, settings and every relationship: half a
    report's parse). None for anything unusual: python-docx then opens the file, and says
    what is wrong with it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            relationships = etree.fromstring(package.read("_rels/.rels"), _XML_PARSER)
            target = next(
                rel.get("Target")
                for rel in relationships.iterchildren(_RELATIONSHIP)
                if rel.get("Type") == RT.OFFICE_DOCUMENT and rel.get("TargetMode") != "External"
            )
            name = posixpath.normpath(target).lstrip("/")
            types = etree.fromstring(package.read("[Content_Types].xml"), _XML_PARSER)
            content_type = next(
                (t.get("ContentType") for t in types.iterchildren(_OVERRIDE)
                 if t.get("PartName", "").lstrip("/") == name),
                None,
            )  # fmt: skip
            if content_type != CT.WML_DOCUMENT_MAIN:
                return None
            root = etree.fromstring(package.read(name), _XML_PARSER)
    except Exception:  # damaged, unusual or not Word: python-docx decides
        return None
    return root.find(_BODY) if root.tag == _DOCUMENT else None


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
        text = " ".join(_text(p).split())
        if text:
            self.paragraphs += 1
            self.lines.append(text)
            self.rows.append(SourceRow((text,), (f"P{self.paragraphs}",), explicit=False))

    def _grid(self, table: _Element) -> None:
        self.tables += 1
        for row_index, tr in enumerate(table.iter(_TR)):
            cells: list[str] = []
            locators: list[str] = []
            offsets = _grid_offsets(tr)
            for tc in tr.iter(_TC):
                merge = tc.find(f"{_TC_PR}/{_V_MERGE}")
                if merge is not None and merge.get(_VAL, "continue") != "restart":
                    continue  # covered by the cell above it
                # Lines wrapped by hand (<w:br/>, one paragraph per line) make one label.
                words = [word for p in tc.iter(_P) for word in _text(p).split()]
                cells.append(join_cjk(words))
                locators.append(f"T{self.tables}R{row_index}C{offsets(tc)}")
            if cells:
                self.rows.append(SourceRow(tuple(cells), tuple(locators), explicit=True))
                self.lines.append(" | ".join(cells))


def _text(p: _Element) -> str:
    """A paragraph's text as python-docx gives it: its runs' and hyperlinks' runs' text, tabs
    as "\t", line breaks and carriage returns as "\n", page and column breaks as nothing,
    non-breaking hyphens as "-". (Read straight from the XML: python-docx runs an XPath query
    per paragraph and per run, most of a document's parse time.)"""
    parts: list[str] = []
    for child in p.iterchildren(_R, _HYPERLINK):
        for run in (child,) if child.tag == _R else child.iterchildren(_R):
            for item in run.iterchildren(*_RUN_TEXT):
                tag = item.tag
                if tag == _T:
                    parts.append(item.text or "")
                elif tag == _BR:
                    parts.append("\n" if item.get(_TYPE, "textWrapping") == "textWrapping" else "")
                else:
                    parts.append(_RUN_TEXT[tag])
    return "".join(parts)


def _grid_offsets(tr: _Element) -> Callable[[_Element], int]:
    """A cell's grid column in its row: the row's skipped columns (gridBefore) and the spans
    (gridSpan) of the cells before it among its siblings, as python-docx counts them."""
    before = tr.find(f"{_TR_PR}/{_GRID_BEFORE}")
    start = int(before.get(_VAL)) if before is not None else 0
    offsets: dict[_Element, int] = {}
    running: dict[_Element, int] = {}  # parent -> columns its cells so far span

    def offset(tc: _Element) -> int:
        if tc not in offsets:
            parent = tc.getparent()
            if parent not in running:
                position = start
                for sibling in parent.iterchildren(_TC):
                    offsets[sibling] = position
                    span = sibling.find(f"{_TC_PR}/{_GRID_SPAN}")
                    position += int(span.get(_VAL)) if span is not None else 1
                running[parent] = position
        return offsets[tc]

    return offset


def _blocks(container: _Element) -> Iterator[_Element]:
    """Paragraphs and tables directly in `container`, looking through content controls."""
    for child in container.iterchildren():
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)
