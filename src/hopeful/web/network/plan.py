"""The network view's protection plan: what is published of each row of one year's family of
cells (:mod:`hopeful.web.network.family`), by the same engines as the dashboard's.

Years never overlap, so a year is protected on its own; the month under way is left out
until it is over.

1. **Counts are perturbed** by the cell-key method (:mod:`hopeful.web.insights.protection`,
   the dashboard's): a row's submissions (and "yes" answers, which its share reveals) are
   published as the true count plus the perturbation its records' keys choose; 1-10 shows
   as "fewer than 11", a true 0 stays 0. The same submissions always give the same number,
   whatever the filter.
2. **Minimum organizations.** A row with one or two contributing organizations is hidden, with
   all its numbers. The number of organizations is published exactly, so it is protected by
   complementary suppression per period (a count of organizations is not a sum over periods)
   with threshold 3; and such a row's counts must not be worked out to within
   :func:`~hopeful.web.network.family.org_rule_width` (at least the small-count threshold, and
   20% of the count) from everything else published, even by someone who knew the true value
   of every published count (the perturbation, a few counts, does not hide an organization).
   Both by :class:`hopeful.stats.SuppressionProblem`.
3. **Sparse trends are pooled** (:mod:`hopeful.web.network.trends`), judged on the published
   counts: their rows are hidden rows of the family.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from scipy import sparse

from hopeful.stats import SuppressionProblem
from hopeful.web.insights import protection as cell_key
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
from hopeful.web.network.trends import Trend, pooled_trends


@dataclass
class Protection:
    """What may be shown of every row of the family, for one year, measure and data."""

    keys: list[RowKey]
    index: dict[RowKey, int]
    orgs: np.ndarray[Any, Any]
    counts: np.ndarray[Any, Any]
    """Per row: the true (submissions, yes, no)."""
    published: np.ndarray[Any, Any]
    """Per row: the published (perturbed) submissions and yes, and their difference."""
    orgs_hidden: np.ndarray[Any, Any]
    orgs_primary: np.ndarray[Any, Any]
    counts_hidden: np.ndarray[Any, Any]
    """Per row: (submissions, yes, no) withheld (beyond showing 1-10 as "fewer than")."""
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
    """A row's "yes" is published only through its share, which needs the row's count too:
    withheld with it. The "no" is never published by itself (the share and the count give it
    only blurred by two perturbations)."""
    hidden = hidden.copy()
    hidden[hidden[:, 0], 1] = True
    hidden[:, 2] = True
    return hidden


_CACHE: OrderedDict[tuple[object, ...], Protection] = OrderedDict()
_CACHE_SIZE = 64


def clear_cache() -> None:
    _CACHE.clear()


def protection(
    base: np.ndarray[Any, Any],
    key_base: np.ndarray[Any, Any],
    org_months: np.ndarray[Any, Any],
    org_quarters: np.ndarray[Any, Any],
    org_year: np.ndarray[Any, Any],
    pairs: list[tuple[int, int]],
    n_states: int,
    n_kinds: int,
    threshold: int,
) -> Protection:
    """Protect the whole family of one year (a pure function of the counts: cached).

    ``base`` is pair x month x outcome (``key_base``: the sums of their record keys);
    ``org_*`` the distinct contributing organizations per pair and month, quarter and year."""
    key = (
        base.shape,
        base.tobytes(),
        key_base.tobytes(),
        cell_key.ptable_parameters(),
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
    result = _protect(
        base, key_base, org_months, org_quarters, org_year, pairs, n_states, n_kinds, threshold
    )
    _CACHE[key] = result
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return result


def _protect(
    base: np.ndarray[Any, Any],
    key_base: np.ndarray[Any, Any],
    org_months: np.ndarray[Any, Any],
    org_quarters: np.ndarray[Any, Any],
    org_year: np.ndarray[Any, Any],
    pairs: list[tuple[int, int]],
    n_states: int,
    n_kinds: int,
    threshold: int,
) -> Protection:
    fam = family(base, key_base, org_months, org_quarters, org_year, pairs, n_states, n_kinds)
    keys, row_pairs, org_table = fam.keys, fam.row_pairs, fam.org_table
    orgs, matrix, x, counts = fam.orgs, fam.matrix, fam.x, fam.counts
    n_pairs = base.shape[0]
    n_rows = len(keys)

    # The published counts: submissions and yes perturbed by their records' keys.
    published = np.zeros_like(counts)
    published[:, :2] = cell_key.perturbed(counts[:, :2], fam.key_sums[:, :2], shown=False)
    published[:, 2] = published[:, 0] - published[:, 1]

    pooled = pooled_trends(keys, orgs, published, threshold)
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
        problem = SuppressionProblem(values, cells, np.array([_weight(keys[r]) for r in rows]))
        outcome = problem.protect(orgs_hidden[rows], threshold=MIN_ORGANIZATIONS)
        orgs_hidden[rows] = outcome.hidden
        programs += outcome.programs
        failed |= outcome.failed

    # 2. The counts of rows with one or two organizations must stay wide. Withheld at first:
    #    those rows and pooled trends (with all their numbers), the "yes" of a share that is
    #    not shown (a "fewer than" count), and every "no" (never published by itself).
    hidden = _as_published(np.repeat((orgs_primary | away)[:, None], 3, axis=1))
    hidden[:, 1] |= small(published[:, :2], threshold).any(axis=1)
    counts_primary = orgs_primary[:, None] | np.zeros((n_rows, 3), dtype=bool)
    if orgs_primary.any():
        width = np.zeros((n_rows, 3))
        for row in np.flatnonzero(orgs_primary):
            width[row] = [org_rule_width(v, threshold) for v in counts[row]]
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
        problem = SuppressionProblem(x, matrix, weights, fixed=fixed, floors=floors)
        # threshold 1: no small-count rule here (perturbation protects small counts)
        outcome = problem.protect(hidden.ravel(), threshold=1, width=width.ravel())
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
        published=published,
        orgs_hidden=orgs_hidden,
        orgs_primary=orgs_primary,
        counts_hidden=hidden,
        counts_primary=counts_primary,
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
    submissions: ShownCount
    yes: ShownCount
    """The count with the outcome (shown only through the share)."""
    published: tuple[int, int]
    """The published (perturbed) submissions and yes, for the share (0, 0 when withheld)."""
    note: str
    """Why the row's counts are withheld ('' when shown)."""
    share_hidden: str
    """Why the row's share is hidden by protection ('' when it may be shown)."""
    org_rule: bool
    """The number of organizations is hidden."""


