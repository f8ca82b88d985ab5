"""Tests of association in a two-way table under a survey design, as R ``survey``'s
``svychisq``: the Rao-Scott corrections of Pearson's X^2 and design-based Wald tests.

- ``"F"`` (R's default): Pearson's X^2 of the weighted table (scaled to the sample size)
  divided by the mean generalized design effect, referred to an F distribution with
  ``d0`` and ``d0 * df`` degrees of freedom, ``d0 = tr(D)^2 / tr(D^2)`` (the second-order
  Rao-Scott correction; ``df`` is the design's PSUs minus strata).
- ``"Chisq"``: X^2 divided by the mean design effect, referred to chi-square with
  ``(r-1)(c-1)`` df (first order); as R, the reported statistic is X^2 itself.
- ``"Wald"`` and ``"adjWald"``: Wald tests of the interaction contrasts
  ``N_rc - N_r N_c / N`` with the design covariance of the cell, margin and grand totals.

The design covariances come from ``Design``'s private ``_covariance`` (the engine behind
``Design.mean``). Rows missing either variable are left out (R's ``na.rm=TRUE``); their zero
scores stay in the design, which is R's subset design for every lonely-PSU rule except
``"average"`` and ``adjust_domain_lonely`` when the missing rows empty a whole stratum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import stats

from hopeful.stats._columns import factorize, get_column
from hopeful.stats.design import Design
from hopeful.stats.errors import EstimationError

__all__ = ["ChisqTest", "chisq_test"]

FloatArray = npt.NDArray[np.float64]
Statistic = Literal["F", "Chisq", "Wald", "adjWald"]

_RAO_SCOTT = "Pearson's X^2: Rao & Scott adjustment"
_WALD = "Design-based Wald test of association"


@dataclass(frozen=True, slots=True)
class ChisqTest:
    """The result of :func:`chisq_test`, field for field R's ``htest``.

    ``statistic_name`` is ``"F"`` or ``"X-squared"`` (R's ``names(statistic)``); ``ndf`` is
    the numerator (or chi-square) degrees of freedom and ``ddf`` the denominator degrees of
    freedom (``inf`` for ``"Chisq"``); ``pearson`` is the unadjusted Pearson X^2 of the
    weighted table scaled to the row count; ``design_effect`` the mean generalized design
    effect (``nan`` for the Wald tests).
    """

    statistic: float
    statistic_name: str
    ndf: float
    ddf: float
    p_value: float
    method: str
    pearson: float
    design_effect: float


def _pearson(table: FloatArray) -> float:
    """R's ``chisq.test(table, correct=FALSE)$statistic``."""
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.sum((table - expected) ** 2 / expected))


def chisq_test(design: Design, row: str, col: str, *, statistic: Statistic = "F") -> ChisqTest:
    """Test of association between two categorical columns (R ``svychisq(~row+col, des)``).

    Raises
    ------
    EstimationError
        An unknown statistic, or a variable with fewer than two observed categories.
    """
    if statistic not in ("F", "Chisq", "Wald", "adjWald"):
        raise EstimationError("statistic must be 'F', 'Chisq', 'Wald' or 'adjWald'")
    fr = factorize(get_column(design.table, row), row)
    fc = factorize(get_column(design.table, col), col)
    nr, nc = fr.n_levels, fc.n_levels
    if nr < 2 or nc < 2:
        raise EstimationError(f"{row!r} and {col!r} each need at least two observed categories")
    complete = (fr.codes >= 0) & (fc.codes >= 0)
    cell = np.where(complete, fr.codes + nr * fc.codes, 0)  # rows vary fastest, as R
    w = np.where(complete, design.weights, 0.0)
    n_cells = nr * nc
    indicators = np.zeros((design.n_rows, n_cells))
    indicators[np.flatnonzero(complete), cell[complete]] = 1.0
    counts = np.bincount(cell, weights=w, minlength=n_cells)
    nu = float(design.degf)
    pearson = _pearson((counts * design.n_rows / counts.sum()).reshape(nc, nr).T)

    if statistic in ("Wald", "adjWald"):
        row_ind = np.zeros((design.n_rows, nr))
        row_ind[np.flatnonzero(complete), fr.codes[complete]] = 1.0
        col_ind = np.zeros((design.n_rows, nc))
        col_ind[np.flatnonzero(complete), fc.codes[complete]] = 1.0
        y = np.hstack([indicators, row_ind, col_ind, complete[:, None].astype(np.float64)])
        z = w[:, None] * y
        totals = z.sum(axis=0)
        cov = design._covariance(z)
        r_tot, c_tot, grand = totals[n_cells : n_cells + nr], totals[n_cells + nr : -1], totals[-1]
        r_of, c_of = np.arange(n_cells) % nr, np.arange(n_cells) // nr
        jac = np.hstack(
            [
                np.eye(n_cells),
                (r_of[:, None] == np.arange(nr)) * -1.0 * (c_tot[c_of] / grand)[:, None],
                (c_of[:, None] == np.arange(nc)) * -1.0 * (r_tot[r_of] / grand)[:, None],
                (r_tot[r_of] * c_tot[c_of] / grand**2)[:, None],
            ]
        )
        contrast = totals[:n_cells] - r_tot[r_of] * c_tot[c_of] / grand
        v = jac @ cov @ jac.T
        use = (r_of > 0) & (c_of > 0)
        wald = float(contrast[use] @ np.linalg.solve(v[np.ix_(use, use)], contrast[use]))
        ndf = float((nr - 1) * (nc - 1))
        if statistic == "Wald":
            value, ddf = wald / ndf, nu
        else:
            ddf = nu - ndf + 1
            value = wald * ddf / (ndf * nu)
        p = float(stats.f.sf(value, ndf, ddf))
        return ChisqTest(value, "F", ndf, ddf, p, _WALD, pearson, float("nan"))

    # Rao-Scott: generalized design effects of the interaction contrasts.
    pop = counts.sum()
    mean = counts / pop
    z = w[:, None] * (indicators - mean) / pop
    v = design._covariance(z)
    levels = np.arange(n_cells)
    r_of, c_of = levels % nr, levels // nr
    main = np.hstack(
        [
            np.ones((n_cells, 1)),
            (r_of[:, None] == np.arange(1, nr)).astype(np.float64),
            (c_of[:, None] == np.arange(1, nc)).astype(np.float64),
        ]
    )
    inter = np.stack(
        [(r_of == i) & (c_of == j) for j in range(1, nc) for i in range(1, nr)], axis=1
    ).astype(np.float64)
    cmat = inter - main @ np.linalg.lstsq(main, inter, rcond=None)[0]
    with np.errstate(divide="ignore"):
        inv_d = np.where(mean == 0, 0.0, 1.0 / mean)
    n = float(design.n_rows)
    denom = cmat.T @ (inv_d[:, None] / n * cmat)
    numr = cmat.T @ (inv_d[:, None] * v * inv_d[None, :]) @ cmat
    delta = np.linalg.solve(denom, numr)
    trace, trace2 = float(np.trace(delta)), float(np.trace(delta @ delta))
    mean_deff = trace / delta.shape[0]
    if statistic == "F":
        d0 = trace**2 / trace2
        value = pearson / trace
        p = float(stats.f.sf(value, d0, d0 * nu))
        return ChisqTest(value, "F", d0, d0 * nu, p, _RAO_SCOTT, pearson, mean_deff)
    k = float(delta.shape[0])
    p = float(stats.chi2.sf(pearson / mean_deff, k))
    return ChisqTest(pearson, "X-squared", k, float("inf"), p, _RAO_SCOTT, pearson, mean_deff)
