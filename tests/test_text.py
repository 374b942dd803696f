"""gongkai.text: the folding every stage applies before matching printed Chinese text."""

from __future__ import annotations

import pytest

from gongkai.text import fold, normalize


@pytest.mark.parametrize(
    ("printed", "normalized"),
    [
        ("（一）予以公开", "(一)予以公开"),  # full-width brackets
        ("1、属于国家秘密", "1.属于国家秘密"),  # item separators become "1."
        ("１．属于国家秘密", "1.属于国家秘密"),  # full-width digit and dot
        ("申请\n数量", "申请数量"),  # a label wrapped inside its cell
        ("“三安全一稳定”", "三安全一稳定"),  # quotes dropped
        ("| 行政 许可 |", "行政许可"),  # pipes and spaces of text tables
    ],
)
def test_normalize(printed: str, normalized: str) -> None:
    assert normalize(printed) == normalized


@pytest.mark.parametrize(
    ("printed", "folded"),
    [
        ("１２３", "123"),
        ("\u22127", "-7"),  # minus sign
        ("\u00a012\u00a0", "12"),  # no-break spaces around
        ("71.19万元", "71.19万元"),
    ],
)
def test_fold(printed: str, folded: str) -> None:
    assert fold(printed) == folded
