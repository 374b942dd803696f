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


class Rounded(dict):
    """Coordinates rounded to DIGITS, each distinct value once: `rounded[x]` is
    `round(x, DIGITS)` (0.0 and -0.0 being one key, the sign of a zero may differ, which no
    comparison sees). A page's rulings and a line's characters share most of their
    coordinates, and round() is the slowest step of reading them."""

    def __missing__(self, value: float) -> float:
        result = self[value] = round(value, DIGITS)
        return result


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
    handle = ctypes.cast(text_page, ctypes.c_void_p).value
    floats = (ctypes.c_float * 5)()  # a loose box (left, top, right, bottom), an advance
    box_at = ctypes.addressof(floats)
    advance_at = box_at + 4 * ctypes.sizeof(ctypes.c_float)
    matrix = (ctypes.c_float * 6)()
    origin = (ctypes.c_double * 2)()
    x_at = ctypes.addressof(origin)
    y_at = x_at + ctypes.sizeof(ctypes.c_double)
    calls = _TEXT
    get_object, get_origin = calls.text_object, calls.origin
    loose_box, glyph_width = calls.loose_box, calls.glyph_width
    objects: dict[int, tuple] = {}
    fonts: dict[Any, tuple] = {}  # by font address, and by style (see _object_metrics)
    chars = []
    last_key = None
    rounded = Rounded()
    for index in range(count):
        key = get_object(handle, index)
        if not key:  # generated by pdfium: a line end, or a space it inferred
            continue
        if key != last_key:  # characters of one text object come together
            metrics = objects.get(key)
            if metrics is None:
                metrics = objects[key] = _object_metrics(
                    handle, index, key, fonts, descents, matrix
                )
            size, scale, font, advances, loose, drop, lean_left, lean_right = metrics
            last_key = key
        get_origin(handle, index, x_at, y_at)
        code = codes[index]
        unit_width = advances.get(code, -1.0)
        if unit_width < 0:
            glyph_width(font, code, 1.0, advance_at)
            unit_width = floats[4]
            if loose:
                # pdfium's loose box runs from the origin over the advance width, or over the
                # glyph's ink where that overhangs it: never narrower than the advance. Its
                # width table gives the advance, unless the font cannot map the character
                # back to its code (then the table's answer is 0 or too wide).
                loose_box(handle, index, box_at)
                boxed = floats[2] - floats[0]
                if not 0 < unit_width * scale <= boxed + OVERHANG * size:
                    unit_width = 0.0
            advances[code] = unit_width
        if unit_width:
            width = unit_width * scale
        else:
            loose_box(handle, index, box_at)
            width = floats[2] - floats[0]
        left, bottom = origin
        top = rounded[height - bottom - drop]  # one baseline for a line's characters
        chars.append(
            (
                chr(code),
                rounded[left + lean_left],
                rounded[left + width + lean_right],
                top,
                rounded[top + size],
                size,
            )
        )
    return chars


class _TextCalls:
    """pdfium's per-character text functions through plain prototypes (handles and pointers
    as addresses): ctypes then neither converts nor checks each argument, and a handle
    comes back as a number (a dictionary key without a cast)."""

    def __init__(self) -> None:
        self.text_object = _prototype(pdfium.FPDFText_GetTextObject)
        self.origin = _prototype(pdfium.FPDFText_GetCharOrigin)
        self.loose_box = _prototype(pdfium.FPDFText_GetLooseCharBox)
        self.matrix = _prototype(pdfium.FPDFText_GetMatrix)
        self.font_size = _prototype(pdfium.FPDFText_GetFontSize)
        self.font = _prototype(pdfium.FPDFTextObj_GetFont)
        self.glyph_width = _prototype(pdfium.FPDFFont_GetGlyphWidth)


