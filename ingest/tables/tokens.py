"""Source rows -> a flat stream of text and value tokens.

Labels are text tokens, printed numbers and blank markers are value tokens. A chunk of text in
which a table label runs straight into digits ("行政许可2293", "一、本年新收…申请数量640020470")
is split at the label/digit boundary; the digit string stays whole, to be split later only
where the row's own total makes the split unique.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from gongkai.text import fold, normalize
from ingest.readers import SourceRow
from ingest.tables.labels import vocabulary_pattern
from ingest.values import is_value_text
from ingest.vocabulary import alternation, money_units

TEXT = "text"
VALUE = "value"

_HAS_DIGIT_RE = re.compile(r"\d")
_HAS_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
# A number inside a text chunk, with an optional money unit right after it.
_EMBEDDED_NUMBER_RE = re.compile(rf"\d[\d,]*(?:\.\d+)?(?:{alternation(money_units())})?")
_ITEM_PREFIX_AFTER_RE = re.compile(r"[.、，,．]\s*[\u4e00-\u9fff]")
# A label whose only digits are its item number ("1.属于国家秘密"): nothing to split.
_ITEM_LABEL_RE = re.compile(r"[(（]?\d{1,2}[.、，,．)）]\D*")
# The first line of an item label broken by the page, run into the row's first value
# ("2.申请人逾期未0" in PDF text): the trailing digits are a value.
_ITEM_FRAGMENT_RE = re.compile(r"[(（]?\d{1,2}[.、，,．)）][\u4e00-\u9fff“”\"]{2,}\d+")


# The last piece of a label broken over lines, run into the row's first value ("情8" in
# PDF text laid out by columns): a count right after a CJK character of the label. Not after a
# character that counts or dates in prose (第3, 共8, 至2022), nor a number longer than a count.
_GLUED_VALUE_RE = re.compile(
    r"(?P<label>[\u4e00-\u9fff“”\"（）()，、]*[\u4e00-\u9fff”）)](?<![第共约至于年月日为计]))"
    r"(?P<value>[1-9]\d{0,6}|0)"
)


class Token(NamedTuple):
    kind: str  # TEXT or VALUE
    text: str  # as printed (stripped)
    locator: str
    chunk: int  # index of the physical row it came from
    explicit: bool  # from a real grid: an empty value is a printed blank
    delimited: bool  # a whole cell between separators (grid cell, pipes), not a word of a line
    norm: str = ""  # text tokens: the label-matching form of `text` (labels.normalize)
    confidence: float | None = None  # read by OCR: the engine's confidence in the cell
    alternatives: tuple[str, ...] = ()  # read by OCR: other readings of the cell that disagree


def tokenize(rows: list[SourceRow]) -> list[Token]:
    """Flatten rows into tokens, keeping each token's physical row as its chunk."""
    tokens: list[Token] = []
    for chunk, row in enumerate(rows):
        if row.explicit:
            tokens.extend(_explicit_row_tokens(row, chunk))
            continue
        delimited = len(row.cells) > 1
        for cell, locator in zip(row.cells, row.locators, strict=True):
            words = cell.split()  # any Unicode whitespace, full-width space included
            whole = delimited and len(words) == 1
            for word in words:
                if word.isdigit() and word.isascii():  # the common case, without the detour
                    tokens.append(Token(VALUE, word, locator, chunk, False, whole))
                else:
                    tokens.extend(_word_tokens(word, locator, chunk, False, whole))
    return tokens


def _explicit_row_tokens(row: SourceRow, chunk: int) -> list[Token]:
    # Empty cells before the row's last text cell are an empty label column, not blanks.
    last_text = -1
    # OCR'd rows that print numbers: readings after the label are numbers (misread or not);
    # a row of headings only (table 四's 维持 | 纠正 …) is words throughout.
    numbered = row.confidences is not None and any(c and is_value_text(c) for c in row.cells)
    for index, cell in enumerate(row.cells):
        if numbered and last_text >= 0 and len(cell) <= 2:
            break  # OCR: a short reading after the row's label is a misread number, a value
        if cell and not is_value_text(cell):
            last_text = index
        elif cell and numbered:
            break  # OCR: a row's labels come before its numbers; later text is a misreading
    if row.confidences is None and row.alternatives is None:
        return _grid_row_tokens(row, chunk, last_text)
    tokens: list[Token] = []
    confidences = row.confidences or (None,) * len(row.cells)
    alternatives = row.alternatives or ((),) * len(row.cells)
    for index, (cell, locator) in enumerate(zip(row.cells, row.locators, strict=True)):
        confidence = confidences[index]
        if not cell:
            if index > last_text:
                tokens.append(Token(VALUE, "", locator, chunk, True, True, "", confidence))
            continue
        if row.confidences is not None and index > last_text and not is_value_text(cell):
            # OCR: a reading in a number's place that is no number stays a value (unparsed).
            tokens.append(Token(VALUE, cell, locator, chunk, True, True, "", confidence))
            continue
        words = _word_tokens(cell, locator, chunk, True, True)
        if len(words) == 1 and words[0].kind == VALUE and alternatives[index]:
            words = [words[0]._replace(alternatives=alternatives[index])]
        tokens.extend(
            w._replace(confidence=confidence) if confidence is not None else w for w in words
        )
    return tokens


