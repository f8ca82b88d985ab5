"""Shares and Korn-Graubard intervals from counts: published (perturbed) counts, or counts
estimated from them (:func:`hopeful.stats.smoothed_counts`), as :class:`Design` would give them
on the corresponding table."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from hopeful.stats import _ci
from hopeful.stats.errors import EstimationError

FloatArray = npt.NDArray[np.float64]


def proportions_from_counts(
    yes: npt.ArrayLike,
    n: npt.ArrayLike,
    *,
    level: float = 0.95,
    weights: npt.ArrayLike | None = None,
) -> pd.DataFrame:
    """Shares and Korn-Graubard intervals from (perturbed) counts, as :class:`Design` would.

    Without ``weights``, row ``s`` is exactly what
    ``Design(table).proportion(variable, ci="beta", level=level)`` gives for the level 1 of a
    0/1 variable on a table of ``yes[s]`` ones and ``n[s] - yes[s]`` zeros (a simple random
    sample, with replacement): ``p = yes / n``, ``var = p (1 - p) / (n - 1)``,
    ``df = n - 1``, and the Korn-Graubard interval of R's ``svyciprop(method="beta")``.

    With ``weights`` (the population size ``N_h`` of each stratum), ``yes`` and ``n`` are
    (shares x strata) and row ``s`` is what
    ``Design(table, weights="w", strata="stratum").proportion(...)`` gives on the table with
    ``yes[s, h]`` ones and ``n[s, h] - yes[s, h]`` zeros in stratum ``h``, each of weight
    ``N_h / n[s, h]``: ``p = sum_h N_h p_h / sum_h N_h`` over the strata with ``n_h > 0``,
    ``var = sum_h (N_h / N)^2 p_h (1 - p_h) / (n_h - 1)``, ``df = sum_h n_h - strata``. A
    stratum with ``n_h = 1`` follows the design's lonely-PSU rule (``"adjust"``: its one
    score deviates from 0, adding ``(N_h (y_h - p) / N)^2``); a stratum with ``n_h = 0``
    has no rows, so it is not in the estimate, its population or its df.

    The results agree with the design's to 1e-12. One limit differs only by rounding: when
    every stratum is all yes or all no (0 < p < 1, variance exactly 0) the interval here is
    ``[p, p]``, the limit of Korn-Graubard's, where the design's rounding residue leaves it
    within 1e-8 of that.

    Parameters
    ----------
    yes
        Counts of "yes" (>= 0: whole numbers, or estimated counts such as
        :func:`hopeful.stats.smoothed_counts` gives): shape (shares,), or (shares, strata) with weights.
        A perturbed ``yes`` can exceed the perturbed ``n``; it is then clipped to ``n`` (the
        share is 1).
    n
        Denominators (>= 0, like ``yes``), the shape of ``yes``. ``n = 0`` gives NaN throughout
        (``n`` and ``population`` 0).
    level
        Confidence level of the interval.
    weights
        Population sizes per stratum (>= 0), broadcastable to (shares, strata).

    Returns
    -------
    pandas.DataFrame
        One row per share: ``estimate, se, ci_low, ci_high, df, deff, n, population``, with
        ``deff`` NaN (no design effect is meaningful here). :func:`nchs_proportions` accepts
        it.
    """
    if not 0 < level < 1:
        raise EstimationError(f"level must be between 0 and 1, not {level!r}")
    y = _amounts(yes, "yes")
    total = _amounts(n, "n")
    if y.shape != total.shape:
        raise EstimationError(f"yes and n differ in shape: {y.shape} and {total.shape}")
    if weights is None:
        if y.ndim > 1:
            raise EstimationError("yes and n are one value per share unless weights are given")
        y, total = np.atleast_1d(y), np.atleast_1d(total)
        y = np.minimum(y, total)
        empty = total == 0
        with np.errstate(divide="ignore", invalid="ignore"):
            p = y / total
            # One unit in the only stratum: the lonely-PSU rule "adjust" scores it against
            # 0, and its score y - p is 0.
            var = np.where(total > 1, p * (1 - p) / (total - 1), 0.0)
        df = total - 1
        rows, population = total, total
    else:
        if y.ndim != 2:
            raise EstimationError("with weights, yes and n are (shares x strata) arrays")
        sizes = np.asarray(weights, dtype=np.float64)
        try:
            sizes = np.broadcast_to(sizes, y.shape)
        except ValueError:
            raise EstimationError(
                f"weights of shape {sizes.shape} do not fit counts of shape {y.shape}"
            ) from None
        if not np.isfinite(sizes).all() or (sizes < 0).any():
            raise EstimationError("weights (population sizes) must be finite and >= 0")
        y = np.minimum(y, total)
        present = total > 0
        rows = total.sum(axis=1)
        empty = rows == 0
        n_h = np.where(present, total, 1.0)
        big_n = np.where(present, sizes, 0.0)
        population = big_n.sum(axis=1)
        p_h = y / n_h
        with np.errstate(divide="ignore", invalid="ignore"):
            p = (big_n * p_h).sum(axis=1) / population
            share = big_n / population[:, None]
            several = share**2 * p_h * (1 - p_h) / np.where(total > 1, total - 1, 1.0)
            lonely = (share * (y - p[:, None])) ** 2
        var = np.where(total > 1, several, np.where(total == 1, lonely, 0.0)).sum(axis=1)
        df = rows - present.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        low, high = _ci.korn_graubard(p, var, rows, df.astype(np.float64), level)
    # No variance at 0 < p < 1 (every stratum all yes or all no): the effective sample size is
    # infinite and the interval shrinks to p, which is also what the design's rounding gives.
    certain = (var == 0) & (p > 0) & (p < 1) & (df > 0)
    low, high = np.where(certain, p, low), np.where(certain, p, high)
    nan = np.where(empty, np.nan, 1.0)
    return pd.DataFrame(
        {
            "estimate": p * nan,
            "se": np.sqrt(var) * nan,
            "ci_low": low * nan,
            "ci_high": high * nan,
            "df": df * nan,
            "deff": np.full(len(p), np.nan),
            "n": rows.astype(np.int64),
            "population": population.astype(np.float64),
        }
    )


def _amounts(counts: npt.ArrayLike, name: str) -> FloatArray:
    """Counts, or estimates of counts (:func:`hopeful.stats.smoothed_counts`): finite, >= 0."""
    values = np.asarray(counts)
    if values.dtype.kind not in "iuf":
        raise EstimationError(f"{name} must be numbers")
    values = values.astype(np.float64)
    if not np.isfinite(values).all():
        raise EstimationError(f"{name} must be finite")
    if values.size and values.min() < 0:
        raise EstimationError(f"{name} cannot be negative")
    return values
