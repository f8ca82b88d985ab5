"""Reliability rules for published estimates.

:func:`nchs_proportions` applies the NCHS Data Presentation Standards for Proportions
(Parker et al., Vital Health Stat 2(175), 2017), as implemented in CDC's ``surveytable``:

1. Effective sample size ``n_eff = p(1-p) / Var(p)``, capped at the sample size ``n``. When
   ``p`` is 0 or 1, ``n_eff = n`` and the interval width counts as 0.
2. ``n_eff < 30``: suppress.
3. Absolute Korn-Graubard CI width ``<= 0.05``: present.
4. Width ``>= 0.30``: suppress.
5. Relative width ``width / p > 1.30``: suppress; otherwise present.
6. Flags on presented estimates: the complement's relative width ``width / (1-p) > 1.30``;
   fewer than 8 degrees of freedom (statistical review); ``p`` of 0 or 1 (review).

The Korn-Graubard interval here is the NCHS variant: the df-adjusted effective sample size
``min(n, n_eff * (t_{n-1} / t_df)^2)`` is capped at ``n`` (R's ``svyciprop`` does not cap).

Small counts are protected elsewhere: published counts are perturbed
(:mod:`hopeful.stats.perturbation`), and the web layer shows a published 1-10 as "fewer than
11".
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from hopeful.stats._ci import beta_interval
from hopeful.stats.errors import EstimationError

__all__ = ["nchs_proportions"]

FloatArray = npt.NDArray[np.float64]

MIN_EFFECTIVE_N = 30
ABSOLUTE_WIDTH_PRESENT = 0.05
ABSOLUTE_WIDTH_SUPPRESS = 0.30
RELATIVE_WIDTH_SUPPRESS = 1.30
MIN_DF = 8


def nchs_proportions(estimates: pd.DataFrame, *, level: float = 0.95) -> pd.DataFrame:
    """Label each proportion present or suppress under the NCHS standard, with reasons.

    Parameters
    ----------
    estimates
        A table with ``estimate`` (the proportion), ``se``, ``n`` (unweighted denominator)
        and ``df`` (design degrees of freedom) columns, such as
        :meth:`hopeful.stats.Design.proportion` returns.

    Returns
    -------
    pandas.DataFrame
        A copy with ``n_eff``, ``kg_low``, ``kg_high``, ``ci_width``, ``relative_width``,
        ``present`` (bool), ``reason`` (why it is suppressed, else empty) and ``flags``
        (footnotes for presented estimates, ``"; "``-separated, else empty).
    """
    missing = {"estimate", "se", "n", "df"} - set(estimates.columns)
    if missing:
        raise EstimationError(f"the table lacks column(s): {', '.join(sorted(missing))}")
    p = estimates["estimate"].to_numpy(dtype=np.float64)
    se = estimates["se"].to_numpy(dtype=np.float64)
    n = estimates["n"].to_numpy(dtype=np.float64)
    df = estimates["df"].to_numpy(dtype=np.float64)
    if ((p < 0) | (p > 1)).any():
        raise EstimationError("proportions must lie between 0 and 1")
    extreme = (p == 0) | (p == 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = np.where(extreme, n, np.minimum(n, p * (1 - p) / se**2))
    low, high = beta_interval(p, n_eff, n, df, level, cap_at_n=True)
    width = np.where(extreme, 0.0, high - low)
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(p > 0, width / p, np.inf)
        complement = np.where(p < 1, width / (1 - p), np.inf)

    reasons: list[str] = []
    flags: list[str] = []
    present: list[bool] = []
    for i in range(len(p)):
        reason = ""
        if not n_eff[i] >= MIN_EFFECTIVE_N:
            reason = f"effective sample size {n_eff[i]:.0f} is below {MIN_EFFECTIVE_N}"
        elif width[i] <= ABSOLUTE_WIDTH_PRESENT:
            reason = ""
        elif width[i] >= ABSOLUTE_WIDTH_SUPPRESS:
            reason = (
                f"confidence interval width {width[i]:.3f} is at least {ABSOLUTE_WIDTH_SUPPRESS}"
            )
        elif relative[i] > RELATIVE_WIDTH_SUPPRESS:
            reason = (
                f"relative confidence interval width {relative[i]:.0%} is above "
                f"{RELATIVE_WIDTH_SUPPRESS:.0%}"
            )
        notes: list[str] = []
        if not reason:
            if not extreme[i] and complement[i] > RELATIVE_WIDTH_SUPPRESS:
                notes.append("complement unreliable: relative CI width of 1 - p above 130%")
            if df[i] < MIN_DF:
                notes.append(f"fewer than {MIN_DF} degrees of freedom: statistical review")
            if extreme[i]:
                notes.append("estimate is 0% or 100%: statistical review")
        reasons.append(reason)
        flags.append("; ".join(notes))
        present.append(not reason)
    result = estimates.copy()
    result["n_eff"] = n_eff
    result["kg_low"] = low
    result["kg_high"] = high
    result["ci_width"] = width
    result["relative_width"] = relative
    result["present"] = present
    result["reason"] = reasons
    result["flags"] = flags
    return result
