"""Scanned PDF pages (no text layer) read by offline OCR: Tesseract with its Chinese model.

Each page is rendered at 150 dpi in grey and deskewed. Ruled tables are recovered from their
ruling lines: horizontal lines from the row profile (an unbroken run, so a dense line of text
is none), then in each band between two of them the vertical lines from the column profile,
so merged cells stay merged; a band without cells (a heading) separates two tables, and the
verticals running on past a table's first or last ruling close the part of a row a page break
cut. Every cell is cropped inside its rulings and cut to its print; all crops of a page are
stacked into one strip image, one cell per line, read in a single Tesseract run (one process
per page, not per cell); the text outside the tables is read as a block, and table rows and
text lines keep their order on the page.

A reading in a number's place that is no sure number (a low confidence, or 区 / 六 / □ for a
0) is read again, digits only, with the Latin model, from the crop cleaned of specks and
rulings, at two scales: only two agreeing readings replace it, and a number only the second
reading found keeps a confidence below the identities' threshold, so a reading that breaks an
identity becomes `ambiguous` downstream, never a guess. Where the two readings are different
numbers, both are handed on (`SourceRow.alternatives`): downstream the identities choose, or
the cell is `ambiguous` with both as candidates. Each cell keeps the engine's confidence (the
lowest of its words, 0-1), each text line where its words sit and their confidences (a
narrative figure takes its words'), and the rows come out as a real grid (locators
`P3T1R5C2`, as for PDFs with text), so the table parser downstream does not care that they
were scanned.

Tesseract (Debian `tesseract-ocr` and `tesseract-ocr-chi-sim`) was chosen over RapidOCR
(PyPI `rapidocr-onnxruntime`, which ships its models), measured on the same 150 dpi grey,
skewed, blurred and speckled scan of a real report: RapidOCR on a whole table page took 12.9 s
(load about 3) and found 34 of its 42 numbers, and brings about 160 MB of wheels (onnxruntime,
OpenCV). Figures per report and scan condition: `python -m bench.bench_ocr` (bench/README.md).
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

from PIL import Image, ImageFilter, ImageOps

from ingest.readers import Decoded, ReadError, SourceRow
from ingest.values import is_value_text

DPI = 150
LANGUAGE = "chi_sim"
ENGINE_HINT = "install Debian's tesseract-ocr and tesseract-ocr-chi-sim to read scanned PDFs"
DARK = 200  # grey level below which a pixel is ink (rulings print light grey)
LINE_SHARE = 0.5  # a ruling line darkens at least this share of its row (or band column)
MIN_BAND = 12  # pixels between two rulings for a row of cells
PAD = 2  # pixels trimmed inside each cell, off the centre of its rulings
RUN_GAP = 3  # pixels of a ruling that may be missing without breaking it
RULING_EDGE = 6  # at most this many more pixels of ruling trimmed from each side of a cell
RULING_SHARE = 0.6  # a row (column) of a cell's edge this dark is ruling: it crosses the cell
MAX_PAGES = 30
SKEW_STEPS = [step / 10 for step in range(-20, 21)]  # degrees tried when deskewing
TIMEOUT = 120  # seconds for one page's Tesseract run


@dataclass
class _Cell:
    row: int
    col: int
    box: tuple[int, int, int, int]
    table: int = 0  # tables of a page in order, apart where a band between them has no cells


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
    # Ink first, then shrunk by averaging: a pale, blurred ruling shrunk first fades to white.
    small = _ink(image).resize((image.width // 4, image.height // 4), Image.BOX)

    def sharpness(angle: float) -> float:
        profile = _profile(small.rotate(angle, fillcolor=0), axis=0)
        return sum(value * value for value in profile)

    best = max(SKEW_STEPS, key=lambda angle: (sharpness(angle), -abs(angle)))
    return image.rotate(best, resample=Image.BICUBIC, fillcolor=255) if best else image


def read_page(image: Image.Image, page: int, work: Path) -> tuple[list[SourceRow], list[str]]:
    ink = _ink(image)
    cells, table_boxes = _grid(ink)
    texts = _read_cells(image, cells, work / f"p{page}-cells")
    rows_by_table: dict[int, dict[int, list[_Cell]]] = {}
    for cell in cells:
        rows_by_table.setdefault(cell.table, {}).setdefault(cell.row, []).append(cell)
    for table_rows in rows_by_table.values():
        for row_cells in table_rows.values():
            row_cells.sort(key=lambda cell: cell.col)
    printed = {id(cell): _as_number(*texts[id(cell)]) for cell in cells}
    doubtful = [
        cell
        for table_rows in rows_by_table.values()
        for row_cells in table_rows.values()
        for cell in _doubtful_numbers(row_cells, printed, _number_columns(table_rows, printed))
    ]
    improved, disagreeing = _reread_numbers(image, doubtful, printed, work / f"p{page}-digits")
    printed.update(improved)
    for table_rows in rows_by_table.values():
        columns = _number_columns(table_rows, printed)
        for row_cells in table_rows.values():
            _unnumber_label_fragments(row_cells, printed, columns)
    outside = _blank_tables(image, table_boxes)
    # Text lines and table rows in reading order: by their top on the page.
    items: list[tuple[int, int, object]] = [
        (y, 0, (line, spans)) for y, line, spans in _read_block(outside, work / f"p{page}-text")
    ]
    for table, table_rows in rows_by_table.items():
        for row_index, row_cells in table_rows.items():
            top = min(cell.box[1] for cell in row_cells)
            items.append((top, 1, (table, row_index, row_cells)))
    items.sort(key=lambda item: (item[0], item[1]))
    rows: list[SourceRow] = []
    lines: list[str] = []
    first_row = True
    text_index = 0
    for _, kind, payload in items:
        if kind == 0:
            line, spans = payload  # type: ignore[misc]
            locator = f"P{page}L{text_index}"
            rows.append(SourceRow((line,), (locator,), False, word_confidences=(spans,)))
            lines.append(line)
            text_index += 1
            continue
        table, row_index, row_cells = payload  # type: ignore[misc]
        readings = [printed[id(cell)] for cell in row_cells]
        if not any(text for text, _ in readings):
            continue
        if first_row and not any(is_value_text(t) for t, _ in readings if t):
            if not _ITEM_START_RE.match(next(t for t, _ in readings if t)):
                # A merged cell running on from the previous page: its blanks are not cells.
                kept = [(c, p) for c, p in zip(row_cells, readings, strict=True) if p[0]]
                row_cells, readings = [c for c, _ in kept], [p for _, p in kept]
        first_row = False
        # The first reading of a cell the second contradicts, while the second still stands.
        others = tuple(
            found[1] if (found := disagreeing.get(id(cell))) and found[0] == text else ()
            for cell, (text, _) in zip(row_cells, readings, strict=True)
        )
        rows.append(
            SourceRow(
                tuple(text for text, _ in readings),
                tuple(f"P{page}T{table + 1}R{row_index}C{cell.col}" for cell in row_cells),
                True,
                tuple(confidence for _, confidence in readings),
                others if any(others) else None,
            )
        )
        lines.append(" | ".join(text for text, _ in readings))
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
    return [value / 255 for value in squeezed.tobytes()]


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
    widest = _table_width(ink)
    horizontal = [
        y
        for y in _lines(_profile(ink, axis=0), LINE_SHARE * widest)
        # A ruling is one unbroken run; a dense line of text is as dark, but in pieces.
        if _longest_run(ink, y) >= LINE_SHARE * widest * ink.width
    ]
    bands = list(zip(horizontal, horizontal[1:], strict=False))
    found: list[tuple[int, int, int, int]] = []
    tables: list[int] = []  # the table of each found box
    table, last_bottom = -1, None
    for top, bottom in bands:
        if bottom - top < MIN_BAND:
            if last_bottom == top:
                last_bottom = bottom  # a double ruling: the table goes on
            continue
        band = ink.crop((0, top + 3, ink.width, bottom - 2))
        verticals = _lines(_profile(band, axis=1), 0.8)
        boxes = [
            (left, top, right, bottom)
            for left, right in zip(verticals, verticals[1:], strict=False)
            if right - left >= MIN_BAND
        ]
        if not boxes:
            continue
        if last_bottom is None or top != last_bottom:
            table += 1  # a band without cells (a heading, a paragraph) lies between
        last_bottom = bottom
        found += boxes
        tables += [table] * len(boxes)
    if not found:
        return [], []
    _open_bands(ink, found, tables)
    cols = _cluster(sorted({box[0] for box in found}))
    rows = _cluster(sorted({box[1] for box in found}))
    cells = [
        _Cell(rows[box[1]], cols[box[0]], box, index)
        for box, index in zip(found, tables, strict=True)
    ]
    boxes_of_tables = []
    for index in sorted(set(tables)):
        members = [box for box, of in zip(found, tables, strict=True) if of == index]
        boxes_of_tables.append(
            (
                min(b[0] for b in members),
                min(b[1] for b in members),
                max(b[2] for b in members),
                max(b[3] for b in members),
            )
        )
    return cells, boxes_of_tables


def _open_bands(
    ink: Image.Image, found: list[tuple[int, int, int, int]], tables: list[int]
) -> None:
    """Rows a page break cuts: a table's verticals running on above its first ruling (at the
    top of a page) or below its last (at the bottom) close a band there, so the part of the
    row on this page is read as cells, not as loose text."""
    for table in sorted(set(tables)):
        members = [box for box, of in zip(found, tables, strict=True) if of == table]
        top, bottom = min(b[1] for b in members), max(b[3] for b in members)
        left = min(b[0] for b in members)
        for edge, step in ((bottom, 1), (top, -1)):
            reach = _vertical_reach(ink, left, edge, step)
            if reach < MIN_BAND:
                continue
            band_top, band_bottom = (edge, edge + reach) if step > 0 else (edge - reach, edge)
            band = ink.crop((0, band_top + 3, ink.width, band_bottom - 2))
            verticals = _lines(_profile(band, axis=1), 0.8)
            boxes = [
                (x0, band_top, x1, band_bottom)
                for x0, x1 in zip(verticals, verticals[1:], strict=False)
                if x1 - x0 >= MIN_BAND
            ]
            if len(boxes) > 1:
                found += boxes
                tables += [table] * len(boxes)


def _vertical_reach(ink: Image.Image, x: int, y: int, step: int) -> int:
    """How far the vertical ruling at x runs on from row y (down for step 1, up for -1)
    before a gap or the page's edge."""
    column = ink.crop((max(x - 2, 0), 0, min(x + 3, ink.width), ink.height))
    inked = [value > 0 for value in column.resize((1, ink.height), Image.BOX).tobytes()]
    reach, gap, row = 0, 0, y + step * 3  # past the ruling's own thickness
    while 0 <= row < ink.height and gap <= RUN_GAP:
        if inked[row]:
            reach, gap = reach + 1 + gap, 0
        else:
            gap += 1
        row += step
    return reach + 3 if reach else 0


