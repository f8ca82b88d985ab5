"""Taylor-linearization variance for stratified multistage designs, as R's ``svyrecvar``.

A design is a list of :class:`Stage` objects. Stage 1 holds the primary sampling units (PSUs)
within strata. Later stages exist only when a finite population correction is given for them
(without one, R and we use the with-replacement "ultimate cluster" approximation, where only
the first stage counts).

For one stage, with unit totals ``T_u`` of the influence values, ``n_h`` sampled units in
stratum ``h`` (the *design* count, even when a domain touches fewer of them), sampling
fraction ``f_h = (N_h - n_h) / N_h`` (1 without fpc), and ``m_h`` the mean unit total::

    V = sum_h  f_h * n_h / (n_h - 1) * sum_{u in h} (T_u - m_h)^2

Strata with a single unit follow the lonely-PSU rule (R's ``survey.lonely.psu``):
``adjust`` adds ``f_h * T_u^2`` (deviation from 0, not centred: survey 4.1 semantics),
``remove`` and ``certainty`` add nothing, ``average`` leaves the stratum out and scales the sum
by (strata) / (strata with more than one unit), ``fail`` is refused when the design is built.
A stage's contribution is multiplied by the product of the sampling fractions ``n/N`` of the
stages above it (R's recursion).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hopeful.stats._columns import weighted_counts
from hopeful.stats.errors import EstimationError

__all__ = [
    "LONELY_RULES",
    "Stage",
    "covariance_from_unit_totals",
    "domain_variances",
    "stage_covariance",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

LONELY_RULES = ("adjust", "average", "certainty", "remove", "fail")

#: Below this sampling fraction a stratum is self-representing (R's threshold).
_SELF_REPRESENTING = 1e-7

#: Largest number of (unit, domain) cells summed in a dense table before switching to pairs.
_DENSE_CELLS = 40_000_000


@dataclass(frozen=True, slots=True)
class Stage:
    """One sampling stage.

    Attributes
    ----------
    unit
        Per row, the unit code ``0..U-1``; units are numbered so that each stratum's units
        are contiguous and strata are in order.
    unit_stratum
        Per unit, its stratum code ``0..H-1`` (non-decreasing).
    starts
        Per stratum, the index of its first unit (for ``np.add.reduceat``).
    n_units
        Per stratum, the design's number of sampled units.
    fraction
        Per stratum, ``(N_h - n_h) / N_h``, or ``None`` for sampling with replacement.
    multiplier
        Per stratum, the product of the sampling fractions ``n/N`` of the stages above
        (1 at the first stage).
    """

    unit: IntArray
    unit_stratum: IntArray
    starts: IntArray
    n_units: IntArray
    fraction: FloatArray | None
    multiplier: FloatArray

    @property
    def n_strata(self) -> int:
        """Number of strata at this stage."""
        return len(self.n_units)

    @property
    def n_unit_codes(self) -> int:
        """Number of units present in the data at this stage."""
        return len(self.unit_stratum)

    def stratum_scale(self, lonely: str) -> tuple[FloatArray, BoolArray]:
        """Per stratum: the variance scale and whether the stratum is left out (``average``).

        The scale includes ``f_h``, ``n_h / (n_h - 1)`` and the stage multiplier; a lonely
        stratum gets ``f_h`` under ``adjust`` and 0 under ``remove``/``certainty``.
        """
        n = self.n_units.astype(np.float64)
        f = np.ones_like(n) if self.fraction is None else self.fraction
        lonely_h = self.n_units == 1
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(lonely_h, f, f * n / (n - 1.0))
        if lonely in ("remove", "certainty", "average"):
            scale = np.where(lonely_h, 0.0, scale)
        scale = np.where(f < _SELF_REPRESENTING, 0.0, scale) * self.multiplier
        excluded = lonely_h if lonely == "average" else np.zeros(len(n), dtype=bool)
        return scale, excluded


def _unit_totals(stage: Stage, z: FloatArray) -> FloatArray:
    """Unit totals of each column of ``z`` (rows x k) -> (units x k)."""
    units = stage.n_unit_codes
    return np.stack(
        [weighted_counts(stage.unit, weights=z[:, c], minlength=units) for c in range(z.shape[1])],
        axis=1,
    )


def stage_covariance(stage: Stage, z: FloatArray, lonely: str) -> FloatArray:
    """This stage's contribution to the covariance of the totals of the columns of ``z``."""
    return covariance_from_unit_totals(stage, _unit_totals(stage, z), lonely)


def covariance_from_unit_totals(stage: Stage, totals: FloatArray, lonely: str) -> FloatArray:
    """A stage's covariance contribution from the unit totals (units x k) of the scores."""
    sums = np.add.reduceat(totals, stage.starts, axis=0)
    means = sums / stage.n_units[:, None]
    lonely_h = stage.n_units == 1
    if lonely == "adjust":
        means[lonely_h] = 0.0  # the lonely unit deviates from 0, not from its own mean
    deviations = totals - means[stage.unit_stratum]
    scale, excluded = stage.stratum_scale(lonely)
    weighted = deviations * scale[stage.unit_stratum][:, None]
    cov = weighted.T @ deviations
    if excluded.any():
        kept = stage.n_strata - int(excluded.sum())
        cov = cov * (stage.n_strata / kept) if kept else cov * np.nan
    return np.asarray(cov, dtype=np.float64)


