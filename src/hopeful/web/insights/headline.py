"""The headline at the top of the dashboard: respondents, the groups (e.g. 0-2 / 3-5 / 6-7
PCEs) and each building block with 95% intervals, and the change since the previous period.

The change compares the period with the one before it: a quarter with the previous quarter,
a year with the previous year; for all years, the latest year with answers with the year
before. Both shares are published as everywhere else (their own cells, perturbed), and the
difference's interval treats the two periods' respondents as independent samples (a family
answering in both periods makes it slightly conservative).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from django.utils.translation import gettext as _

from hopeful.framework import Instrument
from hopeful.web.insights import benchmarks, protection
from hopeful.web.insights.model import Change, Estimate, Headline, HeadlineRow, ShownCount
from hopeful.web.insights.outcomes import Profile, View, profile_shares
from hopeful.web.insights.periods import Horizon, Period

Z95 = 1.959963984540054


def _previous(horizon: Horizon, period: Period, view: View) -> tuple[Period, Period] | None:
    """(the period compared, the one before it), or None when there is none."""
    if period.quarter is not None and period.year is not None:
        index = horizon.index(period.year, period.quarter)
        if index == 0:
            return None
        year, quarter = horizon.quarter_of(index - 1)
        return period, Period(year, quarter)
    if period.year is not None:
        if period.year <= horizon.first_year:
            return None
        return period, Period(period.year - 1)
    quarters = view.table["quarter"].to_numpy(dtype=np.int64)[view.rows()]
    if quarters.size == 0:
        return None
    latest = horizon.first_year + int(quarters.max()) // 4
    if latest <= horizon.first_year:
        return None
    return Period(latest), Period(latest - 1)


def _change(now: Estimate, before: Estimate, now_label: str, before_label: str) -> Change:
    if not (now.shown and before.shown) or now.se is None or before.se is None:
        return Change(before, before_label, now, now_label, None)
    difference = float(now.estimate or 0.0) - float(before.estimate or 0.0)
    se = math.sqrt(now.se**2 + before.se**2)
    if se == 0:  # both 0% or 100%: no interval to give
        return Change(before, before_label, now, now_label, difference)
    return Change(
        before,
        before_label,
        now,
        now_label,
        difference,
        difference - Z95 * se,
        difference + Z95 * se,
    )


def headline(
    *,
    view: View,
    profile: Profile,
    respondents: ShownCount,
    definition: Instrument,
    horizon: Horizon,
    period: Period,
    language: str,
    closed: bool,
) -> Headline:
    rows = [HeadlineRow("band", e) for e in profile.bands] + [
        HeadlineRow("block", e) for e in profile.blocks
    ]
    compared = ""
    pair = None if closed else _previous(horizon, period, view)
    if pair is not None and rows:
        now_period, before_period = pair
        now_label, before_label = horizon.label(now_period), horizon.label(before_period)
        compared = _("%(now)s compared with %(before)s") % {
            "now": now_label,
            "before": before_label,
        }
        now_view = replace(view, quarters=horizon.quarters(now_period))
        before_view = replace(view, quarters=horizon.quarters(before_period))
        published = []
        for other in (now_view, before_view):
            sections = profile_shares(other, definition, language)
            requests = [*sections["bands"], *sections["blocks"]]
            published.append(protection.shares(requests))
        rows = [
            replace(row, change=_change(now, before, now_label, before_label))
            for row, now, before in zip(rows, published[0], published[1], strict=True)
        ]
    source = ""
    if definition.id == "pce7":
        source = str(benchmarks.SOURCE_LONG)
    return Headline(respondents=respondents, rows=rows, compared=compared, benchmark_source=source)
