"""A family's building-block scores over time as a small server-rendered SVG (no JavaScript),
drawn the way the dashboard draws its trend (:func:`hopeful.web.insights.charts.line_chart`):
an ``<svg role="img" aria-label=...>`` sized in units that keep the text readable when scaled
to a phone's width, with a data table of the same numbers next to it on the page.

Four lines share one chart, so colour is never the only difference: each block has its own
marker shape and line pattern, and a legend names them.
"""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hopeful.web.casework.selectors_family import BlockTrend
from hopeful.web.insights.charts import GRID, MUTED

#: The building blocks' colours (as ``--block-*`` in hopeful.css: each >= 4.5:1 on white).
COLOURS = {
    "relationships": "#7a1f5c",
    "environment": "#1f5f3a",
    "engagement": "#1d4f91",
    "emotional_growth": "#8a4b00",
}
DASHES = ("", "8 4", "2 3", "10 3 2 3")
#: Each line is nudged sideways a little so that equal values do not hide each other.
NUDGE = (-6.0, -2.0, 2.0, 6.0)


def _n(value: float) -> str:
    return f"{value:.1f}"


def _marker(shape: int, cx: float, cy: float, colour: str) -> str:
    if shape == 0:
        return f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="5" fill="{colour}"/>'
    if shape == 1:
        return f'<rect x="{_n(cx - 4.5)}" y="{_n(cy - 4.5)}" width="9" height="9" fill="{colour}"/>'
    if shape == 2:
        return (
            f'<path d="M{_n(cx)} {_n(cy - 6)}L{_n(cx + 6)} {_n(cy + 4.5)}'
            f'L{_n(cx - 6)} {_n(cy + 4.5)}Z" fill="{colour}"/>'
        )
    return (
        f'<path d="M{_n(cx)} {_n(cy - 6.5)}L{_n(cx + 6.5)} {_n(cy)}L{_n(cx)} {_n(cy + 6.5)}'
        f'L{_n(cx - 6.5)} {_n(cy)}Z" fill="{colour}"/>'
    )


def block_trend_chart(trend: BlockTrend, *, title: str) -> SafeString:
    """One line per building block: the share of the block's questions answered as a
    strength (0-100%) at each questionnaire, oldest on the left. A block a questionnaire did
    not ask is not drawn there (its line breaks)."""
    # narrower than the dashboard's trend (410 units): on a 390 px phone the text stays
    # about 13 px high, and the legend's two columns fit "Emotional growth"
    left, plot_w, plot_h, top = 50, 350, 150, 16
    legend_top = top + plot_h + 42
    width, height = left + plot_w + 10, legend_top + 24 * math.ceil(len(trend.blocks) / 2)
    step = plot_w / max(len(trend.rows), 1)
    parts = [
        f'<svg class="chart trend block-chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="15">'
    ]

    def y(share: float) -> float:
        return top + plot_h * (1 - max(0.0, min(share, 1.0)))

    for tick in (0.0, 0.5, 1.0):
        pos = y(tick)
        parts.append(
            f'<line x1="{left}" y1="{_n(pos)}" x2="{left + plot_w}" y2="{_n(pos)}" '
            f'stroke="{GRID}"/><text x="{left - 6}" y="{_n(pos + 4)}" text-anchor="end" '
            f'fill="{MUTED}">{tick:.0%}</text>'
        )
    # as the dashboard's trend: every k-th date label, k the fewest points a label spans
    widest = max((len(row.label) for row in trend.rows), default=0) * 9.0 + 12
    every = max(1, math.ceil(widest / step))
    for i, row in enumerate(trend.rows):
        if i % every == 0:
            parts.append(
                f'<text class="axis-label" x="{_n(left + step * (i + 0.5))}" '
                f'y="{top + plot_h + 22}" text-anchor="middle" fill="{MUTED}">'
                f"{escape(row.label)}</text>"
            )
    for b, block in enumerate(trend.blocks):
        colour = COLOURS.get(block.block_id, MUTED)
        shape, dash = b % 4, DASHES[b % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        previous: tuple[float, float] | None = None
        for i, row in enumerate(trend.rows):
            share = row.cells[b].share
            if share is None:
                previous = None
                continue
            cx, cy = left + step * (i + 0.5) + NUDGE[b % len(NUDGE)], y(share)
            if previous is not None:
                parts.append(
                    f'<path d="M{_n(previous[0])} {_n(previous[1])}L{_n(cx)} {_n(cy)}" '
                    f'stroke="{colour}" stroke-width="2.5" fill="none"{dash_attr}/>'
                )
            parts.append(_marker(shape, cx, cy, colour))
            previous = (cx, cy)
        # the legend: two columns of marker, line and name
        lx = 10 + (b % 2) * (width - 10) / 2
        ly = legend_top + 24 * (b // 2)
        parts.append(
            f'<path d="M{_n(lx)} {_n(ly)}H{_n(lx + 28)}" stroke="{colour}" stroke-width="2.5"'
            f"{dash_attr}/>{_marker(shape, lx + 14, ly, colour)}"
            f'<text x="{_n(lx + 36)}" y="{_n(ly + 5)}" fill="{colour}">'
            f"{escape(block.name)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # every text above is escaped
