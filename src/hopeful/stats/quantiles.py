"""Survey quantiles with Woodruff-type confidence intervals, as R ``survey`` 4.1's
``svyquantile`` (the post-4.0 function, not ``oldsvyquantile``).

For each probability ``p`` the quantile is read off the weighted distribution by one of R's
``qrule`` definitions (``"math"``, the default, is the inverse of the weighted empirical CDF).
The interval (Woodruff 1952) first puts a confidence interval around the estimated proportion
of the population at or below the quantile, ``P(x <= q_p)``, using the design variance of that
proportion, and then maps the interval's ends back through the same ``qrule``. R reports as
standard error the interval width divided by ``2 t_{0.975, df}``; so do we.

This module uses ``Design``'s private helpers ``_domains``, ``_estimate_rows``,
``_domain_variance`` and ``_domain_degf`` (the same engine as ``Design.mean``), so that domain
estimates are R's ``svyby`` estimates on the domain's subset design.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special, stats

from hopeful.stats._columns import numeric_column
from hopeful.stats.design import Design, _Rows
from hopeful.stats.errors import EstimationError

__all__ = ["QRULES", "quantile"]

FloatArray = npt.NDArray[np.float64]
Interval = Literal["mean", "beta", "xlogit", "asin", "score"]
QRule = Literal[
    "math", "school", "shahvaish", "hf1", "hf2", "hf3", "hf4", "hf5", "hf6", "hf7", "hf8", "hf9"
]


def _cumsum(w: FloatArray) -> FloatArray:
    """Cumulative sums as R's ``cumsum`` (accumulated in long double, stored as double)."""
    return np.cumsum(w.astype(np.longdouble)).astype(np.float64)


def _qs(x: FloatArray, w: FloatArray, p: FloatArray) -> tuple[FloatArray, ...]:
    """R's ``survey:::qs`` for sorted ``x``: the order statistics around each ``p``."""
    cumw = _cumsum(w)
    total = cumw[-1]
    n = len(x)
    # pos: last index with cumw <= p * total (1-based in R; R uses 1 when there is none).
    pos = np.searchsorted(cumw, p * total, side="right") - 1
    pos = np.maximum(pos, 0)
    nxt = np.where(pos == n - 1, pos, pos + 1)
    wlow = p - cumw[pos] / total
    wup = cumw[nxt] / total - p
    return x[pos], x[nxt], pos + 1.0, wlow, wup


def _approx(pk: FloatArray, x: FloatArray, p: FloatArray, *, linear: bool) -> FloatArray:
    """R's ``approx(pk, x, p, rule=2)``, linear or constant with ``f=0``."""
    if linear:
        return np.asarray(np.interp(p, pk, x), dtype=np.float64)
    i = np.clip(np.searchsorted(pk, p, side="right") - 1, 0, len(x) - 1)
    return x[i]


def _rule_math(x: FloatArray, w: FloatArray, p: FloatArray) -> FloatArray:
    qlow, qup, _, wlow, _ = _qs(x, w, p)
    return np.where(wlow == 0, qlow, qup)


def _rule_school(x: FloatArray, w: FloatArray, p: FloatArray) -> FloatArray:
    qlow, qup, _, wlow, _ = _qs(x, w, p)
    return np.where(wlow == 0, (qlow + qup) / 2, qup)


def _rule_hf3(x: FloatArray, w: FloatArray, p: FloatArray) -> FloatArray:
    values, first = np.unique(x, return_index=True)
    wsum = np.add.reduceat(w, first)
    qlow, qup, ilow, wlow, _ = _qs(values, wsum, p)
    return np.where((wlow == 0) & (ilow % 2 == 0), qlow, qup)


def _rule_hf4(x: FloatArray, w: FloatArray, p: FloatArray) -> FloatArray:
    qlow, qup, _, wlow, wup = _qs(x, w, p)
    with np.errstate(invalid="ignore", divide="ignore"):
        gamma = wlow / (wup + wlow)
    return np.asarray(qlow * (1 - gamma) + qup * gamma, dtype=np.float64)


def _rule_shahvaish(x: FloatArray, w: FloatArray, p: FloatArray) -> FloatArray:
    n = len(x)
    s = _cumsum(w / np.mean(w))
    pk = (s + 0.5 - w / 2) / (n + 1)  # R's code halves w, not the scaled weight
    # So pk need not increase; R's approx() sorts it and averages x over tied pk.
    order = np.argsort(pk, kind="stable")
    keys, first, counts = np.unique(pk[order], return_index=True, return_counts=True)
    means = np.add.reduceat(x[order], first) / counts
    return _approx(keys, means, p, linear=False)