def _longest_run(ink: Image.Image, y: int) -> int:
    """Longest run of ink along row y, a pixel above or below counting (a skew residue)."""
    rows = ink.crop((0, max(y - 1, 0), ink.width, min(y + 2, ink.height)))
    merged = rows.resize((ink.width, 1), Image.BOX)  # any ink in the three rows
    longest = run = gap = 0
    for value in merged.tobytes():
        if value > 0:
            run, gap = run + 1 + gap, 0
        elif gap < RUN_GAP and run:
            gap += 1  # a speck or a pale pixel in a ruling does not break it
        else:
            run = gap = 0
        longest = max(longest, run)
    return longest


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


def _cell_crop(image: Image.Image, cell: _Cell) -> Image.Image:
    """The inside of a cell: its rulings trimmed row by row, not by a fixed margin, so a digit
    printed close to a ruling keeps its strokes."""
    left, top, right, bottom = cell.box
    crop = image.crop((left + PAD, top + PAD, right - PAD, bottom - PAD))
    if crop.width <= 2 * RULING_EDGE or crop.height <= 2 * RULING_EDGE:
        return crop
    ink = _ink(crop)
    rows, cols = _profile(ink, axis=0), _profile(ink, axis=1)

    def ruled(profile: list[float], indices: list[int]) -> int:
        """Rows (columns) to cut from one side: up to the last ruling-dark one near the edge."""
        dark = [step for step, index in enumerate(indices) if profile[index] >= RULING_SHARE]
        return max(dark) + 1 if dark else 0

    edge = range(RULING_EDGE)
    cut_top = ruled(rows, list(edge))
    cut_bottom = ruled(rows, [len(rows) - 1 - step for step in edge])
    cut_left = ruled(cols, list(edge))
    cut_right = ruled(cols, [len(cols) - 1 - step for step in edge])
    return crop.crop((cut_left, cut_top, crop.width - cut_right, crop.height - cut_bottom))


