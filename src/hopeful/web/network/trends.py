"""The network view's trends: which monthly and quarterly trends are too sparse to publish,
and the grain the trend of the view's slice is published at.

**Sparse trends are pooled.** The trend of the network, a state or a kind at a grain whose
periods with answers mostly have 1-10 submissions or one or two organizations is not
published at that grain: by quarter instead of by month, or not at all (the year's row has
it). Its cells are hidden cells of the family, protected like any other
(:mod:`hopeful.web.network.plan`).
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from hopeful.web.network.family import MIN_ORGANIZATIONS, RowKey, small
from hopeful.web.network.filters import MONTH, QUARTER, YEAR

#: A trend is pooled into coarser periods when more than this share of its periods with
#: answers would have to be hidden.
POOL_SHARE = 0.5

#: A trend: (level, state, kind, grain) of its rows.
Trend = tuple[str, int | None, int | None, str]


def pooled_trends(
    keys: list[RowKey], orgs: np.ndarray[Any, Any], counts: np.ndarray[Any, Any], threshold: int
) -> set[Trend]:
    """The trends not published at their grain (``orgs`` and ``counts``: per row of the
    family, its organizations and its (submissions, yes, no))."""
    # A slice's trend at a grain whose periods with answers are mostly unclean.
    unclean = small(orgs, MIN_ORGANIZATIONS) | small(counts[:, 0], threshold)
    pooled: set[Trend] = set()
    groups: dict[Trend, list[int]] = {}
    for r, key in enumerate(keys):
        if key.grain != YEAR:
            groups.setdefault((key.level, key.state, key.kind, key.grain), []).append(r)
    for slice_key, rows in groups.items():
        with_answers = [r for r in rows if counts[r, 0] > 0]
        bad = [r for r in with_answers if unclean[r]]
        if len(bad) > POOL_SHARE * len(with_answers):
            pooled.add(slice_key)
    # months are pooled wherever quarters are
    for level, s, k, grain in list(pooled):
        if grain == QUARTER:
            pooled.add((level, s, k, MONTH))
    return pooled


def published_unit(
    asked: str,
    level: str,
    state: int | None,
    kind: int | None,
    pooled: set[Trend],
    keys: Container[RowKey],
) -> tuple[str, str]:
    """The grain the trend of a slice is published at ('' for none: then the year's row has
    it), and why it is not the one asked for ('' when it is). ``keys``: the family's rows."""
    unit, note = asked, ""
    if unit == MONTH and (
        (level, state, kind, MONTH) in pooled or RowKey(level, state, kind, MONTH, 0) not in keys
    ):
        unit = QUARTER
        note = _("Too few answers by month for a trend: shown by quarter instead.")
    if (level, state, kind, unit) in pooled:
        return "", _("Too few answers for a trend in this view: see the totals for the year.")
    return unit, note
