"""PDF pages read by pdfium: characters and drawn lines, with the boxes pdfminer gives them.

pdfplumber reads a page through pdfminer's layout engine (~200 ms per real report); pdfium
gives the same characters and paths in a few milliseconds. pdfplumber's table finder (which
turns rulings into cells) and its word grouping then run on them as tuples (pdf_layout.py),
so the coordinates are those pdfminer would give:

- a character box runs from its origin to its advance width, and from the font's descent
  (as the font descriptor states it, 0 when it states none) up one font size;
- real space characters, which pdfium replaces by generated ones, come back as zero-width
  spaces where pdfium put them (so words still break there);
- a path is split into subpaths at each move; a closed four-sided axis-aligned one is a
  rectangle, two points a line, anything else a curve through its points, as in pdfminer.

Pages pdfium lays out differently from pdfminer (rotated, or a media box not at the origin)
return None, and the caller reads the document with pdfplumber instead.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium
from pdfplumber.table import Table

from ingest.readers import pdf_layout
from ingest.readers.pdf_layout import Char, Edge

Matrix = tuple[float, float, float, float, float, float]

# pdfium keeps coordinates in 32-bit floats; pdfminer's come from decimal text in doubles.
# Rounding both ways of writing 56.8 to one value keeps pdfplumber's exact comparisons
# (is this rectangle axis-aligned, is this line horizontal) the same.
DIGITS = 3
# Float slack, as a share of the size, between pdfium's loose box and its width table.
OVERHANG = 0.0001
_DESCENT_RE = re.compile(rb"/Descent\s+(-?[\d.]+)")


class PdfiumPage:
    """One page: its characters and edges as tuples (pdf_layout.py), and the tables, cell
    texts and words pdfplumber would find in them."""

    def __init__(self, page: pypdfium2.PdfPage, descents: dict[str, float]) -> None:
        self.width, self.height = page.get_size()
        self.chars = _chars(page, self.height, descents)
        self.vertical, self.horizontal = _edges(page, self.height)

    def find_tables(self) -> list[Table]:
        if not self.vertical or not self.horizontal:
            return []  # no ruling crosses another
        return pdf_layout.find_tables(self, self.vertical, self.horizontal)

    def cell_texts(self, table: Table, rows: list, covers: bool) -> list[list[str | None]]:
        return pdf_layout.cell_texts(table, rows, self.chars, covers)

    def words(self) -> list[dict]:
        """Words as lines_from_words takes them (pdfplumber's extract_words with sizes)."""
        return [
            {"text": w[0], "x0": w[1], "x1": w[2], "top": w[3], "bottom": w[4], "size": w[5]}
            for w in pdf_layout.words(self.chars, by_size=True)
        ]


def read_pages(document: pypdfium2.PdfDocument, data: bytes) -> list[PdfiumPage] | None:
    """Every page of `document`, or None when a page is laid out in a way these objects do not
    reproduce (rotation, a page box off the origin)."""
    descents = _descents(data)
    pages = []
    for page in document:
        left, bottom, _, _ = page.get_mediabox()
        if page.get_rotation() or left or bottom or page.get_cropbox() != page.get_mediabox():
            return None
        try:
            pages.append(PdfiumPage(page, descents))
        except _Unlike:
            return None
        finally:
            page.close()
    return pages


def _descents(data: bytes) -> dict[str, float]:
    """Descent of each font (by its base name) as its descriptor states it, in text space
    units. pdfium substitutes a descent for a descriptor that says 0; pdfminer does not."""
    found: dict[str, float] = {}
    for match in re.finditer(rb"/FontName\s*/([^\s/<>\[\]()]+)", data):
        window = data[max(0, match.start() - 600) : match.end() + 600]
        descent = _DESCENT_RE.search(window)
        name = match.group(1).decode("latin-1")
        if descent is not None and name not in found:
            found[name] = float(descent.group(1))
    return found


class _Unlike(Exception):
    """A page pdfminer would lay out differently from these objects (rotated text)."""


def _chars(page: pypdfium2.PdfPage, height: float, descents: dict[str, float]) -> list[Char]:
    text_page = pdfium.FPDFText_LoadPage(page.raw)
    try:
        return _text_page_chars(text_page, height, descents)
    finally:
        pdfium.FPDFText_ClosePage(text_page)


def _text_page_chars(text_page: Any, height: float, descents: dict[str, float]) -> list[Char]:
    count = pdfium.FPDFText_CountChars(text_page)
    codes = _codes(text_page, count)
    box = pdfium.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    advance = ctypes.c_float()
    advance_ref = ctypes.byref(advance)
    advances: dict[tuple[int, int], float] = {}
    unit = ctypes.c_float(1.0)
    get_object, get_origin = _get_text_object, pdfium.FPDFText_GetCharOrigin
    objects: dict[int, tuple] = {}
    fonts: dict[int, tuple] = {}
    chars = []
    for index in range(count):
        key = get_object(text_page, index)
        if not key:  # generated by pdfium: a line end, or a space it inferred
            continue
        metrics = objects.get(key)
        if metrics is None:
            metrics = objects[key] = _object_metrics(text_page, index, key, fonts, descents)
        size, scale, font, font_key, loose, drop, lean_left, lean_right = metrics
        get_origin(text_page, index, x_ref, y_ref)
        code = codes[index]
        advance_key = (font_key, code)
        unit_width = advances.get(advance_key, -1.0)
        if unit_width < 0:
            pdfium.FPDFFont_GetGlyphWidth(font, code, unit, advance_ref)
            unit_width = advance.value
            if loose:
                # pdfium's loose box runs from the origin over the advance width, or over the
                # glyph's ink where that overhangs it: never narrower than the advance. Its
                # width table gives the advance, unless the font cannot map the character
                # back to its code (then the table's answer is 0 or too wide).
                pdfium.FPDFText_GetLooseCharBox(text_page, index, box)
                boxed = box.right - box.left
                if not 0 < unit_width * scale <= boxed + OVERHANG * size:
                    unit_width = 0.0
            advances[advance_key] = unit_width
        if unit_width:
            width = unit_width * scale
        else:
            pdfium.FPDFText_GetLooseCharBox(text_page, index, box)
            width = box.right - box.left
        left = x.value
        x0, x1 = round(left + lean_left, DIGITS), round(left + width + lean_right, DIGITS)
        top = round(height - y.value - drop, DIGITS)
        chars.append((chr(code), x0, x1, top, round(top + size, DIGITS), size))
    return chars


# FPDFText_GetTextObject returning the handle as a plain address: a dictionary key without a
# cast per character.
_get_text_object = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
    ctypes.cast(pdfium.FPDFText_GetTextObject, ctypes.c_void_p).value
)


