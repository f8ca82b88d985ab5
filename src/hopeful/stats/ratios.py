"""Ratio estimates ``sum(w y) / sum(w x)``, overall or by domain, as R ``survey``'s
``svyratio`` and ``svyby(~y, ~g, design, svyratio, denominator=~x)``.

The variance is the linearization one: the influence scores are
``w (y - R x) / sum(w x)`` and go through the design's variance engine (``Design``'s private
helpers ``_domains``, ``_estimate_rows`` and ``_domain_variance``, the same as
``Design.mean``), so a domain's ratio is R's ratio on the domain's subset design. Intervals are
t intervals on the design's degrees of freedom, as R's ``confint(r, df=degf(design))``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from hopeful.stats import _ci
from hopeful.stats._columns import numeric_column
from hopeful.stats.design import Design
from hopeful.stats.errors import EstimationError

__all__ = ["ratio"]


def ratio(
    design: Design,
    numerator: str | Sequence[str],
    denominator: str,
    *,
    by: str | Sequence[str] | None = None,
    level: float = 0.95,
    ci_dist: Literal["t", "normal"] = "t",
) -> pd.DataFrame:
    """Ratio of two weighted totals, overall or by domain (R ``svyratio``).

    Parameters
    ----------
    design
        The survey design.
    numerator
        A numeric column, or several (one ratio each, over the same denominator).
    denominator
        A numeric column.
    by
        Domain columns (R's ``svyby``).
    level
        Confidence level.
    ci_dist
        ``"t"``: t interval on the design's degrees of freedom (R's
        ``confint(x, df=degf(design))``); ``"normal"``: R's default ``confint(x)``.

    A row missing the numerator or the denominator is left out of that ratio but stays in the
    design (R's ``na.rm=TRUE``).

    Returns
    -------
    pandas.DataFrame
        The by columns, ``variable`` (several numerators), then ``estimate, se, ci_low,
        ci_high, df, n, population`` (``population``: the weighted total of the denominator).
    """
    numerators = [numerator] if isinstance(numerator, str) else list(numerator)
    if not numerators:
        raise EstimationError("name at least one numerator")
    if not 0 < level < 1:
        raise EstimationError(f"level must be between 0 and 1, not {level!r}")
    if ci_dist not in ("t", "normal"):
        raise EstimationError("ci_dist must be 't' or 'normal'")
    by_names = [by] if isinstance(by, str) else list(by or [])
    domains = design._domains(by_names)
    den = numeric_column(design.table, denominator)
    df = np.full(domains.count, float(design.degf) if ci_dist == "t" else np.inf)
    q = _ci.t_quantile(level, df)
    frames = []
    for name in numerators:
        num = numeric_column(design.table, name)
        missing = np.isnan(num) | np.isnan(den)
        rows = design._estimate_rows(domains, missing if missing.any() else None)
        y = np.where(rows.used, num, 0.0)
        x = np.where(rows.used, den, 0.0)
        wy, wx = rows.w * y, rows.w * x
        total_y = np.bincount(rows.index, weights=wy, minlength=rows.count)
        total_x = np.bincount(rows.index, weights=wx, minlength=rows.count)
        with np.errstate(invalid="ignore", divide="ignore"):
            estimate = total_y / total_x
            z = (wy - estimate[rows.index] * wx) / total_x[rows.index]
        z = np.where(rows.used, z, 0.0)
        se = np.sqrt(design._domain_variance(z, rows.domain, rows.count, rows.used))
        frame = domains.labels.copy()
        if len(numerators) > 1:
            frame["variable"] = name
        frame["estimate"] = estimate
        frame["se"] = se
        frame["ci_low"] = estimate - q * se
        frame["ci_high"] = estimate + q * se
        frame["df"] = df
        frame["n"] = rows.n
        frame["population"] = total_x
        frames.append(frame)
    result = pd.concat(frames, ignore_index=True)
    if by_names:
        result = result.sort_values(by_names, kind="stable").reset_index(drop=True)
    return result
