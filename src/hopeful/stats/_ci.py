"""Confidence-interval helpers: t and normal quantiles, Korn-Graubard and logit intervals."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import special, stats

__all__ = ["beta_interval", "korn_graubard", "logit", "normal_quantile", "t_quantile"]

FloatArray = npt.NDArray[np.float64]


def normal_quantile(level: float) -> float:
    """The two-sided normal quantile for ``level`` (1.959963984540054 for 0.95)."""
    return float(stats.norm.ppf(0.5 + level / 2))


def t_quantile(level: float, df: FloatArray | float) -> FloatArray:
    """Two-sided t quantiles; infinite df gives the normal quantile, df <= 0 gives NaN."""
    d = np.asarray(df, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        q = stats.t.ppf(0.5 + level / 2, np.where(d > 0, d, np.nan))
    return np.asarray(np.where(np.isinf(d), normal_quantile(level), q), dtype=np.float64)


def korn_graubard(
    p: FloatArray,
    var: FloatArray,
    n: FloatArray | npt.NDArray[np.int64],
    df: FloatArray,
    level: float,
) -> tuple[FloatArray, FloatArray]:
    """Korn-Graubard interval as R's ``svyciprop(method="beta")``.

    The effective sample size ``p(1-p)/var`` is scaled by ``(t_{n-1} / t_df)^2`` (R does not
    cap it at ``n``). A proportion of 0 or 1 with zero variance uses ``n`` itself, so the
    interval stays defined (the NCHS convention).
    """
    nn = np.asarray(n, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = p * (1 - p) / var
    n_eff = np.where((var == 0) & ((p == 0) | (p == 1)), nn, n_eff)
    return beta_interval(p, n_eff, nn, df, level, cap_at_n=False)


def beta_interval(
    p: FloatArray, n_eff: FloatArray, n: FloatArray, df: FloatArray, level: float, *, cap_at_n: bool
) -> tuple[FloatArray, FloatArray]:
    """The Korn-Graubard beta interval from an effective sample size.

    ``n_eff`` is scaled by ``(t_{n-1} / t_df)^2``; ``cap_at_n`` caps the result at ``n`` (the
    NCHS standard's variant; R's svyciprop does not).
    """
    alpha = 1 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = stats.t.ppf(alpha / 2, np.where(n > 1, n - 1, np.nan)) / stats.t.ppf(
            alpha / 2, np.where(df > 0, df, np.nan)
        )
        n_star = n_eff * ratio**2
        if cap_at_n:
            n_star = np.minimum(n, n_star)
        low = np.where(p <= 0, 0.0, special.betaincinv(n_star * p, n_star * (1 - p) + 1, alpha / 2))
        high = np.where(
            p >= 1, 1.0, special.betaincinv(n_star * p + 1, n_star * (1 - p), 1 - alpha / 2)
        )
    return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)


def logit(
    p: FloatArray, se: FloatArray, df: FloatArray, level: float
) -> tuple[FloatArray, FloatArray]:
    """Logit interval as R's ``svyciprop(method="logit")``: a t interval on the log-odds."""
    q = t_quantile(level, df)
    with np.errstate(divide="ignore", invalid="ignore"):
        eta = np.log(p / (1 - p))
        se_eta = se / (p * (1 - p))
        low = special.expit(eta - q * se_eta)
        high = special.expit(eta + q * se_eta)
    return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)