def _linear_rule(
    positions: Callable[[FloatArray, FloatArray], FloatArray],
) -> Callable[..., FloatArray]:
    def rule(x: FloatArray, w: FloatArray, p: FloatArray) -> FloatArray:
        return _approx(positions(_cumsum(w), w), x, p, linear=True)

    return rule


def _previous(cumw: FloatArray) -> FloatArray:
    return np.concatenate([[0.0], cumw[:-1]])


_RULES: dict[str, Callable[[FloatArray, FloatArray, FloatArray], FloatArray]] = {
    "math": _rule_math,
    "hf1": _rule_math,
    "school": _rule_school,
    "hf2": _rule_school,
    "hf3": _rule_hf3,
    "hf4": _rule_hf4,
    "shahvaish": _rule_shahvaish,
    "hf5": _linear_rule(lambda c, w: (c - w / 2) / c[-1]),
    "hf6": _linear_rule(lambda c, w: c / (c[-1] + w[-1])),
    "hf7": _linear_rule(lambda c, w: _previous(c) / c[-2] if len(c) > 1 else c / c[-1]),
    "hf8": _linear_rule(lambda c, w: (_previous(c) / 3 + c * 2 / 3) / (c[-1] + w[-1] / 3)),
    "hf9": _linear_rule(lambda c, w: (_previous(c) * 3 / 8 + c * 5 / 8) / (c[-1] + w[-1] / 4)),
}

#: The quantile rules of R's ``svyquantile(qrule=)``.
QRULES = tuple(_RULES)


def _zeroin(f: Callable[[float], float], a: float, b: float, tol: float) -> float:
    """R's ``uniroot`` (Brent's ``R_zeroin2``, maxiter 1000), step for step, so that a root of
    a step function lands on the same side of a data value as R's."""
    fa, fb = f(a), f(b)
    if np.isnan(fa) or np.isnan(fb) or fa * fb > 0:
        raise EstimationError(
            "the score interval has no root in the data's range (R's uniroot stops here "
            "too); use interval='mean' or 'beta'"
        )
    if fa == 0:
        return a
    if fb == 0:
        return b
    c, fc = a, fa
    eps = np.finfo(np.float64).eps
    for _ in range(1001):
        prev_step = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2 * eps * abs(b) + tol / 2
        new_step = (c - b) / 2
        if abs(new_step) <= tol_act or fb == 0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:
                t1 = fb / fa
                p, q = cb * t1, 1.0 - t1
            else:
                q, t1, t2 = fa / fc, fb / fc, fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0:
                q = -q
            else:
                p = -p
            if p < (0.75 * cb * q - abs(tol_act * q) / 2) and p < abs(prev_step * q / 2):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    return b


def _score_ends(
    design: Design,
    idx: npt.NDArray[np.intp],
    x: FloatArray,
    w_r: FloatArray,
    p: float,
    df: float,
    alpha: float,
    rule: Callable[[FloatArray, FloatArray, FloatArray], FloatArray],
) -> tuple[float, float]:
    """R's ``ffullerCI``: the interval of thetas where the score test of ``P(x <= theta) = p``
    is not rejected, found by ``uniroot``, then read back through ``qrule`` at the
    *unweighted* share of the domain's values below each end (as R does)."""
    xd, wd = x[idx], w_r[idx]
    member = np.zeros(design.n_rows, dtype=bool)
    member[idx] = True
    codes = np.where(member, 0, -1)
    w = design.weights[idx]
    pop = float(w.sum())

    def score(theta: float, limit: float) -> float:
        u = (xd > theta).astype(np.float64) - (1 - p)
        mean = _r_mean(u, wd)
        z = np.zeros(design.n_rows)
        z[idx] = w * (u - mean) / pop
        var = design._domain_variance(z, codes, 1, member)[0]
        with np.errstate(invalid="ignore", divide="ignore"):
            return float(mean / np.sqrt(var) - limit)

    q25, q75 = np.percentile(xd, [25, 75])
    iqr = q75 - q25
    lower, upper = float(xd.min() + iqr / 100), float(xd.max() - iqr / 100)
    tol = 1 / (100 * np.sqrt(len(idx)))
    dfa = np.array([df])
    ends = []
    for limit in (float(_t(1 - alpha / 2, dfa)[0]), float(_t(alpha / 2, dfa)[0])):
        root = _zeroin(partial(score, limit=limit), lower, upper, tol)
        ends.append(np.count_nonzero(xd <= root) / len(xd))
    keep = wd > 0
    order = np.argsort(xd[keep], kind="stable")
    values = rule(xd[keep][order], wd[keep][order], np.array(ends))
    return float(values[0]), float(values[1])


