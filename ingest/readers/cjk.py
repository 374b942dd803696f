"""Joining text pieces the way a Chinese reader sees them."""

from __future__ import annotations

import re

# CJK ideographs, CJK punctuation and full-width forms.
_CJK_RE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def join_cjk(pieces: list[str]) -> str:
    """Join pieces (words, wrapped lines of a cell, paragraphs) with a space only where both
    sides are Latin or digits.

    A label wrapped inside a cell ("申请\\n数量") and the spacing a PDF puts between CJK and
    digits ("2024 年") are one word to a reader, and must be one to the label dictionary.
    """
    out = ""
    for piece in (" ".join(p.split()) for p in pieces):
        if not piece:
            continue
        if out and not (_CJK_RE.match(out[-1]) or _CJK_RE.match(piece[0])):
            out += " "
        out += piece
    return out