def _prototype(function: Any) -> Any:
    """`function` with its pointer arguments and result as plain addresses (its other types,
    int, unsigned long, float, as pypdfium2 declares them)."""

    def plain(kind: Any) -> Any:
        is_pointer = isinstance(kind, type) and issubclass(kind, ctypes._Pointer)
        return ctypes.c_void_p if is_pointer else kind

    address = ctypes.cast(function, ctypes.c_void_p).value
    kinds = [plain(kind) for kind in function.argtypes]
    return ctypes.CFUNCTYPE(plain(function.restype), *kinds)(address)


_TEXT = _TextCalls()


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
    handle: int,
    index: int,
    text_object: int,
    fonts: dict[Any, tuple],
    descents: dict,
    matrix: ctypes.Array,
) -> tuple[float, float, int, dict[int, float], bool, float, float, float]:
    """For the text object of character `index` (on the text page at address `handle`):
    (size on the page, horizontal scale of a unit advance, its font's address and the
    font's unit advances found so far by character code, whether pdfium's loose box spans
    the advance width, how far the top of pdfminer's box is above the baseline, and how far
    slanted (oblique) text moves its box's left and right edges). `matrix` is a buffer for
    six floats (FS_MATRIX); `fonts` keeps each font's metrics by its address, and the
    answer for each style (matrix without its offset, size and font) by that tuple."""
    _TEXT.matrix(handle, index, ctypes.addressof(matrix))
    a, b, c, d, _, _ = matrix
    font_size = _TEXT.font_size(handle, index)
    font = _TEXT.font(text_object)
    style = (a, b, c, d, font_size, font)  # most text objects repeat a style
    found = fonts.get(style)
    if found is not None:
        return found
    if b or a <= 0 or d <= 0:
        raise _Unlike
    size = round(font_size * d, DIGITS)
    if font not in fonts:
        fonts[font] = (*_font_metrics(ctypes.cast(font, pdfium.FPDF_FONT), descents), {})
    loose, descent, advances = fonts[font]
    # pdfminer's box bounds the slanted em box: its bottom corners lean by the descent,
    # its top corners by the descent plus one size.
    lean = c / d
    leans = (lean * descent * size, lean * (descent * size + size))
    drop = descent * size + size
    found = size, font_size * a, font, advances, loose, drop, min(leans), max(leans)
    fonts[style] = found
    return found


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
    modes = (ctypes.c_int * 2)()
    fill_at, stroke_at = (
        ctypes.addressof(modes),
        ctypes.addressof(modes) + ctypes.sizeof(ctypes.c_int),
    )
    draw_mode = _CALLS.draw_mode
    page_handle = ctypes.cast(page.raw, ctypes.c_void_p).value
    point = (ctypes.c_float * 2)()
    rounded = Rounded()
    for path, matrix in _path_objects(page_handle, None):
        draw_mode(path, fill_at, stroke_at)
        if not modes[0] and not modes[1]:
            continue  # a clipping path: pdfminer does not paint it
        for kind, points in _subpaths(path, matrix, point, rounded):
            if kind == "curve":
                _segment_edges(points, height, curves, rounded)
                continue
            xs, ys = [x for x, _ in points], [y for _, y in points]
            x0, x1 = min(xs), max(xs)
            top, bottom = rounded[height - max(ys)], rounded[height - min(ys)]
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
    points: list[tuple[float, float]],
    height: float,
    edges: tuple[list[Edge], list[Edge]],
    rounded: Rounded,
) -> None:
    for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
        a_top, b_top = rounded[height - ay], rounded[height - by]
        top, bottom = min(a_top, b_top), max(a_top, b_top)
        x0, x1 = min(ax, bx), max(ax, bx)
        if ax == bx:
            edges[0].append((x0, x1, top, bottom, abs(a_top - b_top)))
        elif a_top == b_top:
            edges[1].append((x0, x1, top, bottom, abs(ax - bx)))