def _codes(text_page: Any, count: int) -> list[int]:
    """The Unicode code point of each character: one call for the page, or one per character
    when the page has characters beyond the BMP (two UTF-16 units for one character)."""
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    pointer = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    written = pdfium.FPDFText_GetText(text_page, 0, count, pointer)
    units = buffer.raw[: max(written - 1, 0) * 2]
    codes = list(memoryview(units).cast("H"))
    if len(codes) != count or any(0xD800 <= code < 0xE000 for code in codes):
        codes = [pdfium.FPDFText_GetUnicode(text_page, index) for index in range(count)]
    return codes


def _object_metrics(
    text_page: Any, index: int, text_object: int, fonts: dict[int, tuple], descents: dict
) -> tuple[float, float, Any, int, bool, float, float, float]:
    """For the text object of character `index`: (size on the page, horizontal scale of a
    unit advance, its font and a key for it, whether pdfium's loose box spans the advance
    width, how far the top of pdfminer's box is above the baseline, and how far slanted
    (oblique) text moves its box's left and right edges)."""
    matrix = pdfium.FS_MATRIX()
    pdfium.FPDFText_GetMatrix(text_page, index, matrix)
    if matrix.b or matrix.a <= 0 or matrix.d <= 0:
        raise _Unlike
    font_size = pdfium.FPDFText_GetFontSize(text_page, index)
    size = round(font_size * matrix.d, DIGITS)
    font = pdfium.FPDFTextObj_GetFont(ctypes.cast(text_object, pdfium.FPDF_PAGEOBJECT))
    key = ctypes.cast(font, ctypes.c_void_p).value
    if key not in fonts:
        fonts[key] = _font_metrics(font, descents)
    loose, descent = fonts[key]
    # pdfminer's box bounds the slanted em box: its bottom corners lean by the descent,
    # its top corners by the descent plus one size.
    lean = matrix.c / matrix.d
    leans = (lean * descent * size, lean * (descent * size + size))
    drop = descent * size + size
    return size, font_size * matrix.a, font, key, loose, drop, min(leans), max(leans)


def _font_metrics(font: Any, descents: dict[str, float]) -> tuple[bool, float]:
    """(whether pdfium knows the font's ascent and descent, and so gives loose boxes; the
    descriptor's descent per unit size, as pdfminer reads it)."""
    ascent, descent = ctypes.c_float(), ctypes.c_float()
    pdfium.FPDFFont_GetAscent(font, ctypes.c_float(1.0), ctypes.byref(ascent))
    pdfium.FPDFFont_GetDescent(font, ctypes.c_float(1.0), ctypes.byref(descent))
    length = pdfium.FPDFFont_GetBaseFontName(font, None, 0)
    name = ctypes.create_string_buffer(length)
    pdfium.FPDFFont_GetBaseFontName(font, name, length)
    stated = descents.get(name.value.decode("latin-1"), 0.0) / 1000
    return ascent.value != descent.value, -abs(stated)


