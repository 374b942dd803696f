"""Plain inline SVG charts, generated as text: no JavaScript, no network, deterministic.

Every data mark is a `<rect class="mark">` with a `<title>` (shown as a tooltip), so a
browser test can count what was drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

# Colour-blind-safe palette (Okabe & Ito), one colour per outcome group / series.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#56B4E9",
    "#E69F00",
    "#D55E00",
    "#CC79A7",
    "#999999",
    "#009E73",
    "#F0E442",
)
LABEL_WIDTH = 300
ROW_HEIGHT = 26
BAR_HEIGHT = 18
VALUE_WIDTH = 90
FONT = "font-family:system-ui,'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif;font-size:12px"


@dataclass(frozen=True)
class Series:
    """One stacked series: its label and one value per category (None: not reported)."""

    label: str
    values: Sequence[float | None]


_NUMBERS: dict[tuple[type, float], str] = {}  # counts repeat across reports
_NUMBERS_KEPT = 1_000_000


def number(value: float | None) -> str:
    """A count as people read it: 1,234; a fraction keeps up to two decimals; None is –."""
    if value is None:
        return "–"
    key = (type(value), value)
    shown = _NUMBERS.get(key)
    if shown is None:
        if len(_NUMBERS) >= _NUMBERS_KEPT:
            _NUMBERS.clear()
        if float(value).is_integer():
            shown = f"{int(value):,}"
        else:
            shown = f"{value:,.2f}"
        _NUMBERS[key] = shown
    return shown


def percent(value: float | None) -> str:
    """0.1234 → 12.3%; None → –."""
    return "–" if value is None else f"{value * 100:.1f}%"


def bar_chart(
    title: str,
    bars: Sequence[tuple[str, float | None]],
    width: int = 800,
    formatter: Callable[[float | None], str] = number,
    maximum: float | None = None,
) -> str:
    """Horizontal bars, one per (label, value); a None value is drawn as no bar, marked –."""
    known = [value for _, value in bars if value is not None]
    top = maximum if maximum is not None else max(known, default=0.0)
    plot = width - LABEL_WIDTH - VALUE_WIDTH
    height = 30 + ROW_HEIGHT * max(len(bars), 1)
    parts = [_open(title, width, height), _title(title)]
    for index, (label, value) in enumerate(bars):
        y = 30 + index * ROW_HEIGHT
        parts.append(_label(label, y))
        length = 0.0 if not value or top <= 0 else plot * value / top
        if value is not None:
            parts.append(
                f'<rect class="mark" x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" '
                f'height="{BAR_HEIGHT}" fill="{PALETTE[0]}">'
                f"<title>{escape(label)}: {escape(formatter(value))}</title></rect>"
            )
        shown = escape(formatter(value))
        parts.append(f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 13}">{shown}</text>')
    if not bars:
        parts.append(f'<text x="{LABEL_WIDTH}" y="44">no data 无数据</text>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    width: int = 800,
) -> str:
    """100% stacked horizontal bars: one bar per category, one segment per series, a legend.

    Each segment's tooltip gives the count and its share; a category with no reported values
    is labelled "no data" instead of a bar.
    """
    plot = width - LABEL_WIDTH - 20
    legend_rows = (len(series) + 1) // 2
    top = 30 + 20 * legend_rows
    height = top + ROW_HEIGHT * max(len(categories), 1) + 6
    parts = [_open(title, width, height), _title(title)]
    for index, item in enumerate(series):
        x = LABEL_WIDTH + (index % 2) * (plot // 2)
        y = 26 + (index // 2) * 20
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect class="legend" x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="{y + 10}">{escape(item.label)}</text>'
        )
    for row, category in enumerate(categories):
        y = top + row * ROW_HEIGHT
        parts.append(_label(category, y))
        values = [item.values[row] for item in series]
        total = sum(value for value in values if value is not None)
        if total <= 0:
            parts.append(f'<text x="{LABEL_WIDTH}" y="{y + 13}">no data 无数据</text>')
            continue
        x = float(LABEL_WIDTH)
        for index, (item, value) in enumerate(zip(series, values, strict=True)):
            if not value:
                continue
            length = plot * value / total
            tip = f"{category} · {item.label}: {number(value)} ({percent(value / total)})"
            parts.append(
                f'<rect class="mark" x="{x:.1f}" y="{y}" width="{length:.1f}" '
                f'height="{BAR_HEIGHT}" fill="{PALETTE[index % len(PALETTE)]}">'
                f"<title>{escape(tip)}</title></rect>"
            )
            x += length
    parts.append("</svg>")
    return "".join(parts)


def _open(title: str, width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label="{escape(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="{FONT}">'
    )


def _title(title: str) -> str:
    return f'<text x="0" y="16" style="font-weight:bold;font-size:13px">{escape(title)}</text>'


def text_width(label: str) -> float:
    """Approximate width in pixels at 12px: Chinese characters are about twice as wide."""
    return sum(12.0 if ord(character) > 0x2E80 else 6.8 for character in label)


def _label(label: str, y: int) -> str:
    short = label
    while text_width(short) > LABEL_WIDTH - 14 and len(short) > 1:
        short = short[:-2] + "…"
    return (
        f'<text x="{LABEL_WIDTH - 8}" y="{y + 13}" text-anchor="end">'
        f"<title>{escape(label)}</title>{escape(short)}</text>"
    )
