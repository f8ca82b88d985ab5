"""Calibration, raking and post-stratification of survey designs, as R's ``survey``.

Program data often come with known population margins (a county's children by age group and
by race); weighting the sample to them corrects for who was reached and, when the margins
explain the outcome, shrinks standard errors. :func:`calibrate` (R's ``calibrate``, linear,
raking or logit distance), :func:`rake` (R's ``rake``) and :func:`poststratify` (R's
``postStratify``) return a :class:`CalibratedDesign` whose ``mean``, ``total``, ``proportion``
(with ``by=``) and ``logistic``/``linear`` give R's numbers.

Variance, as R's ``svyrecvar``: an estimate's influence scores are replaced by their residuals
on the calibration variables before the design variance is taken (``calibrate``: a regression
weighted by the original weights, rescaled by the g-weights; ``poststratify``: deviations from
cell means; ``rake``: R's ten back-fitting sweeps over the margins). A domain's scores are zero
outside the domain *before* this step, so its variance comes from the whole sample, as R's
subsets of calibrated designs keep every row (with a zero weight).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.linalg

from hopeful.stats import _ci
from hopeful.stats._columns import (
    Factor,
    factorize,
    get_column,
    numeric_column,
    weighted_counts,
)
from hopeful.stats.design import CiMethod, Deff, Design
from hopeful.stats.errors import DesignError

__all__ = ["CalibratedDesign", "calibrate", "poststratify", "rake"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

Calfun = Literal["linear", "raking", "logit"]

#: R's grake rescales the weights when every population/sample ratio exceeds this.
_RESCALE_THRESHOLD = 20.0
#: R's svyrecvar sweeps the raking margins this many times.
_RAKING_SWEEPS = 10
#: Largest rows x domains block of scores residualized at once for domain variances.
_DOMAIN_CELLS = 4_000_000


# -- residualization steps (one per calibration, applied in order, as R's postStrata) ---------


@dataclass(frozen=True, slots=True)
class _Regression:
    """``calibrate``: residuals of ``z / w`` on ``X sqrt(d)``, times ``w = g sqrt(d)``."""

    basis: FloatArray  # orthonormal basis of the columns of X * sqrt(d) (rows x rank)
    w: FloatArray

    def apply(self, z: FloatArray) -> FloatArray:
        w = self.w[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            u = np.where(w != 0, z / w, 0.0)
        u = u - self.basis @ (self.basis.T @ u)
        return np.asarray(u * w, dtype=np.float64)


def _cell_sums(cells: IntArray, z: FloatArray, n_cells: int) -> FloatArray:
    """Per cell, the sums of each column of ``z`` (rows x k) -> (cells x k)."""
    sums = [np.bincount(cells, weights=z[:, c], minlength=n_cells) for c in range(z.shape[1])]
    return np.stack(sums, axis=1) if sums else np.zeros((n_cells, 0))


@dataclass(frozen=True, slots=True)
class _PostStrata:
    """``poststratify``: ``z`` minus the cell means of ``z old / new`` (old-weighted) x new."""

    cells: IntArray
    n_cells: int
    new: FloatArray
    old: FloatArray

    def apply(self, z: FloatArray) -> FloatArray:
        new = np.where((self.new == 0) & (self.old == 0), 1.0, self.new)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(new != 0, self.old / new, 0.0)
            old_sum = np.bincount(self.cells, weights=self.old, minlength=self.n_cells)
            means = _cell_sums(self.cells, z * ratio[:, None], self.n_cells) / old_sum[:, None]
        return np.asarray(z - means[self.cells] * new[:, None], dtype=np.float64)


@dataclass(frozen=True, slots=True)
class _Raking:
    """``rake``: R's ten back-fitting sweeps, ``z -= w_m * (cell mean of z / w_m)`` for each
    margin ``m`` (``w_m``: the weights after margin ``m`` in the last raking pass). They only
    subtract ``w_m * a_m[cell]``, so they run on the per-cell ``a_m``, with ``cross[m][j]``
    the sums of ``w_j / w_m`` over the cells of margins ``m`` x ``j``: one pass over rows."""

    margins: tuple[tuple[IntArray, int, FloatArray], ...]
    cross: tuple[tuple[FloatArray, ...], ...]

    @classmethod
    def build(cls, margins: list[tuple[IntArray, int, FloatArray]]) -> _Raking:
        cross: list[tuple[FloatArray, ...]] = []
        for cells_m, n_m, w_m in margins:
            row: list[FloatArray] = []
            for cells_j, n_j, w_j in margins:
                with np.errstate(divide="ignore", invalid="ignore"):
                    ratio = np.where(w_m != 0, w_j / w_m, 0.0)
                key = cells_m * n_j + cells_j
                table = weighted_counts(key, weights=ratio, minlength=n_m * n_j)
                row.append(table.reshape(n_m, n_j))
            cross.append(tuple(row))
        return cls(tuple(margins), tuple(cross))

    def apply(self, z: FloatArray) -> FloatArray:
        sums, counts, coef = [], [], []
        for cells, n_cells, w in self.margins:
            with np.errstate(divide="ignore", invalid="ignore"):
                u = np.where(w[:, None] != 0, z / w[:, None], 0.0)
            sums.append(_cell_sums(cells, u, n_cells))
            counts.append(np.bincount(cells, minlength=n_cells)[:, None].astype(np.float64))
            coef.append(np.zeros((n_cells, z.shape[1])))
        for _ in range(_RAKING_SWEEPS):
            for m in range(len(self.margins)):
                current = sums[m].copy()
                for j, a in enumerate(coef):
                    current -= self.cross[m][j] @ a
                with np.errstate(divide="ignore", invalid="ignore"):
                    coef[m] = coef[m] + current / counts[m]
        for (cells, _, w), a in zip(self.margins, coef, strict=True):
            z = z - w[:, None] * a[cells]
        return z


_Step = _Regression | _PostStrata | _Raking


class CalibratedDesign(Design):
    """A design whose weights were calibrated to population totals (made by :func:`calibrate`,
    :func:`rake`, :func:`poststratify`, which also accept it to calibrate again). ``g``: the
    calibrated over the previous weights; ``iterations``: those of the last calibration."""

    _steps: tuple[_Step, ...]
    g: FloatArray
    iterations: int

    def _residuals(self, z: FloatArray) -> FloatArray:
        for step in self._steps:
            z = step.apply(z)
        return z

    def _covariance(self, z: FloatArray) -> FloatArray:
        return super()._covariance(self._residuals(np.asarray(z, dtype=np.float64)))

    def _domain_variance(
        self, z: FloatArray, domains: npt.NDArray[np.int64], n_domains: int, present: Any
    ) -> FloatArray:
        # R subsets a calibrated design by zero weights, so each domain's scores are
        # residualized and their variance taken over the whole design (every stratum and PSU
        # is present: the domain lonely-PSU rules do not apply).
        var = np.empty(n_domains)
        chunk = max(1, _DOMAIN_CELLS // max(self.n_rows, 1))
        for start in range(0, n_domains, chunk):
            ids = np.arange(start, min(start + chunk, n_domains))
            scores = np.where(domains[:, None] == ids[None, :], z[:, None], 0.0)
            var[ids] = np.diag(self._covariance(scores))
        return var

    def covariance_from_unit_scores(self, unit_scores: FloatArray) -> FloatArray | None:
        """Always ``None``: the residuals need row-level scores."""
        return None

    def proportion(
        self,
        variable: str,
        *,
        by: str | Sequence[str] | None = None,
        ci: CiMethod = "beta",
        level: float = 0.95,
        deff: Deff = "wor",
    ) -> pd.DataFrame:
        """As :meth:`Design.proportion`; within domains the Korn-Graubard interval uses the
        design's row count, because R's domain of a calibrated design keeps every row."""
        if ci != "beta" or by is None or (not isinstance(by, str) and not by):
            return super().proportion(variable, by=by, ci=ci, level=level, deff=deff)
        frame = super().proportion(variable, by=by, ci="wald", level=level, deff=deff)
        p = frame["estimate"].to_numpy(dtype=np.float64)
        se = frame["se"].to_numpy(dtype=np.float64)
        df = frame["df"].to_numpy(dtype=np.float64)
        rows = np.full(len(frame), float(self.n_rows))
        frame["ci_low"], frame["ci_high"] = _ci.korn_graubard(p, se**2, rows, df, level)
        return frame

    def __repr__(self) -> str:
        return f"Calibrated{super().__repr__()[:-1]}, calibrations={len(self._steps)})"


def _derive(design: Design, weights: FloatArray, step: _Step, iterations: int) -> CalibratedDesign:
    """A new design sharing ``design``'s structure, with new weights and one more step."""
    new = CalibratedDesign.__new__(CalibratedDesign)
    new.__dict__.update(design.__dict__)
    previous: tuple[_Step, ...] = getattr(design, "_steps", ())
    new._steps = (*previous, step)
    with np.errstate(divide="ignore", invalid="ignore"):
        new.g = np.where(design.weights != 0, weights / design.weights, 1.0)
    new.weights = weights
    new.iterations = iterations
    return new


