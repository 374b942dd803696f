"""SQL that renders values as the report's Python helpers do, so the database can draw the
many rows of the report (grid cells, list rows, failing results) with the same bytes.

    escaped(x)      html.escape(x, quote=True)         (publish.html.text, on text)
    text(x)         publish.html.text(x): '' for null
    number(x)       publish.charts.number(x): 1,234 / 1,234.50 / – for null
    json_text(x)    json.dumps(x, ensure_ascii=False) of a string, null for null
    json_integer(x) json.dumps(x) of an integer, null for null
    json_number(x)  a decimal as an exact JSON number (1944, -12.5, 0.125), null for null
"""

from __future__ import annotations

_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def escaped(expression: str) -> str:
    """SQL that HTML-escapes the text `expression` evaluates to. The replaces run only on
    text that holds a character to escape (rare: printed numbers, codes, locators)."""
    replaced = expression
    needs = []
    for raw, entity in _ESCAPES:
        replaced = f"replace({replaced}, {_literal(raw)}, {_literal(entity)})"
        needs.append(f"contains({expression}, {_literal(raw)})")
    return f"(case when {' or '.join(needs)} then {replaced} else {expression} end)"


def text(expression: str) -> str:
    return f"coalesce({escaped(f'cast({expression} as varchar)')}, '')"


def number(expression: str) -> str:
    """As charts.number on a Decimal of scale ≤ 4 (the marts' DECIMAL(38,4)) or an integer:
    integral as a float → its integer part with thousands separators; else rounded half-even
    to hundredths, in exact integer arithmetic, sign kept. Tests run on doubles first (the
    128-bit decimal arithmetic is slow); for a scale-4 value under 1,000 a double is
    integral exactly when the value is."""
    x = expression
    as_double = f"cast({x} as double)"
    units = f"abs(cast({x} * 10000 as hugeint))"  # ten-thousandths
    rest = f"({units} % 100)"
    hundredths = (
        f"({units} // 100 + case when {rest} > 50 or ({rest} = 50 and ({units} // 100) % 2 = 1)"
        " then 1 else 0 end)"
    )
    return (
        f"(case when {x} is null then '–'"
        f" when {as_double} = trunc({as_double}) then"
        f" case when abs({as_double}) < 1000 then cast(cast({as_double} as integer) as varchar)"
        f" else format('{{:,}}', cast(trunc({x}) as hugeint)) end"
        f" else concat(case when {x} < 0 then '-' end, format('{{:,}}', {hundredths} // 100),"
        f" '.', lpad(cast({hundredths} % 100 as varchar), 2, '0')) end)"
    )


_SHORT_ESCAPES = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"}


def _json_escaped(value: str) -> str:
    """SQL escaping text as json.dumps does (backslash, quote, control characters), quoted."""
    for raw, escape in (("\\", "\\\\"), ('"', '\\"')):
        value = f"replace({value}, {_literal(raw)}, {_literal(escape)})"
    for code in range(0x20):
        escape = _SHORT_ESCAPES.get(code, f"\\u{code:04x}")
        value = f"replace({value}, chr({code}), {_literal(escape)})"
    return f"""concat('"', {value}, '"')"""


def json_text(expression: str) -> str:
    """A JSON string, as json.dumps(ensure_ascii=False) writes it. DuckDB's to_json writes
    the same but for the case of the hex digits of \\u00XX, so text with a control
    character (rare) is escaped by `_json_escaped` instead."""
    value = f"cast({expression} as varchar)"
    # to_json writes \\u00XX only for a control character (or for a backslash before u00)
    return (
        f"coalesce(case when contains(to_json({value}), '\\u00') then {_json_escaped(value)}"
        f" else to_json({value}) end, 'null')"
    )


def json_integer(expression: str) -> str:
    return f"coalesce(cast({expression} as varchar), 'null')"


def json_number(expression: str) -> str:
    """A decimal (the marts' DECIMAL(38,4)) as a JSON number with its exact digits, trailing
    zeros dropped: 1944.0000 → 1944, -12.5000 → -12.5 (the data file carries a number the
    script can sort and format as the page prints it, not the text "1944.0000")."""
    value = f"cast({expression} as varchar)"
    return (
        f"coalesce(case when contains({value}, '.') then rtrim(rtrim({value}, '0'), '.')"
        f" else {value} end, 'null')"
    )
