"""The server-drawn charts: a title, bars scaled to the largest, labels escaped, mirrored right to left."""

from __future__ import annotations

import re

from agent.web.charts import Bar, bar_chart, funnel_chart


def widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect x="[^"]+" y="\d+" width="([\d.]+)"', svg)]


def test_bars_are_scaled_to_the_largest_and_carry_a_title_and_their_values() -> None:
    svg = bar_chart("Leads <by source>", [Bar("expo_qr", 4, "4"), Bar("catalog", 1, "1")])
    assert "<title>Leads &lt;by source&gt;</title>" in svg
    big, small = widths(svg)
    assert big == 4 * small
    assert ">4</text>" in svg and ">1</text>" in svg


def test_right_to_left_bars_grow_from_the_right() -> None:
    ltr = bar_chart("x", [Bar("a", 1, "1")])
    rtl = bar_chart("x", [Bar("ب", 1, "1")], rtl=True)
    left_x = float(re.findall(r'<rect x="([\d.]+)"', ltr)[0])
    right_x = float(re.findall(r'<rect x="([\d.]+)"', rtl)[0])
    assert right_x < left_x  # the bar ends at the label on the right
    assert 'direction="rtl"' in rtl and 'direction="rtl"' not in ltr


def test_a_funnel_narrows_with_the_count_and_stays_centred() -> None:
    svg = funnel_chart("Funnel", [Bar("New", 10, "10"), Bar("Won", 2, "2")])
    rects = re.findall(r'<rect x="([\d.]+)" y="\d+" width="([\d.]+)"', svg)
    (x1, w1), (x2, w2) = ((float(x), float(w)) for x, w in rects)
    assert w1 == 5 * w2 and abs((x1 + w1 / 2) - (x2 + w2 / 2)) < 0.1
    assert funnel_chart("Empty", []).count("<rect") == 0