def _read_cells(
    image: Image.Image, cells: list[_Cell], stem: Path
) -> dict[int, tuple[str, float | None]]:
    """All cells of a page in one Tesseract run: crops stacked one per line in a strip."""
    crops, whole = [], []
    for cell in cells:
        crop = _cell_crop(image, cell)
        whole.append(crop)
        # Read only the print: a wide cell of white and specks around one 0 leads the engine
        # astray. The box comes from a speck-free copy; the pixels read are the crop's own
        # (a median filter would thin the strokes of characters).
        box = _print_box(crop.filter(ImageFilter.MedianFilter(3)), [crop := crop.copy()])
        crops.append(ImageOps.expand(crop.crop(box) if box else crop, border=10, fill=255))
    if not crops:
        return {}
    readings = _read_strip(crops, stem, [])
    texts: dict[int, tuple[str, float | None]] = {}
    for cell, crop, (text, confidence) in zip(cells, whole, readings, strict=True):
        if not text and _has_ink(crop):
            # Something is printed that the engine could not read: never a blank.
            text, confidence = UNREADABLE, 0.0
        texts[id(cell)] = (text, confidence)
    return texts


def _read_strip(
    crops: list[Image.Image],
    stem: Path,
    options: list[str],
    scale: int = 1,
    language: str = LANGUAGE,
) -> list[tuple[str, float | None]]:
    """(text, lowest word confidence) of each crop, all stacked in one strip, one Tesseract run.

    A "word" lower than a glyph (a speck, a ruling remnant the engine read as 站 or w) is none.
    """
    gap, min_height = 24 * scale, MIN_GLYPH * scale
    width = max(crop.width for crop in crops)
    strip = Image.new("L", (width, sum(c.height for c in crops) + gap * len(crops)), 255)
    spans = []
    y = 0
    for crop in crops:
        strip.paste(crop, (0, y))
        spans.append((y, y + crop.height))
        y += crop.height + gap
    words = _tesseract(strip, stem, page_mode=6, options=options, language=language)
    readings = []
    for top, bottom in spans:
        # By the word's middle: its box may reach a pixel past the crop (a ruling remnant).
        inside = [
            w
            for w in words
            if top - gap // 2 <= w[1] + w[5] // 2 < bottom + gap // 2 and w[5] >= min_height
        ]
        text = _joined(_in_reading_order(inside))
        readings.append((text, min((w[3] for w in inside), default=None)))
    return readings


