"""The network view's protection plan: what is asked of :mod:`hopeful.web.network.protection`
for one year's family of cells (:mod:`hopeful.web.network.family`), and what may be shown of
each row once it has decided.

Years never overlap, so a year is protected on its own; the month under way is left out
until it is over.

1. **Minimum organizations.** A cell with one or two contributing organizations is hidden,
   with all its numbers. The number of organizations is protected per period (it is not a
   sum over periods) with threshold 3, and the cell's counts must not be worked out to within
   :func:`~hopeful.web.network.family.org_rule_width` (at least the small-count threshold,
   and 20% of the count).
2. **Small counts.** Counts 1-10 (threshold ``HOPEFUL_SMALL_CELL_THRESHOLD``) are never shown
   nor recoverable from everything else the view publishes, including what the shown numbers
   of organizations imply (a row with three organizations has at least three submissions).
3. **Sparse trends are pooled** (:mod:`hopeful.web.network.trends`): their cells are hidden
   cells of the family, protected like any other.

The complementary suppressions are chosen by :mod:`hopeful.web.network.protection`.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from scipy import sparse

from hopeful.web.insights.selectors import ShownCount
from hopeful.web.network.family import (
    CELL,
    KIND,
    MIN_ORGANIZATIONS,
    STATE,
    TOTAL,
    RowKey,
    family,
    org_rule_width,
    small,
)
from hopeful.web.network.filters import MONTH, QUARTER, YEAR
from hopeful.web.network.protection import Problem
from hopeful.web.network.trends import Trend, pooled_trends


@dataclass
class Protection:
    """What may be shown of every row of the family, for one year, measure and data."""

    keys: list[RowKey]
    index: dict[RowKey, int]
    orgs: np.ndarray[Any, Any]
    counts: np.ndarray[Any, Any]
    """Per row: (submissions, yes, no)."""
    orgs_hidden: np.ndarray[Any, Any]
    orgs_primary: np.ndarray[Any, Any]
    counts_hidden: np.ndarray[Any, Any]
    """Per row: (submissions, yes, no) hidden."""
    counts_primary: np.ndarray[Any, Any]
    pooled: set[Trend]
    """(level, state, kind, grain) of trends not published at that grain."""
    programs: int = 0
    failed: bool = False


_WEIGHT = {
    (TOTAL, YEAR): 60.0,
    (STATE, YEAR): 12.0,
    (KIND, YEAR): 12.0,
    (CELL, YEAR): 6.0,
    (TOTAL, MONTH): 8.0,
    (TOTAL, QUARTER): 10.0,
}


def _weight(key: RowKey) -> float:
    """The cost of hiding a number of this row (a trend of one state or kind is cheapest)."""
    return _WEIGHT.get((key.level, key.grain), 2.0 if key.grain == MONTH else 3.0)


def _as_published(hidden: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """A row's "yes" and "no" counts are published only through its share, which needs both
    of them and the row's count: hide them together (what is hidden anyway is then not
    taken for an equation the attacker has)."""
    hidden = hidden.copy()
    pair = hidden[:, 0] | hidden[:, 1] | hidden[:, 2]
    hidden[pair, 1:] = True
    return hidden


_CACHE: OrderedDict[tuple[object, ...], Protection] = OrderedDict()
_CACHE_SIZE = 64


def clear_cache() -> None:
    _CACHE.clear()


def protection(
    base: np.ndarray[Any, Any],
    org_months: np.ndarray[Any, Any],
    org_quarters: np.ndarray[Any, Any],
    org_year: np.ndarray[Any, Any],
    pairs: list[tuple[int, int]],
    n_states: int,
    n_kinds: int,
    threshold: int,
) -> Protection:
    """Protect the whole family of one year (a pure function of the counts: cached).

    ``base`` is pair x month x outcome; ``org_*`` the distinct contributing organizations per
    pair and month, quarter and year."""
    key = (
        base.shape,
        base.tobytes(),
        org_months.tobytes(),
        org_quarters.tobytes(),
        org_year.tobytes(),
        tuple(pairs),
        n_states,
        n_kinds,
        threshold,
    )
    cached = _CACHE.get(key)
    if cached is not None:
        _CACHE.move_to_end(key)
        return cached
    result = _protect(base, org_months, org_quarters, org_year, pairs, n_states, n_kinds, threshold)
    _CACHE[key] = result
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return result


def _protect(
    base: np.ndarray[Any, Any],
    org_months: np.ndarray[Any, Any],
    org_quarters: np.ndarray[Any, Any],
    org_year: np.ndarray[Any, Any],
    pairs: list[tuple[int, int]],
    n_states: int,
    n_kinds: int,
    threshold: int,
) -> Protection:
    fam = family(base, org_months, org_quarters, org_year, pairs, n_states, n_kinds)
    keys, row_pairs, org_table = fam.keys, fam.row_pairs, fam.org_table
    orgs, matrix, x, counts = fam.orgs, fam.matrix, fam.x, fam.counts
    n_pairs = base.shape[0]
    n_rows = len(keys)

    pooled = pooled_trends(keys, orgs, counts, threshold)
    away = np.array([(k.level, k.state, k.kind, k.grain) in pooled for k in keys], dtype=bool)

    # 1. The number of organizations, per period (a count of distinct organizations is a sum
    #    over the pairs within a period, not over periods).
    orgs_primary = small(orgs, MIN_ORGANIZATIONS)
    orgs_hidden = orgs_primary | away
    programs = 0
    failed = False
    by_period: dict[tuple[str, int], list[int]] = {}
    for r, key in enumerate(keys):
        by_period.setdefault((key.grain, key.period), []).append(r)
    for (grain, p), rows in by_period.items():
        if not orgs_hidden[rows].any():
            continue
        values = org_table[grain][:, p].astype(np.float64)
        cells = sparse.csr_matrix(
            (
                np.ones(sum(row_pairs[r].size for r in rows)),
                (
                    np.concatenate([[i] * row_pairs[r].size for i, r in enumerate(rows)]),
                    np.concatenate([row_pairs[r] for r in rows]),
                ),
            ),
            shape=(len(rows), n_pairs),
        )
        problem = Problem(values, cells, np.array([_weight(keys[r]) for r in rows]))
        outcome = problem.protect(orgs_hidden[rows], threshold=MIN_ORGANIZATIONS)
        orgs_hidden[rows] = outcome.hidden
        programs += outcome.programs
        failed |= outcome.failed

    # 2. The counts. Hidden at first: counts 1..threshold-1, every count of a row with one or
    #    two organizations (which must stay wide), every count of a trend pooled away.
    counts_primary = small(counts, threshold)
    hidden = _as_published(counts_primary | orgs_primary[:, None] | away[:, None])
    width = np.zeros((n_rows, 3))
    for r in np.flatnonzero(orgs_primary):
        width[r] = [org_rule_width(v, threshold) for v in counts[r]]
    fixed = np.zeros(base.size, dtype=bool)
    floors: list[tuple[int, float]] = []
    for r in range(n_rows):
        if orgs_hidden[r]:
            continue
        if orgs[r] == 0:
            fixed[matrix[3 * r].indices] = True  # no organization: nothing to move
        else:
            floors.append((3 * r, float(orgs[r])))  # at least one submission each
    weights = np.repeat([_weight(k) for k in keys], 3) * np.tile([1.5, 1.0, 1.0], n_rows)
    problem = Problem(x, matrix, weights, fixed=fixed, floors=floors)
    if hidden.any():
        outcome = problem.protect(hidden.ravel(), threshold=threshold, width=width.ravel())
        hidden = _as_published(outcome.hidden.reshape(n_rows, 3))
        programs += outcome.programs
        failed |= outcome.failed
    if failed:
        orgs_hidden[:] = True
        hidden[:] = True
    return Protection(
        keys=keys,
        index=fam.index,
        orgs=orgs,
        counts=counts,
        orgs_hidden=orgs_hidden,
        orgs_primary=orgs_primary,
        counts_hidden=hidden,
        counts_primary=counts_primary | orgs_primary[:, None],
        pooled=pooled,
        programs=programs,
        failed=failed,
    )


# -- reading the decisions back ----------------------------------------------------------------


def _org_reason(primary: bool) -> str:
    if primary:
        return _(
            "Fewer than %(min)s organizations: hidden so that no single organization can "
            "be singled out."
        ) % {"min": MIN_ORGANIZATIONS}
    return _("Hidden so that another hidden number cannot be worked out.")


@dataclass(frozen=True, slots=True)
class Decision:
    """What one row of the family may show, and why the rest is hidden."""

    organizations: ShownCount
    counts: tuple[ShownCount, ...]
    """(submissions, yes, no)."""
    note: str
    """Why the row's counts are hidden ('' when shown)."""
    share_hidden: str
    """Why the row's share is hidden ('' when it may be shown)."""
    org_rule: bool
    """The number of organizations is hidden."""


def decision(result: Protection, key: RowKey) -> Decision:
    r = result.index[key]
    orgs_hidden = bool(result.orgs_hidden[r])
    organizations = ShownCount(None if orgs_hidden else int(result.orgs[r]))
    shown = tuple(
        ShownCount(None if result.counts_hidden[r, i] else int(result.counts[r, i]))
        for i in range(3)
    )
    note = ""
    if result.orgs_primary[r]:
        note = _org_reason(True)
    elif shown[0].suppressed:
        note = (
            _("Hidden to protect small groups.")
            if result.counts_primary[r, 0]
            else _org_reason(False)
        )
    share_hidden = note if (shown[0].suppressed or result.orgs_primary[r]) else ""
    if not share_hidden and (shown[1].suppressed or shown[2].suppressed):
        share_hidden = (
            _("Hidden to protect small groups.")
            if result.counts_primary[r, 1:].any()
            else _org_reason(False)
        )
    return Decision(
        organizations=organizations,
        counts=shown,
        note=note,
        share_hidden=share_hidden,
        org_rule=orgs_hidden,
    )
