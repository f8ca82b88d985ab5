"""Replicate-weight survey designs, as R ``survey``'s ``svrepdesign`` and ``as.svrepdesign``.

A replicate design carries, besides the sampling weights, one column of weights per replicate
(the jackknife, BRR, Fay, bootstrap or successive-difference weights many public files ship
instead of strata and PSUs). Every estimate is computed once with the sampling weights and
once with each replicate's weights; its variance is R's ``svrVar``::

    scale * sum_r rscales[r] * (theta_r - centre)^2

with ``centre`` the mean of the replicates (or the full-sample estimate when ``mse=True``).
Replicates that give no estimate (a domain with no weight in that replicate) are left out,
as R does. The numbers match R ``survey`` 4.1-1 to 1e-8 (tests/stats/test_replicates.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse, special

from hopeful.stats import _ci, glm
from hopeful.stats._columns import (
    analysis_columns,
    column_names,
    domain_codes,
    factorize,
    get_column,
    numeric_column,
)
from hopeful.stats._replicate_weights import (
    Multipliers,
    matrix_rank,
    multipliers_for,
    r_text,
    srs_deff,
)
from hopeful.stats.design import Design
from hopeful.stats.errors import DesignError, EstimationError

__all__ = ["ReplicateDesign", "as_replicate"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

ReplicateType = Literal[
    "JK1", "JKn", "BRR", "Fay", "bootstrap", "ACS", "successive-difference", "other"
]
CiMethod = Literal["beta", "logit", "wald"]
CiDist = Literal["t", "normal"]
Deff = Literal["wor", "replace"] | None

_TYPES = ("JK1", "JKn", "BRR", "Fay", "bootstrap", "ACS", "successive-difference", "other")


def _as_list(names: str | Sequence[str] | None) -> list[str]:
    if names is None:
        return []
    return [names] if isinstance(names, str) else list(names)


class ReplicateDesign:
    """A survey design given by replicate weights (R ``svrepdesign``).

    Parameters
    ----------
    table
        The data: a pandas or polars DataFrame, a pyarrow Table, or a dict of arrays.
    weights
        Column of sampling (full-sample) weights; ``None``: all 1 (R warns and does the same).
    replicate_weights
        The replicate weight columns: a list of names, or a regular expression matched
        against the column names in order (R's ``repweights="repwt[0-9]+"``; ``re.search``
        semantics, as R's ``grep``).
    type
        ``"JK1"``, ``"JKn"``, ``"BRR"``, ``"Fay"``, ``"bootstrap"``, ``"ACS"`` /
        ``"successive-difference"`` or ``"other"``; fixes the defaults of ``scale`` and
        ``rscales`` as R: JK1 (R-1)/R, BRR 1/R, Fay 1/(R (1-rho)^2), bootstrap 1/(R-1),
        successive-difference 4/R, other 1 (R = number of replicates).
    scale, rscales
        The overall and per-replicate variance multipliers (``rscales``: one number or one
        per replicate). JKn needs ``rscales`` ((n_h-1)/n_h of each replicate's stratum) unless
        ``combined_weights=False``, when R guesses them from the weights.
    rho
        Fay's coefficient, required for ``type="Fay"`` (0 < rho < 1).
    mse
        Centre the squared deviations at the full-sample estimate instead of the mean of the
        replicates (R's ``mse=TRUE``).
    combined_weights
        The replicate columns are complete weights (``True``, R's default) or multipliers of
        the sampling weights (``False``).

    Raises
    ------
    DesignError
        Missing, negative or infinite weights; no replicate column found or a replicate
        column that is not numeric; a ``scale``/``rscales``/``rho`` that the type does not
        allow or lacks.
    """

    def __init__(
        self,
        table: Any,
        *,
        weights: str | None,
        replicate_weights: str | Sequence[str],
        type: ReplicateType,
        scale: float | None = None,
        rscales: float | Sequence[float] | npt.ArrayLike | None = None,
        rho: float | None = None,
        mse: bool = False,
        combined_weights: bool = True,
    ) -> None:
        if type not in _TYPES:
            raise DesignError(f"type must be one of {', '.join(_TYPES)}, not {type!r}")
        names = column_names(table)
        if isinstance(replicate_weights, str):
            pattern = re.compile(replicate_weights)
            columns = [n for n in names if pattern.search(n)]
            if not columns:
                raise DesignError(f"no column name matches the pattern {replicate_weights!r}")
        else:
            columns = list(replicate_weights)
            if not columns:
                raise DesignError("name at least one replicate weight column")
        reps = np.stack([self._weight_column(table, c, "replicate weight") for c in columns], 1)
        if weights is None:
            pw = np.ones(reps.shape[0])
        else:
            pw = self._weight_column(table, weights, "weights")
        if weights is not None and weights in columns:
            raise DesignError(f"the sampling weights {weights!r} are also a replicate column")
        n_rep = reps.shape[1]
        if rscales is not None:
            rs = np.atleast_1d(np.asarray(rscales, dtype=np.float64))
            if len(rs) not in (1, n_rep):
                raise DesignError(f"rscales has length {len(rs)}; it should be 1 or {n_rep}")
        else:
            rs = None
        scale, rs = self._defaults(type, scale, rs, rho, reps, n_rep, combined_weights)
        analysis = reps * pw[:, None] if not combined_weights else reps
        self.replicate_columns = columns
        self.weight_column = weights
        self._setup(table, pw, analysis, type, scale, rs, rho, mse)

    @staticmethod
    def _weight_column(table: Any, name: str, role: str) -> FloatArray:
        w = numeric_column(table, name)
        if np.isnan(w).any():
            raise DesignError(f"{role} column {name!r} has missing values")
        if (w < 0).any():
            raise DesignError(f"{role} column {name!r} has negative values")
        if not np.isfinite(w).all():
            raise DesignError(f"{role} column {name!r} has infinite values")
        return w

    @staticmethod
    def _defaults(
        type: str,
        scale: float | None,
        rs: FloatArray | None,
        rho: float | None,
        reps: FloatArray,
        n_rep: int,
        combined: bool,
    ) -> tuple[float, FloatArray]:
        """R's defaults for scale and rscales per type (svrepdesign.default)."""
        if type == "Fay" and (rho is None or not 0 < rho < 1):
            raise DesignError("type='Fay' needs rho, Fay's coefficient, between 0 and 1")
        if type != "Fay" and rho is not None:
            raise DesignError(f"rho is only used with type='Fay', not {type!r}")
        if type in ("BRR", "Fay", "ACS", "successive-difference") and (
            scale is not None or rs is not None
        ):
            raise DesignError(f"type={type!r} sets scale and rscales itself; use type='other'")
        ones = np.ones(n_rep)
        if type == "BRR":
            return 1.0 / n_rep, ones
        if type == "Fay":
            return 1.0 / (n_rep * (1 - cast(float, rho)) ** 2), ones
        if type in ("ACS", "successive-difference"):
            return 4.0 / n_rep, ones
        if type == "bootstrap":
            if n_rep < 2:
                raise DesignError("a bootstrap design needs at least 2 replicates")
            return (1.0 / (n_rep - 1) if scale is None else scale), (ones if rs is None else rs)
        if type == "JK1" and scale is None:
            scale = 1.0 / float(reps[:, 0].max()) if not combined else (n_rep - 1) / n_rep
        if type == "JKn" and rs is None:
            if combined:
                raise DesignError(
                    "type='JKn' with combined weights needs rscales: (n_h - 1) / n_h for each "
                    "replicate, n_h the number of PSUs in the replicate's stratum"
                )
            rs = 1.0 / reps.max(axis=0)
        return (1.0 if scale is None else float(scale)), (ones if rs is None else rs)

    def _setup(
        self,
        table: Any,
        pweights: FloatArray,
        analysis: FloatArray,
        type: str,
        scale: float,
        rscales: FloatArray,
        rho: float | None,
        mse: bool,
    ) -> None:
        self._table = table
        self.n_rows = len(pweights)
        self.weights: FloatArray = pweights.astype(np.float64, copy=False)
        self._w = np.ascontiguousarray(analysis, dtype=np.float64)
        self.type = type
        self.scale = float(scale)
        self.rscales: FloatArray = np.broadcast_to(rscales, (analysis.shape[1],)).astype(float)
        self.rho = rho
        self.mse = mse
        self.n_replicates = analysis.shape[1]
        self.degf = matrix_rank(self._w) - 1

    @classmethod
    def _from_multipliers(
        cls, design: Design, mult: Multipliers, type: str, rho: float | None, mse: bool
    ) -> ReplicateDesign:
        self = cls.__new__(cls)
        analysis = design.weights[:, None] * mult.psu_weights[design.psu_codes]
        self.replicate_columns = []
        self.weight_column = design.weight_column
        self._setup(
            design.table, design.weights, analysis, type, mult.scale, mult.rscales, rho, mse
        )
        return self

    # -- public attributes -------------------------------------------------------------------

    @property
    def table(self) -> Any:
        """The data the design was built on."""
        return self._table

    @property
    def replicate_weights(self) -> FloatArray:
        """The analysis replicate weights, rows x replicates (R's ``weights(d, "analysis")``)."""
        return self._w

    def __repr__(self) -> str:
        return (
            f"ReplicateDesign(n={self.n_rows}, type={self.type!r}, replicates="
            f"{self.n_replicates}, scale={self.scale:.6g}, degf={self.degf}, mse={self.mse})"
        )

    # -- the variance engine -----------------------------------------------------------------

    def _variance(self, thetas: FloatArray, full: FloatArray) -> FloatArray:
        """R's ``svrVar`` per row of ``thetas`` (estimates x replicates); NaN replicates are
        left out of that estimate (with their rscales), as R's ``na.action``."""
        rs = self.rscales
        bad = np.isnan(thetas)
        if not bad.any():
            active = rs > 0
            centre = full if self.mse else thetas[:, active].mean(axis=1)
            return np.asarray(self.scale * ((thetas - centre[:, None]) ** 2 @ rs), np.float64)
        out = np.empty(thetas.shape[0])
        for i in range(thetas.shape[0]):  # only estimates with failed replicates
            ok = ~bad[i]
            t, r = thetas[i, ok], rs[ok]
            if not ok.any():
                out[i] = np.nan
                continue
            centre_i = full[i] if self.mse else t[r > 0].mean()
            out[i] = self.scale * float(((t - centre_i) ** 2) @ r)
        return out

    def _covariance(self, thetas: FloatArray, full: FloatArray) -> FloatArray:
        """svrVar's matrix form for k estimates (thetas: replicates x k)."""
        ok = ~np.isnan(thetas).any(axis=1)
        t, rs = thetas[ok], self.rscales[ok]
        centre = full if self.mse else t[rs > 0].mean(axis=0)
        dev = (t - centre) * np.sqrt(rs)[:, None]
        return np.asarray(self.scale * dev.T @ dev, dtype=np.float64)

    def _sums(
        self, values: FloatArray, codes: IntArray, count: int
    ) -> tuple[FloatArray, FloatArray]:
        """Per domain: sum of weight * value with the sampling weights and with each replicate
        (codes < 0: out of every domain). One sparse product, no loop over rows."""
        sel = codes >= 0
        rows = np.flatnonzero(sel)
        m = sparse.csr_matrix((values[sel], (codes[sel], rows)), shape=(count, self.n_rows))
        return np.asarray(m @ self.weights, np.float64), np.asarray(m @ self._w, np.float64)

    def _rank_by_domain(self, codes: IntArray, count: int) -> FloatArray:
        """R's ``degf`` of each domain's subset design: rank of its replicate weights - 1."""
        return np.array(
            [float(matrix_rank(self._w[codes == d]) - 1) for d in range(count)], dtype=np.float64
        )

    # -- domains and variables ---------------------------------------------------------------

    # -- estimates ---------------------------------------------------------------------------

    def mean(
        self,
        variable: str | Sequence[str],
        *,
        by: str | Sequence[str] | None = None,
        deff: Deff = "wor",
        level: float = 0.95,
        ci_dist: CiDist = "t",
    ) -> pd.DataFrame:
        """Weighted means, overall or by domain (R ``svymean``/``svyby`` on a replicate design).

        Same result columns as :meth:`hopeful.stats.Design.mean`; ``df`` is the replicate
        design's degrees of freedom (R's ``degf``: rank of the replicate weights minus 1),
        rows missing a variable are left out (R's ``na.rm=TRUE``), and with several variables
        and no ``by``, ``result.attrs["vcov"]`` holds their covariance matrix.
        """
        return self._linear("mean", variable, by, deff, level, ci_dist)

    def total(
        self,
        variable: str | Sequence[str],
        *,
        by: str | Sequence[str] | None = None,
        deff: Deff = "wor",
        level: float = 0.95,
        ci_dist: CiDist = "t",
    ) -> pd.DataFrame:
        """Weighted totals (R ``svytotal``/``svyby``); see :meth:`mean`."""
        return self._linear("total", variable, by, deff, level, ci_dist)

    def _linear(
        self,
        statistic: str,
        variable: str | Sequence[str],
        by: str | Sequence[str] | None,
        deff: Deff,
        level: float,
        ci_dist: CiDist,
    ) -> pd.DataFrame:
        variables = _as_list(variable)
        if not variables:
            raise EstimationError("name at least one variable")
        _check_level(level)
        by_names = _as_list(by)
        dom, count, frame_labels = domain_codes(self._table, self.n_rows, by_names)
        columns, labels, kind, missing = analysis_columns(self._table, self.n_rows, variables)
        codes = np.where(missing, -1, dom)
        used = codes >= 0
        pop, pop_r = self._sums(np.ones(self.n_rows), codes, count)
        n = np.bincount(codes[used], minlength=count)
        df = np.full(count, float(self.degf))
        q = (
            np.full(count, _ci.normal_quantile(level))
            if ci_dist == "normal"
            else _ci.t_quantile(level, df)
        )
        frames, fulls, reps = [], [], []
        for label, y in zip(labels, columns, strict=True):
            yy = np.where(used, y, 0.0)
            tot, tot_r = self._sums(yy, codes, count)
            with np.errstate(invalid="ignore", divide="ignore"):
                est, est_r = (tot / pop, tot_r / pop_r) if statistic == "mean" else (tot, tot_r)
            var = self._variance(est_r, est)
            se = np.sqrt(var)
            frame = frame_labels.copy()
            if kind is not None:
                frame[kind] = label
            frame["estimate"] = est
            frame["se"] = se
            frame["ci_low"] = est - q * se
            frame["ci_high"] = est + q * se
            frame["df"] = df
            frame["deff"] = (
                srs_deff(statistic, deff, self.weights, yy, var, codes, count, pop, n)
                if deff
                else np.nan
            )
            frame["n"] = n
            frame["population"] = pop
            frames.append(frame)
            fulls.append(est[0])
            reps.append(est_r[0])
        result = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        if by_names and kind is not None:
            result = result.sort_values(by_names, kind="stable").reset_index(drop=True)
        if not by_names and len(labels) > 1:
            result.attrs["vcov"] = self._covariance(np.stack(reps, axis=1), np.array(fulls))
        return result

    def proportion(
        self,
        variable: str,
        *,
        by: str | Sequence[str] | None = None,
        ci: CiMethod = "beta",
        level: float = 0.95,
        deff: Deff = "wor",
    ) -> pd.DataFrame:
        """Proportions of each level of a variable with confidence intervals, as R's
        ``svyciprop`` (and ``svyby(..., svyciprop)``) on a replicate design.

        ``"beta"``: Korn-Graubard with the domain's row count; ``"logit"``: R's default, a t
        interval on the log-odds whose standard error comes from the replicates' log-odds (R
        refits ``svyglm(y ~ 1)`` per replicate); ``"wald"``: p +- t se. Degrees of freedom
        are R's ``degf`` of the (domain's) design: the rank of its replicate weights minus 1.
        """
        if ci not in ("beta", "logit", "wald"):
            raise EstimationError("ci must be 'beta', 'logit' or 'wald'")
        _check_level(level)
        by_names = _as_list(by)
        dom, count, frame_labels = domain_codes(self._table, self.n_rows, by_names)
        factor = factorize(get_column(self._table, variable), variable)
        if factor.n_levels == 0:
            raise EstimationError(f"variable {variable!r} has no non-missing values")
        codes = np.where(factor.missing, -1, dom)
        used = codes >= 0
        in_domain = dom >= 0
        design_rows = np.bincount(dom[in_domain], minlength=count).astype(np.float64)
        df = self._rank_by_domain(dom, count) if by_names else np.array([float(self.degf)])
        pop, pop_r = self._sums(np.ones(self.n_rows), codes, count)
        n = np.bincount(codes[used], minlength=count)
        frames = []
        for k, level_value in enumerate(factor.levels.tolist()):
            y = (factor.codes == k).astype(np.float64)
            tot, tot_r = self._sums(y, codes, count)
            with np.errstate(invalid="ignore", divide="ignore"):
                p, p_r = tot / pop, tot_r / pop_r
            var = self._variance(p_r, p)
            se = np.sqrt(var)
            if ci == "beta":
                low, high = _ci.korn_graubard(p, var, design_rows, df, level)
            elif ci == "logit":
                q = _ci.t_quantile(level, df)
                with np.errstate(invalid="ignore", divide="ignore"):  # p = 0 or 1: NaN
                    eta, eta_r = special.logit(p), special.logit(p_r)
                    se_eta = np.sqrt(self._variance(eta_r, eta))
                    low, high = special.expit(eta - q * se_eta), special.expit(eta + q * se_eta)
            else:
                q = _ci.t_quantile(level, df)
                low, high = p - q * se, p + q * se
            frame = frame_labels.copy()
            frame["level"] = level_value
            frame["estimate"] = p
            frame["se"] = se
            frame["ci_low"] = low
            frame["ci_high"] = high
            frame["df"] = df
            frame["deff"] = (
                srs_deff("mean", deff, self.weights, y, var, codes, count, pop, n)
                if deff
                else np.nan
            )
            frame["n"] = n
            frame["population"] = pop
            frames.append(frame)
        result = pd.concat(frames, ignore_index=True)
        if by_names:
            result = result.sort_values(by_names, kind="stable").reset_index(drop=True)
        return result

    # -- regression --------------------------------------------------------------------------

    def logistic(
        self, formula: str, *, reference: dict[str, Any] | None = None, level: float = 0.95
    ) -> glm.RegressionResult:
        """Logistic regression refitted per replicate (R ``svyglm(family=quasibinomial())`` on
        a replicate design); the result is a :class:`hopeful.stats.glm.RegressionResult`."""
        return _refit(self, formula, "binomial", reference, level)

    def linear(
        self, formula: str, *, reference: dict[str, Any] | None = None, level: float = 0.95
    ) -> glm.RegressionResult:
        """Linear regression refitted per replicate (R ``svyglm`` on a replicate design)."""
        return _refit(self, formula, "gaussian", reference, level)


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        raise EstimationError(f"level must be between 0 and 1, not {level!r}")


def _refit(
    design: ReplicateDesign,
    formula: str,
    family: glm.Family,
    reference: dict[str, Any] | None,
    level: float,
) -> glm.RegressionResult:
    """R's ``svyglm`` on a replicate design: the model fitted with the sampling weights, then
    refitted with each replicate's weights; the coefficients' covariance is svrVar of the
    replicate coefficients. ``df_residual`` is ``degf + 1 - (number of coefficients)``.

    The model matrix and the Newton fit are glm.py's (its model builders read only ``table``
    and ``n_rows`` of the design). A replicate whose model cannot be fitted (a term with no
    weight in it) is left out, as R drops replicates with NA coefficients.
    """
    _check_level(level)
    model = glm.build_model(formula, design, reference)
    used = model.used
    if not used.any():
        raise EstimationError("no rows have every model variable")
    y = np.where(used, model.y, 0.0)
    if family == "binomial":
        values = np.unique(model.y[used])
        if not np.isin(values, [0.0, 1.0]).all():
            raise EstimationError(
                f"a logistic model needs a 0/1 outcome; {formula.split('~')[0].strip()!r} "
                f"has values {', '.join(r_text(v) for v in values[:6].tolist())}"
            )
    rows = np.flatnonzero(used)
    shape = (model.x.shape[0], design.n_rows)
    ones = sparse.csr_matrix((np.ones(len(rows)), (model.pattern[rows], rows)), shape=shape)
    ys = sparse.csr_matrix((y[rows], (model.pattern[rows], rows)), shape=shape)
    n_used = float(len(rows))

    def solve(pw: FloatArray, pwy: FloatArray) -> tuple[FloatArray, int, bool]:
        keep = pw > 0
        x, pw, pwy = (model.x, pw, pwy) if keep.all() else (model.x[keep], pw[keep], pwy[keep])
        info = (x * pw[:, None]).T @ x
        scale = np.sqrt(np.diag(info))
        if (scale == 0).any() or np.linalg.matrix_rank(info / np.outer(scale, scale)) < len(info):
            raise np.linalg.LinAlgError("collinear")  # R gives NA: the replicate is dropped
        norm = n_used / pw.sum()  # R rescales the weights; the coefficients do not change
        return glm.irls(x, pwy * norm, pw * norm, family)

    pw0, pwy0 = ones @ design.weights, ys @ design.weights
    keep0 = pw0 > 0
    glm.information_inverse((model.x[keep0] * pw0[keep0][:, None]).T @ model.x[keep0], formula)
    try:
        beta, iterations, converged = solve(pw0, pwy0)
    except np.linalg.LinAlgError:
        raise EstimationError(f"the model {formula!r} cannot be estimated") from None
    pw_r, pwy_r = ones @ design.replicate_weights, ys @ design.replicate_weights
    betas = np.full((design.n_replicates, len(beta)), np.nan)
    for r in range(design.n_replicates):
        try:
            betas[r] = solve(pw_r[:, r], pwy_r[:, r])[0]
        except np.linalg.LinAlgError:
            continue
    return glm.regression_result(
        family,
        formula,
        model.names,
        beta,
        design._covariance(betas, beta),
        df_residual=design.degf + 1 - len(beta),
        n=len(rows),
        iterations=iterations,
        converged=converged,
        level=level,
    )


def as_replicate(
    design: Design,
    type: Literal["JK1", "JKn", "BRR", "Fay", "bootstrap"] = "JK1",
    *,
    rho: float | None = None,
    replicates: int = 50,
    seed: int | None = None,
    mse: bool = False,
) -> ReplicateDesign:
    """Replicate weights for a linearization design (R ``as.svrepdesign``).

    ``"JK1"`` (unstratified designs) and ``"JKn"`` (stratified; a single-PSU stratum follows
    the design's ``lonely_psu`` as R's ``jknweights``) delete one PSU at a time; ``"BRR"`` and
    ``"Fay"`` (``rho``, R's ``fay.rho``) need exactly 2 PSUs per stratum and use R's Hadamard
    matrices, so the replicates equal R's; ``"bootstrap"`` is the Rao-Wu bootstrap of R's
    ``bootweights`` with ``replicates`` draws from ``numpy.random.default_rng(seed)`` (it
    cannot reproduce R's random draws). Replicate columns come in R's order. Finite
    population corrections are not carried over (R carries them into JK1/JKn/bootstrap).
    """
    mult, rho = multipliers_for(design, type, rho=rho, replicates=replicates, seed=seed)
    return ReplicateDesign._from_multipliers(design, mult, type, rho, mse)
