"""pdf_layout.py's tables, words and cell texts are pdfplumber's own, given the same boxes.

Each fixture page pdfium reads is handed to pdfplumber's table finder and word grouping as the
dicts they take, and to pdf_layout as tuples: the pages read must be equal. Seeded random
rulings and characters (jitter inside and just outside the snap, join and intersection
tolerances, runs of sizes, spaces, overlapping lines) test the arithmetic where the fixtures
do not reach.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from pdfplumber.table import TableFinder
from pdfplumber.utils import crop_to_bbox, extract_text, extract_words

from ingest.readers import pdf, pdf_layout
from ingest.readers.pdf_pages import PdfiumPage, read_pages
from tests.conftest import FIXTURES

TEXT_PDFS = sorted(
    path
    for path in FIXTURES.rglob("*.pdf")
    if path.name not in ("encrypted.pdf", "scanned.pdf")  # no text layer
)


def _char_dict(char: pdf_layout.Char) -> dict[str, Any]:
    text, x0, x1, top, bottom, size = char
    return {
        "object_type": "char",
        "text": text,
        "x0": x0,
        "x1": x1,
        "width": x1 - x0,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "height": size,
        "size": size,
        "upright": True,
    }


def _edge_dicts(edges: list[pdf_layout.Edge], orientation: str) -> list[dict[str, Any]]:
    return [
        {
            "object_type": "line",
            "orientation": orientation,
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "doctop": top,
            "width": length if orientation == "h" else x1 - x0,
            "height": length if orientation == "v" else bottom - top,
        }
        for x0, x1, top, bottom, length in edges
    ]


class _PlumberPage:
    """The same characters and edges as pdfplumber's dicts, read by pdfplumber's own code
    (pdf.py takes any page that is not a PdfiumPage this way)."""

    def __init__(self, page: PdfiumPage) -> None:
        self.height = page.height
        self.chars = [_char_dict(char) for char in page.chars]
        self.edges = _edge_dicts(page.vertical, "v") + _edge_dicts(page.horizontal, "h")

    def find_tables(self) -> list:
        return TableFinder(self).tables

    def extract_words(self, **settings: Any) -> list[dict]:
        return extract_words(self.chars, **settings)

    def crop(self, bbox: tuple[float, float, float, float]) -> Any:
        cropped = type("Cropped", (), {})()
        cropped.chars = crop_to_bbox(self.chars, bbox)
        return cropped


@pytest.mark.parametrize("path", TEXT_PDFS, ids=lambda path: path.name)
def test_fixture_pages_read_as_pdfplumber_reads_the_same_boxes(path: Path) -> None:
    data = path.read_bytes()
    pages = read_pages(pypdfium2.PdfDocument(data), data)
    assert pages is not None
    for number, page in enumerate(pages, start=1):
        plumber = _PlumberPage(page)
        assert [t.cells for t in page.find_tables()] == [t.cells for t in plumber.find_tables()]
        assert pdf._read_page(page, number) == pdf._read_page(plumber, number)


def _random_edges(seed: int) -> tuple[list[pdf_layout.Edge], list[pdf_layout.Edge]]:
    """A grid or two of rulings, each broken, doubled, jittered and rounded as a print might."""
    rng = random.Random(seed)
    vertical: list[pdf_layout.Edge] = []
    horizontal: list[pdf_layout.Edge] = []
    for _ in range(rng.randint(1, 3)):
        left, top = rng.uniform(0, 300), rng.uniform(0, 500)
        xs = sorted(left + rng.choice((0, 1, 2.9, 3.0, 3.1, 40, 80)) * k for k in range(6))
        ys = sorted(top + rng.choice((2.9, 3.0, 3.1, 18, 25)) * k for k in range(8))
        for x in xs:
            for a, b in zip(ys, ys[1:], strict=False):
                if rng.random() < 0.1:
                    continue  # a missing ruling
                jitter = round(rng.choice((0, 0.001, 0.5, 2.999, 3.001)) * rng.choice((1, -1)), 3)
                gap = rng.choice((0, 0, 1.5, 3.0, 3.2))
                start, end = round(a + gap, 3), round(b, 3)
                x0 = round(x + jitter, 3)
                vertical.append((x0, x0, start, end, end - start))
                if rng.random() < 0.1:
                    vertical.append((x0, x0, start, end, end - start))  # drawn twice
        for y in ys:
            for a, b in zip(xs, xs[1:], strict=False):
                if rng.random() < 0.1:
                    continue
                jitter = round(rng.choice((0, 0.001, 0.5, 2.999, 3.001)) * rng.choice((1, -1)), 3)
                gap = rng.choice((0, 0, 1.5, 3.0, 3.2))
                start, end = round(a + gap, 3), round(b, 3)
                top_ = round(y + jitter, 3)
                horizontal.append((start, end, top_, top_, end - start))
    rng.shuffle(vertical)
    rng.shuffle(horizontal)
    return vertical, horizontal


@pytest.mark.parametrize("seed", range(60))
def test_random_rulings_make_pdfplumbers_tables(seed: int) -> None:
    vertical, horizontal = _random_edges(seed)
    page = type("Page", (), {})()
    page.edges = _edge_dicts(vertical, "v") + _edge_dicts(horizontal, "h")
    expected = [table.cells for table in TableFinder(page).tables]
    assert [t.cells for t in pdf_layout.find_tables(None, vertical, horizontal)] == expected


def _random_chars(seed: int) -> list[pdf_layout.Char]:
    """Lines of characters in runs of two sizes, with spaces, gaps about the tolerance, lines
    within and just beyond 3 points of each other, and characters out of order."""
    rng = random.Random(seed)
    chars: list[pdf_layout.Char] = []
    for _ in range(rng.randint(1, 8)):
        top = round(rng.uniform(0, 200), 3)
        x = rng.uniform(0, 50)
        size = rng.choice((9.0, 10.5))
        for _ in range(rng.randint(1, 25)):
            width = rng.choice((5.25, 10.5))
            text = rng.choice("表格一二三ab1ﬁ  ")
            lift = rng.choice((0, 0, 0, 1.5, 2.999, 3.001))
            char_top = round(top + lift, 3)
            chars.append((text, round(x, 3), round(x + width, 3), char_top, char_top + size, size))
            x += width + rng.choice((0, 0, 0, 1, 2.99, 3.0, 3.01, 8))
            if rng.random() < 0.1:
                size = 9.0 if size == 10.5 else 10.5
    if chars and seed % 3 == 0:
        rng.shuffle(chars)
    return chars


@pytest.mark.parametrize("seed", range(60))
def test_random_characters_make_pdfplumbers_words_and_texts(seed: int) -> None:
    chars = _random_chars(seed)
    dicts = [_char_dict(char) for char in chars]
    expected = [
        (w["text"], w["x0"], w["x1"], w["top"], w["bottom"], w["size"])
        for w in extract_words(dicts, extra_attrs=["size"])
    ]
    assert pdf_layout.words(chars, by_size=True) == expected
    assert pdf_layout.text(chars).split() == extract_text(dicts).split()
