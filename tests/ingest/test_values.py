"""Printed cell text -> value, unit, kind: inline examples of what reports print."""

from __future__ import annotations

import pytest

from ingest.values import is_value_text, parse_value


@pytest.mark.parametrize(
    ("printed", "value", "unit", "kind"),
    [
        ("0", 0.0, None, "zero"),
        ("13", 13.0, None, "number"),
        ("-7", -7.0, None, "number"),
        ("+36", 36.0, None, "number"),
        ("−7", -7.0, None, "number"),  # U+2212 minus sign
        ("－7", -7.0, None, "number"),  # full-width hyphen-minus
        ("１２３", 123.0, None, "number"),  # full-width digits
        ("1,234", 1234.0, None, "number"),
        ("71.19万元", 71.19, "万元", "number"),
        ("67936552元", 67936552.0, "元", "number"),
        ("3千元", 3.0, "千元", "number"),  # in the units seed, once read as text
        ("2.5亿元", 2.5, "亿元", "number"),
        ("120人次", 120.0, "人次", "number"),
        ("35%", 35.0, "%", "number"),
        ("24252.311082", 24252.311082, None, "number"),
        ("13件", 13.0, "件", "number"),
        ("", None, None, "blank"),
        ("\u00a0", None, None, "blank"),
        ("—", None, None, "blank"),
        ("-", None, None, "blank"),
        ("/", None, None, "blank"),
        ("无", None, None, "blank"),
        ("不适用", None, None, "not_applicable"),
        ("N/A", None, None, "not_applicable"),
        ("——", None, None, "blank"),
        ("见附件", None, None, "text"),
        ("12件左右", None, None, "text"),
    ],
)
def test_parse_value(printed: str, value: float | None, unit: str | None, kind: str) -> None:
    parsed = parse_value(printed)
    assert (parsed.value, parsed.unit, parsed.kind) == (value, unit, kind)
    assert is_value_text(printed) == (kind != "text")


def test_blank_is_never_zero() -> None:
    assert parse_value("—").value is None and parse_value("0").value == 0.0