def _r_mean(y: FloatArray, w: FloatArray) -> float:
    """A weighted mean summed as R's ``svymean`` (``colSums(x * w / sum(w))`` in long double),
    so that a proportion of 1 is exactly 1 when R's is (then R's interval ends are NaN)."""
    if not len(y):
        return float("nan")
    psum = np.float64(np.cumsum(w.astype(np.longdouble))[-1])
    return float(np.cumsum((y * w / psum).astype(np.longdouble))[-1])


def _t(q: float, df: FloatArray) -> FloatArray:
    """R's ``qt(q, df)`` (``qnorm`` for infinite df, NaN for df <= 0)."""
    with np.errstate(invalid="ignore"):
        out = stats.t.ppf(q, np.where(df > 0, df, np.nan))
    return np.asarray(np.where(np.isinf(df), stats.norm.ppf(q), out), dtype=np.float64)


def _proportion_interval(
    interval: str, p: FloatArray, var: FloatArray, df: FloatArray, n: FloatArray, alpha: float
) -> tuple[FloatArray, FloatArray]:
    """R's ``woodruffCI`` interval for ``P(x <= q)``, per domain."""
    lo_t, hi_t = _t(alpha / 2, df), _t(1 - alpha / 2, df)
    se = np.sqrt(var)
    with np.errstate(invalid="ignore", divide="ignore"):
        if interval == "mean":
            return p + lo_t * se, p + hi_t * se
        if interval == "xlogit":
            eta, se_eta = np.log(p / (1 - p)), se / (p * (1 - p))
            return special.expit(eta + lo_t * se_eta), special.expit(eta + hi_t * se_eta)
        if interval == "asin":
            eta, se_eta = np.arcsin(np.sqrt(p)), se * 0.5 / np.sqrt(p) / np.sqrt(1 - p)
            return np.sin(eta + lo_t * se_eta) ** 2, np.sin(eta + hi_t * se_eta) ** 2
        # beta: Korn-Graubard, with the domain's rows and degrees of freedom.
        ratio = _t(alpha / 2, n - 1) / lo_t
        n_eff = p * (1 - p) / var * ratio**2
        low = special.betaincinv(n_eff * p, n_eff * (1 - p) + 1, alpha / 2)
        high = np.where(
            p >= 1, 1.0, special.betaincinv(n_eff * p + 1, n_eff * (1 - p), 1 - alpha / 2)
        )
    return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)


def _woodruff(
    design: Design,
    rows: _Rows,
    domain_rows: list[npt.NDArray[np.intp]],
    x: FloatArray,
    w_r: FloatArray,
    estimate: FloatArray,
    interval: str,
    df: FloatArray,
    alpha: float,
) -> tuple[FloatArray, FloatArray]:
    """R's ``woodruffCI`` up to the qrule: per domain, the interval for the proportion of the
    domain at or below its estimated quantile, from that proportion's design variance."""
    q_row = estimate[rows.index] if rows.count > 1 else estimate[0]
    y = (np.where(np.isnan(x), np.inf, x) <= q_row).astype(np.float64)
    yw = rows.w * np.where(rows.used, y, 0.0)
    pm = np.array([_r_mean(y[idx], w_r[idx]) for idx in domain_rows])
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (yw - rows.w * pm[rows.index]) / rows.pop[rows.index]
    var = design._domain_variance(z, rows.domain, rows.count, rows.used)
    return _proportion_interval(interval, pm, var, df, rows.n.astype(np.float64), alpha)


