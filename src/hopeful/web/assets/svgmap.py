"""The strengths map: a small server-drawn SVG sketch (no JavaScript, no map tiles, no
third party) of where the results lie around the searched ZIP code.

An azimuthal equidistant sketch: the search centre in the middle, north up, and each result
placed by its bearing from the centre and its distance, to scale (the outer ring is the
search radius, the inner ring half of it). Each point carries its number in the list next
to it, which is the map's accessible equivalent; the SVG has ``role="img"`` with a title and
a description. Places at the same ZIP centroid would lie on top of each other, so a point
that would cover one already drawn is nudged aside (the sketch says where, the list says
how far).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hopeful import geo

SIZE = 400
CENTRE = SIZE / 2
#: The search radius in pixels (the outer ring).
RADIUS_PX = 168
#: Points closer than this (pixels) are nudged apart.
SPACING = 22
INK = "#1b1b1b"
MUTED = "#4d4d4d"
RING = "#8c8c8c"
POINT = "#1d4f91"
HOME = "#8a1c1c"


def _n(value: float) -> str:
    return f"{value:.1f}"


def _miles(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return _("%(miles)s mi") % {"miles": text}


def bearing(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial great-circle bearing from the first point to the second, in radians
    clockwise from north."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dlambda = math.radians(lon2 - lon1)
    y = math.sin(dlambda) * math.cos(phi2)
    x = math.cos(phi1) * math.sin(phi2) - math.sin(phi1) * math.cos(phi2) * math.cos(dlambda)
    return math.atan2(y, x)


def positions(
    centre: geo.Place, points: Sequence[tuple[float, float, float]], radius: float
) -> list[tuple[float, float]]:
    """Pixel positions of ``(miles, latitude, longitude)`` points, nudged apart."""
    placed: list[tuple[float, float]] = []
    for miles, lat, lon in points:
        theta = bearing(centre.latitude, centre.longitude, lat, lon)
        r = RADIUS_PX * min(miles / radius, 1.0) if radius > 0 else 0.0
        x, y = CENTRE + r * math.sin(theta), CENTRE - r * math.cos(theta)
        if r < SPACING / 2:
            x, y = CENTRE + SPACING, CENTRE  # the centre's own marker is there
        step = 0
        base = (x, y)
        while any(math.hypot(x - px, y - py) < SPACING for px, py in placed) and step < 200:
            step += 1
            ring, turn = divmod(step, 8)
            angle = turn * math.pi / 4 + ring * 0.4
            distance = SPACING * (ring + 1)
            x = base[0] + distance * math.sin(angle)
            y = base[1] - distance * math.cos(angle)
        x = min(max(x, 12.0), SIZE - 12.0)
        y = min(max(y, 12.0), SIZE - 12.0)
        placed.append((x, y))
    return placed


def strengths_map(
    centre: geo.Place,
    radius: float,
    results: Sequence[tuple[float, float, float]],
    *,
    title: str,
    description: str,
    ident: str = "strengths-map",
) -> SafeString:
    """The sketch as inline SVG; ``results`` are ``(miles, latitude, longitude)`` in the
    list's order (point *n* is the list's item *n*)."""
    title_id, desc_id = f"{ident}-title", f"{ident}-desc"
    parts = [
        f'<svg id="{ident}" class="strengths-map" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {SIZE} {SIZE}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" '
        'font-size="13">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{SIZE}" height="{SIZE}" fill="#ffffff"/>',
    ]
    for fraction in (0.5, 1.0):
        r = RADIUS_PX * fraction
        parts.append(
            f'<circle cx="{_n(CENTRE)}" cy="{_n(CENTRE)}" r="{_n(r)}" fill="none" '
            f'stroke="{RING}" stroke-width="1" stroke-dasharray="4 4"/>'
            f'<text x="{_n(CENTRE + 4)}" y="{_n(CENTRE - r + 14)}" fill="{MUTED}">'
            f"{escape(_miles(radius * fraction))}</text>"
        )
    north = pgettext("compass point", "N")
    parts.append(
        f'<text x="{_n(CENTRE)}" y="{_n(CENTRE - RADIUS_PX - 10)}" text-anchor="middle" '
        f'fill="{INK}" font-weight="700">{escape(north)}</text>'
        f'<path d="M{_n(CENTRE - 7)} {_n(CENTRE)}H{_n(CENTRE + 7)}M{_n(CENTRE)} '
        f'{_n(CENTRE - 7)}V{_n(CENTRE + 7)}" stroke="{HOME}" stroke-width="3"/>'
    )
    for number, (x, y) in enumerate(positions(centre, results, radius), start=1):
        parts.append(
            f'<g class="strengths-map__point"><circle cx="{_n(x)}" cy="{_n(y)}" r="10" '
            f'fill="{POINT}" stroke="#ffffff" stroke-width="1.5"/>'
            f'<text x="{_n(x)}" y="{_n(y + 4)}" text-anchor="middle" fill="#ffffff" '
            f'font-size="{11 if number < 10 else 9}" font-weight="700">{number}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # every text above is escaped