def _joined(words: list[Word]) -> str:
    """Words as one text; digits on two lines stay apart ("0 0" is no number 00)."""
    text, line = "", None
    for word in words:
        if line is not None and word[4] != line and text[-1:].isdigit() and word[2][:1].isdigit():
            text += " "
        text += word[2]
        line = word[4]
    return text


def _in_reading_order(words: list[Word]) -> list[Word]:
    """Words by the engine's own lines, top line first, each line left to right.

    Characters of one line do not share a top (punctuation and strokes sit lower), so sorting
    by a rounded top alone splits lines and scrambles the word order.
    """
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word[4], []).append(word)
    ordered = sorted(lines.values(), key=lambda line: min(w[1] for w in line))
    return [w for line in ordered for w in sorted(line, key=lambda w: w[0])]


# A reading in a number's place that is no sure number is read again, digits only, from the
# cell's crop cleaned of specks and enlarged at two scales; only two agreeing readings count.
REREAD_SCALES = (2, 3)
DIGITS = "0123456789."
REREAD_CONFIDENCE = 0.85  # at most, for a number only the second reading found: identities decide
SURE = 0.9  # a reading at least this confident is not read again
# Digits are read with the Latin model: on cell crops it reads a lone 1 or 71 that the
# Chinese model turns into 全 or 这二 (tesseract-ocr ships it: tesseract-ocr-eng).
_DIGITS_ONLY = ["-c", f"tessedit_char_whitelist={DIGITS}"]
DIGITS_LANGUAGE = "eng"
_PLAIN_NUMBER_RE = re.compile(r"^\d+(?:\.\d+)?$")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def _unnumber_label_fragments(
    row_cells: list[_Cell],
    printed: dict[int, tuple[str, float | None]],
    number_columns: set[int],
) -> None:
    """A "number" left of the row's label, in a column of labels, is a piece of a merged label
    cell misread ((三) read as 3): no value of the row, an unreadable glyph of the label."""
    wordy = [
        index
        for index, cell in enumerate(row_cells)
        if len(_CJK_RE.findall(printed[id(cell)][0])) > 1
    ]
    for cell in row_cells[: max(wordy, default=0)]:
        text = printed[id(cell)][0]
        if cell.col not in number_columns and _PLAIN_NUMBER_RE.match(text):
            printed[id(cell)] = (UNREADABLE, 0.0)


