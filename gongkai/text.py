"""Text normalisation every layer shares: how printed Chinese text is folded before matching."""

from __future__ import annotations

import re
import unicodedata

_SPACE_RE = re.compile(r"[\s|\u3000\u00a0#*`>]+")
_QUOTES_RE = re.compile(r"[\"'“”‘’「」『』]")
# "1、" "1，" "1．" before a CJK character is an item number: fold it to "1."
_ITEM_SEP_RE = re.compile(r"(?<=\d)[、,，．]")
# Dashes NFKC leaves alone but reports print as a minus sign.
_MINUS = str.maketrans({"\u2212": "-", "\u2010": "-", "\u2011": "-"})


def normalize(text: str) -> str:
    """Return `text` folded for label matching: NFKC, no whitespace, no quotes, "1." items."""
    folded = unicodedata.normalize("NFKC", text)
    folded = _SPACE_RE.sub("", folded)
    folded = _QUOTES_RE.sub("", folded)
    return _ITEM_SEP_RE.sub(".", folded)


def fold(text: str) -> str:
    """NFKC-fold and strip a cell: full-width digits and signs become ASCII."""
    return unicodedata.normalize("NFKC", text).translate(_MINUS).replace("\u00a0", " ").strip()
