"""The dashboard's periods: calendar quarters, calendar years and all of them, nested.

Periods are not free month ranges on purpose. Two overlapping ranges (January-December and
February-December) differ by one month, so a month's small count could be recovered by
subtraction. Nested periods form a hierarchy (quarters add up into years, years into all),
and every level is protected together with the others
(:class:`hopeful.stats.suppression.Margin`): whatever periods someone compares, nothing
small can be recovered.

The dashboard looks back :data:`HORIZON_YEARS` calendar years, this one included.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

#: How many calendar years the dashboard covers, this one included.
HORIZON_YEARS = 5

ALL = "all"
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, slots=True)
class Period:
    """All years of the horizon (``year`` None), one calendar year, or one of its quarters."""

    year: int | None = None
    quarter: int | None = None
    """1-4, or None for the whole year."""

    @property
    def key(self) -> str:
        """As in the query string: ``all``, ``2026`` or ``2026-Q3``."""
        if self.year is None:
            return ALL
        return f"{self.year}" if self.quarter is None else f"{self.year}-Q{self.quarter}"

    @property
    def level(self) -> str:
        """``all``, ``year`` or ``quarter``."""
        if self.year is None:
            return ALL
        return "year" if self.quarter is None else "quarter"


@dataclass(frozen=True, slots=True)
class Horizon:
    """The calendar years the dashboard covers, and where a date falls in them."""

    first_year: int
    today: dt.date

    @classmethod
    def current(cls) -> Horizon:
        today = timezone.localdate()
        return cls(first_year=today.year - HORIZON_YEARS + 1, today=today)

    @property
    def last_year(self) -> int:
        return self.today.year

    @property
    def n_quarters(self) -> int:
        """Quarters of the horizon, future ones of this year included (they stay empty)."""
        return HORIZON_YEARS * 4

    @property
    def current_quarter(self) -> int:
        """The index of this quarter."""
        return self.index(self.today.year, (self.today.month - 1) // 3 + 1)

    def index(self, year: int, quarter: int) -> int:
        return (year - self.first_year) * 4 + quarter - 1

    def quarter_of(self, index: int) -> tuple[int, int]:
        return self.first_year + index // 4, index % 4 + 1

    def year_groups(self) -> tuple[int, ...]:
        """For each quarter, its year's position: quarters add up into years."""
        return tuple(q // 4 for q in range(self.n_quarters))

    def quarter_index(self, year: int, month: int) -> int:
        """The quarter of a month, or -1 when it is outside the horizon."""
        if not self.first_year <= year <= self.last_year:
            return -1
        return self.index(year, (month - 1) // 3 + 1)

    @property
    def start(self) -> dt.date:
        return dt.date(self.first_year, 1, 1)

    @property
    def stop(self) -> dt.date:
        """The first day after the horizon."""
        return dt.date(self.last_year + 1, 1, 1)

    def parse(self, value: str) -> Period | None:
        """The period a query string names, or None when it is not one of this horizon's."""
        value = (value or "").strip()
        if value == ALL:
            return Period()
        if match := _YEAR.match(value):
            year = int(match.group(1))
            return Period(year) if self.first_year <= year <= self.last_year else None
        if match := _QUARTER.match(value):
            year, quarter = int(match.group(1)), int(match.group(2))
            if not self.first_year <= year <= self.last_year:
                return None
            if self.index(year, quarter) > self.current_quarter:
                return None  # a quarter that has not started
            return Period(year, quarter)
        return None

    def quarters(self, period: Period) -> range:
        """The quarter positions a period covers."""
        if period.year is None:
            return range(0, self.current_quarter + 1)
        first = self.index(period.year, period.quarter or 1)
        last = first if period.quarter is not None else self.index(period.year, 4)
        return range(first, min(last, self.current_quarter) + 1)

    def trend_quarters(self, period: Period) -> range:
        """The quarters the trend shows for a period: all of them, or its year's."""
        if period.year is None:
            return self.quarters(period)
        return self.quarters(Period(period.year))

    def months(self, period: Period) -> tuple[dt.date, dt.date]:
        """The period's first month and last month (first days), for labels."""
        span = self.quarters(period)
        first_year, first_q = self.quarter_of(span.start)
        last_year, last_q = self.quarter_of(span.stop - 1)
        return dt.date(first_year, first_q * 3 - 2, 1), dt.date(last_year, last_q * 3, 1)

    def wider(self, period: Period) -> Period | None:
        """The next longer period: a quarter's year, a year's all; None for all."""
        if period.year is None:
            return None
        return Period() if period.quarter is None else Period(period.year)

    def options(self) -> list[tuple[str, str]]:
        """(key, label) of every period: all, then each year (newest first), each followed by
        its quarters that have started (newest first)."""
        out = [(ALL, self.label(Period()))]
        for year in range(self.last_year, self.first_year - 1, -1):
            out.append((str(year), self.label(Period(year))))
            for quarter in range(4, 0, -1):
                if self.index(year, quarter) <= self.current_quarter:
                    period = Period(year, quarter)
                    out.append((period.key, self.label(period)))
        return out

    def label(self, period: Period) -> str:
        if period.year is None:
            return _("All years (%(first)d–%(last)d)") % {
                "first": self.first_year,
                "last": self.last_year,
            }
        if period.quarter is None:
            return str(period.year)
        return quarter_label(period.year, period.quarter)


def quarter_label(year: int, quarter: int) -> str:
    """``2026 Q3`` (``T3 2026`` in Spanish)."""
    return _("%(year)d Q%(quarter)d") % {"year": year, "quarter": quarter}
