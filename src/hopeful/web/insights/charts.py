"""Server-rendered SVG charts: no JavaScript, no CDN, readable at a glance.

Each chart is an ``<svg role="img" aria-label=...>``; the page puts a caption and a data table
with the same numbers next to it (the table is the accessible alternative). Hidden estimates
(suppressed or unreliable) are not drawn: a bar's row keeps its label and says "not shown".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from hopeful.web.insights.formatting import value_text

INK = "#1b1b1b"
MUTED = "#4d4d4d"
BAR = "#1d4f91"
BENCH = "#8a4b00"
GRID = "#c8c8c8"


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    estimate: float | None
    low: float | None = None
    high: float | None = None
    benchmark: float | None = None


@dataclass(frozen=True, slots=True)
class Point:
    label: str
    estimate: float | None
    low: float | None = None
    high: float | None = None


def _num(value: float) -> str:
    return f"{value:.1f}"


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    scale_max: float = 1.0,
    reference: float | None = None,
    reference_label: str = "",
) -> SafeString:
    """Horizontal bars (share 0-100%) with 95% CI whiskers and an optional benchmark tick;
    ``reference`` draws a line across every bar (the overall share of an equity breakdown)."""
    label_w, plot_w, row_h, top = 230, 330, 30, 24
    width = label_w + plot_w + 70
    height = top + row_h * len(bars) + 10
    full = height + (16 if reference is not None and reference_label else 0)
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {full}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="13">'
    ]

    def x(value: float) -> float:
        return label_w + plot_w * max(0.0, min(value / scale_max, 1.0))

    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        pos = x(tick * scale_max)
        parts.append(
            f'<line x1="{_num(pos)}" y1="{top - 6}" x2="{_num(pos)}" y2="{height - 10}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{_num(pos)}" y="{top - 10}" text-anchor="middle" fill="{MUTED}">'
            f"{escape(value_text(tick * scale_max))}</text>"
        )
    for i, bar in enumerate(bars):
        y = top + i * row_h
        mid = y + row_h / 2
        parts.append(
            f'<text x="{label_w - 8}" y="{_num(mid + 4)}" text-anchor="end" fill="{INK}">'
            f"{escape(_short(bar.label))}</text>"
        )
        if bar.estimate is None:
            parts.append(
                f'<text x="{label_w + 4}" y="{_num(mid + 4)}" fill="{MUTED}">'
                f"{escape(_('not shown'))}</text>"
            )
            continue
        parts.append(
            f'<rect x="{label_w}" y="{_num(y + 6)}" width="{_num(x(bar.estimate) - label_w)}" '
            f'height="{row_h - 12}" fill="{BAR}"/>'
        )
        if bar.low is not None and bar.high is not None:
            lo, hi = x(bar.low), x(bar.high)
            parts.append(
                f'<path d="M{_num(lo)} {_num(mid)}H{_num(hi)}M{_num(lo)} {_num(mid - 6)}'
                f'V{_num(mid + 6)}M{_num(hi)} {_num(mid - 6)}V{_num(mid + 6)}" '
                f'stroke="{INK}" stroke-width="2" fill="none"/>'
            )
        if bar.benchmark is not None:
            pos = x(bar.benchmark)
            parts.append(
                f'<path d="M{_num(pos)} {_num(y + 2)}V{_num(y + row_h - 2)}" '
                f'stroke="{BENCH}" stroke-width="3" stroke-dasharray="4 2"/>'
            )
        parts.append(
            f'<text x="{label_w + plot_w + 8}" y="{_num(mid + 4)}" fill="{INK}">'
            f"{escape(value_text(bar.estimate))}</text>"
        )
    if reference is not None:
        pos = x(reference)
        parts.append(
            f'<path class="reference" d="M{_num(pos)} {top - 4}V{height - 8}" '
            f'stroke="{BENCH}" stroke-width="2" stroke-dasharray="6 3"/>'
        )
        if reference_label:
            parts.append(
                f'<text x="{_num(pos + 4)}" y="{full - 3}" fill="{BENCH}" font-size="11">'
                f"{escape(reference_label)}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # every text above is escaped


def line_chart(
    points: Sequence[Point], *, title: str, scale_max: float = 1.0, kind: str = "proportion"
) -> SafeString:
    """Points by period with 95% CI whiskers, joined where consecutive periods are shown.

    Drawn small (about 500 units wide, text at 15) so that, scaled to a phone's width, the
    text stays about 11 px high."""
    left, plot_w, plot_h, top = 60, 420, 180, 16
    width, height = left + plot_w + 20, top + plot_h + 46
    step = plot_w / max(len(points), 1)
    parts = [
        f'<svg class="chart trend" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="15">'
    ]

    def y(value: float) -> float:
        return top + plot_h * (1 - max(0.0, min(value / scale_max, 1.0)))

    for tick in (0.0, 0.5, 1.0):
        pos = y(tick * scale_max)
        parts.append(
            f'<line x1="{left}" y1="{_num(pos)}" x2="{left + plot_w}" y2="{_num(pos)}" '
            f'stroke="{GRID}"/><text x="{left - 6}" y="{_num(pos + 4)}" text-anchor="end" '
            f'fill="{MUTED}">{escape(value_text(tick * scale_max, kind))}</text>'
        )
    # Axis labels never overlap: every k-th is drawn, k the fewest periods a label's width
    # spans (about 0.6 em a character at 15 units). The chart scales as a whole, so labels
    # that do not overlap here do not overlap at any width.
    widest = max((len(p.label) for p in points), default=0) * 9.0 + 12
    every = max(1, math.ceil(widest / step))
    previous: tuple[float, float] | None = None
    for i, point in enumerate(points):
        cx = left + step * (i + 0.5)
        if i % every == 0:
            parts.append(
                f'<text class="axis-label" x="{_num(cx)}" y="{top + plot_h + 22}" '
                f'text-anchor="middle" fill="{MUTED}">{escape(point.label)}</text>'
            )
        if point.estimate is None:
            previous = None
            continue
        cy = y(point.estimate)
        if previous is not None:
            parts.append(
                f'<path d="M{_num(previous[0])} {_num(previous[1])}L{_num(cx)} {_num(cy)}" '
                f'stroke="{BAR}" stroke-width="2" fill="none"/>'
            )
        if point.low is not None and point.high is not None:
            parts.append(
                f'<path d="M{_num(cx)} {_num(y(point.low))}V{_num(y(point.high))}" '
                f'stroke="{INK}" stroke-width="1.5"/>'
            )
        parts.append(f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="4" fill="{BAR}"/>')
        previous = (cx, cy)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # every text above is escaped
