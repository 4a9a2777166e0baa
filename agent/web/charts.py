"""Charts drawn on the server as SVG: pure functions from figures (already formatted for the viewer) to markup.

Each chart carries a `<title>` and is hidden from screen readers' tables: the page shows the same numbers in a
`<table>` beside it. Right-to-left pages get mirrored bars (they grow from the right) with labels on the right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 320
ROW = 30
BAR = 18
LABEL_WIDTH = 110
VALUE_WIDTH = 56
MAX_LABEL = 16
MAX_FUNNEL_LABEL = 32
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its size (any unit, compared with the others) and its value as the reader reads it."""

    label: str
    size: float
    shown: str


def _short(label: str, limit: int = MAX_LABEL) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _svg(title: str, height: int, body: str, *, css: str) -> Markup:
    attributes = {
        "class": f"chart {css}",
        "direction": "ltr",
        "viewBox": f"0 0 {WIDTH} {height}",
        "width": "100%",
        "role": "img",
        "preserveAspectRatio": "xMinYMin meet",
        "xmlns": SVG_NAMESPACE,
    }
    opening = " ".join(f'{name}="{value}"' for name, value in attributes.items())
    return Markup(f"<svg {opening}><title>{escape(title)}</title>{body}</svg>")


def bar_chart(title: str, bars: Sequence[Bar], *, rtl: bool = False) -> Markup:
    """Horizontal bars, one row each: label, bar (scaled to the largest), value."""
    largest = max((bar.size for bar in bars), default=0.0) or 1.0
    track = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    rows = []
    for index, bar in enumerate(bars):
        y = index * ROW + 4
        length = max(0.0, bar.size) / largest * track
        text_y = y + BAR - 5
        if rtl:  # the svg is laid out left to right; a right-to-left label starts at the right edge
            label = f'x="{WIDTH - 2}" direction="rtl" text-anchor="start"'
            bar_x = WIDTH - LABEL_WIDTH - length
            value = f'x="{bar_x - 4:.1f}" text-anchor="end"'
        else:
            label = 'x="2" text-anchor="start"'
            bar_x = LABEL_WIDTH
            value = f'x="{LABEL_WIDTH + length + 4:.1f}" text-anchor="start"'
        rows.append(
            f'<text {label} y="{text_y}" class="label">{escape(_short(bar.label))}</text>'
            f'<rect x="{bar_x:.1f}" y="{y}" width="{length:.1f}" height="{BAR}" rx="3" class="bar bar-{index % 6}"/>'
            f'<text {value} y="{text_y}" class="value">{escape(bar.shown)}</text>'
        )
    return _svg(title, max(len(bars), 1) * ROW + 4, "".join(rows), css="bars")


def funnel_chart(title: str, steps: Sequence[Bar], *, rtl: bool = False) -> Markup:
    """A funnel: centred bars narrowing with the count, each with its label and value inside or below it.

    Symmetric; on a right-to-left page only the text's direction changes."""
    largest = max((step.size for step in steps), default=0.0) or 1.0
    direction = "rtl" if rtl else "ltr"
    height = 34
    rows = []
    for index, step in enumerate(steps):
        y = index * height + 2
        width = max(2.0, max(0.0, step.size) / largest * WIDTH)
        x = (WIDTH - width) / 2
        rows.append(
            f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{height - 6}" rx="4" '
            f'class="bar bar-{index % 6}"/>'
            f'<text x="{WIDTH / 2:.0f}" y="{y + height - 15}" text-anchor="middle" direction="{direction}" '
            f'class="funnel-text">'
            f"{escape(_short(step.label, MAX_FUNNEL_LABEL))} · {escape(step.shown)}</text>"
        )
    return _svg(title, max(len(steps), 1) * height + 2, "".join(rows), css="funnel")
