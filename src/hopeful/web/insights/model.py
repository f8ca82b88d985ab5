"""What the dashboard publishes: filters, published counts, estimates, sections.

Plain frozen dataclasses, filled by :mod:`hopeful.web.insights.selectors` and read by the
templates, the exports and the PDF report. Nothing here computes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from hopeful.web.insights.benchmarks import Benchmark
from hopeful.web.insights.periods import Horizon, Period

DEFAULT_INSTRUMENT = "pce7"

#: Equity breakdowns where a respondent is in exactly one group (or "not answered"): their
#: groups add up to everyone.
SINGLE_CHOICE = ("language", "income", "child_age", "gender", "child_gender", "disability", "zip3")


# -- filters -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProgramOption:
    id: int
    public_id: str
    name: str
    families_served: int | None = None
    """Entered by an org admin: when every program has it, all-programs views are weighted."""


@dataclass(frozen=True, slots=True)
class InstrumentOption:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class FilterOptions:
    programs: list[ProgramOption]
    instruments: list[InstrumentOption]

    @property
    def default_instrument(self) -> str:
        ids = [i.id for i in self.instruments]
        if DEFAULT_INSTRUMENT in ids:
            return DEFAULT_INSTRUMENT
        return ids[0] if ids else ""


@dataclass(frozen=True, slots=True)
class Filters:
    program: ProgramOption | None
    """None: all programs."""
    period: Period
    """A calendar quarter, a calendar year or all years (:mod:`hopeful.web.insights.periods`)."""
    instrument_id: str
    breakdown: str = ""
    """The equity breakdown (a key of :data:`hopeful.web.insights.equity.BREAKDOWNS`)."""
    outcome: str = ""
    """The equity outcome: ``top_band`` or a building block's output id (``bb_...``)."""
    horizon: Horizon = field(default_factory=Horizon.current)

    @property
    def start(self) -> dt.date:
        """The period's first month (its first day)."""
        return self.horizon.months(self.period)[0]

    @property
    def end(self) -> dt.date:
        """The period's last month (its first day)."""
        return self.horizon.months(self.period)[1]

    @property
    def period_label(self) -> str:
        return self.horizon.label(self.period)


# -- published numbers -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShownCount:
    """A count as published: perturbed by its records' keys (the cell-key method).

    ``value`` is the published number; None when it falls between 1 and ``below - 1``, which
    is shown as "fewer than ``below``" (never as a number)."""

    value: int | None
    below: int = 11
    withheld: bool = False
    """Not shown at all, by a rule other than the small-count one (the network view's
    minimum of organizations)."""

    @property
    def suppressed(self) -> bool:
        """Shown only as "fewer than ``below``", or not at all."""
        return self.value is None


@dataclass(frozen=True, slots=True)
class Estimate:
    """One percentage (or mean) as published, with why it is hidden when it is."""

    key: str
    label: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n: ShownCount
    """Respondents with an answer (the denominator)."""
    hidden: str = ""
    """Plain-language reason the estimate is not shown ('' when shown)."""
    protected: bool = False
    """Hidden (also) because a count it would reveal is fewer than the threshold."""
    flags: tuple[str, ...] = ()
    benchmark: Benchmark | None = None
    kind: str = "proportion"
    """``proportion`` or ``mean``."""
    se: float | None = None
    """The standard error (for the gap tests and the change since the previous period)."""
    yes: ShownCount | None = None
    """The numerator: respondents with the experience (shares only)."""

    @property
    def shown(self) -> bool:
        return self.estimate is not None


@dataclass(frozen=True, slots=True)
class CountRow:
    label: str
    count: ShownCount


@dataclass(frozen=True, slots=True)
class Reach:
    by_program: list[CountRow]
    by_language: list[CountRow]
    total: ShownCount
    left_out: ShownCount
    """Submissions not counted: the family's consent does not cover program improvement."""
    invited: ShownCount = ShownCount(0)
    """Families sent a personal invitation link in the period (by the link's date)."""
    answered: ShownCount = ShownCount(0)
    """Of those invitations, the ones answered by a family who agreed to be counted."""