# -- population input ----------------------------------------------------------------------


def _names(margin: str | Sequence[str]) -> list[str]:
    return [margin] if isinstance(margin, str) else list(margin)


def _label(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _shown(key: tuple[str, ...]) -> str:
    return "/".join(key)


def _cell_counts(population: Any, names: list[str]) -> dict[tuple[str, ...], float]:
    """Population counts per cell, keyed by the cell's labels, from a mapping, a pandas
    Series (index: the levels) or a DataFrame (the margin's columns plus one count column)."""
    if isinstance(population, pd.DataFrame):
        rest = [c for c in population.columns if c not in names]
        if any(n not in population.columns for n in names) or len(rest) != 1:
            raise DesignError(
                f"a population table for {'/'.join(names)} needs the columns "
                f"{', '.join(names)} and one count column (such as 'Freq')"
            )
        items = [(tuple(row[n] for n in names), row[rest[0]]) for _, row in population.iterrows()]
    elif isinstance(population, pd.Series | Mapping):
        items = [(k if isinstance(k, tuple) else (k,), v) for k, v in population.items()]
    else:
        raise DesignError(
            f"the population of {'/'.join(names)} must be a dict of level -> count, a pandas "
            f"Series or a DataFrame, not {type(population).__name__}"
        )
    counts: dict[tuple[str, ...], float] = {}
    for raw_key, raw_count in items:
        if len(raw_key) != len(names):
            raise DesignError(
                f"population cell {raw_key!r} does not name one level of each of {names}"
            )
        key = tuple(_label(v) for v in raw_key)
        count = float(raw_count)
        if not math.isfinite(count) or count <= 0:
            raise DesignError(
                f"the population count of {'/'.join(names)} = {_shown(key)} is {raw_count!r}; "
                "population counts must be positive (drop a level that has no population)"
            )
        if key in counts:
            raise DesignError(f"population cell {_shown(key)} of {'/'.join(names)} is repeated")
        counts[key] = count
    return counts


@dataclass(frozen=True, slots=True)
class _Cells:
    """The sample's cells of one margin: per row the cell code, and each cell's labels."""

    codes: IntArray
    keys: list[tuple[str, ...]]


def _sample_cells(design: Design, names: list[str]) -> _Cells:
    factors: list[Factor] = []
    for name in names:
        factor = factorize(get_column(design.table, name), name)
        if factor.any_missing:
            raise DesignError(f"calibration variable {name!r} has missing values")
        factors.append(factor)
    key = np.zeros(design.n_rows, dtype=np.int64)
    for f in factors:
        key = key * max(f.n_levels, 1) + f.codes
    combined = factorize(key, "cell")
    level_lists = [f.levels.tolist() for f in factors]
    keys = []
    for code in combined.levels.astype(np.int64).tolist():
        labels = []
        for f, levels in zip(reversed(factors), reversed(level_lists), strict=True):
            n = max(f.n_levels, 1)
            labels.append(_label(levels[code % n]))
            code //= n
        keys.append(tuple(reversed(labels)))
    return _Cells(codes=combined.codes, keys=keys)


def _margin(design: Design, names: list[str], population: Any) -> tuple[_Cells, FloatArray]:
    """The sample's cells of a margin and their population counts; a level on one side only
    is an error."""
    cells = _sample_cells(design, names)
    counts = _cell_counts(population, names)
    what = "/".join(names)
    missing = [k for k in cells.keys if k not in counts]
    if missing:
        raise DesignError(
            f"the sample has {what} = {_shown(missing[0])} but the population margin does not "
            f"({len(missing)} such level(s)); give its population count or recode it"
        )
    absent = [k for k in counts if k not in set(cells.keys)]
    if absent:
        raise DesignError(
            f"the population margin names {what} = {_shown(absent[0])} but no row of the sample "
            f"has it ({len(absent)} such level(s)); the sample cannot represent it: merge it "
            "with a neighbouring level"
        )
    return cells, np.array([counts[k] for k in cells.keys])


# -- calibrate -----------------------------------------------------------------------------


def _inverse_link(calfun: Calfun, u: FloatArray, lo: float, hi: float) -> FloatArray:
    """R's ``calfun$Fm1``: the g-weight minus 1 for the linear predictor ``u``."""
    if calfun == "linear":
        return np.asarray(np.minimum(np.maximum(u + 1, lo), hi) - 1)
    if calfun == "raking":
        return np.asarray(np.minimum(np.maximum(np.exp(u), lo), hi) - 1)
    a = (hi - lo) / ((hi - 1) * (1 - lo))
    e = np.exp(a * u)
    return np.asarray((lo * (hi - 1) + hi * (1 - lo) * e) / (hi - 1 + (1 - lo) * e) - 1)


def _derivative(calfun: Calfun, u: FloatArray, lo: float, hi: float) -> FloatArray:
    """R's ``calfun$dF``."""
    inside = (u < hi - 1) & (u > lo - 1)
    if calfun == "linear":
        return inside.astype(np.float64)
    if calfun == "raking":
        return np.where(inside, np.exp(u), 0.0)
    a = (hi - lo) / ((hi - 1) * (1 - lo))
    e = np.exp(a * u)
    return np.asarray(a * (1 - lo) * e * (hi - 1) * (hi - lo) / (hi - 1 + (1 - lo) * e) ** 2)


def _newton(
    x: FloatArray,
    w: FloatArray,
    population: FloatArray,
    calfun: Calfun,
    bounds: tuple[float, float],
    max_iter: int,
    tol: float,
) -> tuple[FloatArray, int, float]:
    """R's ``grake``: Newton steps on the calibration equations from g = 1.

    Returns (g, iterations, largest relative misfit); the misfit is NaN when it converged.
    """
    lo, hi = bounds
    sample_total = x.T @ w

    def at(eta: FloatArray) -> tuple[FloatArray, FloatArray]:
        u = x @ eta
        return _inverse_link(calfun, u, lo, hi), _derivative(calfun, u, lo, hi)

    eta = np.zeros(x.shape[1])
    fm1, deriv = at(eta)
    iteration = 1
    while True:
        tmat = (x * (w * deriv)[:, None]).T @ x
        misfit = population - sample_total - x.T @ (w * fm1)
        step = np.linalg.pinv(tmat, rcond=256 * np.finfo(float).eps) @ misfit
        eta = eta + step
        fm1, deriv = at(eta)
        while iteration < max_iter and not (np.isfinite(fm1).all() and np.isfinite(deriv).all()):
            iteration += 1  # R's step halving
            step = step / 2
            eta = eta - step
            fm1, deriv = at(eta)
        misfit = population - sample_total - x.T @ (w * fm1)
        relative = np.abs(misfit) / (1 + np.abs(population))
        if (relative < tol).all():
            return 1 + fm1, iteration, math.nan
        iteration += 1
        if iteration > max_iter:
            return 1 + fm1, max_iter, float(np.max(relative))


def _model(
    design: Design,
    formula_or_margins: str | Sequence[str],
    population: Mapping[str, Any],
    population_size: float | None,
) -> tuple[FloatArray, FloatArray, list[tuple[str, float, float]]]:
    """R's model matrix (intercept, treatment dummies, numeric columns) and totals.

    Also returns, per categorical level, (label, population count, sample weighted count),
    for the error message when bounds cannot be met.
    """
    if isinstance(formula_or_margins, str):
        text = formula_or_margins.strip().removeprefix("~")
        terms = [t.strip() for t in text.split("+") if t.strip()]
    else:
        terms = [str(t) for t in formula_or_margins]
    if not terms:
        raise DesignError("name at least one calibration variable")
    forced = {t[2:-1].strip() for t in terms if t.startswith("C(") and t.endswith(")")}
    names = [t[2:-1].strip() if t.startswith("C(") and t.endswith(")") else t for t in terms]
    extra = sorted(set(population) - set(names))
    if extra:
        raise DesignError(f"the population names {extra[0]!r}, which is not calibrated on")
    columns: list[FloatArray] = []
    totals: list[float] = []
    levels: list[tuple[str, float, float]] = []
    sizes: list[tuple[str, float]] = []
    for name in names:
        if name not in population:
            raise DesignError(f"the population has no total for calibration variable {name!r}")
        target = population[name]
        if isinstance(target, Mapping | pd.Series | pd.DataFrame) or name in forced:
            cells, counts = _margin(design, [name], target)
            sizes.append((name, float(counts.sum())))
            sample = np.bincount(cells.codes, weights=design.weights, minlength=len(counts))
            for k in range(len(counts)):
                levels.append((f"{name} = {_shown(cells.keys[k])}", counts[k], sample[k]))
                if k > 0:
                    columns.append((cells.codes == k).astype(np.float64))
                    totals.append(float(counts[k]))
        else:
            if get_column(design.table, name).dtype.kind not in "iufb":
                raise DesignError(f"{name!r} is text: give its population as {{level: count}}")
            values = numeric_column(design.table, name)
            if np.isnan(values).any():
                raise DesignError(f"calibration variable {name!r} has missing values")
            total = float(target) if isinstance(target, numbers.Real) else math.nan
            if not math.isfinite(total):
                raise DesignError(f"the population total of {name!r} must be a finite number")
            columns.append(values)
            totals.append(total)
    if population_size is not None:
        if not math.isfinite(population_size) or population_size <= 0:
            raise DesignError(f"population_size must be positive, not {population_size!r}")
        sizes.insert(0, ("population_size", float(population_size)))
    _same_size(sizes)
    if sizes:
        columns.insert(0, np.ones(design.n_rows))
        totals.insert(0, sizes[0][1])
        levels.append(("the population size", sizes[0][1], float(design.weights.sum())))
    return np.stack(columns, axis=1), np.array(totals), levels


def _same_size(sizes: list[tuple[str, float]]) -> None:
    """Margins must agree on the population size (else no weights can meet them all)."""
    for name, size in sizes[1:]:
        if abs(size - sizes[0][1]) > 1e-6 * sizes[0][1]:
            raise DesignError(
                f"the margins disagree on the population size: {sizes[0][0]} gives "
                f"{sizes[0][1]:.10g} but {name} sums to {size:.10g}; make them agree"
            )


def _check_bounds(
    calfun: Calfun, bounds: tuple[float, float] | None, levels: list[tuple[str, float, float]]
) -> tuple[float, float]:
    if bounds is None:
        if calfun == "logit":
            raise DesignError("logit calibration needs finite bounds, e.g. bounds=(0.5, 2.5)")
        return (-math.inf, math.inf)
    lo, hi = (float(b) for b in bounds)
    if not lo < hi:
        raise DesignError(f"bounds must be (lower, upper) with lower < upper, not {bounds!r}")
    if calfun == "logit" and not (math.isfinite(lo) and math.isfinite(hi) and lo < 1 < hi):
        raise DesignError(f"logit calibration needs finite bounds around 1, not {bounds!r}")
    for label, pop, sample in levels:
        if sample > 0 and not lo * sample <= pop <= hi * sample:
            raise DesignError(
                f"the bounds {bounds!r} cannot be met: {label} has a weighted sample count of "
                f"{sample:.6g} and a population of {pop:.6g}, a ratio of {pop / sample:.4g}; "
                "widen the bounds"
            )
    return lo, hi


def calibrate(
    design: Design,
    formula_or_margins: str | Sequence[str],
    population: Mapping[str, Any],
    *,
    calfun: Calfun = "linear",
    bounds: tuple[float, float] | None = None,
    max_iter: int = 50,
    tol: float = 1e-7,
    population_size: float | None = None,
) -> CalibratedDesign:
    """Calibrate the weights to population totals (R's ``calibrate``).

    ``formula_or_margins``: ``"~stype + api99"`` or ``["stype", "api99"]`` (``C(x)`` makes a
    numeric column categorical). ``population``: per categorical variable the count of every
    level (a dict, a pandas Series or a DataFrame with a count column), per numeric one its
    total. ``calibrate(d, ["stype", "api99"], {"stype": {"E": 4421, "H": 755, "M": 1018},
    "api99": 3914069})`` is R's ``calibrate(d, ~stype+api99, c(`(Intercept)`=6194,
    stypeH=755, stypeM=1018, api99=3914069))``. The population size (R's intercept) is a
    categorical margin's sum or ``population_size``; with neither, no intercept (R's ``~x-1``).

    ``calfun``: ``"linear"`` (GREG, one step without bounds), ``"raking"`` (weights stay
    positive) or ``"logit"`` (needs ``bounds``). ``bounds=(lower, upper)`` limits the g-weights
    (calibrated / original weight); ``max_iter`` and ``tol`` are R's ``maxit`` and ``epsilon``.

    Raises
    ------
    DesignError
        A level on one side only (population or sample), a count that is not positive,
        margins that disagree on the population size, missing values, collinear variables,
        bounds that cannot be met, no convergence within ``max_iter`` iterations.
    """
    if calfun not in ("linear", "raking", "logit") or max_iter < 1:
        raise DesignError("calfun must be 'linear', 'raking' or 'logit', and max_iter >= 1")
    x, totals, levels = _model(design, formula_or_margins, population, population_size)
    d = design.weights
    root = np.sqrt(d)
    q, r, _ = scipy.linalg.qr(x * root[:, None], mode="economic", pivoting=True)
    diag = np.abs(np.diag(r))
    rank = int((diag > 1e-7 * diag[0]).sum())
    if rank < x.shape[1]:
        raise DesignError("the calibration variables are collinear (one is implied by the others)")
    # R's grake rescales the weights when every total is 20+ times its sample total, and the
    # bounds then apply to the rescaled weights.
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = totals / (x.T @ d)
    scale = float(np.mean(ratios)) if np.min(ratios) > _RESCALE_THRESHOLD else 1.0
    lo, hi = _check_bounds(calfun, bounds, [(a, p, s * scale) for a, p, s in levels])
    if calfun == "linear" and bounds is None:
        g = 1 + x @ np.linalg.solve((x * d[:, None]).T @ x, totals - x.T @ d)
        iterations = 1
    else:
        g, iterations, failed = _newton(x, d * scale, totals, calfun, (lo, hi), max_iter, tol)
        if not math.isnan(failed):
            raise DesignError(
                f"calibration did not converge after {iterations} iterations (largest relative "
                f"misfit {failed:.3g} > tol {tol:g})"
                + (f"; the bounds {bounds!r} may be too narrow" if bounds is not None else "")
            )
        g = g * scale
    step = _Regression(basis=np.asarray(q[:, :rank], dtype=np.float64), w=g * root)
    return _derive(design, d * g, step, iterations)


# -- post-stratification and raking --------------------------------------------------------


def _poststratified(weights: FloatArray, cells: _Cells, counts: FloatArray) -> FloatArray:
    sample = np.bincount(cells.codes, weights=weights, minlength=len(counts))
    if (sample <= 0).any():
        bad = cells.keys[int(np.argmax(sample <= 0))]
        raise DesignError(f"cell {_shown(bad)} has rows but no weight; it cannot be reweighted")
    return np.asarray(weights * (counts / sample)[cells.codes], dtype=np.float64)


def poststratify(design: Design, strata: str | Sequence[str], population: Any) -> CalibratedDesign:
    """Post-stratify: the weights in each cell sum to its population count (R's
    ``postStratify``). ``strata``: a column or a list of columns (crossed cells);
    ``population``: each cell's (a level, or a tuple of levels) count, as a dict, a pandas
    Series or a DataFrame with the strata columns and one count column (R's ``Freq``).

    Raises ``DesignError`` for a cell on one side only (sample or population), a count that
    is not positive, or a missing value in a strata column.
    """
    cells, counts = _margin(design, _names(strata), population)
    weights = _poststratified(design.weights, cells, counts)
    step = _PostStrata(cells.codes, len(counts), weights, design.weights)
    return _derive(design, weights, step, 1)


def rake(
    design: Design,
    margins: Sequence[str | Sequence[str]],
    population: Sequence[Any],
    *,
    max_iter: int = 10,
    epsilon: float = 1.0,
) -> CalibratedDesign:
    """Rake: post-stratify on each margin in turn until the weights settle (R's ``rake``).

    ``margins``: each a column or a list of columns (a crossed margin); ``population``: each
    margin's counts, in the same order, as for :func:`poststratify`. As R's
    ``control=list(maxit=10, epsilon=1)``, raking stops when a pass changes no weighted count
    of the margins' crossed cells by ``epsilon`` (``< 1``: a fraction of the weights' sum).
    The last margin is then met exactly, the others within about ``epsilon``; for every margin
    exactly, pass ``epsilon=1e-10`` and a larger ``max_iter``.

    Raises
    ------
    DesignError
        As :func:`poststratify` for each margin; margins whose counts sum to different
        population sizes; no convergence after ``max_iter`` passes.
    """
    if len(margins) != len(population):
        raise DesignError(
            f"{len(margins)} margins but {len(population)} population tables; give one each"
        )
    if not margins or max_iter < 1:
        raise DesignError("name at least one margin, and allow at least one pass (max_iter)")
    all_names: list[str] = []
    prepared = []
    for margin, pop in zip(margins, population, strict=True):
        prepared.append(_margin(design, _names(margin), pop))
        all_names.extend(n for n in _names(margin) if n not in all_names)
    _same_size(
        [("/".join(_names(m)), float(c.sum())) for m, (_, c) in zip(margins, prepared, strict=True)]
    )
    crossed = _sample_cells(design, all_names).codes
    n_crossed = int(crossed.max()) + 1
    limit = epsilon * float(design.weights.sum()) if epsilon < 1 else epsilon
    weights = design.weights
    old = np.bincount(crossed, weights=weights, minlength=n_crossed)
    for passes in range(1, max_iter + 1):
        steps = []
        for cells, counts in prepared:
            weights = _poststratified(weights, cells, counts)
            steps.append((cells.codes, len(counts), weights))
        new = np.bincount(crossed, weights=weights, minlength=n_crossed)
        change = float(np.max(np.abs(old - new)))
        if change < limit:
            return _derive(design, weights, _Raking.build(steps), passes)
        old = new
    raise DesignError(
        f"raking did not converge after {max_iter} passes over the margins (the last pass "
        f"still changed a weighted count by {change:.4g}, epsilon is {limit:.4g}); raise "
        "max_iter, or check that the margins agree with each other"
    )
