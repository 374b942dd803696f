"""HTML building blocks for the report: the page shell with inline CSS, tables, escaping.

No scripts, no external stylesheets or fonts: a page opens from disk with no network.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

CSS = """
body{font-family:system-ui,'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif;margin:24px;
color:#222;max-width:1200px;line-height:1.45}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ccc}
h3{font-size:15px;margin:18px 0 6px}
.zh{color:#555}.note{color:#555;font-size:13px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}
th,td{border:1px solid #bbb;padding:3px 6px;vertical-align:top}
th{background:#f2f2f2;text-align:left;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;min-width:3em}
td.blank{background:#fff}td.off{background:#eee}
td.missing{background:repeating-linear-gradient(45deg,#fff,#fff 4px,#eee 4px,#eee 8px)}
td.unplaced{background:#fff3c4;color:#7f4f00;text-align:center}
td.unplaced.fail{outline:2px solid #c00}
td.fail{background:#fdd;outline:2px solid #c00;outline-offset:-2px}
td.missing.fail{background:repeating-linear-gradient(45deg,#fdd,#fdd 4px,#f99 4px,#f99 8px)}
.legend-box{display:inline-block;width:14px;height:12px;border:1px solid #999;vertical-align:middle}
svg.chart{display:block;margin:8px 0 16px;max-width:100%}
svg.chart text{fill:#222}
nav a{margin-right:12px}
"""


def page(title: str, body: str, home: str = "index.html") -> str:
    """A complete HTML document; `home` is the relative link back to the index."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f'<nav><a href="{escape(home)}">Index 首页</a></nav>\n'
        f"{body}\n</body>\n</html>\n"
    )


def heading(level: int, english: str, chinese: str, anchor: str = "") -> str:
    """A bilingual heading: English first, Chinese after it."""
    identifier = f' id="{escape(anchor)}"' if anchor else ""
    chinese_html = f' <span class="zh">{escape(chinese)}</span>' if chinese else ""
    return f"<h{level}{identifier}>{escape(english)}{chinese_html}</h{level}>"


def text(value: object) -> str:
    """Escaped text; None is empty (a blank stays blank)."""
    return "" if value is None else escape(str(value))


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
