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
    "column_names",
    "factorize",
    "get_column",
    "numeric_column",
    "weighted_counts",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


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
        if column.null_count and column.type.id in _ARROW_NUMERIC_IDS(column):
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


def _ARROW_NUMERIC_IDS(column: Any) -> set[int]:  # noqa: N802 - reads like a constant
    import pyarrow as pa

    t = column.type
    return {t.id} if pa.types.is_integer(t) or pa.types.is_floating(t) else set()


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

    __slots__ = ("codes", "levels", "name")

    def __init__(self, name: str, codes: IntArray, levels: npt.NDArray[Any]) -> None:
        self.name = name
        self.codes = codes
        self.levels = levels

    @property
    def n_levels(self) -> int:
        """Number of levels."""
        return len(self.levels)

    @property
    def missing(self) -> npt.NDArray[np.bool_]:
        """Rows where the variable is missing."""
        return self.codes < 0


def factorize(values: npt.NDArray[Any], name: str) -> Factor:
    """Code a column as a :class:`Factor` with levels in sorted order (as R's factor()).

    Integer columns with a small range take a fast path (no sort, no hashing).
    """
    if values.dtype.kind in "iub":
        ints = values.astype(np.int64, copy=False)
        if len(ints) == 0:
            return Factor(name, ints.copy(), np.array([], dtype=np.int64))
        lo, hi = int(ints.min()), int(ints.max())
        if hi - lo <= 4 * len(ints) + 1024:
            present = np.bincount(ints - lo, minlength=hi - lo + 1) > 0
            levels = np.flatnonzero(present) + lo
            lookup = np.cumsum(present) - 1
            return Factor(name, lookup[ints - lo].astype(np.int64), levels)
    if values.dtype.kind == "f":
        missing = np.isnan(values)
        if (values[~missing] == np.floor(values[~missing])).all() and not missing.all():
            finite = values[~missing]
            if finite.max() - finite.min() <= 4 * len(values) + 1024:
                sub = factorize(finite.astype(np.int64), name)
                codes = np.full(len(values), -1, dtype=np.int64)
                codes[~missing] = sub.codes
                return Factor(name, codes, sub.levels)
    codes, uniques = pd.factorize(pd.Series(values), sort=True, use_na_sentinel=True)
    return Factor(name, codes.astype(np.int64), np.asarray(uniques))


def weighted_counts(
    codes: IntArray, weights: npt.NDArray[Any] | None = None, minlength: int = 0
) -> FloatArray:
    """``np.bincount`` as float64 (sums of ``weights`` per code, or counts)."""
    return np.asarray(np.bincount(codes, weights=weights, minlength=minlength), dtype=np.float64)