@dataclass(frozen=True, slots=True)
class TrendPoint:
    month: dt.date
    """The first month of the point's period (a quarter, a half-year or a year)."""
    estimate: Estimate


@dataclass(frozen=True, slots=True)
class Trend:
    title: str
    kind: str
    """``proportion`` (share in the top band) or ``mean`` (mean score)."""
    points: list[TrendPoint]
    scale_max: float
    """The top of the chart's scale: 1 for shares, the score's maximum for means."""
    step: str = "quarter"
    """``quarter``, ``half`` or ``year``: quarters too small to show are pooled."""
    pooled_note: str = ""

    @property
    def estimates(self) -> list[Estimate]:
        return [p.estimate for p in self.points]


@dataclass(frozen=True, slots=True)
class Change:
    """A headline share in the period compared with: the difference from the other period."""

    before: Estimate
    before_label: str
    now: Estimate
    now_label: str
    difference: float | None
    """In proportion points (None when either share is not shown)."""
    ci_low: float | None = None
    ci_high: float | None = None

    @property
    def clear(self) -> bool:
        """The 95% interval of the difference excludes 0."""
        return (
            self.ci_low is not None
            and self.ci_high is not None
            and (self.ci_low > 0 or self.ci_high < 0)
        )


@dataclass(frozen=True, slots=True)
class HeadlineRow:
    section: str
    """``band`` or ``block``."""
    estimate: Estimate
    change: Change | None = None


@dataclass(frozen=True, slots=True)
class Headline:
    """The top of the dashboard: respondents, the groups and each building block with their
    intervals, and the change since the previous period; the benchmark's source is named
    where one is compared."""

    respondents: ShownCount
    rows: list[HeadlineRow]
    compared: str = ""
    """What the change compares, e.g. "2026 Q3 with 2026 Q2" ('' when nothing is)."""
    benchmark_source: str = ""

    @property
    def bands(self) -> list[HeadlineRow]:
        return [r for r in self.rows if r.section == "band"]

    @property
    def blocks(self) -> list[HeadlineRow]:
        return [r for r in self.rows if r.section == "block"]


@dataclass(frozen=True)
class Dashboard:
    organization: str
    filters: Filters
    instrument_title: str
    threshold: int
    reach: Reach
    respondents: ShownCount
    """Scored submissions of the chosen questionnaire in the view."""
    items: list[Estimate] = field(default_factory=list)
    blocks: list[Estimate] = field(default_factory=list)
    bands: list[Estimate] = field(default_factory=list)
    rates: list[Estimate] = field(default_factory=list)
    trend: Trend | None = None
    weighted: bool = False
    """All-programs estimates weighted by the families each program serves."""
    has_benchmarks: bool = False
    equity: Any = None
    """The equity breakdown (:class:`hopeful.web.insights.equity.Equity`), when it applies."""
    headline: Headline | None = None
    max_noise: int = 0
    """The largest change the perturbation makes to a count (for the page's note)."""

    @property
    def all_estimates(self) -> list[Estimate]:
        points = [p.estimate for p in self.trend.points] if self.trend else []
        equity = self.equity.estimates if self.equity is not None else []
        return [*self.items, *self.blocks, *self.bands, *self.rates, *points, *equity]

    @property
    def any_protected(self) -> bool:
        counts = [
            self.reach.total,
            self.reach.left_out,
            self.respondents,
            *(r.count for r in self.reach.by_program),
            *(r.count for r in self.reach.by_language),
        ]
        return any(c.suppressed for c in counts) or any(
            e.protected or e.n.suppressed for e in self.all_estimates
        )

    @property
    def any_unreliable(self) -> bool:
        return any(e.hidden and not e.protected for e in self.all_estimates)
