"""Scanned PDF pages (no text layer) read by offline OCR: Tesseract with its Chinese model.

Each page is rendered at 150 dpi in grey and deskewed. Ruled tables are recovered from their
ruling lines: horizontal lines from the row profile, then in each band between two of them the
vertical lines from the column profile, so merged cells stay merged. Every cell is cropped and
all crops of a page are stacked into one strip image, one cell per line, read in a single
Tesseract run (one process per page, not per cell); the text outside the tables is read as a
block. Each cell keeps the engine's confidence (the lowest of its words, 0-1), and the rows
come out as a real grid (locators `P3T1R5C2`, as for PDFs with text), so the table parser
downstream does not care that they were scanned.

Tesseract (Debian `tesseract-ocr` and `tesseract-ocr-chi-sim`) was chosen over RapidOCR
(PyPI `rapidocr-onnxruntime`, which ships its models), measured on the same 150 dpi grey,
skewed, blurred and speckled scan of a real report: RapidOCR on a whole table page took 12.9 s
(load about 3) and found 34 of its 42 numbers, and brings about 160 MB of wheels (onnxruntime,
OpenCV); Tesseract reading the recovered grid's cells in one run per page takes about 7 s a
page and placed 173-174 of the report's 200 cells exactly, none wrongly (bench/README.md).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from ingest.readers import Decoded, ReadError, SourceRow
from ingest.values import is_value_text

DPI = 150
LANGUAGE = "chi_sim"
ENGINE_HINT = "install Debian's tesseract-ocr and tesseract-ocr-chi-sim to read scanned PDFs"
DARK = 200  # grey level below which a pixel is ink (rulings print light grey)
LINE_SHARE = 0.5  # a ruling line darkens at least this share of its row (or band column)
MIN_BAND = 12  # pixels between two rulings for a row of cells
PAD = 6  # pixels trimmed inside each cell, off its rulings
MAX_PAGES = 30
SKEW_STEPS = [step / 10 for step in range(-20, 21)]  # degrees tried when deskewing
TIMEOUT = 120  # seconds for one page's Tesseract run


@dataclass
class _Cell:
    row: int
    col: int
    box: tuple[int, int, int, int]


def engine_available() -> bool:
    return shutil.which("tesseract") is not None


def read_scanned_pdf(data: bytes, path: str) -> Decoded:
    """Rows of every page, read by OCR; ReadError naming the package when the engine is missing."""
    if not engine_available():
        raise ReadError(f"{path}: scanned PDF, no text layer; {ENGINE_HINT}")
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except Exception as error:  # damaged file: pdfium raises its own types
        raise ReadError(f"{path}: damaged PDF ({error})") from None
    if len(document) > MAX_PAGES:
        raise ReadError(f"{path}: scanned PDF of {len(document)} pages (OCR reads {MAX_PAGES})")
    rows: list[SourceRow] = []
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="gongkai-ocr-") as work:
        for number in range(len(document)):
            image = document[number].render(scale=DPI / 72).to_pil().convert("L")
            page_rows, page_lines = read_page(deskew(image), number + 1, Path(work))
            rows += page_rows
            lines += page_lines
    return Decoded(rows=rows, lines=lines, encoding="binary", file_format="pdf", ocr=True)


def deskew(image: Image.Image) -> Image.Image:
    """Rotate the page so its rulings are level: the angle that sharpens the row profile most."""
    small = _ink(image.resize((image.width // 4, image.height // 4)))

    def sharpness(angle: float) -> float:
        profile = _profile(small.rotate(angle, fillcolor=0), axis=0)
        return sum(value * value for value in profile)

    best = max(SKEW_STEPS, key=lambda angle: (sharpness(angle), -abs(angle)))
    return image.rotate(best, resample=Image.BICUBIC, fillcolor=255) if best else image


def read_page(image: Image.Image, page: int, work: Path) -> tuple[list[SourceRow], list[str]]:
    ink = _ink(image)
    cells, table_boxes = _grid(ink)
    texts = _read_cells(image, cells, work / f"p{page}-cells")
    rows: list[SourceRow] = []
    by_row: dict[int, list[_Cell]] = {}
    for cell in cells:
        by_row.setdefault(cell.row, []).append(cell)
    outside = _blank_tables(image, table_boxes)
    text_lines = _read_block(outside, work / f"p{page}-text")
    # Text lines above the first table come first; the rest after (reading order of a page).
    top = min((box[1] for box in table_boxes), default=image.height)
    before = [line for y, line in text_lines if y < top]
    after = [line for y, line in text_lines if y >= top]
    for index, line in enumerate(before):
        rows.append(SourceRow((line,), (f"P{page}L{index}",), False))
    lines = list(before)
    first_row = True
    for row_index, row_cells in sorted(by_row.items()):
        row_cells.sort(key=lambda cell: cell.col)
        printed = [_as_number(*texts[id(cell)]) for cell in row_cells]
        if not any(text for text, _ in printed):
            continue
        if first_row and not any(is_value_text(t) for t, _ in printed if t):
            if not _ITEM_START_RE.match(next(t for t, _ in printed if t)):
                # A merged cell running on from the previous page: its blanks are not cells.
                kept = [(c, p) for c, p in zip(row_cells, printed, strict=True) if p[0]]
                row_cells, printed = [c for c, _ in kept], [p for _, p in kept]
        first_row = False
        rows.append(
            SourceRow(
                tuple(text for text, _ in printed),
                tuple(f"P{page}T1R{row_index}C{cell.col}" for cell in row_cells),
                True,
                tuple(confidence for _, confidence in printed),
            )
        )
        lines.append(" | ".join(text for text, _ in printed))
    for index, line in enumerate(after, start=len(before)):
        rows.append(SourceRow((line,), (f"P{page}L{index}",), False))
    lines += after
    return rows, lines


_ITEM_START_RE = re.compile(r"^[(（]?[一二三四五六七八九十\d]{1,2}[)）.、．]")
# Readings of a number that OCR decorates: a stray stop or comma, O for 0, l or I for 1.
_DECORATED_NUMBER_RE = re.compile(r"^[\s.,，。:：=_\-—|]*([0-9OolI]+)[\s.,，。:：=_\-—|]*$")
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1"})
# Confidence kept for a reading that had to be cleaned up to be a number.
CLEANED_CONFIDENCE = 0.5


# An item number whose stop OCR lost ("1属于国家秘密"): put the stop back, so the digit is
# read as the label's number, not as a value.
_BARE_ITEM_RE = re.compile(r"^(\d{1,2})(?=[\u4e00-\u9fff])")


def _as_number(text: str, confidence: float | None) -> tuple[str, float | None]:
    """A number with OCR decoration ("0，", "0.") as the number, its confidence lowered."""
    text = _BARE_ITEM_RE.sub(r"\1.", text)
    match = _DECORATED_NUMBER_RE.match(text)
    if not match or match.group(1) == text or not any(ch.isdigit() for ch in match.group(1)):
        return text, confidence
    number = match.group(1).translate(_DIGIT_LOOKALIKES)
    return number, min(confidence or 1.0, CLEANED_CONFIDENCE)


def _ink(image: Image.Image) -> Image.Image:
    """Ink as white on black (255 = dark pixel of the page)."""
    return image.point(lambda value: 255 if value < DARK else 0)


def _profile(ink: Image.Image, axis: int) -> list[float]:
    """Share of ink per row (axis 0) or per column (axis 1), by a box-filter resize."""
    size = (1, ink.height) if axis == 0 else (ink.width, 1)
    squeezed = ink.resize(size, Image.BOX)
    return [value / 255 for value in squeezed.getdata()]


def _lines(profile: list[float], share: float) -> list[int]:
    """Centres of runs of rows (columns) darker than `share`."""
    centres, start = [], None
    for index, value in enumerate([*profile, 0.0]):
        if value >= share and start is None:
            start = index
        elif value < share and start is not None:
            centres.append((start + index - 1) // 2)
            start = None
    return centres


def _grid(ink: Image.Image) -> tuple[list[_Cell], list[tuple[int, int, int, int]]]:
    """Cells between ruling lines, with grid rows and columns numbered over the whole page."""
    columns_profile = _profile(ink, axis=1)
    inked = [x for x, value in enumerate(columns_profile) if value > 0]
    if not inked:
        return [], []
    horizontal = _lines(_profile(ink, axis=0), LINE_SHARE * _table_width(ink))
    bands = [(a, b) for a, b in zip(horizontal, horizontal[1:], strict=False) if b - a >= MIN_BAND]
    found: list[tuple[int, int, int, int]] = []
    for top, bottom in bands:
        band = ink.crop((0, top + 3, ink.width, bottom - 2))
        verticals = _lines(_profile(band, axis=1), 0.8)
        for left, right in zip(verticals, verticals[1:], strict=False):
            if right - left >= MIN_BAND:
                found.append((left, top, right, bottom))
    if not found:
        return [], []
    xs = sorted({box[0] for box in found})
    cols = _cluster(xs)
    rows = _cluster(sorted({box[1] for box in found}))
    cells = [_Cell(rows[box[1]], cols[box[0]], box) for box in found]
    table = (
        min(b[0] for b in found),
        min(b[1] for b in found),
        max(b[2] for b in found),
        max(b[3] for b in found),
    )
    return cells, [table]


def _table_width(ink: Image.Image) -> float:
    """Share of the page width the widest ruling covers (tables rarely fill the page)."""
    profile = _profile(ink, axis=0)
    return max(profile, default=0.0) or 1.0


def _cluster(values: list[int], gap: int = 6) -> dict[int, int]:
    """Index of each coordinate, nearby coordinates (a skew residue) sharing one index."""
    index, last, numbered = -1, None, {}
    for value in values:
        if last is None or value - last > gap:
            index += 1
        numbered[value] = index
        last = value
    return numbered


def _read_cells(
    image: Image.Image, cells: list[_Cell], stem: Path
) -> dict[int, tuple[str, float | None]]:
    """All cells of a page in one Tesseract run: crops stacked one per line in a strip."""
    crops = []
    for cell in cells:
        left, top, right, bottom = cell.box
        crop = image.crop((left + PAD, top + PAD, right - PAD, bottom - PAD))
        crops.append(ImageOps.expand(crop, border=10, fill=255))
    if not crops:
        return {}
    gap = 24
    width = max(crop.width for crop in crops)
    strip = Image.new("L", (width, sum(c.height for c in crops) + gap * len(crops)), 255)
    spans = []
    y = 0
    for crop in crops:
        strip.paste(crop, (0, y))
        spans.append((y, y + crop.height))
        y += crop.height + gap
    words = _tesseract(strip, stem, page_mode=6)
    texts: dict[int, tuple[str, float | None]] = {}
    for cell, crop, (top, bottom) in zip(cells, crops, spans, strict=True):
        inside = [w for w in words if top <= w[1] < bottom]
        inside.sort(key=lambda w: (w[1] // 20, w[0]))
        text = "".join(w[2] for w in inside)
        confidence = min((w[3] for w in inside), default=None)
        if not text and _has_ink(crop):
            # Something is printed that the engine could not read: never a blank.
            text, confidence = UNREADABLE, 0.0
        texts[id(cell)] = (text, confidence)
    return texts


UNREADABLE = "□"  # the mark for a printed glyph OCR could not read
INK_SHARE = 0.005  # share of dark pixels above which a cell holds print, not speckle


def _has_ink(crop: Image.Image) -> bool:
    dark = crop.point(lambda value: 255 if value < 128 else 0)
    return sum(_profile(dark, axis=0)) / max(dark.height, 1) > INK_SHARE


def _blank_tables(image: Image.Image, boxes: list[tuple[int, int, int, int]]) -> Image.Image:
    outside = image.copy()
    for box in boxes:
        outside.paste(255, box)
    return outside


def _read_block(image: Image.Image, stem: Path) -> list[tuple[int, str]]:
    """(top, text) of each text line outside the tables."""
    words = _tesseract(image, stem, page_mode=3)
    lines: dict[tuple[int, int, int], list[tuple[int, int, str, float]]] = {}
    for word in words:
        lines.setdefault(word[4], []).append(word)
    ordered = sorted(lines.values(), key=lambda ws: min(w[1] for w in ws))
    return [
        (min(w[1] for w in ws), "".join(w[2] for w in sorted(ws, key=lambda w: w[0])))
        for ws in ordered
    ]


Word = tuple[int, int, str, float, tuple[int, int, int]]  # left, top, text, confidence, line


def _tesseract(image: Image.Image, stem: Path, page_mode: int) -> list[Word]:
    source = stem.with_suffix(".png")
    image.save(source)
    try:
        result = subprocess.run(
            ["tesseract", str(source), "stdout", "-l", LANGUAGE, "--psm", str(page_mode), "tsv"],
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ReadError(f"OCR took longer than {TIMEOUT} s on one page") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise ReadError(f"OCR failed ({' '.join(message)}); {ENGINE_HINT}")
    words: list[Word] = []
    reader = csv.DictReader(
        io.StringIO(result.stdout.decode("utf-8")), delimiter="\t", quoting=csv.QUOTE_NONE
    )
    for record in reader:
        text = (record.get("text") or "").strip()
        if not text or float(record["conf"]) < 0:
            continue
        line = (int(record["block_num"]), int(record["par_num"]), int(record["line_num"]))
        words.append(
            (int(record["left"]), int(record["top"]), text, float(record["conf"]) / 100, line)
        )
    return words
