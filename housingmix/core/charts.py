"""Server-rendered SVG bar charts for the staff dashboard.

The strict CSP (script-src and style-src 'self', no inline code) rules out libraries
that inject inline styles at run time; an SVG built here needs no script at all, works
without JavaScript, prints, and is read by screen readers through its table twin.
"""

from dataclasses import dataclass

BAR_HEIGHT = 26
GAP = 8
LABEL_WIDTH = 220
CHART_WIDTH = 640


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int
    text_x: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int


def bar_chart(data: list[tuple[str, int]]) -> BarChart:
    """Geometry of a horizontal bar chart; the template draws it (no markup built here)."""
    top = max((v for _l, v in data), default=0) or 1
    room = CHART_WIDTH - LABEL_WIDTH - 50
    bars = []
    for index, (label, value) in enumerate(data):
        width = max(1, round(room * value / top)) if value else 0
        bars.append(Bar(str(label), value, index * (BAR_HEIGHT + GAP), width, LABEL_WIDTH + width + 6))
    return BarChart(bars, CHART_WIDTH, max(1, len(bars) * (BAR_HEIGHT + GAP)), LABEL_WIDTH, BAR_HEIGHT)
