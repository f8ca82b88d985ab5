"""The network's figures at ``/network/figures/``, from the certification records only.

- **Now**: HOPE Facilitators, HOPE Champions and HOPE-informed organizations whose
  certification is valid today (:func:`hopeful.web.directory.rules.valid_certifications`),
  and the states reached (states with at least one valid holder: a person's state is the one
  in their learner profile, an organization's its own). National totals are exact, except
  where exactly one state of a column shows "1–10": the total minus the exact states would
  give that state's count, so the total is shown as "more than" the total less that state
  (:func:`national`). With two or more such states only their sum can be worked out, which
  is the pooling the rule allows.
- **By state**: the same three counts per state, each shown through :func:`shown` — the one
  small-count rule: 0 is "0", any count from 1 to 10 is "1–10" (never the exact value), and
  larger counts are exact. The map colours each state by its certified people and
  organizations (each person once), in bands (:func:`map_band`) that start at the same bound.
- **Growth**: by quarter, for the last eight quarters, the cumulative number of holders ever
  certified in each tier (their first ``certified_at``), and the new ones of each quarter.
  These are national counts, exact (each quarter's new ones are the difference of two
  cumulative counts anyway).

Four queries in all (grouped counts), whatever the size of the network. Everything here is
computed; the templates only format.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hopeful.framework.certification import Tier
from hopeful.web.certification.models import Certification
from hopeful.web.directory.rules import valid_certifications
from hopeful.web.learning.vocab import US_STATES

#: Counts from 1 to this are never shown exactly on a per-state or per-quarter figure.
SMALL_MAX = 10
SMALL = "1–10"
#: The tiers, in the order of the page's columns.
TIERS = (Tier.FACILITATOR.value, Tier.CHAMPION.value, Tier.ORGANIZATION.value)
QUARTERS = 8


def shown(count: int) -> str:
    """How a per-state or per-quarter count is shown: "0", "1–10" for any count from 1 to 10
    (the exact value never leaves this function), or the count itself above 10."""
    if count <= 0:
        return "0"
    if count <= SMALL_MAX:
        return SMALL
    return str(count)


def national(total: int, state_counts: list[int]) -> str:
    """How a national total is shown beside its per-state column: exact, unless exactly one
    state's count is shown as "1–10" — then "more than" the total less that count, so that
    subtracting the exact states never gives the hidden count."""
    hidden = [count for count in state_counts if 0 < count <= SMALL_MAX]
    if len(hidden) == 1:
        return str(_("more than %(n)s") % {"n": total - hidden[0]})
    return str(total)


@dataclasses.dataclass(frozen=True)
class Band:
    """A colour band of the map: its key (CSS-free: the SVG's fill and text colours), its
    label (also written on each tile, so colour is never the only carrier)."""

    key: str
    label: Any
    fill: str
    ink: str
    low: int
    high: int | None


#: The map's bands; the first two follow :func:`shown` ("0" and "1–10").
BANDS = (
    Band("none", "0", "#f1f3f5", "#1b1f24", 0, 0),
    Band("small", SMALL, "#cfe3f3", "#0b2545", 1, SMALL_MAX),
    Band("medium", "11–50", "#6baed6", "#071a2e", SMALL_MAX + 1, 50),
    Band("large", pgettext_lazy("map band", "51+"), "#08519c", "#ffffff", 51, None),
)


def map_band(count: int) -> Band:
    for band in BANDS:
        if count >= band.low and (band.high is None or count <= band.high):
            return band
    return BANDS[0]


#: The US tile-grid map: (column, row) of each state's square.
TILES: dict[str, tuple[int, int]] = {
    "AK": (0, 0), "ME": (10, 0),
    "WI": (5, 1), "VT": (9, 1), "NH": (10, 1),
    "WA": (0, 2), "ID": (1, 2), "MT": (2, 2), "ND": (3, 2), "MN": (4, 2), "IL": (5, 2),
    "MI": (6, 2), "NY": (8, 2), "MA": (9, 2),
    "OR": (0, 3), "NV": (1, 3), "WY": (2, 3), "SD": (3, 3), "IA": (4, 3), "IN": (5, 3),
    "OH": (6, 3), "PA": (7, 3), "NJ": (8, 3), "CT": (9, 3), "RI": (10, 3),
    "CA": (0, 4), "UT": (1, 4), "CO": (2, 4), "NE": (3, 4), "MO": (4, 4), "KY": (5, 4),
    "WV": (6, 4), "VA": (7, 4), "MD": (8, 4), "DE": (9, 4),
    "AZ": (1, 5), "NM": (2, 5), "KS": (3, 5), "AR": (4, 5), "TN": (5, 5), "NC": (6, 5),
    "SC": (7, 5), "DC": (8, 5),
    "OK": (3, 6), "LA": (4, 6), "MS": (5, 6), "AL": (6, 6), "GA": (7, 6),
    "HI": (0, 7), "TX": (3, 7), "FL": (8, 7),
    "GU": (0, 8), "MP": (1, 8), "AS": (2, 8), "PR": (8, 8), "VI": (9, 8),
}  # fmt: skip
TILE = 60  # one square and its gap, in SVG units
TILE_SIZE = 56


@dataclasses.dataclass
class StateRow:
    code: str
    name: str
    counts: dict[str, int]

    @property
    def holders(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[str]:
        return [shown(self.counts[tier]) for tier in TIERS]


@dataclasses.dataclass
class Tile:
    code: str
    name: str
    x: int
    y: int
    band: Band


@dataclasses.dataclass
class Quarter:
    start: dt.date
    label: str
    cumulative: dict[str, int]
    new: dict[str, int]

    @property
    def new_cells(self) -> list[str]:
        return [str(self.new[tier]) for tier in TIERS]


@dataclasses.dataclass
class Bar:
    label: str
    value: int
    x: int
    y: int
    height: int


@dataclasses.dataclass
class Chart:
    tier: str
    title: Any
    bars: list[Bar]
    top: int


@dataclasses.dataclass
class Figures:
    today: dt.date
    totals: dict[str, int]
    #: The totals as the page shows them (:func:`national`).
    headline: dict[str, str]
    states_reached: int
    states: list[StateRow]
    tiles: list[Tile]
    quarters: list[Quarter]
    charts: list[Chart]

    @property
    def bands(self) -> tuple[Band, ...]:
        return BANDS


def per_state(today: dt.date) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """National totals by tier and counts by state and tier of the holders valid today (one
    grouped query; a person's state from their learner profile)."""
    rows = (
        valid_certifications(today)
        .filter(tier__in=TIERS)
        .values("tier", "user__learner_profile__state", "organization__state")
        .annotate(
            people=Count("user", distinct=True), organizations=Count("organization", distinct=True)
        )
        .order_by()
    )
    totals = dict.fromkeys(TIERS, 0)
    states: dict[str, dict[str, int]] = {}
    for row in rows:
        tier = row["tier"]
        if tier == Tier.ORGANIZATION.value:
            count, state = row["organizations"], row["organization__state"]
        else:
            count, state = row["people"], row["user__learner_profile__state"]
        totals[tier] += count
        if state:
            states.setdefault(state, dict.fromkeys(TIERS, 0))[tier] += count
    return totals, states


def holders_by_state(today: dt.date) -> dict[str, int]:
    """By state, the people (Facilitators and Champions, each person once) and organizations
    certified today: what the map colours (one grouped query)."""
    valid = valid_certifications(today)
    found: dict[str, int] = {}
    people = (
        valid.filter(user__isnull=False, tier__in=TIERS)
        .values("user__learner_profile__state")
        .annotate(n=Count("user", distinct=True))
        .order_by()
    )
    for row in people:
        state = row["user__learner_profile__state"]
        if state:
            found[state] = found.get(state, 0) + row["n"]
    organizations = (
        valid.filter(tier=Tier.ORGANIZATION.value)
        .values("organization__state")
        .annotate(n=Count("organization", distinct=True))
        .order_by()
    )
    for row in organizations:
        state = row["organization__state"]
        if state:
            found[state] = found.get(state, 0) + row["n"]
    return found


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def previous_quarter(start: dt.date) -> dt.date:
    return (
        dt.date(start.year - 1, 10, 1)
        if start.month == 1
        else dt.date(start.year, start.month - 3, 1)
    )


def growth(today: dt.date) -> list[Quarter]:
    """The last eight quarters (the current one last): holders ever certified by each
    quarter's end, by tier (one query: each holder's first certification of each tier)."""
    starts = [quarter_start(today)]
    for _i in range(QUARTERS - 1):
        starts.insert(0, previous_quarter(starts[0]))
    firsts = (
        Certification.objects.filter(certified_at__isnull=False, tier__in=TIERS)
        .values("tier", "user_id", "organization_id")
        .annotate(first=Min("certified_at"))
        .order_by()
    )
    before = dict.fromkeys(TIERS, 0)  # certified before the first quarter shown
    new = {start: dict.fromkeys(TIERS, 0) for start in starts}
    for row in firsts:
        day = timezone.localdate(row["first"])
        if day > today:
            continue
        start = quarter_start(day)
        if start < starts[0]:
            before[row["tier"]] += 1
        elif start in new:
            new[start][row["tier"]] += 1
    quarters = []
    running = dict(before)
    for start in starts:
        for tier in TIERS:
            running[tier] += new[start][tier]
        label = _("%(year)s Q%(quarter)s") % {
            "year": start.year,
            "quarter": (start.month - 1) // 3 + 1,
        }
        quarters.append(Quarter(start=start, label=label, cumulative=dict(running), new=new[start]))
    return quarters


#: The growth charts' geometry (SVG units).
CHART_HEIGHT = 160
BAR_STEP = 64
BAR_WIDTH = 40
CHART_LEFT = 48


def charts(quarters: list[Quarter]) -> list[Chart]:
    """One small bar chart per tier (cumulative holders by quarter), on a shared scale so
    that the tiers compare."""
    titles = {
        Tier.FACILITATOR.value: _("HOPE Facilitators"),
        Tier.CHAMPION.value: _("HOPE Champions"),
        Tier.ORGANIZATION.value: _("HOPE-informed organizations"),
    }
    top = max([q.cumulative[tier] for q in quarters for tier in TIERS] + [1])
    found = []
    for tier in TIERS:
        bars = []
        for i, quarter in enumerate(quarters):
            value = quarter.cumulative[tier]
            height = round(CHART_HEIGHT * value / top)
            bars.append(
                Bar(
                    label=str(quarter.label),
                    value=value,
                    x=CHART_LEFT + i * BAR_STEP,
                    y=20 + CHART_HEIGHT - height,
                    height=height,
                )
            )
        found.append(Chart(tier=tier, title=titles[tier], bars=bars, top=top))
    return found


def network_figures(today: dt.date | None = None) -> Figures:
    """Everything the figures page shows, for ``today`` (the site's local date by default)."""
    today = today or timezone.localdate()
    totals, by_state = per_state(today)
    holders = holders_by_state(today)
    names = dict(US_STATES)
    states = [
        StateRow(code=code, name=name, counts=by_state.get(code, dict.fromkeys(TIERS, 0)))
        for code, name in US_STATES
    ]
    states.sort(key=lambda row: row.name)
    tiles = [
        Tile(
            code=code,
            name=names[code],
            x=column * TILE,
            y=row * TILE,
            band=map_band(holders.get(code, 0)),
        )
        for code, (column, row) in TILES.items()
    ]
    quarters = growth(today)
    headline = {
        tier: national(totals[tier], [row.counts[tier] for row in states]) for tier in TIERS
    }
    return Figures(
        today=today,
        totals=totals,
        headline=headline,
        states_reached=sum(1 for row in states if row.holders > 0),
        states=states,
        tiles=tiles,
        quarters=quarters,
        charts=charts(quarters),
    )
