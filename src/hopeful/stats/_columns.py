"""Reading columns out of the tables users pass, and coding categories, without copies where
possible. Accepted tables: pandas or polars DataFrames, pyarrow Tables, and mappings of column
name to array-like."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from hopeful.stats.errors import DesignError

__all__ = [
    "Factor",
    "analysis_columns",
    "column_names",
    "domain_codes",
    "factorize",
    "get_column",
    "numeric_column",
    "weighted_counts",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def column_names(table: Any) -> list[str]:
    """The column names of a supported table."""
    if isinstance(table, pd.DataFrame):
        return [str(c) for c in table.columns]
    if hasattr(table, "column_names"):  # pyarrow.Table
        return list(table.column_names)
    if hasattr(table, "columns") and hasattr(table, "get_column"):  # polars.DataFrame
        return list(table.columns)
    if isinstance(table, Mapping):
        return [str(k) for k in table]
    raise DesignError(
        f"unsupported table type {type(table).__name__}: pass a pandas or polars DataFrame, "
        "a pyarrow Table or a dict of arrays"
    )


def get_column(table: Any, name: str) -> npt.NDArray[Any]:
    """One column as a 1-D numpy array (nulls as NaN for numbers, None for objects)."""
    if name not in column_names(table):
        raise DesignError(f"no column {name!r} in the data")
    if isinstance(table, pd.DataFrame):
        series = table[name]
        if (
            isinstance(series.dtype, pd.api.extensions.ExtensionDtype)
            and series.dtype.kind in "iufb"
        ):
            return series.to_numpy(dtype=np.float64, na_value=np.nan)
        return series.to_numpy()
    if hasattr(table, "column_names"):  # pyarrow
        column = table.column(name)
        if column.null_count and _is_arrow_number(column):
            return np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.float64)
        return np.asarray(column.to_numpy(zero_copy_only=False))
    if hasattr(table, "get_column"):  # polars
        series = table.get_column(name)
        if series.null_count() and series.dtype.is_numeric():
            return np.asarray(series.cast(float).to_numpy())
        return np.asarray(series.to_numpy())
    values = table[name]
    if hasattr(values, "to_numpy"):
        return np.asarray(values.to_numpy())
    return np.asarray(values)


def _is_arrow_number(column: Any) -> bool:
    import pyarrow as pa  # pyarrow is only needed for Arrow input

    return bool(pa.types.is_integer(column.type) or pa.types.is_floating(column.type))


def numeric_column(table: Any, name: str) -> FloatArray:
    """A column as float64 with NaN for missing values; a clear error for text."""
    values = get_column(table, name)
    if values.dtype.kind == "b":
        return values.astype(np.float64)
    if values.dtype.kind in "iuf":
        return values.astype(np.float64, copy=False)
    try:
        return pd.to_numeric(pd.Series(values), errors="raise").to_numpy(dtype=np.float64)
    except (ValueError, TypeError):
        raise DesignError(f"column {name!r} must be numeric") from None


class Factor:
    """A categorical variable coded 0..k-1 (-1 for missing), with its sorted levels."""

    __slots__ = ("any_missing", "codes", "levels", "name")

    def __init__(
        self,
        name: str,
        codes: IntArray,
        levels: npt.NDArray[Any],
        *,
        any_missing: bool | None = None,
    ) -> None:
        self.name = name
        self.codes = codes
        self.levels = levels
        self.any_missing = bool((codes < 0).any()) if any_missing is None else any_missing

    @property
    def n_levels(self) -> int:
        """Number of levels."""
        return len(self.levels)

    @property
    def missing(self) -> npt.NDArray[np.bool_]:
        """Rows where the variable is missing."""
        if not self.any_missing:
            return np.zeros(len(self.codes), dtype=bool)
        return self.codes < 0


def _small_range_codes(ints: IntArray, name: str) -> Factor | None:
    """Codes for integers spanning a small range: a bincount, no sort and no hashing."""
    lo, hi = int(ints.min()), int(ints.max())
    if hi - lo > 4 * len(ints) + 1024:
        return None
    shifted = ints - lo if lo else ints
    present = np.bincount(shifted, minlength=hi - lo + 1) > 0
    levels = np.flatnonzero(present) + lo
    if present.all():  # every value in the range occurs: the shifted values are the codes
        return Factor(name, shifted, levels, any_missing=False)
    lookup = np.cumsum(present) - 1
    return Factor(name, lookup[shifted], levels, any_missing=False)


def factorize(values: npt.NDArray[Any], name: str) -> Factor:
    """Code a column as a :class:`Factor` with levels in sorted order (as R's factor()).

    Integer columns with a small range take a fast path (no sort, no hashing). The codes may
    share memory with ``values``; treat them as read-only.
    """
    if values.dtype.kind in "iub":
        ints = values.astype(np.int64, copy=False)
        if len(ints) == 0:
            return Factor(name, ints.copy(), np.array([], dtype=np.int64), any_missing=False)
        fast = _small_range_codes(ints, name)
        if fast is not None:
            return fast
    if values.dtype.kind == "f":
        missing = np.isnan(values)
        any_missing = bool(missing.any())
        finite = values[~missing] if any_missing else values
        if len(finite) and (finite == np.floor(finite)).all():
            sub = _small_range_codes(finite.astype(np.int64), name)
            if sub is not None:
                levels = sub.levels.astype(values.dtype)
                if not any_missing:
                    return Factor(name, sub.codes, levels, any_missing=False)
                codes = np.full(len(values), -1, dtype=np.int64)
                codes[~missing] = sub.codes
                return Factor(name, codes, levels, any_missing=True)
    codes, uniques = pd.factorize(pd.Series(values), sort=True, use_na_sentinel=True)
    return Factor(name, codes.astype(np.int64), np.asarray(uniques))


def weighted_counts(
    codes: IntArray, weights: npt.NDArray[Any] | None = None, minlength: int = 0
) -> FloatArray:
    """``np.bincount`` as float64 (sums of ``weights`` per code, or counts)."""
    return np.asarray(np.bincount(codes, weights=weights, minlength=minlength), dtype=np.float64)


def domain_codes(table: Any, n_rows: int, by: list[str]) -> tuple[IntArray, int, pd.DataFrame]:
    """Rows coded by domain (``-1``: a missing by-value), the number of domains and each
    domain's by-values, domains in sorted order (as R's ``svyby``)."""
    if not by:
        return np.zeros(n_rows, dtype=np.int64), 1, pd.DataFrame(index=[0])
    factors = [factorize(get_column(table, name), name) for name in by]
    if len(factors) == 1:
        f = factors[0]
        return f.codes, f.n_levels, pd.DataFrame({f.name: f.levels})
    key = np.zeros(n_rows, dtype=np.int64)
    missing = np.zeros(n_rows, dtype=bool)
    for f in factors:
        key = key * max(f.n_levels, 1) + np.maximum(f.codes, 0)
        missing |= f.missing
    combined = factorize(np.where(missing, -1, key), "domain")
    # factorize() sorts the keys; -1 (a missing by-value) is the first level if present.
    keys = combined.levels.astype(np.int64)
    codes = combined.codes
    if len(keys) and keys[0] < 0:
        codes = codes - 1
        keys = keys[1:]
    labels: dict[str, Any] = {}
    rest = keys.copy()
    for f in reversed(factors):
        n_levels = max(f.n_levels, 1)
        labels[f.name] = f.levels[rest % n_levels]
        rest = rest // n_levels
    return codes, len(keys), pd.DataFrame({name: labels[name] for name in by})


def analysis_columns(
    table: Any, n_rows: int, variables: list[str]
) -> tuple[list[FloatArray], list[str], str | None, BoolArray]:
    """The columns to estimate (numeric ones, or indicators of a text variable's levels named
    as R's model matrix names them), their labels, the label column's name (``None`` for one
    numeric variable) and the rows missing any of the variables."""
    columns: list[FloatArray] = []
    labels: list[str] = []
    kind: str | None = "variable" if len(variables) > 1 else None
    missing = np.zeros(n_rows, dtype=bool)
    for name in variables:
        raw = get_column(table, name)
        if raw.dtype.kind in "iufb":
            y = raw.astype(np.float64, copy=False)
            columns.append(y)
            labels.append(name)
            missing |= np.isnan(y)
        else:
            f = factorize(raw, name)
            kind = "level" if len(variables) == 1 else "variable"
            for k, level in enumerate(f.levels.tolist()):
                columns.append((f.codes == k).astype(np.float64))
                labels.append(str(level) if len(variables) == 1 else f"{name}{level}")
            missing |= f.missing
    return columns, labels, kind, missing
