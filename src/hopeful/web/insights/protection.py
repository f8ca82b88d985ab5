"""How the dashboard and the network view publish counts and shares: the cell-key method.

Every stored submission and invitation link carries a random *record key*
(:func:`hopeful.web.surveys.models.draw_record_key`). A published count is the true count
plus a perturbation read from the perturbation table (:func:`hopeful.stats.make_ptable`, its
parameters in settings) by the count and the *cell key*, the sum of the cell's record keys
(:class:`Tally` carries both). The same records always give the same number, however the view
is asked for, so repeating or re-filtering a request gains nothing, and subtracting two views
gives a count plus noise.

- A published count from 1 to ``threshold - 1`` is shown as "fewer than ``threshold``"; a
  true 0 stays 0 (a small count may also be published as 0).
- A share is computed (:func:`hopeful.stats.proportions_from_counts`) from its numerator and
  denominator as estimated from every published count of their table
  (:mod:`hopeful.web.insights.smoothing`, read through :data:`TABLES`; their published values
  when not estimated), so it never reveals more than the published counts; it is hidden when
  its numerator is shown as "fewer than" (the share times ``n`` would give it away). The NCHS presentation standard
  (:func:`hopeful.stats.nchs_proportions`) then decides which shares are too unreliable to
  show: a reliability rule, not a privacy one.
- Weighted all-programs shares are stratified by program from each program's published
  counts, and shown only when every program's numerator is shown.

The one engine is :mod:`hopeful.stats.perturbation`; this module only reads the settings and
turns its numbers into what the pages show.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.utils.translation import gettext as _
from scipy.stats import t as student_t

from hopeful.stats import KEY_RANGE, PTable, make_ptable, nchs_proportions, proportions_from_counts
from hopeful.web.insights.benchmarks import Benchmark
from hopeful.web.insights.model import Estimate, ShownCount

IntArray = npt.NDArray[np.int64]


def small_cell_threshold() -> int:
    """Published counts from 1 to this minus one are shown as "fewer than" (default 11)."""
    return int(getattr(settings, "HOPEFUL_SMALL_CELL_THRESHOLD", 11))


def ptable_parameters() -> tuple[int, float]:
    """(maximum perturbation D, variance V) of the perturbation table, from settings."""
    return (
        int(getattr(settings, "HOPEFUL_PTABLE_MAX_NOISE", 6)),
        float(getattr(settings, "HOPEFUL_PTABLE_VARIANCE", 4.5)),
    )


@functools.cache
def _ptable(max_noise: int, variance: float) -> PTable:
    # A positive count is never published as 0: a shown 0 always means no one.
    return make_ptable(max_noise, variance, positive=True)


def ptable() -> PTable:
    """The perturbation table the settings name (built once per parameters)."""
    return _ptable(*ptable_parameters())


@dataclass(frozen=True, slots=True)
class Tally:
    """A cell before publication: how many records it holds and the sum of their keys."""

    n: int
    key: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.n + other.n, self.key + other.key)

    def __sub__(self, other: Tally) -> Tally:
        """The records of this cell not in ``other`` (``other`` must be inside it)."""
        return Tally(self.n - other.n, self.key - other.key)


#: When set (by :mod:`hopeful.web.insights.audit`), every cell made from rows and every value
#: published is written down, so the audit can rebuild which records each number counts.
LEDGER: contextvars.ContextVar[Any] = contextvars.ContextVar("insights_ledger", default=None)


#: When set (by the dashboard's selector), a share's counts are estimated from every published
#: count of its table (:class:`hopeful.web.insights.smoothing.Tables`).
TABLES: contextvars.ContextVar[Any] = contextvars.ContextVar("insights_tables", default=None)


def estimated_counts(
    request: Share, yes: int, n: int, cells: tuple[Tally, Tally] | None = None
) -> tuple[float, float]:
    """(yes, n) of a share as its table estimates them; as published (``yes``, ``n``) when
    either is not estimated (``cells``: a stratum's cells, instead of the share's)."""
    cell_yes, cell_n = cells if cells is not None else (request.yes, request.n)
    tables = TABLES.get()
    if tables is None or not request.space or cell_n.n == 0:
        return float(yes), float(n)
    found = tables.estimate_share(request.space, cell_yes, cell_n)
    if found is None or found[1] <= 0:
        return float(yes), float(n)
    y, total = found
    return min(max(float(y), 0.0), float(total)), float(total)


def tally(mask: npt.NDArray[np.bool_], keys: IntArray) -> Tally:
    """The cell of the rows ``mask`` selects."""
    cell = Tally(int(mask.sum()), int(keys[mask].sum()))
    ledger = LEDGER.get()
    if ledger is not None:
        ledger.cell(cell, keys[mask])
    return cell


def perturbed(counts: Any, key_sums: Any, *, shown: bool = True) -> IntArray:
    """The published values of cells (vectorized): 0 stays 0, a positive count stays
    positive (``shown``: false for numbers used in a test but never shown themselves, which
    the audit leaves out)."""
    n = np.asarray(counts, dtype=np.int64)
    sums = np.asarray(key_sums, dtype=np.int64)
    out = np.asarray(ptable().perturb(n, np.mod(sums, KEY_RANGE)), dtype=np.int64)
    ledger = LEDGER.get()
    if ledger is not None and shown:
        ledger.published(n, sums, out)
    return out


def value(cell: Tally) -> int:
    """The published value of one cell."""
    if cell.n == 0:
        return 0
    return int(perturbed(np.array([cell.n]), np.array([cell.key]))[0])


def shown(published: int, threshold: int | None = None) -> ShownCount:
    threshold = small_cell_threshold() if threshold is None else threshold
    return ShownCount(published if published == 0 or published >= threshold else None, threshold)


def count(cell: Tally, *, what: tuple[Any, ...] = ()) -> ShownCount:
    """A cell as the page shows it (``what`` it counts, for the audit's ledger)."""
    ledger = LEDGER.get()
    if ledger is not None and what:
        ledger.mark(cell, *what)
    return shown(value(cell))


def fewer_than(published: int, threshold: int) -> bool:
    return 0 < published < threshold


def known_bounds(
    published: Any, threshold: int | None = None, max_noise: int | None = None
) -> tuple[Any, Any]:
    """What published values tell of their true counts (vectorized; the attacker's view):
    within the perturbation's maximum ``D`` of a shown number (and at least 1), 1 to
    ``threshold - 1 + D`` for "fewer than", exactly 0 for a 0 (a positive count is never
    published as 0). Returns (low, high) as floats."""
    threshold = small_cell_threshold() if threshold is None else threshold
    max_noise = ptable_parameters()[0] if max_noise is None else max_noise
    y = np.asarray(published, dtype=np.float64)
    low = np.where(y >= threshold, np.maximum(1.0, y - max_noise), 1.0)
    high = np.where(y >= threshold, y + max_noise, threshold - 1.0 + max_noise)
    return np.where(y == 0, 0.0, low), np.where(y == 0, 0.0, high)


# -- shares ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Share:
    """A share to publish: its cells (overall, and per program when it is weighted)."""

    key: str
    label: str
    yes: Tally
    n: Tally
    strata: tuple[tuple[Tally, Tally], ...] = ()
    """(yes, n) per program, with ``sizes``: a weighted, stratified share."""
    sizes: tuple[int, ...] = ()
    benchmark: Benchmark | None = None
    space: tuple[str, ...] = ()
    """The table its counts are estimated in (:mod:`hopeful.web.insights.smoothing`); empty:
    the share is its two published counts'."""


def plain_reason(reason: str) -> str:
    """The NCHS decision in plain language."""
    if reason.startswith("effective sample size"):
        return _("Too few answers for a reliable percentage.")
    if reason.startswith("relative"):
        return _("Too uncertain for its size to be shown.")
    if reason.startswith("confidence interval"):
        return _("Too uncertain to be shown: the range of likely values is too wide.")
    return _("Not reliable enough to be shown.")


def plain_flags(flags: str) -> tuple[str, ...]:
    """The NCHS footnotes in plain language."""
    out = []
    for flag in filter(None, (f.strip() for f in flags.split(";"))):
        if flag.startswith("complement"):
            out.append(_("The share without it is not reliable."))
        elif flag.startswith("fewer than"):
            out.append(_("Based on few answers: read with care."))
        elif flag.startswith("estimate is 0%"):
            out.append(_("Everyone or no one: read with care."))
        else:
            out.append(flag)
    return tuple(out)


def hidden(reason: str, *, protected: bool = False, **fields: Any) -> Estimate:
    return Estimate(
        estimate=None, ci_low=None, ci_high=None, hidden=reason, protected=protected, **fields
    )


def protected_reason(threshold: int, *, numerator: bool = False) -> str:
    if numerator:
        text = _("Fewer than %(n)d respondents have it: not shown to protect small groups.")
    else:
        text = _("Fewer than %(n)d respondents: not shown to protect small groups.")
    return text % {"n": threshold}


def shares(
    requests: Sequence[Share], *, closed: bool = False, shown_cells: bool = True
) -> list[Estimate]:
    """Publish shares: perturbed numerators and denominators, the estimate and its 95%
    Korn-Graubard interval from them, judged by the NCHS standard (vectorized over all the
    unweighted requests; ``closed``: the whole view is hidden, ``n`` too; ``shown_cells``:
    false for shares only used in a test, such as the rest of a group)."""
    threshold = small_cell_threshold()
    cells = [c for r in requests for c in (r.yes, r.n)]
    values: IntArray | list[int] = (
        perturbed([c.n for c in cells], [c.key for c in cells], shown=shown_cells) if cells else []
    )
    out: list[Estimate | None] = [None] * len(requests)
    plain: list[int] = []
    for i, request in enumerate(requests):
        yes, n = int(values[2 * i]), int(values[2 * i + 1])
        blank: dict[str, Any] = {
            "key": request.key,
            "label": request.label,
            "n": shown(n, threshold),
            "yes": shown(yes, threshold),
            "benchmark": request.benchmark,
        }
        if closed or fewer_than(n, threshold):
            out[i] = hidden(protected_reason(threshold), protected=True, **blank)
        elif request.n.n == 0 or n == 0:
            out[i] = hidden(_("No answers in this view."), **blank)
        elif fewer_than(yes, threshold):
            out[i] = hidden(protected_reason(threshold, numerator=True), protected=True, **blank)
        elif request.strata:
            out[i] = _weighted(request, blank, threshold)
        else:
            plain.append(i)
    if plain:
        both = [
            estimated_counts(requests[i], int(values[2 * i]), int(values[2 * i + 1])) for i in plain
        ]
        yes_values = np.array([b[0] for b in both], dtype=np.float64)
        n_values = np.array([b[1] for b in both], dtype=np.float64)
        judged = nchs_proportions(proportions_from_counts(yes_values, n_values))
        for row, i in zip(judged.itertuples(index=False), plain, strict=True):
            out[i] = _judged_estimate(requests[i], row, threshold, values[2 * i], values[2 * i + 1])
    published = [e for e in out if e is not None]
    ledger = LEDGER.get()
    if ledger is not None and shown_cells:
        ledger.shares(requests, published)
    return published


def _judged_estimate(request: Share, row: Any, threshold: int, yes: int, n: int) -> Estimate:
    blank: dict[str, Any] = {
        "key": request.key,
        "label": request.label,
        "n": shown(int(n), threshold),
        "yes": shown(int(yes), threshold),
        "benchmark": request.benchmark,
    }
    return _from_row(row, blank)


def _from_row(row: Any, blank: dict[str, Any]) -> Estimate:
    """An estimate as NCHS judged it (``row`` of :func:`hopeful.stats.nchs_proportions`)."""
    if not bool(row.present):
        return hidden(plain_reason(str(row.reason)), **blank)
    return Estimate(
        estimate=float(row.estimate),
        ci_low=float(row.ci_low),
        ci_high=float(row.ci_high),
        se=float(row.se),
        flags=plain_flags(str(row.flags)),
        **blank,
    )


def _weighted(request: Share, blank: dict[str, Any], threshold: int) -> Estimate:
    """A share over programs as strata, each weighted to the families it serves, from each
    program's published counts; shown only when every program's numerator is."""
    cells = [c for pair in request.strata for c in pair]
    values = perturbed([c.n for c in cells], [c.key for c in cells], shown=False)
    yes = values[0::2].astype(np.float64)
    n = values[1::2].astype(np.float64)
    if any(fewer_than(int(v), threshold) for v in values):
        return hidden(protected_reason(threshold, numerator=True), protected=True, **blank)
    if not (n > 0).any():
        return hidden(_("No answers in this view."), **blank)
    both = [
        estimated_counts(request, int(y), int(t), cells)
        for y, t, cells in zip(yes, n, request.strata, strict=True)
    ]
    yes = np.array([b[0] for b in both], dtype=np.float64)
    n = np.array([b[1] for b in both], dtype=np.float64)
    frame = proportions_from_counts(
        yes[np.newaxis, :], n[np.newaxis, :], weights=np.asarray(request.sizes, dtype=np.float64)
    )
    return _from_row(next(nchs_proportions(frame).itertuples(index=False)), blank)


def mean(
    *, key: str, label: str, by_value: Sequence[Tally], values: Sequence[float], n: Tally
) -> Estimate:
    """A mean score from the perturbed counts of each score value (so it reveals nothing but
    published counts), with a t interval of a simple random sample. Shown when its published
    ``n`` is at least 30 (fewer gives no reliable mean)."""
    threshold = small_cell_threshold()
    published_n = value(n)
    blank: dict[str, Any] = {
        "key": key,
        "label": label,
        "n": shown(published_n, threshold),
        "kind": "mean",
    }
    if n.n == 0:
        return hidden(_("No answers in this view."), **blank)
    if fewer_than(published_n, threshold):
        return hidden(protected_reason(threshold), protected=True, **blank)
    counts = perturbed([c.n for c in by_value], [c.key for c in by_value]).astype(np.float64)
    total = counts.sum()
    if published_n < 30 or total < 2:
        return hidden(_("Too few answers for a reliable mean."), **blank)
    x = np.asarray(values, dtype=np.float64)
    average = float((counts * x).sum() / total)
    variance = float((counts * (x - average) ** 2).sum() / (total - 1))
    half = float(student_t.ppf(0.975, total - 1)) * (variance / total) ** 0.5
    return Estimate(
        estimate=average,
        ci_low=average - half,
        ci_high=average + half,
        se=(variance / total) ** 0.5,
        **blank,
    )
