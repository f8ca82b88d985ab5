"""The network view's filters and periods: what can be chosen (states, kinds, questionnaires,
measures, years) and the months and quarters of the chosen calendar year.

The view covers one calendar year's complete months: the month under way is left out until
it is over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hopeful.framework import BUILDING_BLOCKS, HopefulError, Instrument, get_instrument
from hopeful.web.insights.selectors import DEFAULT_INSTRUMENT, InstrumentOption
from hopeful.web.network import counts
from hopeful.web.network.models import NetworkCount
from hopeful.web.organizations.models import Organization, OrganizationKind

TOP_BAND = counts.TOP_BAND
MONTH, QUARTER, YEAR = "month", "quarter", "year"


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def last_complete_month() -> dt.date:
    month = this_month()
    return (
        dt.date(month.year - 1, 12, 1) if month.month == 1 else month.replace(month=month.month - 1)
    )


@dataclass(frozen=True, slots=True)
class NetworkOptions:
    states: list[str]
    kinds: list[tuple[str, str]]
    """(value, label) in the order of :class:`OrganizationKind`."""
    instruments: list[InstrumentOption]
    years: list[int] = field(default_factory=list)
    """Calendar years with at least one complete month of network submissions, newest first."""

    @property
    def default_instrument(self) -> str:
        ids = [i.id for i in self.instruments]
        if DEFAULT_INSTRUMENT in ids:
            return DEFAULT_INSTRUMENT
        return ids[0] if ids else ""

    @property
    def default_year(self) -> int:
        return self.years[0] if self.years else last_complete_month().year


@dataclass(frozen=True, slots=True)
class NetworkFilters:
    state: str
    """'' : every state."""
    kind: str
    """'' : every kind."""
    unit: str
    """``month`` or ``quarter``: the trend's periods."""
    year: int
    """The calendar year: the view covers its complete months."""
    instrument_id: str
    measure: str
    """``top_band`` or a building-block output id (``bb_relationships`` ...)."""

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        """First day of the view's last month (the last complete one)."""
        last = last_complete_month()
        return last if last.year == self.year else dt.date(self.year, 12, 1)


def measure_choices(language: str = "en") -> list[tuple[str, str]]:
    return [
        (TOP_BAND, _("Share in the top group")),
        *(
            (
                f"bb_{b.id}",
                _("Building block met: %(block)s") % {"block": b.name.get_text(language)},
            )
            for b in BUILDING_BLOCKS
        ),
    ]


def find_instrument(instrument_id: str, version: str | None = None) -> Instrument | None:
    """The questionnaire's definition, or None for an id the registry does not know."""
    try:
        return get_instrument(instrument_id, version or None)
    except HopefulError:
        return None


def network_organizations() -> QuerySet[Organization]:
    return Organization.objects.filter(network_member=True)


def filter_options(*, language: str) -> NetworkOptions:
    """The states and kinds of network organizations, the questionnaires they use and the
    years they have answers in."""
    pairs = set(network_organizations().values_list("state", "kind").distinct().order_by())
    states = sorted({s for s, _k in pairs})
    present = {k for _s, k in pairs}
    kinds = [(value, str(label)) for value, label in OrganizationKind.choices if value in present]
    counts.bring_up_to_date()
    kept = (
        NetworkCount.objects.filter(organization__network_member=True)
        .values_list("instrument_id")
        .annotate(first=Min("month"))
        .order_by()
    )
    firsts = dict(kept)
    ids = sorted(firsts)
    instruments = []
    for instrument_id in ids:
        definition = find_instrument(instrument_id)
        title = definition.short_title.get_text(language) if definition else instrument_id
        instruments.append(InstrumentOption(id=instrument_id, title=title))
    first = min(firsts.values(), default=None)
    last = last_complete_month().year
    years = list(range(last, first.year - 1, -1)) if first else []
    return NetworkOptions(states=states, kinds=kinds, instruments=instruments, years=years)


# -- periods -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date
    label: str


def year_months(year: int) -> list[dt.date]:
    """The complete months of the year (none for a year that has not begun)."""
    last = last_complete_month()
    if year > last.year:
        return []
    count = 12 if year < last.year else last.month
    return [dt.date(year, m, 1) for m in range(1, count + 1)]


def periods(filters: NetworkFilters, unit: str | None = None) -> list[Period]:
    months = year_months(filters.year)
    if (unit or filters.unit) == QUARTER:
        quarters = sorted({(m.month - 1) // 3 for m in months})
        return [
            Period(start=dt.date(filters.year, 3 * q + 1, 1), label=f"{filters.year} Q{q + 1}")
            for q in quarters
        ]
    return [Period(start=m, label=f"{m:%Y-%m}") for m in months]
