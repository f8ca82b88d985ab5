"""Survey designs and design-based estimates of means, totals and proportions.

The numbers follow R's ``survey`` package (``svydesign``, ``svymean``, ``svytotal``,
``svyciprop``, ``svyby``); the test suite checks them against R at a relative tolerance of
1e-8 on the package's own ``api`` data and on a synthetic file with lonely PSUs.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from hopeful.stats import _ci
from hopeful.stats._columns import (
    Factor,
    analysis_columns,
    column_names,
    domain_codes,
    factorize,
    get_column,
    numeric_column,
    weighted_counts,
)
from hopeful.stats._variance import (
    LONELY_RULES,
    Stage,
    covariance_from_unit_totals,
    domain_variances,
    stage_covariance,
)
from hopeful.stats.errors import DesignError, EstimationError

__all__ = ["Design"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

Lonely = Literal["adjust", "average", "certainty", "remove", "fail"]
Deff = Literal["wor", "replace"] | None
CiMethod = Literal["beta", "logit", "wald"]
CiDist = Literal["t", "normal"]

RESULT_COLUMNS = ["estimate", "se", "ci_low", "ci_high", "df", "deff", "n", "population"]


def _as_list(names: str | Sequence[str] | None) -> list[str]:
    if names is None:
        return []
    if isinstance(names, str):
        return [names]
    return list(names)


def _sum_by(index: IntArray, values: npt.NDArray[Any] | None, count: int) -> FloatArray:
    """Sums of ``values`` (or row counts) per domain index; one domain needs no bincount."""
    if count == 1:
        total = float(len(index)) if values is None else float(np.sum(values))
        return np.array([total])
    return weighted_counts(index, weights=values, minlength=count)


def _per_row(values: FloatArray, rows: _Rows) -> FloatArray | float:
    """A per-domain value for each row (a scalar when there is one domain)."""
    return float(values[0]) if rows.count == 1 else values[rows.index]


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        raise EstimationError(f"level must be between 0 and 1, not {level!r}")


@dataclass(frozen=True, slots=True)
class _Rows:
    """The rows of one estimate: domain code (-1: out), weights (0 out), per-domain sums."""

    domain: IntArray
    index: IntArray
    used: BoolArray
    all_in: bool
    w: FloatArray
    pop: FloatArray
    n: IntArray
    count: int


@dataclass(frozen=True, slots=True)
class _Domains:
    """Rows coded by domain (``-1``: in no domain) and each domain's by-values."""

    codes: IntArray
    count: int
    labels: pd.DataFrame