def quantile(
    design: Design,
    variable: str | Sequence[str],
    probs: float | Sequence[float],
    *,
    by: str | Sequence[str] | None = None,
    interval: Interval = "mean",
    qrule: QRule = "math",
    level: float = 0.95,
) -> pd.DataFrame:
    """Survey quantiles with confidence intervals (R ``svyquantile``, ``svyby(.., svyquantile)``).

    Parameters
    ----------
    design
        The survey design.
    variable
        A numeric column, or several.
    probs
        Probabilities in [0, 1], e.g. ``[0.25, 0.5, 0.75]``.
    by
        Domain columns: one estimate per domain, as R's ``svyby`` (each domain is its own
        subset design, with its own degrees of freedom).
    interval
        R's ``interval.type``: ``"mean"`` (Woodruff's Wald interval for the proportion below
        the quantile, R's default), ``"beta"`` (Korn-Graubard for that proportion),
        ``"xlogit"`` or ``"asin"`` (Wald on the logit or arcsine-square-root scale), or
        ``"score"`` (Francisco-Fuller: the values not rejected by a score test, found with
        R's root finder; an error where R's ``uniroot`` stops too).
    qrule
        How a quantile is read from the weighted distribution, as R's ``qrule``: ``"math"``
        (inverse weighted CDF, the default), ``"school"`` (midpoint at exact hits),
        ``"shahvaish"``, ``"hf1"`` .. ``"hf9"`` (weighted Hyndman-Fan types).
    level
        Confidence level.

    Rows with a missing value are left out of the domain's design (R's ``na.rm=TRUE``).

    Returns
    -------
    pandas.DataFrame
        The by columns, ``variable`` (several variables), ``prob``, then ``estimate, se,
        ci_low, ci_high, df, n``. ``se`` is R's: the interval width over ``2 t_{df}``. An
        interval end beyond the data (its proportion below 0 or above 1) is NaN, as is then
        ``se``, as in R. ``df`` is the domain's PSUs minus its strata.
    """
    variables = [variable] if isinstance(variable, str) else list(variable)
    p_list = [float(probs)] if isinstance(probs, int | float) else [float(p) for p in probs]
    if not variables:
        raise EstimationError("name at least one variable")
    if not p_list or any(not 0 <= p <= 1 for p in p_list):
        raise EstimationError(f"probs must be between 0 and 1, not {probs!r}")
    if interval not in ("mean", "beta", "xlogit", "asin", "score"):
        raise EstimationError("interval must be 'mean', 'beta', 'xlogit', 'asin' or 'score'")
    if qrule not in _RULES:
        raise EstimationError(f"qrule must be one of {', '.join(QRULES)}")
    if not 0 < level < 1:
        raise EstimationError(f"level must be between 0 and 1, not {level!r}")
    by_names = [by] if isinstance(by, str) else list(by or [])
    rule = _RULES[qrule]
    alpha = 1 - level
    p_arr = np.array(p_list)
    domains = design._domains(by_names)
    # R's weights are 1/prob with prob = 1/weight; the round trip matters at exact ties.
    with np.errstate(divide="ignore"):
        w_r = 1.0 / (1.0 / design.weights)
    frames = []
    for name in variables:
        x = numeric_column(design.table, name)
        missing = np.isnan(x)
        rows = design._estimate_rows(domains, missing if missing.any() else None)
        count = rows.count
        if by_names or missing.any():
            df = design._domain_degf(rows.used, rows.domain, count).astype(np.float64)
        else:
            df = np.array([float(design.degf)])
        # Per domain: sorted values and weights (positive weights only, as R's qrules).
        sorted_dom: list[tuple[FloatArray, FloatArray]] = []
        domain_rows: list[npt.NDArray[np.intp]] = []
        order = np.lexsort((x, rows.domain))
        dom_sorted = rows.domain[order]
        bounds = np.searchsorted(dom_sorted, np.arange(count + 1))
        for d in range(count):
            idx = order[bounds[d] : bounds[d + 1]]
            domain_rows.append(np.sort(idx))
            keep = design.weights[idx] > 0
            sorted_dom.append((x[idx][keep], w_r[idx][keep]))
        estimate = np.full((count, len(p_arr)), np.nan)
        for d, (xs, ws) in enumerate(sorted_dom):
            if len(xs):
                estimate[d] = rule(xs, ws, p_arr)
        low = np.full_like(estimate, np.nan)
        high = np.full_like(estimate, np.nan)
        for k, p in enumerate(p_list):
            if interval == "score":
                for d, idx in enumerate(domain_rows):
                    if len(idx):
                        low[d, k], high[d, k] = _score_ends(
                            design, idx, x, w_r, p, df[d], alpha, rule
                        )
            else:
                pl, pu = _woodruff(
                    design, rows, domain_rows, x, w_r, estimate[:, k], interval, df, alpha
                )
                for d, (xs, ws) in enumerate(sorted_dom):
                    if len(xs):
                        ends = rule(xs, ws, np.nan_to_num(np.array([pl[d], pu[d]])))
                        low[d, k] = ends[0] if pl[d] >= 0 else np.nan  # NaN stays NaN
                        high[d, k] = ends[1] if pu[d] <= 1 else np.nan
        q = _t(1 - alpha / 2, df)
        se = (high - low) / (2 * q[:, None])
        for k, p in enumerate(p_list):
            frame = domains.labels.copy()
            if len(variables) > 1:
                frame["variable"] = name
            frame["prob"] = p
            frame["estimate"] = estimate[:, k]
            frame["se"] = se[:, k]
            frame["ci_low"] = low[:, k]
            frame["ci_high"] = high[:, k]
            frame["df"] = df
            frame["n"] = rows.n
            frames.append(frame)
    result = pd.concat(frames, ignore_index=True)
    if by_names:
        result = result.sort_values(by_names, kind="stable").reset_index(drop=True)
    return result
