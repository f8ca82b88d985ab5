"""Each standard's level at every submitted self-assessment, as small server-rendered SVG
charts (no JavaScript), drawn in the style of the dashboard's trend
(:mod:`hopeful.web.insights.charts`): one ``<svg role="img" aria-label=...>`` per standard,
and the page puts a data table with the same levels next to them.

Small multiples rather than six lines on one chart: levels are whole numbers 1 to 4, so six
lines would lie on top of each other. Each point also carries its level as a number, so
colour is never the only way to read it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hopeful.framework.standards import Level
from hopeful.web.insights.charts import BAR, GRID, INK, MUTED


def _n(value: float) -> str:
    return f"{value:.1f}"


def level_chart(levels: Sequence[int | None], labels: Sequence[str], *, title: str) -> SafeString:
    """A standard's level (1-4) at each assessment, oldest on the left; ``labels`` name the
    assessments (their dates). An assessment without a level leaves a gap."""
    left, plot_w, plot_h, top = 34, 300, 120, 22
    width, height = left + plot_w + 12, top + plot_h + 34
    step = plot_w / max(len(levels), 1)
    parts = [
        f'<svg class="chart trend level-chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="15">'
    ]

    def y(level: float) -> float:
        return top + plot_h * (1 - (level - 1) / (len(Level) - 1))

    for grid_level in Level:
        pos = y(grid_level)
        parts.append(
            f'<line x1="{left}" y1="{_n(pos)}" x2="{left + plot_w}" y2="{_n(pos)}" '
            f'stroke="{GRID}"/><text x="{left - 8}" y="{_n(pos + 5)}" text-anchor="end" '
            f'fill="{MUTED}">{int(grid_level)}</text>'
        )
    # as the dashboard's trend: every k-th date label, k the fewest points a label spans
    widest = max((len(label) for label in labels), default=0) * 9.0 + 12
    every = max(1, math.ceil(widest / step))
    previous: tuple[float, float] | None = None
    for i, level in enumerate(levels):
        cx = left + step * (i + 0.5)
        if i % every == 0 and i < len(labels):
            parts.append(
                f'<text class="axis-label" x="{_n(cx)}" y="{top + plot_h + 26}" '
                f'text-anchor="middle" fill="{MUTED}">{escape(labels[i])}</text>'
            )
        if not level:
            previous = None
            continue
        cy = y(level)
        if previous is not None:
            parts.append(
                f'<path d="M{_n(previous[0])} {_n(previous[1])}L{_n(cx)} {_n(cy)}" '
                f'stroke="{BAR}" stroke-width="2.5" fill="none"/>'
            )
        parts.append(
            f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="5" fill="{BAR}"/>'
            f'<text x="{_n(cx)}" y="{_n(cy - 9)}" text-anchor="middle" fill="{INK}" '
            f'font-weight="600">{int(level)}</text>'
        )
        previous = (cx, cy)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # every text above is escaped