class Design:
    """A survey design: weights, strata, clusters (PSUs, possibly in several stages), fpc.

    Parameters
    ----------
    table
        The data: a pandas or polars DataFrame, a pyarrow Table, or a dict of arrays.
    weights
        Column of sampling weights. When omitted, weights come from ``fpc``
        (population size / sample size at each stage), or are 1.
    strata
        Column of first-stage strata (``None``: one stratum).
    psu
        Column of primary sampling units, or a list of columns for a multistage design
        (``["dnum", "snum"]``); ``None``: every row is its own PSU.
    nest
        PSU codes are unique only within strata (R's ``nest=TRUE``). With ``nest=False`` a
        PSU code that appears in two strata is an error, as in R.
    fpc
        Finite population correction per stage (a column or a list of columns): population
        sizes (all > 1) or sampling fractions (all <= 1). Stages beyond the first count only
        with an fpc, as in R.
    lonely_psu
        What a stratum with a single PSU contributes to variances, with R's semantics:
        ``"adjust"`` (deviation from the grand mean, the default), ``"average"``,
        ``"certainty"``, ``"remove"``, or ``"fail"`` (refuse such a design).
    adjust_domain_lonely
        R's ``survey.adjust.domain.lonely``: apply the lonely rule also where a domain
        reaches only one PSU of a stratum.

    Raises
    ------
    DesignError
        Missing or negative weights, missing strata or PSU codes, an fpc that implies more
        than 100% sampling, PSUs not nested in strata, a lonely PSU under ``"fail"``.
    """

    def __init__(
        self,
        table: Any,
        *,
        weights: str | None = None,
        strata: str | None = None,
        psu: str | Sequence[str] | None = None,
        nest: bool = False,
        fpc: str | Sequence[str] | None = None,
        lonely_psu: Lonely = "adjust",
        adjust_domain_lonely: bool = False,
    ) -> None:
        if lonely_psu not in LONELY_RULES:
            raise DesignError(f"lonely_psu must be one of {', '.join(LONELY_RULES)}")
        self._table = table
        names = column_names(table)
        self.n_rows = self._row_count(table, names)
        self.lonely_psu: Lonely = lonely_psu
        self.adjust_domain_lonely = adjust_domain_lonely
        self.weight_column = weights
        psu_columns = _as_list(psu)
        fpc_columns = _as_list(fpc)
        if len(fpc_columns) > max(len(psu_columns), 1):
            raise DesignError("fpc names more stages than psu")

        strata_factor = self._design_factor(strata, "strata") if strata else None
        stratum_codes = (
            strata_factor.codes if strata_factor else np.zeros(self.n_rows, dtype=np.int64)
        )
        self.strata_column = strata
        self.psu_columns = psu_columns

        # Stage units: stage 1 PSUs (nested in strata when asked), later stages nested in
        # the units above them, as R's svydesign does.
        unit_codes: list[IntArray] = []
        parent = stratum_codes
        stage_names: list[str | None] = list(psu_columns) if psu_columns else [None]
        for stage_no, name in enumerate(stage_names):
            if name is None:
                raw = np.arange(self.n_rows, dtype=np.int64)
            else:
                raw = self._design_factor(name, "psu").codes
            if stage_no == 0 and not nest and strata_factor is not None and name is not None:
                self._check_nested(raw, stratum_codes, name)
            combined = factorize(parent * (int(raw.max()) + 1) + raw, "unit").codes
            unit_codes.append(combined)
            parent = combined

        # fpc per stage -> population sizes per row.
        sample_sizes = []
        stage_strata = [stratum_codes, *unit_codes[:-1]]
        for k, units in enumerate(unit_codes):
            sample_sizes.append(self._units_per_stratum(units, stage_strata[k]))
        pop_sizes: list[FloatArray] = []
        for k, name in enumerate(fpc_columns):
            pop_sizes.append(self._population_sizes(name, sample_sizes[k], stage_strata[k]))

        if weights is not None:
            w = numeric_column(table, weights)
            if np.isnan(w).any():
                raise DesignError(f"weights column {weights!r} has missing values")
            if (w < 0).any():
                raise DesignError(f"weights column {weights!r} has negative values")
            if not np.isfinite(w).all():
                raise DesignError(f"weights column {weights!r} has infinite values")
        elif pop_sizes:
            w = np.ones(self.n_rows)
            for k, stage_pop in enumerate(pop_sizes):
                w = w * stage_pop / sample_sizes[k]
        else:
            w = np.ones(self.n_rows)
        self.weights: FloatArray = w.astype(np.float64, copy=False)

        # Variance stages: the first, plus later ones that have an fpc (R recurses only then).
        n_stages = len(unit_codes) if len(pop_sizes) >= 2 else 1
        self._stages: list[Stage] = []
        multiplier_rows = np.ones(self.n_rows)
        for k in range(n_stages):
            pop: FloatArray | None = pop_sizes[k] if k < len(pop_sizes) else None
            stage = self._build_stage(
                unit_codes[k], stage_strata[k], sample_sizes[k], pop, multiplier_rows
            )
            self._stages.append(stage)
            if pop is not None:
                multiplier_rows = multiplier_rows * sample_sizes[k] / pop

        first = self._stages[0]
        self.n_strata = first.n_strata
        self.n_psu = first.n_unit_codes
        self.degf = self.n_psu - self.n_strata
        if lonely_psu == "fail" and (first.n_units == 1).any():
            bad = np.flatnonzero(first.n_units == 1)
            shown = self._stratum_labels(strata_factor, bad[:5])
            raise DesignError(
                f"{len(bad)} stratum/strata have only one PSU (e.g. {shown}) and "
                "lonely_psu='fail'; choose 'adjust', 'average', 'certainty' or 'remove'"
            )
        self._strata_factor = strata_factor
        self._row_stratum = stratum_codes

    # -- construction helpers ------------------------------------------------------------------

    @staticmethod
    def _row_count(table: Any, names: list[str]) -> int:
        if not names:
            raise DesignError("the data has no columns")
        return len(get_column(table, names[0]))

    def _design_factor(self, name: str, role: str) -> Factor:
        values = get_column(self._table, name)
        factor = factorize(values, name)
        if factor.missing.any():
            raise DesignError(f"{role} column {name!r} has missing values")
        return factor

    @staticmethod
    def _check_nested(psu: IntArray, strata: IntArray, name: str) -> None:
        pairs = factorize(psu * (int(strata.max()) + 1) + strata, "pair")
        psu_of_pair = np.zeros(pairs.n_levels, dtype=np.int64)
        psu_of_pair[pairs.codes] = psu
        if len(np.unique(psu_of_pair)) < pairs.n_levels:
            raise DesignError(
                f"PSUs in {name!r} are not nested in strata (the same code appears in "
                "several strata); pass nest=True if codes are only unique within strata"
            )

    @staticmethod
    def _units_per_stratum(units: IntArray, strata: IntArray) -> FloatArray:
        """Per row: the number of distinct units in the row's stratum."""
        n_units = int(units.max()) + 1
        unit_stratum = np.zeros(n_units, dtype=np.int64)
        unit_stratum[units] = strata
        per_stratum = np.bincount(unit_stratum, minlength=int(strata.max()) + 1)
        return per_stratum[strata].astype(np.float64)

    def _population_sizes(self, name: str, sample: FloatArray, strata: IntArray) -> FloatArray:
        values = numeric_column(self._table, name)
        if np.isnan(values).any():
            raise DesignError(f"fpc column {name!r} has missing values")
        if (values <= 0).any():
            raise DesignError(f"fpc column {name!r} must be positive")
        if (values > 1).any() and not (values >= 1).all():
            raise DesignError(
                f"fpc column {name!r} mixes fractions and population sizes: use all sizes "
                "(>= 1) or all sampling fractions (<= 1)"
            )
        pop = values if (values > 1).any() else sample / values
        if (pop < sample - 1e-9 * sample).any():
            raise DesignError(f"fpc column {name!r} implies more than 100% sampling")
        lo = np.full(int(strata.max()) + 1, np.inf)
        hi = np.full(int(strata.max()) + 1, -np.inf)
        np.minimum.at(lo, strata, pop)
        np.maximum.at(hi, strata, pop)
        if (hi - lo > 1e-9 * np.abs(hi)).any():
            raise DesignError(f"fpc column {name!r} varies within strata")
        return pop

    @staticmethod
    def _build_stage(
        units: IntArray,
        strata: IntArray,
        sample_rows: FloatArray,
        pop_rows: FloatArray | None,
        multiplier_rows: FloatArray,
    ) -> Stage:
        # Renumber units so that each stratum's units are contiguous, strata in order.
        n_units = int(units.max()) + 1
        unit_stratum_raw = np.zeros(n_units, dtype=np.int64)
        unit_stratum_raw[units] = strata
        order = np.argsort(unit_stratum_raw, kind="stable")
        new_code = np.empty(n_units, dtype=np.int64)
        new_code[order] = np.arange(n_units)
        unit_stratum = unit_stratum_raw[order]
        n_strata = int(strata.max()) + 1
        counts = np.bincount(unit_stratum, minlength=n_strata)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        first_row = np.zeros(n_strata, dtype=np.int64)
        first_row[strata[::-1]] = np.arange(len(strata))[::-1]
        design_n = sample_rows[first_row].astype(np.int64)
        fraction = None
        if pop_rows is not None:
            pop = pop_rows[first_row]
            fraction = np.where(np.isinf(pop), 1.0, (pop - design_n) / pop)
        return Stage(
            unit=new_code[units],
            unit_stratum=unit_stratum,
            starts=starts,
            n_units=design_n,
            fraction=fraction,
            multiplier=multiplier_rows[first_row],
        )

    def _stratum_labels(self, factor: Factor | None, codes: IntArray) -> str:
        if factor is None:
            return "the only stratum"
        return ", ".join(str(v) for v in factor.levels[codes].tolist())

    # -- the variance engine -------------------------------------------------------------------

    def _covariance(self, z: FloatArray) -> FloatArray:
        """Covariance matrix of the totals of the columns of ``z`` (rows x k)."""
        cov = np.zeros((z.shape[1], z.shape[1]))
        for stage in self._stages:
            cov = cov + stage_covariance(stage, z, self.lonely_psu)
        return cov

    def _domain_variance(
        self, z: FloatArray, domains: IntArray, n_domains: int, present: BoolArray
    ) -> FloatArray:
        var = np.zeros(n_domains)
        for stage in self._stages:
            var = var + domain_variances(
                stage,
                z,
                domains,
                n_domains,
                self.lonely_psu,
                adjust_domain_lonely=self.adjust_domain_lonely,
                present=present,
            )
        return var

    def _domain_degf(self, rows: BoolArray, domains: IntArray, n_domains: int) -> IntArray:
        """Per domain: PSUs minus strata among the given rows (R's degf of a subset)."""
        first = self._stages[0]
        sel = rows & (domains >= 0)
        dom = domains[sel]

        def distinct(codes: IntArray, n_codes: int) -> IntArray:
            key = dom * n_codes + codes[sel]
            if n_codes * n_domains <= 40_000_000:
                seen = np.bincount(key, minlength=n_codes * n_domains).reshape(n_domains, n_codes)
                return np.asarray((seen > 0).sum(axis=1), dtype=np.int64)
            return np.bincount(np.unique(key) // n_codes, minlength=n_domains).astype(np.int64)

        return distinct(first.unit, first.n_unit_codes) - distinct(
            self._row_stratum, first.n_strata
        )

    # -- domains -----------------------------------------------------------------------------

    def _domains(self, by: list[str]) -> _Domains:
        codes, count, labels = domain_codes(self._table, self.n_rows, by)
        return _Domains(codes=codes, count=count, labels=labels)

    # -- estimators --------------------------------------------------------------------------

    def _quantile(self, df: FloatArray, level: float, dist: CiDist) -> FloatArray:
        if dist == "normal":
            return np.full(len(df), _ci.normal_quantile(level))
        return _ci.t_quantile(level, df)

    def mean(
        self,
        variable: str | Sequence[str],
        *,
        by: str | Sequence[str] | None = None,
        deff: Deff = "wor",
        level: float = 0.95,
        ci_dist: CiDist = "t",
    ) -> pd.DataFrame:
        """Weighted mean of numeric variables, overall or by domain (R ``svymean``/``svyby``).

        Rows with a missing value of the variable are left out of that estimate but stay in
        the design (R's ``na.rm=TRUE``): PSU counts, strata and degrees of freedom are the
        design's. With several variables, a row missing any of them is left out of all (as
        R). A text variable gives one row per category (proportions).

        Returns
        -------
        pandas.DataFrame
            The by columns, ``variable`` (several variables) or ``level`` (a text variable),
            then ``estimate, se, ci_low, ci_high, df, deff, n, population``. ``df`` is the
            design's degrees of freedom, used for the t-based interval (``ci_dist="normal"``
            for normal quantiles, as R's ``confint``). ``deff`` is against simple random
            sampling without replacement (``"wor"``, R's ``deff=TRUE``), with replacement
            (``"replace"``), or not computed (``None``). With several variables and no
            ``by``, ``result.attrs["vcov"]`` holds their covariance matrix.
        """
        return self._linear("mean", variable, by=by, deff=deff, level=level, ci_dist=ci_dist)

    def total(
        self,
        variable: str | Sequence[str],
        *,
        by: str | Sequence[str] | None = None,
        deff: Deff = "wor",
        level: float = 0.95,
        ci_dist: CiDist = "t",
    ) -> pd.DataFrame:
        """Weighted total, overall or by domain (R ``svytotal``/``svyby``); see :meth:`mean`."""
        return self._linear("total", variable, by=by, deff=deff, level=level, ci_dist=ci_dist)

    def _analysis_matrix(
        self, variables: list[str]
    ) -> tuple[list[FloatArray], list[str], str | None, BoolArray | None]:
        """Columns to estimate (numeric, or indicators of a text variable's levels)."""
        columns, labels, kind, missing = analysis_columns(self._table, self.n_rows, variables)
        return columns, labels, kind, (missing if missing.any() else None)

    def _estimate_rows(self, domains: _Domains, missing: BoolArray | None) -> _Rows:
        """Which rows are in the estimate, their domain and weights, per-domain sums."""
        codes = domains.codes
        if missing is not None:
            codes = np.where(missing, -1, codes)
        all_in = bool(codes.min() >= 0) if len(codes) else True
        used = np.ones(self.n_rows, dtype=bool) if all_in else codes >= 0
        index = codes if all_in else np.maximum(codes, 0)
        w = self.weights if all_in else np.where(used, self.weights, 0.0)
        pop = _sum_by(index, w, domains.count)
        n = _sum_by(index, None if all_in else used, domains.count)
        return _Rows(
            domain=codes,
            index=index,
            used=used,
            all_in=all_in,
            w=w,
            pop=pop,
            n=n.astype(np.int64),
            count=domains.count,
        )

    def _linear(
        self,
        statistic: Literal["mean", "total"],
        variable: str | Sequence[str],
        *,
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
        domains = self._domains(by_names)
        columns, labels, kind, missing = self._analysis_matrix(variables)
        rows = self._estimate_rows(domains, missing)
        df = np.full(rows.count, float(self.degf))
        q = self._quantile(df, level, ci_dist)
        frames = []
        for label, y in zip(labels, columns, strict=True):
            yw = rows.w * (y if rows.all_in else np.where(rows.used, y, 0.0))
            totals = _sum_by(rows.index, yw, rows.count)
            if statistic == "mean":
                with np.errstate(invalid="ignore", divide="ignore"):
                    estimate = totals / rows.pop
                    z = (yw - rows.w * _per_row(estimate, rows)) / _per_row(rows.pop, rows)
            else:
                estimate, z = totals, yw
            var = self._domain_variance(z, rows.domain, rows.count, rows.used)
            se = np.sqrt(var)
            frame = domains.labels.copy()
            if kind is not None:
                frame[kind] = label
            frame["estimate"] = estimate
            frame["se"] = se
            frame["ci_low"] = estimate - q * se
            frame["ci_high"] = estimate + q * se
            frame["df"] = df
            frame["deff"] = self._deff(statistic, deff, y, var, rows) if deff else np.nan
            frame["n"] = rows.n
            frame["population"] = rows.pop
            frames.append(frame)
        result = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        if by_names and kind is not None:
            result = result.sort_values([*by_names], kind="stable").reset_index(drop=True)
        if not by_names and len(labels) > 1:
            result.attrs["vcov"] = self._joint_covariance(statistic, columns, rows)
        return result

    def _joint_covariance(
        self, statistic: str, columns: list[FloatArray], rows: _Rows
    ) -> FloatArray:
        y = np.stack(columns, axis=1)
        y[~rows.used] = 0.0
        w = rows.w[:, None]
        if statistic == "mean":
            pop = float(rows.pop[0])
            z = w * (y - (w * y).sum(axis=0) / pop) / pop
        else:
            z = w * y
        z[~rows.used] = 0.0
        return self._covariance(z)

    def _deff(
        self, statistic: str, kind: Deff, y: FloatArray, var: FloatArray, rows: _Rows
    ) -> FloatArray:
        """Design effect as R: the variance over the SRS variance (``svyvar``-based)."""
        pop, nf = rows.pop, rows.n.astype(np.float64)
        yy = y if rows.all_in else np.where(rows.used, y, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):  # an empty domain: NaN
            mean = _sum_by(rows.index, rows.w * yy, rows.count) / pop
        centred = yy - _per_row(mean, rows)
        if not rows.all_in:
            centred = np.where(rows.used, centred, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            s2 = _sum_by(rows.index, rows.w * centred**2, rows.count)
            s2 = s2 / pop * nf / (nf - 1)
            if statistic == "mean":
                srs = s2 / nf if kind == "replace" else s2 * (pop - nf) / (pop * nf)
            elif kind == "replace":
                srs = s2 * pop**2 / nf
            else:
                srs = s2 * pop**2 * (pop - nf) / (pop * nf)
            result = var / srs
        if kind != "replace" and statistic == "mean":
            result = np.where(pop < nf, np.nan, result)
        return np.asarray(result, dtype=np.float64)

    def proportion(
        self,
        variable: str,
        *,
        by: str | Sequence[str] | None = None,
        ci: CiMethod = "beta",
        level: float = 0.95,
        deff: Deff = "wor",
    ) -> pd.DataFrame:
        """Proportions of each level of a variable, overall or by domain, with CIs.

        ``ci="beta"`` is the Korn-Graubard interval of R's ``svyciprop(method="beta")`` (the
        NCHS standard's interval), ``"logit"`` R's default logit interval, ``"wald"`` a
        t-based Wald interval. As in R's ``svyby(..., svyciprop)``, each domain's interval
        uses the domain's own degrees of freedom (its PSUs minus its strata) and, for
        ``"beta"``, its row count; rows with a missing value count for those (they are in the
        domain's design) but not in the estimate.

        Returns
        -------
        pandas.DataFrame
            The by columns, ``level``, then ``estimate, se, ci_low, ci_high, df, deff, n,
            population``, one row per level present in the data.
        """
        if ci not in ("beta", "logit", "wald"):
            raise EstimationError("ci must be 'beta', 'logit' or 'wald'")
        _check_level(level)
        by_names = _as_list(by)
        domains = self._domains(by_names)
        factor = factorize(get_column(self._table, variable), variable)
        if factor.n_levels == 0:
            raise EstimationError(f"variable {variable!r} has no non-missing values")
        rows = self._estimate_rows(domains, factor.missing if factor.missing.any() else None)
        # The domain's design (for the df and the Korn-Graubard n) includes rows whose
        # outcome is missing, as R's svyby subsets by domain before svymean drops them.
        in_domain = domains.codes >= 0
        design_rows = _sum_by(np.maximum(domains.codes, 0), in_domain, rows.count)
        if by_names:
            df = self._domain_degf(in_domain, domains.codes, rows.count).astype(np.float64)
        else:
            df = np.array([float(self.degf)])
        codes = factor.codes if rows.all_in else np.where(rows.used, factor.codes, -1)
        frames = []
        levels = factor.levels.tolist()
        binary: tuple[FloatArray, FloatArray] | None = None
        for k, level_value in enumerate(levels):
            y = (codes == k).astype(np.float64)
            if binary is not None:
                # The second of two levels: p is the complement, the scores are negated, so
                # the variance is the same (no second pass over the design).
                p, var = 1.0 - binary[0], binary[1]
            else:
                yw = rows.w * y
                with np.errstate(invalid="ignore", divide="ignore"):
                    p = _sum_by(rows.index, yw, rows.count) / rows.pop
                    z = (yw - rows.w * _per_row(p, rows)) / _per_row(rows.pop, rows)
                var = self._domain_variance(z, rows.domain, rows.count, rows.used)
                if len(levels) == 2:
                    binary = (p, var)
            se = np.sqrt(var)
            if ci == "beta":
                low, high = _ci.korn_graubard(p, var, design_rows, df, level)
            elif ci == "logit":
                low, high = _ci.logit(p, se, df, level)
            else:
                q = _ci.t_quantile(level, df)
                low, high = p - q * se, p + q * se
            frame = domains.labels.copy()
            frame["level"] = level_value
            frame["estimate"] = p
            frame["se"] = se
            frame["ci_low"] = low
            frame["ci_high"] = high
            frame["df"] = df
            frame["deff"] = self._deff("mean", deff, y, var, rows) if deff else np.nan
            frame["n"] = rows.n
            frame["population"] = rows.pop
            frames.append(frame)
        result = pd.concat(frames, ignore_index=True)
        if by_names:
            result = result.sort_values(by_names, kind="stable").reset_index(drop=True)
        return result

    # -- regression ----------------------------------------------------------------------------

    def logistic(
        self,
        formula: str,
        *,
        reference: dict[str, Any] | None = None,
        level: float = 0.95,
    ) -> Any:
        """Survey-weighted logistic regression (R ``svyglm(family=quasibinomial())``).

        See :func:`hopeful.stats.glm.fit` for the result.
        """
        from hopeful.stats.glm import fit

        return fit(self, formula, family="binomial", reference=reference, level=level)

    def linear(
        self,
        formula: str,
        *,
        reference: dict[str, Any] | None = None,
        level: float = 0.95,
    ) -> Any:
        """Survey-weighted linear regression (R ``svyglm`` with the gaussian family)."""
        from hopeful.stats.glm import fit

        return fit(self, formula, family="gaussian", reference=reference, level=level)

    # -- for the regression module -------------------------------------------------------------

    @property
    def table(self) -> Any:
        """The data the design was built on."""
        return self._table

    def with_columns(self, columns: Mapping[str, Any]) -> Design:
        """The same design (weights, strata, PSUs, finite population corrections: every row
        kept) on data with ``columns`` added or replaced, one value per row: for estimators
        that derive columns (recoded units, a model's outcome with left-out rows missing)."""
        data = {name: get_column(self._table, name) for name in column_names(self._table)}
        for name, values in columns.items():
            array = np.asarray(values)
            if array.shape != (self.n_rows,):
                raise DesignError(
                    f"column {name!r} has {array.shape[0] if array.ndim else 0} values; "
                    f"the design has {self.n_rows} rows"
                )
            data[name] = array
        clone = copy.copy(self)
        clone._table = pd.DataFrame(data, copy=False)
        return clone

    def covariance_of_totals(self, z: FloatArray, rows: BoolArray | None = None) -> FloatArray:
        """Design covariance of the totals of the columns of ``z`` (rows x k).

        ``rows`` (optional) marks the rows in the estimate; others must hold zeros.
        """
        return self._covariance(z)

    def covariance_from_unit_scores(self, unit_scores: FloatArray) -> FloatArray | None:
        """Covariance from first-stage PSU totals of scores (PSUs x k), or ``None`` when the
        design has later stages (then row-level scores are needed)."""
        if len(self._stages) > 1:
            return None
        return covariance_from_unit_totals(self._stages[0], unit_scores, self.lonely_psu)

    @property
    def psu_codes(self) -> IntArray:
        """Per row, the first-stage PSU code (0..n_psu-1)."""
        return self._stages[0].unit

    def degf_of(self, rows: BoolArray) -> int:
        """Degrees of freedom of the design restricted to ``rows`` (R's degf of a subset)."""
        if rows.all():
            return self.degf
        return int(self._domain_degf(rows, np.zeros(self.n_rows, dtype=np.int64), 1)[0])

    def __repr__(self) -> str:
        stages = len(self.psu_columns) or 1
        return (
            f"Design(n={self.n_rows}, strata={self.n_strata}, psu={self.n_psu}, "
            f"stages={stages}, degf={self.degf}, lonely_psu={self.lonely_psu!r})"
        )
