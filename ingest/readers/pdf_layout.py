"""Ruled tables, cell texts and words of a pdfium page, as pdfplumber finds them, on tuples.

pdfplumber's table finder and word grouping work on one dict per character and per edge and
compare every intersection with every other; on a real report that was a third of reading
it. The same steps run here on plain tuples, with the same arithmetic in the same order, so
the cells, words and texts are pdfplumber's own (tests/ingest/readers/test_reader_equivalence.py
reads every fixture both ways):

- tables: edges of at least 1 point are snapped (within 3 points, to their average), joined
  along a line (gaps up to 3) and kept from 3 points; rulings that meet within 3 points
  intersect; the smallest rectangle of connected intersections at each one is a cell;
  cells that share a corner form a table (pdfplumber's `cells_to_tables` and `Table`);
- words: characters of one font size in a run, in lines of tops within 3 points, left to
  right, split at spaces and at gaps over 3 points; a cell's text is its words by lines.

A character is `(text, x0, x1, top, bottom, size)`; an edge `(x0, x1, top, bottom, length)`,
its length along its orientation.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import groupby
from operator import itemgetter

from pdfplumber.table import Table, cells_to_tables
from pdfplumber.utils.text import LIGATURES

Char = tuple[str, float, float, float, float, float]
Edge = tuple[float, float, float, float, float]
Box = tuple[float, float, float, float]

TEXT, X0, X1, TOP, BOTTOM, SIZE = range(6)
# pdfplumber's defaults: snap, join and intersection tolerances; edge lengths kept before
# and after merging; word and line tolerances.
SNAP = JOIN = MEET = 3
PREFILTER, MIN_LENGTH = 1, 3
X_TOLERANCE = Y_TOLERANCE = 3


def find_tables(page: object, vertical: list[Edge], horizontal: list[Edge]) -> list[Table]:
    """pdfplumber's tables (lines strategy, default settings) from the page's vertical and
    horizontal edges, each list in the page's drawing order."""
    vertical = _snap([e for e in vertical if e[4] >= PREFILTER], 0)
    horizontal = _snap([e for e in horizontal if e[4] >= PREFILTER], 2)
    horizontal = [e for e in _merged(horizontal, 2) if e[4] >= MIN_LENGTH]
    vertical = [e for e in _merged(vertical, 0) if e[4] >= MIN_LENGTH]
    cells = _cells(_intersections(vertical, horizontal))
    return [Table(page, group) for group in cells_to_tables(cells)]


def _clusters(values: list[float], tolerance: float) -> dict[float, int]:
    """pdfplumber's cluster index of each value: sorted distinct values, a new cluster where
    one is more than `tolerance` above the previous."""
    index: dict[float, int] = {}
    cluster, last = -1, None
    for value in sorted(set(values)):
        if last is None or not value <= last + tolerance:
            cluster += 1
        index[value] = cluster
        last = value
    return index


def _grouped(items: list, key: int, tolerance: float) -> list[list]:
    """Items in clusters of `item[key]`, clusters in order, items in their order."""
    index = _clusters([item[key] for item in items], tolerance)
    groups: list[list] = [[] for _ in range(len(set(index.values())))]
    for item in items:
        groups[index[item[key]]].append(item)
    return groups


def _snap(edges: list[Edge], key: int) -> list[list[float]]:
    """Edges within SNAP of each other across their line moved to the cluster's average (key
    0: vertical edges by x0, moving x0 and x1; key 2: horizontal by top, moving top and
    bottom)."""
    snapped = []
    for cluster in _grouped(edges, key, SNAP):
        average = sum(edge[key] for edge in cluster) / len(cluster)
        for edge in cluster:
            moved = list(edge)
            shift = average - edge[key]
            moved[key] = edge[key] + shift
            moved[key + 1] = edge[key + 1] + shift
            snapped.append(moved)
    return snapped