class _Calls:
    """pdfium's path functions called through plain prototypes (handles and pointers as
    addresses): ctypes then skips converting and checking each argument, which on a page of
    a thousand rulings was half the cost of reading them."""

    def __init__(self) -> None:
        self.count_objects = _prototype(pdfium.FPDFPage_CountObjects)
        self.get_object = _prototype(pdfium.FPDFPage_GetObject)
        self.form_count = _prototype(pdfium.FPDFFormObj_CountObjects)
        self.form_object = _prototype(pdfium.FPDFFormObj_GetObject)
        self.object_type = _prototype(pdfium.FPDFPageObj_GetType)
        self.matrix = _prototype(pdfium.FPDFPageObj_GetMatrix)
        self.draw_mode = _prototype(pdfium.FPDFPath_GetDrawMode)
        self.count_segments = _prototype(pdfium.FPDFPath_CountSegments)
        self.segment = _prototype(pdfium.FPDFPath_GetPathSegment)
        self.segment_type = _prototype(pdfium.FPDFPathSegment_GetType)
        self.point = _prototype(pdfium.FPDFPathSegment_GetPoint)
        self.closes = _prototype(pdfium.FPDFPathSegment_GetClose)


_CALLS = _Calls()


def _path_objects(parent: int, outer: Matrix | None, form: bool = False) -> Iterator[tuple]:
    """Path objects of a page, or of a form drawn on it, with their matrix to the page."""
    calls = _CALLS
    count = (calls.form_count if form else calls.count_objects)(parent)
    get = calls.form_object if form else calls.get_object
    get_type, get_matrix = calls.object_type, calls.matrix
    path_type, form_type = pdfium.FPDF_PAGEOBJ_PATH, pdfium.FPDF_PAGEOBJ_FORM
    raw = (ctypes.c_float * 6)()  # FS_MATRIX: a, b, c, d, e, f
    raw_at = ctypes.addressof(raw)
    for index in range(count):
        obj = get(parent, index)
        kind = get_type(obj)
        if kind != path_type and kind != form_type:
            continue
        get_matrix(obj, raw_at)
        matrix = tuple(raw)
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


def _subpaths(
    path: int, matrix: Matrix, xy: ctypes.Array, rounded: Rounded
) -> list[tuple[str, list]]:
    """Each subpath as pdfminer classifies it: ("rect" | "line" | "curve", its points);
    `xy` is a buffer for two floats."""
    a, b, c, d, e, f = matrix
    x_at = ctypes.addressof(xy)
    y_at = x_at + ctypes.sizeof(ctypes.c_float)
    calls = _CALLS
    get_segment, get_type, get_point, get_close = (
        calls.segment,
        calls.segment_type,
        calls.point,
        calls.closes,
    )
    found = []
    shape, points, controls = "", [], 0
    level = not b and not c  # no rotation or skew: x from x alone, y from y
    for index in range(calls.count_segments(path)):
        segment = get_segment(path, index)
        kind = get_type(segment)
        if kind == _BEZIER:
            # pdfium gives a curve's two control points and its end as three segments;
            # pdfminer keeps only the end, which comes last.
            controls = (controls + 1) % 3
            if controls == 0:
                get_point(segment, x_at, y_at)
                px, py = xy
                if level:
                    points.append((rounded[px * a + e], rounded[py * d + f]))
                else:
                    points.append((rounded[px * a + py * c + e], rounded[px * b + py * d + f]))
                shape += "c"
        else:
            get_point(segment, x_at, y_at)
            px, py = xy
            if level:
                point = (rounded[px * a + e], rounded[py * d + f])
            else:
                point = (rounded[px * a + py * c + e], rounded[px * b + py * d + f])
            if kind == _MOVE:
                if shape:
                    found.append(_classify(shape, points))
                shape, points = "m", [point]
            else:
                shape += "l"
                points.append(point)
        if get_close(segment):
            shape += "h"
            points.append(points[0])
    if shape:
        found.append(_classify(shape, points))
    return found


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
