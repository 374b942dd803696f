"""Cut a table section's token stream into segments, each starting at a row label.

A segment is the values that follow one row label (or the table start). Labels may be
missing, repeated or misplaced (PDF text), so the label that names the row expected next wins,
else the last new one; text cells that sit between two labels become values of the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai.text import normalize
from ingest.tables.labels import RowSpec, heading_of, vocabulary_pattern
from ingest.tables.tokens import TEXT, VALUE, Token

_LABEL_CONTEXT = 4  # characters kept before a label found inside a longer run of text


@dataclass
class Segment:
    row: int | None
    label_raw: str | None
    context: str  # normalized text of the anchoring run (headers, units)
    values: list[Token] = field(default_factory=list)
    # Value counts at which the label of a row already done was printed again (a repeated
    # row block, or a label PDF text misplaced): where the segment's own values may end.
    repeats: list[int] = field(default_factory=list)


def cut_segments(
    tokens: list[Token], specs: tuple[RowSpec, ...], use_anchors: bool
) -> list[Segment]:
    """Cut the token stream into segments, each starting at a row label (or the table start)."""
    cutter = _SegmentCutter(specs, use_anchors)
    pending: list[Token] = []
    for token in tokens:
        if token.kind == TEXT:
            pending.append(token)
            continue
        if pending:
            cutter.text_run(pending)
            pending = []
        cutter.segments[-1].values.append(token)
    return cutter.segments


class _SegmentCutter:
    def __init__(self, specs: tuple[RowSpec, ...], use_anchors: bool) -> None:
        self.specs = specs
        self.use_anchors = use_anchors
        self.segments = [Segment(row=None, label_raw=None, context="")]
        self.taken: set[int] = set()  # rows anchored or already filled by earlier values

    def text_run(self, run: list[Token]) -> None:
        """Handle text between values, first splitting off text cells between two row labels.

        In a grid ("行政处罚 | 见附件 | 行政强制 | 102") a cell of its own that is no table
        vocabulary, between the labels of two different rows, is the first row's text value.
        """
        # Only a cell between two labels can be a text value: most runs are a label alone.
        if not self.use_anchors or len(run) < 3 or not any(map(_is_text_cell, run[1:-1])):
            self._anchor(run)
            return
        hits_at = _hit_tokens(run, self.specs)
        start = 0
        for index, token in enumerate(run):
            before = [row for row in hits_at[:index] if row is not None]
            after = [row for row in hits_at[index + 1 :] if row is not None]
            if before and after and before[-1] != after[0] and _is_text_cell(token):
                self._anchor(run[start:index])
                self.segments[-1].values.append(token._replace(kind=VALUE))
                start = index + 1
        self._anchor(run[start:])

    def _anchor(self, run: list[Token]) -> None:
        """Start a new segment at the row label this run names, if it names one we expect."""
        if not run:
            return
        current = self.segments[-1]
        norm_parts = [t.norm for t in run]
        norm = "".join(norm_parts)
        hits = list(_label_hits(norm, self.specs)) if self.use_anchors else []
        # A group heading printed beside its first item (（六）其他处理 | 1.…) names the item.
        if len(hits) > 1:  # a row is never its own heading: one hit stays
            hits = [
                (row, pos)
                for row, pos in hits
                if not any(heading_of(self.specs[row], self.specs[other]) for other, _ in hits)
            ]
        expected = rows_after(self.specs, current.row, len(current.values))
        if not hits and self.use_anchors and expected < len(self.specs):
            position = _label_start(norm, self.specs[expected])
            if position is not None:
                hits = [(expected, position)]
        hit_rows = [row for row, _ in hits]
        free = [row for row in hit_rows if row not in self.taken]
        # PDF text jumbles labels: prefer the row that comes next, else the last new label.
        target = expected if expected in hit_rows else (free[-1] if free else None)
        if target is None:
            if hits and current.values:
                current.repeats.append(len(current.values))
            current.context += norm
            return
        position = max(pos for row, pos in hits if row == target)
        if current.row is not None:
            # Rows the values ran past are done; optional ones may still come under a label.
            self.taken.update(
                row for row in range(current.row, expected) if not self.specs[row].optional
            )
            self.taken.add(current.row)
        self.taken.add(target)
        label = _label_raw(run, norm_parts, position)
        self.segments.append(Segment(target, label, norm[max(0, position - 40) :]))


_ITEM_NUMBER_RE = re.compile(r"\(?\d{1,2}[.)]")
_LABEL_START_CHARS = 4  # label characters after the item number that must agree


def _label_start(norm: str, spec: RowSpec) -> int | None:
    """Where the first line of `spec`'s label starts in `norm`, when only that line printed.

    PDF text breaks long labels over lines, or over a page ("2.申请人逾期未" … "按收费通知…"),
    so the part that names the row may come after the row's values. The text from an item
    number to the end of `norm` must begin the expected row's item label, by at least
    `_LABEL_START_CHARS` characters after the number.
    """
    item = normalize(spec.label_zh.split(" ")[-1])
    number = _ITEM_NUMBER_RE.match(item)
    if number is None:
        return None
    for match in _ITEM_NUMBER_RE.finditer(norm):
        tail = norm[match.start() :]
        if (
            match.group() == number.group()
            and len(tail) >= number.end() + _LABEL_START_CHARS
            and item.startswith(tail)
        ):
            return match.start()
    return None


def _hit_tokens(run: list[Token], specs: tuple[RowSpec, ...]) -> list[int | None]:
    """For each token, the row whose label starts in it (if any)."""
    parts = [t.norm for t in run]
    starts, offset = [], 0
    for part in parts:
        starts.append(offset)
        offset += len(part)
    rows: list[int | None] = [None] * len(run)
    for row, position in _label_hits("".join(parts), specs):
        index = max(i for i, start in enumerate(starts) if start <= position)
        rows[index] = row
    return rows


def _is_text_cell(token: Token) -> bool:
    norm = token.norm
    return token.delimited and 0 < len(norm) <= 12 and not vocabulary_pattern().search(norm)


def _label_hits(norm: str, specs: tuple[RowSpec, ...]) -> tuple[tuple[int, int], ...]:
    """(row index, position) of every row label in `norm`, in order of position."""
    key = (id(specs), norm)
    hits = _HITS.get(key)
    if hits is None:
        kept = _LABEL_REGEXES.get(id(specs))
        regex = kept[1] if kept is not None and kept[0] is specs else _labels_regex(specs)
        hits = tuple((int(m.lastgroup[1:]), m.start()) for m in regex.finditer(norm))
        if len(_HITS) >= _HITS_KEPT:
            _HITS.clear()
        _HITS[key] = hits
    return hits


# Reports print the same labels: the hits of a text run are looked up, not searched again.
_HITS: dict[tuple[int, str], tuple[tuple[int, int], ...]] = {}
_HITS_KEPT = 1 << 16


# Keyed by the identity of the (cached, immutable) spec tuples: hashing them is slow. Each
# entry holds its tuple, so the id cannot be reused by another tuple (nor the hits' keys).
_LABEL_REGEXES: dict[int, tuple[tuple[RowSpec, ...], re.Pattern[str]]] = {}


def _labels_regex(specs: tuple[RowSpec, ...]) -> re.Pattern[str]:
    """One alternation of all row label patterns: group r<i> is row i."""
    alternatives = [
        f"(?P<r{index}>{spec.pattern.pattern})"
        for index, spec in enumerate(specs)
        if spec.pattern is not None
    ]
    regex = re.compile("|".join(alternatives) or "(?!)")
    _LABEL_REGEXES[id(specs)] = (specs, regex)
    return regex


def rows_after(specs: tuple[RowSpec, ...], start: int | None, count: int) -> int:
    """Index of the row after the ones `count` values fill from row `start` on.

    Optional rows (another template's) are filled only under their own label: values of a
    regular row run past them. Once inside an optional row, its siblings come next.
    """
    if start is None:
        return 0
    inside = specs[start].optional
    row, remaining = start, count
    while remaining > 0 and row < len(specs):
        if row == start or inside or not specs[row].optional:
            remaining -= len(specs[row].columns)
        row += 1
    while not inside and row < len(specs) and specs[row].optional:
        row += 1
    return row


def _label_raw(pending: list[Token], norm_parts: list[str], position: int) -> str:
    offset = 0
    for index, part in enumerate(norm_parts):
        if offset + len(part) > position:
            raw = " ".join([t.text for t in pending[index:]])
            if len(raw) <= 60:
                return raw
            start = max(0, position - offset - _LABEL_CONTEXT)
            return "".join(norm_parts[index:])[start : start + 60]
        offset += len(part)
    return " ".join(t.text for t in pending)
