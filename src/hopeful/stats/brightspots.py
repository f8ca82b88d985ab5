"""Positive deviance ("bright spots"): which units do better than expected for whom they serve.

A unit is a program, a site or an organization. The estimator fits the survey-weighted model
``outcome ~ <family characteristics> + C(unit)`` (R's ``svyglm``, see
:mod:`hopeful.stats.glm`) and reads each unit's coefficient against the average unit: under
sum-to-zero coding (R's ``contr.sum``) a unit's effect is its indicator coefficient minus the
unweighted mean of all units' coefficients, a linear contrast ``c_j' beta`` with variance
``c_j' V c_j`` (``V`` the design-based covariance of the coefficients). Adjusting for family
characteristics compares each unit with what an average unit would achieve with the same
families, so a unit is not called better merely for serving families who were doing well.

Looking at many units at once invites false discoveries; p-values are adjusted (Bonferroni,
Holm or Benjamini-Hochberg) and intervals widened to match (Bonferroni, or the
false-coverage-rate intervals of Benjamini & Yekutieli 2005 with Benjamini-Hochberg), so a unit
called different has an interval that excludes zero.

The numbers are checked against R ``survey`` 4.1-1 (``svyglm`` with ``contr.sum``,
``svycontrast``, ``confint``, ``p.adjust``) at a relative tolerance of 1e-8.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special, stats

from hopeful.stats._ci import t_quantile
from hopeful.stats._columns import column_names, factorize, get_column
from hopeful.stats.design import Design
from hopeful.stats.errors import EstimationError
from hopeful.stats.glm import RegressionResult, build_model, fit

__all__ = ["CORRECTIONS", "FAMILIES", "BrightSpots", "bright_spots", "p_adjust"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

CORRECTIONS = ("bonferroni", "holm", "bh")
FAMILIES = ("gaussian", "binomial")

TABLE_COLUMNS = [
    "unit",
    "n",
    "weight",
    "observed",
    "expected",
    "effect",
    "se",
    "ci_low",
    "ci_high",
    "p_value",
    "p_adjusted",
    "verdict",
]
ODDS_COLUMNS = ["odds_ratio", "or_ci_low", "or_ci_high"]


@dataclass(frozen=True)
class BrightSpots:
    """Each unit's outcome against what the average unit would achieve with its families.

    Attributes
    ----------
    table
        One row per unit with usable rows, in the order of the sorted unit labels (as text):
        ``unit, n, weight, observed, expected, effect, se, ci_low, ci_high, p_value,
        p_adjusted, verdict`` (plus ``odds_ratio, or_ci_low, or_ci_high`` for a 0/1 outcome).
        ``observed`` is the unit's weighted mean outcome, ``expected`` the weighted mean over
        its rows of the model's prediction for the average unit (the unit's effect set to
        0); ``effect`` is on the link scale (a difference in means, or a log odds ratio) and
        relative to the unweighted average of the units' effects. ``ci_low``/``ci_high`` are
        adjusted for multiplicity (see :func:`bright_spots`). Units whose rows all miss a model
        variable (or have weight 0) are left out; their labels are in
        ``table.attrs["excluded_units"]``. Units whose rows all lie in one PSU (for example a
        unit with one respondent) are listed in ``table.attrs["single_psu_units"]``: their
        standard errors leave out the unit's own variation and their verdicts are not to be
        trusted (R gives the same numbers). When every unit lies in one PSU (the design
        clusters on the units) the estimator refuses.
    model
        The fitted regression (treatment coding of the unit, first unit as reference).
    df
        Degrees of freedom of the t quantiles and p-values (``model.df_residual``).
    """

    table: pd.DataFrame
    model: RegressionResult
    outcome: str
    unit: str
    adjust: str
    family: str
    correction: str
    level: float
    df: int


def p_adjust(p: FloatArray, method: str) -> FloatArray:
    """Multiplicity-adjusted p-values as R's ``p.adjust``: ``"bonferroni"``, ``"holm"`` or
    ``"bh"`` (Benjamini-Hochberg, R's ``"BH"``)."""
    p = np.asarray(p, dtype=np.float64)
    k = len(p)
    if method == "bonferroni":
        return np.minimum(1.0, k * p)
    order = np.argsort(p, kind="stable")
    ranked = p[order]
    if method == "holm":
        adjusted = np.minimum(1.0, np.maximum.accumulate((k - np.arange(k)) * ranked))
    elif method == "bh":
        scaled = k / np.arange(1, k + 1) * ranked
        adjusted = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    else:
        raise EstimationError(f"correction must be one of {', '.join(CORRECTIONS)}, not {method!r}")
    out = np.empty(k)
    out[order] = adjusted
    return out


def _interval_level(p_adjusted: FloatArray, correction: str, level: float) -> float:
    """Confidence level of each unit's interval: Bonferroni ``1 - (1-level)/K`` (also with
    Holm), or with Benjamini-Hochberg the false-coverage-rate level ``1 - R(1-level)/K`` of
    Benjamini & Yekutieli (2005), R the number of units selected (``1 - (1-level)/K`` when
    none is)."""
    k = len(p_adjusted)
    alpha = 1 - level
    if correction == "bh":
        selected = int(np.sum(p_adjusted < alpha))
        return 1 - max(selected, 1) * alpha / k
    return 1 - alpha / k


def _level_text(value: Any) -> str:
    """A unit label as text (``3.0`` reads ``3``, as in the model's term names)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _safe_name(name: str, taken: list[str], fallback: str) -> str:
    """``name`` when a formula can use it as is, else a fresh identifier."""
    if name.isidentifier() and not keyword.iskeyword(name):
        return name
    candidate = fallback
    while candidate in taken:
        candidate += "_"
    return candidate


def _unit_labels(raw: npt.NDArray[Any], unit: str) -> tuple[npt.NDArray[np.object_], list[str]]:
    """Each row's unit label as text (None when missing) and the sorted labels."""
    factor = factorize(raw, unit)
    texts = [_level_text(v) for v in factor.levels.tolist()]
    if len(set(texts)) < len(texts):
        raise EstimationError(f"two values of {unit!r} read the same as text; recode the units")
    lookup = np.array([*texts, None], dtype=object)
    labels = lookup[np.where(factor.codes < 0, len(texts), factor.codes)]
    return labels, sorted(texts)


def _check_arguments(family: str, correction: str, level: float) -> None:
    if family not in FAMILIES:
        raise EstimationError(f"family must be one of {', '.join(FAMILIES)}, not {family!r}")
    if correction not in CORRECTIONS:
        raise EstimationError(
            f"correction must be one of {', '.join(CORRECTIONS)}, not {correction!r}"
        )
    if not 0 < level < 1:
        raise EstimationError(f"level must be between 0 and 1, not {level!r}")


def bright_spots(
    design: Design,
    outcome: str,
    unit: str,
    adjust: str = "",
    *,
    family: str = "gaussian",
    correction: str = "bh",
    level: float = 0.95,
    higher_is_better: bool = True,
) -> BrightSpots:
    """Find the units whose outcome is better (or worse) than expected for the families they
    serve.

    Parameters
    ----------
    design
        The survey design; its data hold the outcome, the unit and the characteristics.
    outcome
        Column of the outcome: numeric (``family="gaussian"``) or 0/1 (``"binomial"``, a
        survey-weighted logistic model, R's ``svyglm(family=quasibinomial())``).
    unit
        Column naming each row's unit (program, site, organization).
    adjust
        Right-hand side of a formula of family characteristics to adjust for, e.g.
        ``"C(income) + C(language) + age"``; ``""`` compares raw (weighted) outcomes.
    correction
        ``"bh"`` (Benjamini-Hochberg; intervals are Benjamini-Yekutieli false-coverage-rate
        intervals), ``"holm"`` (Holm p-values; Bonferroni intervals, so a unit Holm calls
        different may have an interval that touches 0) or ``"bonferroni"``.
    level
        Confidence level; a unit is called different when its adjusted p-value is below
        ``1 - level``.
    higher_is_better
        Whether a higher outcome is the good direction (``False`` for, say, a risk).

    Raises
    ------
    DesignError
        A column that is not in the data.
    EstimationError
        Fewer than two units with usable rows, a non-0/1 outcome with ``"binomial"``, an
        unknown family or correction, a model that cannot be estimated, or no residual
        degrees of freedom.
    """
    _check_arguments(family, correction, level)
    table = design.table
    names = column_names(table)
    raw_outcome = get_column(table, outcome)  # DesignError for an unknown column
    if raw_outcome.dtype.kind not in "iufb":
        raise EstimationError(
            f"the outcome {outcome!r} must be numeric (0/1 for family='binomial'), "
            f"not text such as {raw_outcome[0]!r}"
        )
    y = raw_outcome.astype(np.float64)
    raw_unit = get_column(table, unit)
    labels, all_units = _unit_labels(raw_unit, unit)
    if len(all_units) < 2:
        raise EstimationError(
            f"bright spots compare units: {unit!r} has {len(all_units)} unit(s) in the data"
        )
    y_name = _safe_name(outcome, names, "bright_spots_outcome")
    u_name = _safe_name(unit, [*names, y_name], "bright_spots_unit")
    formula = f"{y_name} ~ {adjust.strip() + ' + ' if adjust.strip() else ''}C({u_name})"

    # Rows the model can use; units whose rows all miss a model variable (or weigh 0) are
    # left out of the model and of the table.
    used = _used_rows(design.with_columns({y_name: y, u_name: labels}), formula)
    present = {str(v) for v in labels[used]}
    excluded = sorted({str(v) for v in labels if v is not None} - present)
    labels = labels.copy()
    labels[~used] = None
    work = design.with_columns({y_name: np.where(used, y, np.nan), u_name: labels})
    units = sorted(present)
    k = len(units)
    if k < 2:
        raise EstimationError(
            f"bright spots compare units: {unit!r} has {k} unit(s) with usable rows"
            + (f" ({', '.join(excluded[:5])} had none)" if excluded else "")
        )

    single = _single_psu_units(work, used, labels, units)
    if len(single) == k:
        raise EstimationError(
            f"every unit of {unit!r} lies within a single sampling cluster (PSU): design-based "
            "standard errors would leave out each unit's own variation, so the units cannot be "
            "compared (the design's PSUs are the units, or lie within them)"
        )

    model = fit(
        work, formula, family="binomial" if family == "binomial" else "gaussian", level=level
    )
    if model.n != int(used.sum()):
        raise EstimationError("the model used other rows than expected")  # internal check
    df = model.df_residual
    if df <= 0:
        raise EstimationError(
            f"the model has {model.n} rows but too few degrees of freedom ({df}) for "
            f"{len(model.coef)} coefficients; use fewer units or characteristics"
        )
    contrasts = _unit_contrasts(model, u_name, units)
    effect = contrasts @ model.coef
    se = np.sqrt(np.einsum("ij,jk,ik->i", contrasts, model.vcov, contrasts))
    with np.errstate(divide="ignore", invalid="ignore"):
        p_value = 2 * stats.t.sf(np.abs(effect / se), df)
    p_adjusted = p_adjust(p_value, correction)
    q = float(t_quantile(_interval_level(p_adjusted, correction, level), float(df)))
    low, high = effect - q * se, effect + q * se

    called = p_adjusted < 1 - level
    good, bad = ("better", "worse") if higher_is_better else ("worse", "better")
    verdict = np.where(
        called & (effect > 0), good, np.where(called & (effect < 0), bad, "as_expected")
    )

    observed, expected, n_rows, weight = _observed_expected(
        work, formula, model, used, labels, units, effect, family
    )
    result = pd.DataFrame(
        {
            "unit": units,
            "n": n_rows,
            "weight": weight,
            "observed": observed,
            "expected": expected,
            "effect": effect,
            "se": se,
            "ci_low": low,
            "ci_high": high,
            "p_value": p_value,
            "p_adjusted": p_adjusted,
            "verdict": verdict.astype(object),
        }
    )
    if family == "binomial":
        result["odds_ratio"] = np.exp(effect)
        result["or_ci_low"] = np.exp(low)
        result["or_ci_high"] = np.exp(high)
    result.attrs["excluded_units"] = excluded
    result.attrs["single_psu_units"] = single
    return BrightSpots(
        table=result,
        model=model,
        outcome=outcome,
        unit=unit,
        adjust=adjust.strip(),
        family=family,
        correction=correction,
        level=level,
        df=df,
    )


def _used_rows(design: Design, formula: str) -> BoolArray:
    """Rows the model uses: every model variable present and a positive weight (as glm.fit)."""
    return np.asarray(build_model(formula, design).used & (design.weights > 0), dtype=bool)


def _single_psu_units(
    design: Design, used: BoolArray, labels: npt.NDArray[np.object_], units: list[str]
) -> list[str]:
    """Units whose used rows lie in one first-stage PSU. Their weighted residuals sum to zero
    within that PSU (the unit's indicator is in the model), so their standard error carries
    only the uncertainty of the other coefficients, not the unit's own variation: a unit with
    one respondent can look very different from expected with a tiny p-value."""
    code_of = {u: j for j, u in enumerate(units)}
    rows = np.flatnonzero(used)
    codes = np.array([code_of[str(v)] for v in labels[rows]], dtype=np.int64)
    n_psu = int(design.psu_codes.max()) + 1
    pairs = np.unique(codes * n_psu + design.psu_codes[rows])
    psus = np.bincount(pairs // n_psu, minlength=len(units))
    return [u for u, count in zip(units, psus.tolist(), strict=True) if count < 2]


def _unit_contrasts(model: RegressionResult, u_name: str, units: list[str]) -> FloatArray:
    """Rows ``c_j = e_j - mean_k e_k`` over the units' indicator coefficients (the reference
    unit's indicator is 0), one row per unit in ``units`` order."""
    prefix = f"C({u_name})[T."
    position = {
        term[len(prefix) : -1]: i for i, term in enumerate(model.terms) if term.startswith(prefix)
    }
    k = len(units)
    missing = [u for u in units[1:] if u not in position]
    if len(position) != k - 1 or missing:
        raise EstimationError(
            f"cannot find the units' coefficients in the model (terms {', '.join(model.terms)})"
        )
    indicators = np.zeros((k, len(model.coef)))
    for j, u in enumerate(units[1:], start=1):
        indicators[j, position[u]] = 1.0
    centred: FloatArray = indicators - indicators.mean(axis=0)
    return centred


def _observed_expected(
    design: Design,
    formula: str,
    model: RegressionResult,
    used: BoolArray,
    labels: npt.NDArray[np.object_],
    units: list[str],
    effect: FloatArray,
    family: str,
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.int64], FloatArray]:
    """Per unit: weighted mean outcome, weighted mean prediction for the average unit, rows
    and summed weight, over the rows the model used."""
    matrix = build_model(formula, design)
    if list(matrix.names) != list(model.terms):
        raise EstimationError("the model matrix does not match the fitted model")
    code_of = {u: j for j, u in enumerate(units)}
    rows = np.flatnonzero(used)
    codes = np.array([code_of[str(v)] for v in labels[rows]], dtype=np.int64)
    w = design.weights[rows]
    y = matrix.y[rows]
    eta = matrix.x[matrix.pattern[rows]] @ model.coef - effect[codes]
    prediction = special.expit(eta) if family == "binomial" else eta
    k = len(units)
    weight = np.bincount(codes, weights=w, minlength=k).astype(np.float64)
    observed = np.bincount(codes, weights=w * y, minlength=k) / weight
    expected = np.bincount(codes, weights=w * prediction, minlength=k) / weight
    n_rows = np.bincount(codes, minlength=k).astype(np.int64)
    return observed, expected, n_rows, weight
