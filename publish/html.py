"""HTML building blocks for the report: the page shell with inline CSS, tables, escaping.

One stylesheet and one plain script shipped in publish/assets/, linked relatively; no
external resources or fonts: a page opens from disk with no network.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
# Shared by every page: written once into the report's assets/ folder, linked relatively.
STYLESHEET = "assets/report.css"
SCRIPT = "assets/report.js"


def page(
    title: str, body: str, home: str = "index.html", assets: str = "", script: bool = False
) -> str:
    """A complete HTML document; `home` is the relative link back to the index and `assets`
    the relative path to the report's root (for its stylesheet and, with `script`, its
    filter/sort script)."""
    scripts = f'<script src="{escape(assets + SCRIPT)}"></script>\n' if script else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="stylesheet" href="{escape(assets + STYLESHEET)}">\n</head>\n<body>\n'
        f'<nav><a href="{escape(home)}">Index 首页</a></nav>\n'
        f"{body}\n{scripts}</body>\n</html>\n"
    )


def heading(level: int, english: str, chinese: str, anchor: str = "") -> str:
    """A bilingual heading: English first, Chinese after it."""
    identifier = f' id="{escape(anchor)}"' if anchor else ""
    chinese_html = f' <span class="zh">{escape(chinese)}</span>' if chinese else ""
    return f"<h{level}{identifier}>{escape(english)}{chinese_html}</h{level}>"


_ESCAPED: dict[str, str] = {}  # the same few labels, codes and numbers on every page
_ESCAPED_KEPT = 1_000_000


def text(value: object) -> str:
    """Escaped text; None is empty (a blank stays blank)."""
    if value is None:
        return ""
    plain = value if type(value) is str else str(value)
    escaped = _ESCAPED.get(plain)
    if escaped is None:
        if len(_ESCAPED) >= _ESCAPED_KEPT:
            _ESCAPED.clear()
        escaped = _ESCAPED[plain] = escape(plain)
    return escaped


def link(href: str, label: str) -> str:
    return f'<a href="{escape(href)}">{escape(label)}</a>'


def table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    """A table from already-escaped cell HTML; columns listed in `numeric` align right."""
    head = "".join(f"<th>{cell}</th>" for cell in header)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{cell}</td>' if index in numeric else f"<td>{cell}</td>"
            for index, cell in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
