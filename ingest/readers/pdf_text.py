"""Words of a PDF page -> text lines: the layer under pdf.py for text outside ruled tables.

A PDF has no lines or cells, only positioned words. Words whose vertical middles fall on one
band form a line; within a line a wide horizontal gap separates cells (the columns of a table
printed without rulings), a narrow one is the spacing inside a phrase. Page headers and footers
(page numbers, a running title) are recognised by their position and dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest.readers.cjk import join_cjk

# A gap wider than this many font sizes separates two cells of a line (a column gap);
# narrower gaps are word spacing, or the space Word and LibreOffice put between CJK and Latin.
CELL_GAP = 0.5
# Header/footer bands: this share of the page height at the top and at the bottom.
MARGIN_SHARE = 0.08

_PAGE_NUMBER_RE = re.compile(
    r"[-—–－~·\s]*(?:第\s*)?\d{1,4}\s*页?(?:\s*(?:[/／]|共)\s*\d{1,4}\s*页?)?[-—–－~·\s]*"
    r"|(?:page\s*)?\d{1,4}(?:\s*of\s*\d{1,4})?",
    re.IGNORECASE,
)


@dataclass
class Line:
    """One text line of a page: its cells (phrases), position and font size."""

    cells: list[str]
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    number: int = 0  # 1-based position among the page's text lines, top to bottom

    @property
    def text(self) -> str:
        return " ".join(self.cells)


def lines_from_words(words: list[dict]) -> list[Line]:
    """Group pdfplumber words (with their `size`) into lines, top to bottom, cells left to right."""
    bands: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        middle = (word["top"] + word["bottom"]) / 2
        band = bands[-1] if bands else None
        if band is not None and band[0]["top"] <= middle <= max(w["bottom"] for w in band):
            band.append(word)
        else:
            bands.append([word])
    lines = []
    for number, band in enumerate(bands, start=1):
        band.sort(key=lambda w: w["x0"])
        size = max(float(w.get("size") or 10.0) for w in band)
        cells: list[list[str]] = [[band[0]["text"]]]
        for previous, word in zip(band, band[1:], strict=False):
            if word["x0"] - previous["x1"] > CELL_GAP * size:
                cells.append([])
            cells[-1].append(word["text"])
        lines.append(
            Line(
                cells=[join_cjk(cell) for cell in cells],
                top=band[0]["top"],
                bottom=max(w["bottom"] for w in band),
                x0=band[0]["x0"],
                x1=band[-1]["x1"],
                size=size,
                number=number,
            )
        )
    return lines


def drop_page_furniture(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Remove page numbers and running headers/footers: lines in the top or bottom band that
    are a page number, or whose text (digits aside) comes back on several pages."""

    def in_band(line: Line, height: float) -> bool:
        return line.top < height * MARGIN_SHARE or line.bottom > height * (1 - MARGIN_SHARE)

    def shape(line: Line) -> str:
        return re.sub(r"\d+", "#", line.text)

    repeated = Counter(
        text
        for lines, height in zip(pages, heights, strict=True)
        for text in {shape(line) for line in lines if in_band(line, height)}
    )
    kept = []
    for lines, height in zip(pages, heights, strict=True):
        kept.append(
            [
                line
                for line in lines
                if not in_band(line, height)
                or not (_PAGE_NUMBER_RE.fullmatch(line.text) or repeated[shape(line)] > 1)
            ]
        )
    return kept


def reflow(lines: list[Line], right: float) -> list[str]:
    """Paragraph texts for metadata: a line that runs to the right edge (`right`, the page's
    widest text line) continues on the next.

    Long titles wrap ("…工作年度" / "报告"); the metadata rules need them whole.
    """
    if not lines:
        return []
    texts = [lines[0].text]
    for previous, line in zip(lines, lines[1:], strict=False):
        continues = (
            previous.x1 >= right - 1.5 * previous.size
            and line.x0 <= previous.x0 + 0.5 * previous.size
            and line.top - previous.bottom < previous.bottom - previous.top
        )
        if continues:
            texts[-1] = join_cjk([texts[-1], line.text])
        else:
            texts.append(line.text)
    return texts