def _number_columns(
    table_rows: dict[int, list[_Cell]], printed: dict[int, tuple[str, float | None]]
) -> set[int]:
    """Grid columns of a table where readings are mostly numbers, not words."""
    numbers: dict[int, int] = {}
    words: dict[int, int] = {}
    for row_cells in table_rows.values():
        for cell in row_cells:
            text = printed[id(cell)][0]
            if _PLAIN_NUMBER_RE.match(text):
                numbers[cell.col] = numbers.get(cell.col, 0) + 1
            elif len(_CJK_RE.findall(text)) > 1:
                words[cell.col] = words.get(cell.col, 0) + 1
    return {col for col, count in numbers.items() if count > 2 * words.get(col, 0)}


def _doubtful_numbers(
    row_cells: list[_Cell],
    printed: dict[int, tuple[str, float | None]],
    number_columns: set[int],
) -> list[_Cell]:
    """Cells in a number's place (after the row's label, or in a column of numbers) whose
    reading is no sure number."""
    readings = [printed[id(cell)] for cell in row_cells]
    numbers = [i for i, (text, _) in enumerate(readings) if _PLAIN_NUMBER_RE.match(text)]
    if not numbers:
        return []
    label = max(
        (i for i, (text, _) in enumerate(readings[: numbers[0]]) if len(_CJK_RE.findall(text)) > 1),
        default=-1,
    )
    doubtful = []
    for index, (cell, (text, confidence)) in enumerate(zip(row_cells, readings, strict=True)):
        if index <= label and cell.col not in number_columns:
            continue
        if not text or (confidence is not None and confidence >= SURE):
            continue
        if _PLAIN_NUMBER_RE.match(text) or (len(text) <= 3 and not is_value_text(text)):
            doubtful.append(cell)
    return doubtful


def _print_only(crop: Image.Image) -> Image.Image | None:
    """The crop cleaned of specks (a median filter) and cut to its print with a margin, so a
    lone digit sits where the engine expects a word; None when nothing is printed."""
    cleaned = crop.filter(ImageFilter.MedianFilter(3))
    box = _print_box(cleaned, [cleaned])
    return cleaned.crop(box) if box else None


def _print_box(
    cleaned: Image.Image, erase_in: list[Image.Image]
) -> tuple[int, int, int, int] | None:
    """The box of the print in a speck-free crop, with a margin; rulings crossing it (a cell
    whose own rulings were not printed) are erased from each of `erase_in` first: read as 1,
    they would turn |0 into 10."""
    strokes = cleaned.point(lambda value: 255 if value < STROKE else 0)
    for x, share in enumerate(_profile(strokes, axis=1)):
        if share >= CROSSING:
            for image in erase_in:
                image.paste(255, (max(x - 1, 0), 0, min(x + 2, image.width), image.height))
    for y, share in enumerate(_profile(strokes, axis=0)):
        if share >= CROSSING:
            for image in erase_in:
                image.paste(255, (0, max(y - 1, 0), image.width, min(y + 2, image.height)))
    box = cleaned.point(lambda value: 255 if value < STROKE else 0).getbbox()
    if box is None:
        return None
    left, top, right, bottom = box
    margin = 4
    return (
        max(left - margin, 0),
        max(top - margin, 0),
        min(right + margin, cleaned.width),
        min(bottom + margin, cleaned.height),
    )


CROSSING = 0.6  # share of a crop's height (width) a stroke covers when it is a ruling
STROKE = 150  # grey level below which an enlarged pixel is a stroke of print


def _binary(value: int) -> int:
    return 0 if value < STROKE else 255


