"""Survey-weighted generalized linear models, as R's ``svyglm``.

Coefficients solve the weighted score equations (iteratively reweighted least squares,
converged to machine precision); their covariance is the design-based sandwich
``A^-1 cov(sum U_i) A^-1`` with ``U_i`` the observation's score and ``A`` the weighted
information, which is R's ``svy.varcoef``. ``df_residual`` is the design's degrees of freedom
minus the number of coefficients plus one, as R.

Formulas are parsed by formulaic. Plain columns, ``C(column)`` (with an optional
``contr.treatment(base=...)``) and their interactions are built directly from integer codes,
which is fast; any other formula is materialized by formulaic itself.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd
from formulaic import Formula, model_matrix
from scipy import special, stats

from hopeful.stats._ci import t_quantile
from hopeful.stats._columns import Factor, factorize, get_column, weighted_counts
from hopeful.stats.errors import EstimationError

if TYPE_CHECKING:
    from hopeful.stats.design import Design

__all__ = [
    "ModelMatrix",
    "ModelSource",
    "RegressionResult",
    "build_model",
    "fit",
    "information_inverse",
    "irls",
    "regression_result",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

Family = Literal["binomial", "gaussian"]

_C_CALL = re.compile(
    r"^C\(\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"(?:,\s*contr\.treatment\(\s*(?:base\s*=\s*)?(?P<base>[^)]+?)\s*\)\s*)?\)$"
)

_MAX_ITERATIONS = 100


@dataclass(frozen=True)
class RegressionResult:
    """A fitted survey-weighted regression.

    Attributes
    ----------
    table
        One row per coefficient: ``term, estimate, se, statistic, p_value, ci_low, ci_high``
        (t statistic and p-value on ``df_residual`` degrees of freedom; Wald interval with t
        quantiles), plus ``odds_ratio, or_ci_low, or_ci_high`` for logistic models.
    vcov
        The design-based covariance matrix of the coefficients.
    df_residual
        Design degrees of freedom minus the number of coefficients plus one (R's svyglm).
    n
        Rows used (rows with a missing model variable are left out).
    """

    family: Family
    formula: str
    terms: tuple[str, ...]
    coef: FloatArray
    vcov: FloatArray
    df_residual: int
    n: int
    iterations: int
    converged: bool
    level: float
    table: pd.DataFrame = field(repr=False)

    @property
    def se(self) -> FloatArray:
        """Standard errors of the coefficients."""
        return np.sqrt(np.diag(self.vcov))

    def odds_ratios(self) -> pd.DataFrame:
        """Odds ratios with confidence intervals (logistic models)."""
        if self.family != "binomial":
            raise EstimationError("odds ratios are for logistic models")
        return self.table[["term", "odds_ratio", "or_ci_low", "or_ci_high", "p_value"]]


# -- model matrices ----------------------------------------------------------------------------


class ModelSource(Protocol):
    """What the model builders read of a design: its data and its number of rows (a
    linearization :class:`~hopeful.stats.design.Design` or a replicate-weight design)."""

    @property
    def table(self) -> Any: ...

    @property
    def n_rows(self) -> int: ...


@dataclass
class ModelMatrix:
    """A model matrix given as distinct covariate patterns plus each row's pattern.

    ``x`` has one row per pattern; ``pattern`` maps data rows to them (the identity when the
    data were not compressed). Fitting on patterns with summed weights gives the same
    estimates as fitting on rows, in a fraction of the time.
    """

    y: FloatArray
    x: FloatArray
    pattern: npt.NDArray[np.int64]
    names: list[str]
    used: BoolArray
    unit_scores: Any = None
    """Optional ``(residuals, psu, n_psu) -> PSU totals of scores`` (fast path)."""


def _level_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_base(text: str) -> Any:
    text = text.strip()
    if (text.startswith("'") and text.endswith("'")) or (
        text.startswith('"') and text.endswith('"')
    ):
        return text[1:-1]
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


@dataclass
class _Var:
    """One variable of a model: numeric values or a factor, and its missing rows."""

    name: str
    values: FloatArray | None
    factor: Factor | None
    missing: BoolArray | None  # None: nothing missing
    base: int = 0  # index of the reference level (factors)


@dataclass
class _Spec:
    """A term as a product of variables (by expression), e.g. ``C(sex):age``."""

    factors: list[tuple[str, str]]  # (expression, variable name)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _fast_model(formula: str, design: ModelSource, reference: dict[str, Any]) -> ModelMatrix | None:
    """Build the model from integer codes, or return None for formulaic to do it."""
    try:
        parsed = Formula(formula)
    except Exception as exc:  # formulaic raises several kinds for a malformed formula
        raise EstimationError(f"cannot parse the formula {formula!r}: {exc}") from None
    if not hasattr(parsed, "lhs"):
        raise EstimationError(f"the formula {formula!r} needs an outcome: 'y ~ x + ...'")
    lhs_terms = list(parsed.lhs)
    if len(lhs_terms) != 1 or len(lhs_terms[0].factors) != 1:
        return None
    outcome = str(lhs_terms[0].factors[0].expr)
    if not _NAME.fullmatch(outcome):
        return None
    table = design.table
    y_raw = get_column(table, outcome)
    if y_raw.dtype.kind not in "iufb":
        return None
    y = y_raw.astype(np.float64)
    missing = np.isnan(y) if y_raw.dtype.kind == "f" else np.zeros(design.n_rows, dtype=bool)
    variables: dict[str, _Var] = {}
    pattern_codes: dict[str, Factor] = {}  # integer codes of every variable, for compression
    specs: list[_Spec] = []
    intercept = False
    for term in parsed.rhs:
        exprs = [str(f.expr) for f in term.factors]
        if exprs == ["1"]:
            intercept = True
            continue
        factors = []
        for expr in exprs:
            match = _C_CALL.match(expr)
            if match:
                name, categorical, base_text = match.group("name"), True, match.group("base")
            elif _NAME.fullmatch(expr):
                name, categorical, base_text = expr, False, None
            else:
                return None
            if expr not in variables:
                raw = get_column(table, name)
                if not categorical and raw.dtype.kind in "iufb":
                    values = raw.astype(np.float64)
                    nan = np.isnan(values) if raw.dtype.kind == "f" else None
                    if nan is not None and nan.any():
                        values = np.where(nan, 0.0, values)  # rows left out; keep x finite
                    variables[expr] = _Var(expr, values, None, nan)
                    pattern_codes[expr] = factorize(raw, name)
                else:
                    factor = factorize(raw, name)
                    base = _parse_base(base_text) if base_text is not None else reference.get(name)
                    nan = factor.missing if factor.any_missing else None
                    variables[expr] = _Var(expr, None, factor, nan, _base_index(factor, base))
                    pattern_codes[expr] = factor
                if nan is not None and nan.any():
                    missing = missing | nan
            factors.append((expr, name))
        specs.append(_Spec(factors))
    categorical_terms = [
        s for s in specs if any(variables[e].factor is not None for e, _ in s.factors)
    ]
    factor_uses = [
        e for s in categorical_terms for e, _ in s.factors if variables[e].factor is not None
    ]
    if not intercept and categorical_terms:
        return None  # full-rank coding without an intercept: formulaic's job
    if len(factor_uses) != len(set(factor_uses)):
        return None  # a factor in several terms: formulaic's full-rank logic
    # Compress rows to distinct covariate patterns when they repeat.
    n = design.n_rows
    sizes = [f.n_levels + 1 for f in pattern_codes.values()]  # +1: missing is its own code
    pattern = np.arange(n, dtype=np.int64)
    if pattern_codes and math.prod(sizes) < 2**62:
        key = np.zeros(n, dtype=np.int64)
        for f, size in zip(pattern_codes.values(), sizes, strict=True):
            key *= size
            key += f.codes + 1
        combined = factorize(key, "pattern")
        if combined.n_levels <= n // 2:
            pattern = combined.codes
    n_patterns = int(pattern.max()) + 1 if n else 0
    first = np.zeros(n_patterns, dtype=np.int64)
    first[pattern[::-1]] = np.arange(n - 1, -1, -1)

    names: list[str] = ["Intercept"] if intercept else []
    blocks: list[FloatArray] = [np.ones((n_patterns, 1))] if intercept else []
    for spec in specs:
        term_names, term_cols = [""], [np.ones(n_patterns)]
        for expr, _ in spec.factors:
            f_names, f_cols = _columns_of(variables[expr], first)
            term_names = [f"{a}:{b}" if a else b for a in term_names for b in f_names]
            term_cols = [a * b for a in term_cols for b in f_cols]
        names.extend(term_names)
        blocks.append(np.stack(term_cols, axis=1))
    x = np.concatenate(blocks, axis=1) if blocks else np.empty((n_patterns, 0))

    def unit_scores(r: FloatArray, psu: npt.NDArray[np.int64], n_psu: int) -> FloatArray:
        """PSU totals of r * x, one bincount per variable rather than per column."""
        out: list[FloatArray] = []
        if intercept:
            out.append(weighted_counts(psu, weights=r, minlength=n_psu)[:, None])
        for spec in specs:
            if len(spec.factors) == 1:
                var = variables[spec.factors[0][0]]
                if var.values is not None:
                    out.append(
                        weighted_counts(psu, weights=r * var.values, minlength=n_psu)[:, None]
                    )
                elif var.factor is not None:
                    k = var.factor.n_levels
                    table_ = np.bincount(
                        psu * k + np.maximum(var.factor.codes, 0), weights=r, minlength=n_psu * k
                    ).reshape(n_psu, k)
                    out.append(np.delete(table_, var.base, axis=1))
            else:  # an interaction: its columns, gathered to rows
                start = sum(o.shape[1] for o in out)
                width = len(_spec_names(spec, variables))
                sub = x[:, start : start + width][pattern]
                out.append(
                    np.stack(
                        [
                            weighted_counts(psu, weights=r * sub[:, j], minlength=n_psu)
                            for j in range(width)
                        ],
                        axis=1,
                    )
                )
        return np.concatenate(out, axis=1)

    return ModelMatrix(
        y=y, x=x, pattern=pattern, names=names, used=~missing, unit_scores=unit_scores
    )


def _spec_names(spec: _Spec, variables: dict[str, _Var]) -> list[str]:
    names = [""]
    for expr, _ in spec.factors:
        var = variables[expr]
        if var.factor is None:
            f_names = [expr]
        else:
            f_names = [
                f"{expr}[T.{_level_text(v)}]"
                for k, v in enumerate(var.factor.levels.tolist())
                if k != var.base
            ]
        names = [f"{a}:{b}" if a else b for a in names for b in f_names]
    return names


def _base_index(factor: Factor, base: Any) -> int:
    if base is None:
        return 0
    levels = factor.levels.tolist()
    for i, v in enumerate(levels):
        if v == base or _level_text(v) == str(base):
            return i
    raise EstimationError(f"reference level {base!r} is not a level of {factor.name!r}")


def _columns_of(var: _Var, rows: npt.NDArray[np.int64]) -> tuple[list[str], list[FloatArray]]:
    """A variable's model columns at the given rows (numeric: itself; factor: dummies)."""
    if var.values is not None:
        return [var.name], [var.values[rows]]
    if var.factor is None:
        raise EstimationError(f"variable {var.name!r} has neither values nor levels")
    codes = var.factor.codes[rows]
    names, cols = [], []
    for k, level in enumerate(var.factor.levels.tolist()):
        if k == var.base:
            continue
        names.append(f"{var.name}[T.{_level_text(level)}]")
        cols.append((codes == k).astype(np.float64))
    return names, cols


def _formulaic_model(formula: str, design: ModelSource) -> ModelMatrix:
    table = design.table
    if not isinstance(table, pd.DataFrame):
        if hasattr(table, "to_pandas"):
            table = table.to_pandas()
        else:
            table = pd.DataFrame({k: np.asarray(v) for k, v in table.items()})
    frame = table.reset_index(drop=True)
    try:
        matrices = model_matrix(formula, frame, na_action="ignore")
    except Exception as exc:  # formulaic raises many kinds for a bad formula
        raise EstimationError(f"cannot build the model {formula!r}: {exc}") from None
    lhs, rhs = matrices.lhs, matrices.rhs
    y = np.asarray(lhs.to_numpy(dtype=np.float64)).reshape(len(frame), -1)
    if y.shape[1] != 1:
        raise EstimationError("the outcome must be a single 0/1 or numeric column")
    x = np.asarray(rhs.to_numpy(dtype=np.float64))
    used = ~(np.isnan(y[:, 0]) | np.isnan(x).any(axis=1))
    return ModelMatrix(
        y=y[:, 0],
        x=np.where(used[:, None], x, 0.0),
        pattern=np.arange(len(frame), dtype=np.int64),
        names=[str(c) for c in rhs.columns],
        used=used,
    )


def build_model(
    formula: str, source: ModelSource, reference: dict[str, Any] | None = None
) -> ModelMatrix:
    """The model matrix of ``formula`` on ``source``'s data: built from integer codes when the
    formula is plain columns, ``C(...)`` terms and their interactions, else by formulaic."""
    model = _fast_model(formula, source, reference or {})
    return model if model is not None else _formulaic_model(formula, source)


# -- fitting -----------------------------------------------------------------------------------


def irls(
    x: FloatArray, wy: FloatArray, w: FloatArray, family: Family
) -> tuple[FloatArray, int, bool]:
    """Weighted maximum likelihood on covariate patterns, by Newton's method.

    ``w`` is each pattern's summed weight and ``wy`` its summed weight times outcome.
    Returns (coefficients, iterations, converged); iterations stop when a step no longer
    changes the log-likelihood or the coefficients beyond rounding.
    """
    if family == "gaussian":
        beta = np.linalg.solve((x * w[:, None]).T @ x, x.T @ wy)
        return np.asarray(beta, dtype=np.float64), 1, True
    beta = np.zeros(x.shape[1])
    mean = float(wy.sum() / w.sum())
    if 0 < mean < 1:  # start the intercept at the overall log-odds when there is one
        ones = np.all(x == 1.0, axis=0)
        if ones.any():
            beta[int(np.argmax(ones))] = np.log(mean / (1 - mean))
    loglik_old = -np.inf
    for iteration in range(1, _MAX_ITERATIONS + 1):
        mu = special.expit(x @ beta)
        info = (x * (w * mu * (1 - mu))[:, None]).T @ x
        step = np.linalg.solve(info, x.T @ (wy - w * mu))
        beta = beta + step
        eta = x @ beta
        # log-likelihood: sum wy*log(mu) + (w - wy)*log(1 - mu), written stably
        loglik = float(np.sum(wy * eta - w * np.logaddexp(0.0, eta)))
        small_step = np.max(np.abs(step)) <= 1e-13 * (np.max(np.abs(beta)) + 1.0)
        if small_step or abs(loglik - loglik_old) <= 1e-15 * abs(loglik):
            return np.asarray(beta, dtype=np.float64), iteration, True
        loglik_old = loglik
    return np.asarray(beta, dtype=np.float64), _MAX_ITERATIONS, False


def fit(
    design: Design,
    formula: str,
    *,
    family: Family,
    reference: dict[str, Any] | None = None,
    level: float = 0.95,
) -> RegressionResult:
    """Fit a survey-weighted regression on ``design`` (see :meth:`Design.logistic`).

    Raises
    ------
    EstimationError
        A bad formula, a reference level that does not exist, a non-binary outcome for a
        logistic model, or a model that cannot be estimated (collinear terms, no rows).
    """
    if not 0 < level < 1:
        raise EstimationError(f"level must be between 0 and 1, not {level!r}")
    model = build_model(formula, design, reference)
    used = model.used & (design.weights > 0)
    all_used = bool(used.all())
    if not all_used and not used.any():
        raise EstimationError("no rows have every model variable")
    y = model.y if all_used else np.where(used, model.y, 0.0)
    if family == "binomial":
        values = np.unique(model.y[used])
        if not np.isin(values, [0.0, 1.0]).all():
            shown = ", ".join(_level_text(v) for v in values[:6].tolist())
            raise EstimationError(
                f"a logistic model needs a 0/1 outcome; {formula.split('~')[0].strip()!r} "
                f"has values {shown}"
            )
    w = design.weights if all_used else np.where(used, design.weights, 0.0)
    w = w * (used.sum() / w.sum())  # R's svyglm rescales the weights to mean 1
    n_patterns = model.x.shape[0]
    pw = weighted_counts(model.pattern, weights=w, minlength=n_patterns)
    pwy = weighted_counts(model.pattern, weights=w * y, minlength=n_patterns)
    keep = pw > 0
    x = model.x[keep]
    information_inverse(
        (x * pw[keep][:, None]).T @ x, formula
    )  # collinear terms: a clear error first
    try:
        beta, iterations, converged = irls(x, pwy[keep], pw[keep], family)
    except np.linalg.LinAlgError:
        raise EstimationError(
            f"the model {formula!r} cannot be estimated (the information matrix became "
            "singular; an outcome perfectly predicted by a term can cause this)"
        ) from None
    eta = model.x @ beta
    mu = special.expit(eta) if family == "binomial" else eta
    working = pw * mu * (1 - mu) if family == "binomial" else pw
    info = (model.x * working[:, None]).T @ model.x
    a_inv = information_inverse(info, formula)
    residual = w * (y - mu[model.pattern])  # zero outside the estimate (w = 0 there)
    unit_cov = None
    if model.unit_scores is not None:
        unit_scores = model.unit_scores(residual, design.psu_codes, design.n_psu)
        unit_cov = design.covariance_from_unit_scores(unit_scores @ a_inv)
    if unit_cov is None:
        scores = model.x[model.pattern] * residual[:, None]
        unit_cov = design.covariance_of_totals(scores @ a_inv)
    return regression_result(
        family,
        formula,
        model.names,
        beta,
        unit_cov,
        df_residual=design.degf_of(used) + 1 - len(beta),
        n=int(used.sum()),
        iterations=iterations,
        converged=converged,
        level=level,
    )


def regression_result(
    family: Family,
    formula: str,
    terms: list[str],
    beta: FloatArray,
    vcov: FloatArray,
    *,
    df_residual: int,
    n: int,
    iterations: int,
    converged: bool,
    level: float,
) -> RegressionResult:
    """The coefficient table (t tests and intervals on ``df_residual``, odds ratios for a
    logistic model) of coefficients and their design-based covariance, whatever design made
    them (linearization here, replicate weights in :mod:`hopeful.stats.replicates`)."""
    vcov = (vcov + vcov.T) / 2
    se = np.sqrt(np.diag(vcov))
    with np.errstate(invalid="ignore", divide="ignore"):
        statistic = beta / se
        p_value = 2 * stats.t.sf(np.abs(statistic), df_residual) if df_residual > 0 else np.nan
    q = float(t_quantile(level, np.array([float(df_residual)]))[0])
    table = pd.DataFrame(
        {
            "term": terms,
            "estimate": beta,
            "se": se,
            "statistic": statistic,
            "p_value": p_value,
            "ci_low": beta - q * se,
            "ci_high": beta + q * se,
        }
    )
    if family == "binomial":
        table["odds_ratio"] = np.exp(beta)
        table["or_ci_low"] = np.exp(beta - q * se)
        table["or_ci_high"] = np.exp(beta + q * se)
    return RegressionResult(
        family=family,
        formula=formula,
        terms=tuple(terms),
        coef=beta,
        vcov=vcov,
        df_residual=df_residual,
        n=n,
        iterations=iterations,
        converged=converged,
        level=level,
        table=table,
    )


def information_inverse(info: FloatArray, formula: str) -> FloatArray:
    """Inverse of the information matrix; collinear terms are a clear error."""
    try:
        chol = np.linalg.cholesky(info)
    except np.linalg.LinAlgError:
        raise EstimationError(
            f"the model {formula!r} cannot be estimated: its terms are collinear"
        ) from None
    diag = np.diag(chol)
    if diag.min() <= 1e-10 * diag.max():
        raise EstimationError(f"the model {formula!r} cannot be estimated: its terms are collinear")
    inv_chol = np.linalg.inv(chol)
    return np.asarray(inv_chol.T @ inv_chol, dtype=np.float64)