def _edges(page: pypdfium2.PdfPage, height: float) -> tuple[list[Edge], list[Edge]]:
    """The page's vertical and horizontal edges as pdfplumber derives them from pdfminer's
    lines, rects and curves (in that order): a line is one edge, a rectangle its four sides,
    a curve each segment (a slanted one is neither, and no ruling)."""
    lines: tuple[list[Edge], list[Edge]] = ([], [])
    rects: tuple[list[Edge], list[Edge]] = ([], [])
    curves: tuple[list[Edge], list[Edge]] = ([], [])
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    fill_ref, stroke_ref = ctypes.byref(fill), ctypes.byref(stroke)
    for path, matrix in _path_objects(page.raw, None):
        pdfium.FPDFPath_GetDrawMode(path, fill_ref, stroke_ref)
        if not fill.value and not stroke.value:
            continue  # a clipping path: pdfminer does not paint it
        for kind, points in _subpaths(path, matrix):
            if kind == "curve":
                _segment_edges(points, height, curves)
                continue
            xs, ys = [x for x, _ in points], [y for _, y in points]
            x0, x1 = min(xs), max(xs)
            top, bottom = round(height - max(ys), DIGITS), round(height - min(ys), DIGITS)
            width, tall = x1 - x0, bottom - top
            if kind == "line":
                if top == bottom:
                    lines[1].append((x0, x1, top, bottom, width))
                else:  # pdfminer calls any line not level vertical
                    lines[0].append((x0, x1, top, bottom, tall))
                continue
            rects[1].extend(((x0, x1, top, top, width), (x0, x1, top + tall, bottom, width)))
            rects[0].extend(((x0, x0, top, bottom, tall), (x1, x1, top, bottom, tall)))
    return (lines[0] + rects[0] + curves[0], lines[1] + rects[1] + curves[1])


def _segment_edges(
    points: list[tuple[float, float]], height: float, edges: tuple[list[Edge], list[Edge]]
) -> None:
    for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
        a_top, b_top = round(height - ay, DIGITS), round(height - by, DIGITS)
        top, bottom = min(a_top, b_top), max(a_top, b_top)
        x0, x1 = min(ax, bx), max(ax, bx)
        if ax == bx:
            edges[0].append((x0, x1, top, bottom, abs(a_top - b_top)))
        elif a_top == b_top:
            edges[1].append((x0, x1, top, bottom, abs(ax - bx)))


def _path_objects(parent: Any, outer: Matrix | None, form: bool = False) -> Iterator[tuple]:
    """Path objects of a page, or of a form drawn on it, with their matrix to the page."""
    count = (pdfium.FPDFFormObj_CountObjects if form else pdfium.FPDFPage_CountObjects)(parent)
    get = pdfium.FPDFFormObj_GetObject if form else pdfium.FPDFPage_GetObject
    get_type, get_matrix = pdfium.FPDFPageObj_GetType, pdfium.FPDFPageObj_GetMatrix
    path_type, form_type = pdfium.FPDF_PAGEOBJ_PATH, pdfium.FPDF_PAGEOBJ_FORM
    raw = pdfium.FS_MATRIX()
    for index in range(count):
        obj = get(parent, index)
        kind = get_type(obj)
        if kind != path_type and kind != form_type:
            continue
        get_matrix(obj, raw)
        matrix = (raw.a, raw.b, raw.c, raw.d, raw.e, raw.f)
        if outer is not None:
            matrix = _multiply(matrix, outer)
        if kind == form_type:
            yield from _path_objects(obj, matrix, form=True)
        else:
            yield obj, matrix


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)  # fmt: skip


_MOVE, _BEZIER = pdfium.FPDF_SEGMENT_MOVETO, pdfium.FPDF_SEGMENT_BEZIERTO
_SEGMENT_FUNCTIONS = (
    pdfium.FPDFPath_GetPathSegment,
    pdfium.FPDFPathSegment_GetType,
    pdfium.FPDFPathSegment_GetPoint,
    pdfium.FPDFPathSegment_GetClose,
)


def _subpaths(path: Any, matrix: Matrix) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    """Each subpath as pdfminer classifies it: ("rect" | "line" | "curve", its points)."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    get_segment, get_type, get_point, get_close = _SEGMENT_FUNCTIONS
    shape, points, controls = "", [], 0
    for index in range(pdfium.FPDFPath_CountSegments(path)):
        segment = get_segment(path, index)
        kind = get_type(segment)
        get_point(segment, x_ref, y_ref)
        px, py = x.value, y.value
        point = (round(px * a + py * c + e, DIGITS), round(px * b + py * d + f, DIGITS))
        if kind == _MOVE:
            if shape:
                yield _classify(shape, points)
            shape, points = "m", [point]
        elif kind == _BEZIER:
            # pdfium gives a curve's two control points and its end as three segments;
            # pdfminer keeps only the end, which comes last.
            controls = (controls + 1) % 3
            if controls == 0:
                shape += "c"
                points.append(point)
        else:
            shape += "l"
            points.append(point)
        if get_close(segment):
            shape += "h"
            points.append(points[0])
    if shape:
        yield _classify(shape, points)


def _classify(shape: str, points: list[tuple[float, float]]) -> tuple[str, list]:
    if len(shape) > 3 and shape[-2:] == "lh" and points[-2] == points[0]:
        shape = shape[:-2] + "h"
        points.pop(-2)
    if shape in ("mlh", "ml"):
        return "line", points[:2]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = points
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if last == points[0] and square:
            return "rect", points
    return "curve", points