def _reread_numbers(
    image: Image.Image,
    cells: list[_Cell],
    printed: dict[int, tuple[str, float | None]],
    stem: Path,
) -> tuple[dict[int, tuple[str, float | None]], dict[int, tuple[str, tuple[str, ...]]]]:
    """Second readings of doubtful number cells: digits only, one run per scale.

    Returns the readings that replace the first ones, and for each cell whose two readings
    are different numbers, (the second, (the first,)): both stay candidates downstream.
    """
    disagreeing: dict[int, tuple[str, tuple[str, ...]]] = {}
    if not cells:
        return {}, disagreeing
    cleaned = [_print_only(_cell_crop(image, cell)) for cell in cells]
    cells = [cell for cell, crop in zip(cells, cleaned, strict=True) if crop is not None]
    cleaned = [crop for crop in cleaned if crop is not None]
    if not cells:
        return {}, disagreeing
    by_scale = []
    for scale in REREAD_SCALES:
        crops = [
            ImageOps.expand(
                crop.resize((crop.width * scale, crop.height * scale), Image.LANCZOS).point(
                    _binary  # pale ruling remnants and blur halos go, strokes stay
                ),
                border=10 * scale,
                fill=255,
            )
            for crop in cleaned  # specks filtered out: they are no strokes
        ]
        by_scale.append(
            _read_strip(
                crops,
                stem.with_name(f"{stem.name}-x{scale}"),
                _DIGITS_ONLY,
                scale,
                DIGITS_LANGUAGE,
            )
        )
    improved: dict[int, tuple[str, float | None]] = {}
    for index, cell in enumerate(cells):
        pair = [readings[index] for readings in by_scale]
        texts = {text for text, _ in pair}
        if len(texts) != 1 or not _PLAIN_NUMBER_RE.match(pair[0][0]):
            continue  # the second readings disagree or found nothing: the first stands
        digits = pair[0][0]
        second = min(confidence or 0.0 for _, confidence in pair)
        first_text, first_confidence = printed[id(cell)]
        if digits == first_text:
            improved[id(cell)] = (digits, max(first_confidence or 0.0, second))
        elif _PLAIN_NUMBER_RE.match(first_text):
            # Two readings of one cell disagree: uncertain, so an identity it breaks doubts it.
            improved[id(cell)] = (digits, min(second, CLEANED_CONFIDENCE))
            disagreeing[id(cell)] = (digits, (first_text,))
        else:
            improved[id(cell)] = (digits, min(second, REREAD_CONFIDENCE))
    return improved, disagreeing


UNREADABLE = "□"  # the mark for a printed glyph OCR could not read
MIN_GLYPH = 6  # pixels at 150 dpi: the smallest printed glyph's height (a stop is a word)
INK_SHARE = 0.005  # share of dark pixels above which a cell holds print, not speckle


def _has_ink(crop: Image.Image) -> bool:
    dark = crop.point(lambda value: 255 if value < 128 else 0)
    return sum(_profile(dark, axis=0)) / max(dark.height, 1) > INK_SHARE


def _blank_tables(image: Image.Image, boxes: list[tuple[int, int, int, int]]) -> Image.Image:
    outside = image.copy()
    for box in boxes:
        outside.paste(255, box)
    return outside


WordSpans = tuple[tuple[int, int, float], ...]


def _read_block(image: Image.Image, stem: Path) -> list[tuple[int, str, WordSpans]]:
    """(top, text, where each word sits in the text with its confidence) of each text line
    outside the tables: a figure read from the line takes the confidence of its words."""
    words = _tesseract(image, stem, page_mode=3)
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word[4], []).append(word)
    ordered = sorted(lines.values(), key=lambda ws: min(w[1] for w in ws))
    found = []
    for line_words in ordered:
        text = ""
        spans = []
        for word in sorted(line_words, key=lambda w: w[0]):
            spans.append((len(text), len(text) + len(word[2]), word[3]))
            text += word[2]
        found.append((min(w[1] for w in line_words), text, tuple(spans)))
    return found


# left, top, text, confidence, line (block, paragraph, line), height
Word = tuple[int, int, str, float, tuple[int, int, int], int]


def _tesseract(
    image: Image.Image,
    stem: Path,
    page_mode: int,
    options: list[str] | None = None,
    language: str = LANGUAGE,
) -> list[Word]:
    source = stem.with_suffix(".png")
    image.save(source)
    try:
        result = subprocess.run(
            [
                "tesseract",
                str(source),
                "stdout",
                "-l",
                language,
                "--psm",
                str(page_mode),
                *(options or []),
                "tsv",
            ],
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
            (
                int(record["left"]),
                int(record["top"]),
                text,
                float(record["conf"]) / 100,
                line,
                int(record["height"]),
            )
        )
    return words