def _count(result: Protection, r: int, i: int, threshold: int) -> ShownCount:
    if result.counts_hidden[r, i]:
        return ShownCount(None, threshold, withheld=True)
    return cell_key.shown(int(result.published[r, i]), threshold)


def decision(result: Protection, key: RowKey, threshold: int) -> Decision:
    r = result.index[key]
    orgs_hidden = bool(result.orgs_hidden[r])
    organizations = (
        ShownCount(None, MIN_ORGANIZATIONS, withheld=True)
        if orgs_hidden
        else ShownCount(int(result.orgs[r]), MIN_ORGANIZATIONS)
    )
    submissions = _count(result, r, 0, threshold)
    yes = _count(result, r, 1, threshold)
    note = ""
    if result.orgs_primary[r]:
        note = _org_reason(True)
    elif submissions.withheld:
        note = _org_reason(False)
    share_hidden = note
    if not share_hidden and submissions.suppressed:
        share_hidden = cell_key.protected_reason(threshold)
    if not share_hidden and yes.suppressed:
        share_hidden = (
            _org_reason(False)
            if yes.withheld and not small(result.published[r, 1:2], threshold).any()
            else cell_key.protected_reason(threshold, numerator=True)
        )
    published = (
        (0, 0) if share_hidden else (int(result.published[r, 0]), int(result.published[r, 1]))
    )
    return Decision(
        organizations=organizations,
        submissions=submissions,
        yes=yes,
        published=published,
        note=note,
        share_hidden=share_hidden,
        org_rule=orgs_hidden,
    )