def _merged(edges: list[list[float]], key: int) -> list[list[float]]:
    """Edges on one line (same `key` coordinate) joined where the gap is at most JOIN, lines
    in order of that coordinate."""
    start = 2 if key == 0 else 0  # along a vertical edge: top-bottom; horizontal: x0-x1
    merged = []
    for _, group in groupby(sorted(edges, key=itemgetter(key)), key=itemgetter(key)):
        joined: list[list[float]] = []
        for edge in sorted(group, key=itemgetter(start)):
            if joined and edge[start] <= joined[-1][start + 1] + JOIN:
                last = joined[-1]
                if edge[start + 1] > last[start + 1]:
                    resized = list(last)
                    resized[start + 1] = edge[start + 1]
                    resized[4] = (
                        edge[start + 1] - last[start]  # width from x0, as pdfplumber
                        if key == 2
                        else last[4] + (edge[start + 1] - last[start + 1])
                    )
                    joined[-1] = resized
            else:
                joined.append(edge)
        merged += joined
    return merged


def _intersections(
    vertical: list[list[float]], horizontal: list[list[float]]
) -> dict[tuple[float, float], tuple[set, set]]:
    """Each point where a vertical and a horizontal edge meet within MEET, with the boxes of
    the vertical and of the horizontal edges through it."""
    found: dict[tuple[float, float], tuple[set, set]] = {}
    horizontal = sorted(horizontal, key=itemgetter(2, 0))
    tops = [edge[2] for edge in horizontal]
    for v in vertical:
        v_x, v_top, v_bottom = v[0], v[2], v[3]
        v_box = (v[0], v[2], v[1], v[3])
        low = bisect_left(tops, v_top - MEET - 1e-6)
        high = bisect_right(tops, v_bottom + MEET + 1e-6)
        for h in horizontal[low:high]:
            h_top = h[2]
            if (
                v_top <= h_top + MEET
                and v_bottom >= h_top - MEET
                and v_x >= h[0] - MEET
                and v_x <= h[1] + MEET
            ):
                point = (v_x, h_top)
                sets = found.get(point)
                if sets is None:
                    sets = found[point] = (set(), set())
                sets[0].add(v_box)
                sets[1].add((h[0], h[2], h[1], h[3]))
    return found


def _cells(found: dict[tuple[float, float], tuple[set, set]]) -> list[Box]:
    """pdfplumber's cells: from each intersection, in order, the first point below and the
    first to its right (nearest first) joined to it by an edge, whose corner opposite is
    an intersection joined to both."""
    points = sorted(found)
    columns: dict[float, list[tuple[float, float]]] = {}
    rows: dict[float, list[tuple[float, float]]] = {}
    for point in points:
        columns.setdefault(point[0], []).append(point)
        rows.setdefault(point[1], []).append(point)
    cells = []
    for point in points:
        x, y = point
        column, row = columns[x], rows[y]
        below = column[column.index(point) + 1 :]
        right = row[row.index(point) + 1 :]
        vertical, horizontal = found[point]
        cell = None
        for below_point in below:
            if vertical.isdisjoint(found[below_point][0]):
                continue
            for right_point in right:
                if horizontal.isdisjoint(found[right_point][1]):
                    continue
                corner = (right_point[0], below_point[1])
                sets = found.get(corner)
                if (
                    sets is not None
                    and not sets[0].isdisjoint(found[right_point][0])
                    and not sets[1].isdisjoint(found[below_point][1])
                ):
                    cell = (x, y, corner[0], corner[1])
                    break
            if cell is not None:
                break
        if cell is not None:
            cells.append(cell)
    return cells


def words(chars: list[Char], by_size: bool) -> list[Char]:
    """pdfplumber's extract_words (with `extra_attrs=["size"]` when `by_size`): runs of one
    size, lines by top, left to right, split at spaces and gaps; each word as a character
    tuple of its text and box, with the size of its first character."""
    found: list[Char] = []
    runs = (list(run) for _, run in groupby(chars, itemgetter(SIZE))) if by_size else [chars]
    for run in runs:
        for line in _grouped(run, TOP, Y_TOLERANCE):
            line.sort(key=itemgetter(X0))
            word: list[Char] = []
            for char in line:
                if char[TEXT].isspace():
                    if word:
                        found.append(_word(word))
                    word = []
                    continue
                if word:
                    last = word[-1]
                    if (
                        char[X0] < last[X0]
                        or char[X0] > last[X1] + X_TOLERANCE
                        or abs(char[TOP] - last[TOP]) > Y_TOLERANCE
                    ):
                        found.append(_word(word))
                        word = []
                word.append(char)
            if word:
                found.append(_word(word))
    return found