def domain_variances(
    stage: Stage,
    z: FloatArray,
    domain: IntArray,
    n_domains: int,
    lonely: str,
    *,
    adjust_domain_lonely: bool = False,
    present: BoolArray | None = None,
) -> FloatArray:
    """Variance of the total of ``z`` within each domain, all domains at once.

    ``z`` is 0 outside the estimate; ``domain`` codes each row's domain (``-1``: none).
    ``present`` marks the rows that belong to the domain's design (R's subset design); it
    decides which strata and units a domain touches, which matters only for the ``average``
    rule and for ``adjust_domain_lonely``. Equivalent to R computing each domain on
    ``design[domain == d, ]``.
    """
    units, n_units = stage.n_unit_codes, stage.n_units
    inside = domain >= 0
    rows = np.flatnonzero(inside) if not inside.all() else None
    dom = domain if rows is None else domain[rows]
    unit = stage.unit if rows is None else stage.unit[rows]
    zz = z if rows is None else z[rows]
    scale, excluded = stage.stratum_scale(lonely)
    lonely_h = n_units == 1
    need_presence = adjust_domain_lonely or bool(excluded.any())

    if units * n_domains <= _DENSE_CELLS:
        key = unit if n_domains == 1 else unit * n_domains + dom
        cells = weighted_counts(key, weights=zz, minlength=units * n_domains).reshape(
            units, n_domains
        )
        sums = np.add.reduceat(cells, stage.starts, axis=0)
        means = sums / n_units[:, None]
        if lonely == "adjust":
            means[lonely_h] = 0.0
        stratum_scale: FloatArray = scale[:, None]  # per stratum (and domain, below)
        counts = None
        if need_presence:
            member = present if present is not None else np.ones(len(domain), dtype=bool)
            sel = member if rows is None else member[rows]
            counts = np.bincount(key[sel], minlength=units * n_domains).reshape(units, n_domains)
            touched = np.add.reduceat((counts > 0).astype(np.int64), stage.starts, axis=0)
            if adjust_domain_lonely:
                one = (touched == 1) & (n_units[:, None] > 1)
                if lonely == "adjust":
                    # R: a stratum where the domain reaches one of several units is not
                    # centred either.
                    means = np.where(one, 0.0, means)
                elif lonely == "average":
                    stratum_scale = np.where(one, 0.0, stratum_scale)
                    excluded_hd = excluded[:, None] | one
                else:
                    excluded_hd = np.repeat(excluded[:, None], n_domains, axis=1)
            else:
                excluded_hd = np.repeat(excluded[:, None], n_domains, axis=1)
        # Squared deviations from the stratum means, summed per stratum, then scaled; done in
        # place because units x domains can be large (160,000 PSUs x 60 domains at 4M rows).
        cells -= means[stage.unit_stratum]
        np.square(cells, out=cells)
        squares = np.add.reduceat(cells, stage.starts, axis=0)
        var = (squares * stratum_scale).sum(axis=0)
        if need_presence and counts is not None:
            strata_in = (touched > 0).sum(axis=0)
            if lonely == "average":
                excl = (excluded_hd & (touched > 0)).sum(axis=0)
                kept = strata_in - excl
                with np.errstate(divide="ignore", invalid="ignore"):
                    var = np.where(kept > 0, var * strata_in / np.maximum(kept, 1), np.nan)
        return np.asarray(var, dtype=np.float64)

    # Sparse path for very many units x domains: sum over the (unit, domain) pairs present,
    # using sum_u (T_u - m)^2 = sum_u T_u^2 - n_h m^2 with the design count n_h.
    if need_presence:
        raise EstimationError(
            f"{units:,} PSUs x {n_domains:,} domains is too many for lonely_psu='average' or "
            "adjust_domain_lonely; use fewer domains or another lonely-PSU rule"
        )
    key = unit * n_domains + dom
    pairs, inverse = np.unique(key, return_inverse=True)
    totals = weighted_counts(inverse.ravel(), weights=zz)
    pair_unit, pair_dom = pairs // n_domains, pairs % n_domains
    pair_stratum = stage.unit_stratum[pair_unit]
    strata_key = pair_stratum * n_domains + pair_dom
    sums = weighted_counts(strata_key, weights=totals, minlength=stage.n_strata * n_domains)
    sums = sums.reshape(stage.n_strata, n_domains)
    square = weighted_counts(pair_dom, weights=scale[pair_stratum] * totals**2, minlength=n_domains)
    centred = np.where(lonely_h[:, None] & (lonely == "adjust"), 0.0, sums**2 / n_units[:, None])
    var = square - (scale[:, None] * centred).sum(axis=0)
    return np.asarray(var, dtype=np.float64)