def _grid_row_tokens(row: SourceRow, chunk: int, last_text: int) -> list[Token]:
    """The tokens of a grid row not read by OCR: the path most documents take, without the
    per-cell confidence and alternative readings."""
    tokens: list[Token] = []
    append = tokens.append
    for index, (cell, locator) in enumerate(zip(row.cells, row.locators, strict=True)):
        if not cell:
            if index > last_text:
                append(Token(VALUE, "", locator, chunk, True, True, ""))
        elif cell.isdigit() and cell.isascii():  # a count, as most cells are
            append(Token(VALUE, cell, locator, chunk, True, True))
        else:
            tokens.extend(_word_tokens(cell, locator, chunk, True, True))
    return tokens


def _word_tokens(
    word: str, locator: str, chunk: int, explicit: bool, delimited: bool
) -> list[Token]:
    pieces = _word_pieces(word)
    if pieces is None:
        return [Token(VALUE, word, locator, chunk, explicit, delimited)]
    if len(pieces) == 1 and not delimited and (glued := _GLUED_VALUE_RE.fullmatch(word)):
        # A word of a line, not a cell of its own (a heading cell "数据1" stays whole).
        label = glued["label"]
        return [
            Token(TEXT, label, locator, chunk, explicit, False, normalize(label)),
            Token(VALUE, glued["value"], f"{locator}+{len(label)}", chunk, explicit, False),
        ]
    if len(pieces) == 1:
        return [Token(TEXT, word, locator, chunk, explicit, delimited, pieces[0][3])]
    return [
        Token(kind, text, f"{locator}+{start}", chunk, explicit, False, norm)
        for kind, text, start, norm in pieces
    ]


@lru_cache(maxsize=1 << 16)
def _word_pieces(word: str) -> tuple[tuple[str, str, int, str], ...] | None:
    """How a word tokenizes, whatever its place: None for a value, else its pieces
    (kind, text, start, label-matching form); one piece is the whole word as text."""
    if is_value_text(word):
        return None
    if (
        _HAS_DIGIT_RE.search(word)
        and _HAS_CJK_RE.search(word)
        and not _ITEM_LABEL_RE.fullmatch(word)
    ):
        pieces = split_label_digits(word)
        if len(pieces) > 1:
            return tuple(
                (kind, text, start, normalize(text) if kind == TEXT else "")
                for kind, text, start in pieces
            )
    return ((TEXT, word, 0, normalize(word)),)


def split_label_digits(word: str) -> list[tuple[str, str, int]]:
    """Split a chunk where table labels run into digits; other text is left whole.

    Returns (kind, text, start offset) pieces. A digit right before "." or "、" and a CJK
    character is the next label's item number ("00000002.其他法律…"), not part of the value.
    """
    folded = fold(word)
    if len(folded) != len(word) or not (
        vocabulary_pattern().search(normalize(folded)) or _ITEM_FRAGMENT_RE.fullmatch(folded)
    ):
        return [(TEXT, word, 0)]
    pieces: list[tuple[str, str, int]] = []
    cursor = 0
    for match in _EMBEDDED_NUMBER_RE.finditer(folded):
        start, end = match.span()
        number = match.group()
        if _ITEM_PREFIX_AFTER_RE.match(folded, end):
            number, end = number[:-1], end - 1
        if not number or not _has_label_left(folded, start):
            continue
        if start > cursor:
            pieces.append((TEXT, word[cursor:start], cursor))
        pieces.append((VALUE, word[start:end], start))
        cursor = end
    if cursor < len(word):
        pieces.append((TEXT, word[cursor:], cursor))
    return pieces


def _has_label_left(text: str, start: int) -> bool:
    """A value follows a label (CJK or closing bracket) or starts the chunk, never a letter."""
    if start == 0:
        return True
    before = text[start - 1]
    return bool(_HAS_CJK_RE.match(before)) or before in ")）]】”\"'"