def _word(chars: list[Char]) -> Char:
    if len(chars) == 1:
        char = chars[0]
        return (LIGATURES.get(char[TEXT], char[TEXT]), *char[1:])
    return (
        "".join([LIGATURES.get(char[TEXT], char[TEXT]) for char in chars]),
        min([char[X0] for char in chars]),
        max([char[X1] for char in chars]),
        min([char[TOP] for char in chars]),
        max([char[BOTTOM] for char in chars]),
        chars[0][SIZE],
    )


def text(chars: list[Char]) -> str:
    """The words of pdfplumber's extract_text over `chars`, lines by top, one space between
    words (the reader splits the text into words again)."""
    if not chars:
        return ""
    return " ".join(word[TEXT] for line in _grouped(words(chars, False), TOP, 3) for word in line)


def cell_texts(table: Table, rows: list, chars: list[Char], covers: bool) -> list[list[str | None]]:
    """Each cell's text (None for positions a merged cell covers): see pdf.py's _cell_texts.
    With `covers` (a cell holds the centre of another), a character goes to the smallest
    cell around it, pdfplumber's crop of the characters to the table deciding its box."""
    if not covers:
        return _extract(table.bbox, rows, chars)
    boxes = [box for row in rows for box in row.cells if box is not None]
    by_area = sorted(boxes, key=lambda box: (box[2] - box[0]) * (box[3] - box[1]))
    chars = _cropped(chars, table.bbox)
    centres = [((c[X0] + c[X1]) / 2, (c[TOP] + c[BOTTOM]) / 2) for c in chars]
    by_x = sorted(range(len(chars)), key=lambda index: centres[index][0])
    xs = [centres[index][0] for index in by_x]
    owners: list[Box | None] = [None] * len(chars)
    for box in by_area:  # smallest first: a character's owner is the first box around it
        for index in by_x[bisect_left(xs, box[0]) : bisect_right(xs, box[2])]:
            if owners[index] is None and box[1] <= centres[index][1] <= box[3]:
                owners[index] = box
    owned: dict[Box, list[Char]] = {box: [] for box in boxes}
    for char, owner in zip(chars, owners, strict=True):
        if owner is not None:
            owned[owner].append(char)
    return [[None if box is None else text(owned[box]) for box in row.cells] for row in rows]


def _cropped(chars: list[Char], bbox: Box) -> list[Char]:
    """pdfplumber's crop_to_bbox: characters overlapping `bbox`, clipped to it."""
    left, top, right, bottom = bbox
    kept = []
    for char in chars:
        x0, x1 = max(char[X0], left), min(char[X1], right)
        y0, y1 = max(char[TOP], top), min(char[BOTTOM], bottom)
        width, height = x1 - x0, y1 - y0
        if height >= 0 and width >= 0 and height + width > 0:
            kept.append((char[TEXT], x0, x1, y0, y1, char[SIZE]))
    return kept


def _extract(bbox: Box, rows: list, chars: list[Char]) -> list[list[str | None]]:
    """pdfplumber's Table.extract() over the characters inside the table: a character
    belongs to the first cell of its row whose box (right and bottom edges open) holds its
    centre."""
    left, top, right, bottom = bbox
    inside = []
    for char in chars:
        x = (char[X0] + char[X1]) / 2
        y = (char[TOP] + char[BOTTOM]) / 2
        if left <= x <= right and top <= y <= bottom:
            inside.append((char, x, y))
    texts = []
    for row in rows:
        x0, y0, x1, y1 = row.bbox
        in_row = [item for item in inside if x0 <= item[1] < x1 and y0 <= item[2] < y1]
        row_texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                row_texts.append(None)
                continue
            x0, y0, x1, y1 = cell
            row_texts.append(text([c for c, x, y in in_row if x0 <= x < x1 and y0 <= y < y1]))
        texts.append(row_texts)
    return texts
