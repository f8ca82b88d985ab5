"""The bright-spots chart: each unit's adjusted difference from the average unit, with its
interval, around a zero line; the verdict is written next to each row (not only a colour).
Inline SVG (no JavaScript); the page's table has the same numbers."""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .formatting import difference_text, verdict_text
from .model import BETTER, WORSE, UnitRow

INK = "#1b1b1b"
MUTED = "#4d4d4d"
GRID = "#c8c8c8"
BETTER_INK = "#1d5f2a"
WORSE_INK = "#8a1c1c"
PLAIN = "#1d4f91"


def _num(value: float) -> str:
    return f"{value:.1f}"


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _extent(rows: Sequence[UnitRow]) -> float:
    """Half the width of the scale: the largest interval end, rounded up to a round step."""
    widest = max(
        (abs(v) for r in rows for v in (r.ci_low, r.ci_high, r.difference) if v is not None),
        default=0.0,
    )
    if widest <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(widest))
    for factor in (1, 2, 2.5, 5, 10):
        if widest <= factor * step:
            return float(factor * step)
    return float(10 * step)


def forest(rows: Sequence[UnitRow], *, title: str, kind: str) -> SafeString:
    """One row per compared unit: a point at the difference, a line for its interval."""
    label_w, plot_w, verdict_w, row_h, top = 200, 300, 170, 30, 30
    width = label_w + plot_w + verdict_w
    height = top + row_h * len(rows) + 12
    half = _extent(rows)
    parts = [
        f'<svg class="chart bright-spots-chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="13">',
        f"<title>{escape(title)}</title>",
    ]

    def x(value: float) -> float:
        return label_w + plot_w * (0.5 + max(-1.0, min(value / half, 1.0)) / 2)

    for tick in (-half, -half / 2, 0.0, half / 2, half):
        pos = x(tick)
        zero = tick == 0.0
        parts.append(
            f'<line x1="{_num(pos)}" y1="{top - 6}" x2="{_num(pos)}" y2="{height - 8}" '
            f'stroke="{INK if zero else GRID}" stroke-width="{2 if zero else 1}"/>'
            f'<text x="{_num(pos)}" y="{top - 12}" text-anchor="middle" fill="{MUTED}">'
            f"{escape(difference_text(tick, kind, sign=not zero))}</text>"
        )
    for i, row in enumerate(rows):
        y = top + i * row_h
        mid = y + row_h / 2
        colour = (
            BETTER_INK if row.verdict == BETTER else WORSE_INK if row.verdict == WORSE else PLAIN
        )
        parts.append(
            f'<text x="{label_w - 8}" y="{_num(mid + 4)}" text-anchor="end" fill="{INK}">'
            f"{escape(_short(row.label))}</text>"
        )
        if row.difference is None:
            continue
        if row.ci_low is not None and row.ci_high is not None:
            lo, hi = x(row.ci_low), x(row.ci_high)
            parts.append(
                f'<path d="M{_num(lo)} {_num(mid)}H{_num(hi)}M{_num(lo)} {_num(mid - 6)}'
                f'V{_num(mid + 6)}M{_num(hi)} {_num(mid - 6)}V{_num(mid + 6)}" '
                f'stroke="{colour}" stroke-width="2" fill="none"/>'
            )
        cx = x(row.difference)
        if row.verdict in (BETTER, WORSE):
            parts.append(
                f'<path d="M{_num(cx)} {_num(mid - 7)}L{_num(cx + 7)} {_num(mid)}'
                f'L{_num(cx)} {_num(mid + 7)}L{_num(cx - 7)} {_num(mid)}Z" fill="{colour}"/>'
            )
        else:
            parts.append(
                f'<circle cx="{_num(cx)}" cy="{_num(mid)}" r="5" fill="#ffffff" '
                f'stroke="{colour}" stroke-width="2"/>'
            )
        parts.append(
            f'<text x="{label_w + plot_w + 10}" y="{_num(mid + 4)}" fill="{colour}">'
            f"{escape(verdict_text(row.verdict, short=True))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # every text above is escaped


def chart_title(kind: str, unit_word: str) -> str:
    if kind == "proportion":
        return _(
            "Difference from the expected share, in percentage points, by %(unit)s, with "
            "intervals adjusted for comparing many"
        ) % {"unit": unit_word}
    return _(
        "Difference from the expected mean score, in points, by %(unit)s, with intervals "
        "adjusted for comparing many"
    ) % {"unit": unit_word}
