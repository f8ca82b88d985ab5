"""Domain estimates from Parquet files larger than memory, by streaming row groups.

A mean, total or proportion by domain (linearization variance) depends on the data only through
per-cell sums: for each (stratum, PSU, domain, outcome level or "outcome missing") cell, the sums
of ``w``, ``w*y``, ``w*y**2`` and the row count (a domain's PSU total of the influence scores is
``(sum(w*y) - ybar_d * sum(w)) / N_d``). The file is read a batch at a time (needed columns
only), each batch is reduced to cell sums, and an ordinary :class:`hopeful.stats.Design` is built
on the table of cells (one row per cell: its summed weight and mean outcome). Its estimates, SEs,
intervals and df equal the same Design's on the full data, to rounding. ``n``, the
Korn-Graubard interval (it uses the domain's row count, missing outcomes included) and ``deff``
need true row counts and are recomputed here.

Memory is one batch plus the cells, not the rows. With one respondent per PSU (BRFSS's public
files) a domain estimate has about one cell per row; see docs/research.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from hopeful.stats import Design, DesignError, EstimationError, korn_graubard

__all__ = ["Estimate", "estimate_from_sums", "grouped_sums", "stream_estimates"]

Kind = Literal["mean", "total", "proportion"]
CiMethod = Literal["beta", "logit", "wald"]
_SUMS = ["_w", "_wy", "_wyy", "_rows"]
_MISSING = "_missing"


@dataclass(frozen=True)
class Estimate:
    """One estimate to make: ``kind`` of ``variable`` by the ``by`` columns.

    ``ci`` is the proportion's interval (``"beta"``: Korn-Graubard, ``"logit"``, ``"wald"``);
    means and totals have t intervals.
    """

    kind: Kind
    variable: str
    by: tuple[str, ...] = ()
    ci: CiMethod = "beta"
    level: float = 0.95

    @classmethod
    def of(cls, value: Estimate | Sequence[Any]) -> Estimate:
        """An :class:`Estimate` from itself or a tuple ``(kind, variable[, by[, ci]])``."""
        if isinstance(value, Estimate):
            return value
        kind, variable, *rest = value
        by = rest[0] if rest else ()
        by = (by,) if isinstance(by, str) else tuple(by or ())
        if kind not in ("mean", "total", "proportion"):
            raise EstimationError(f"estimate kind must be mean, total or proportion, not {kind!r}")
        if len(rest) > 1 and rest[1] not in ("beta", "logit", "wald"):
            raise EstimationError(f"ci must be 'beta', 'logit' or 'wald', not {rest[1]!r}")
        return cls(kind, variable, by, *rest[1:])

    def keys(self, design_keys: list[str]) -> list[str]:
        """The cell key columns: design columns, by columns, then the outcome key."""
        outcome = self.variable if self.kind == "proportion" else _MISSING
        return [*design_keys, *[b for b in self.by if b not in design_keys], outcome]


def _checked_weights(batch: pa.RecordBatch, weights: str) -> pa.Array:
    w = pc.cast(batch.column(weights), pa.float64())
    if w.null_count or pc.any(pc.is_nan(w)).as_py():
        raise DesignError(f"weights column {weights!r} has missing values")
    low, high = pc.min_max(w).values()
    if low.as_py() is not None and low.as_py() < 0:
        raise DesignError(f"weights column {weights!r} has negative values")
    if high.as_py() is not None and not np.isfinite(high.as_py()):
        raise DesignError(f"weights column {weights!r} has infinite values")
    return w


def _nan_to_null(values: pa.Array) -> pa.Array:
    if pa.types.is_floating(values.type):
        return pc.if_else(pc.is_nan(values), pa.scalar(None, values.type), values)
    return values


def _batch_columns(
    batch: pa.RecordBatch, w: pa.Array, est: Estimate, keys: list[str]
) -> dict[str, pa.Array]:
    """One batch's key columns (NaN as null) and its ``w``, ``w*y``, ``w*y**2`` per row."""
    columns = {k: _nan_to_null(batch.column(k)) for k in keys[:-1]}
    if est.kind == "proportion":
        columns[est.variable] = _nan_to_null(batch.column(est.variable))
        wy = w
    else:
        raw = batch.column(est.variable)
        if not (pa.types.is_integer(raw.type) or pa.types.is_floating(raw.type)):
            raise EstimationError(
                f"{est.kind} of {est.variable!r} needs numbers; for categories use a proportion"
            )
        y = pc.cast(raw, pa.float64())
        missing = pc.is_null(y, nan_is_null=True)
        y = pc.if_else(missing, 0.0, y)
        columns[_MISSING] = missing
        wy = pc.multiply(w, y)
        columns["_wyy"] = pc.multiply(wy, y)
    columns["_w"], columns["_wy"] = w, wy
    if "_wyy" not in columns:
        columns["_wyy"] = wy  # an indicator's square is itself
    return columns


def _combine(table: pa.Table, keys: list[str], rows: str) -> pa.Table:
    """Sum ``_w``, ``_wy``, ``_wyy`` by the keys; ``rows`` counted (``_w``) or summed."""
    aggregations: list[Any] = [(c, "sum") for c in _SUMS[:3]]
    if rows == "_w":
        aggregations.append(("_w", "count", pc.CountOptions(mode="all")))
        names = {"_w_count": "_rows"}
    else:
        aggregations.append(("_rows", "sum"))
        names = {"_rows_sum": "_rows"}
    out = table.group_by(keys, use_threads=False).aggregate(aggregations)
    names |= {f"{c}_sum": c for c in _SUMS[:3]}
    out = out.rename_columns([names.get(c, c) for c in out.column_names])
    return out.select([*keys, *_SUMS])


class _Sums:
    """Running cell sums for one estimate; partial tables are merged as they grow."""

    def __init__(self, est: Estimate, keys: list[str], merge_rows: int) -> None:
        self.est, self.keys, self.merge_rows = est, keys, merge_rows
        self.parts: list[pa.Table] = []
        self.held = 0

    def add(self, columns: dict[str, pa.Array]) -> None:
        part = _combine(pa.table(columns), self.keys, rows="_w")
        self.parts.append(part)
        self.held += part.num_rows
        if self.held > self.merge_rows and len(self.parts) > 1:
            self.parts = [self.result()]
            self.held = self.parts[0].num_rows
            self.merge_rows = max(self.merge_rows, 2 * self.held)

    def result(self) -> pa.Table:
        if len(self.parts) == 1:
            return self.parts[0]
        table = pa.concat_tables(self.parts)
        return _combine(table, self.keys, rows="_rows")


class _NotPackedError(Exception):
    """A key value outside the Parquet statistics' range, or not an integer."""


class _PackedSums:
    """Running cell sums with all keys integer-coded into one int64 (numpy, little memory).

    Used when every key column is integer, boolean or integral float with known ranges
    (Parquet statistics): code 0 is a null, ``v - low + 1`` a value.
    """

    def __init__(
        self,
        est: Estimate,
        keys: list[str],
        ranges: dict[str, tuple[int, int, pa.DataType]],
        merge_rows: int,
    ) -> None:
        self.est, self.keys, self.ranges, self.merge_rows = est, keys, ranges, merge_rows
        self.width = [ranges[k][1] - ranges[k][0] + 2 for k in keys]
        self.codes: list[np.ndarray] = []
        self.sums: list[list[np.ndarray]] = []  # per part: w, w*y, w*y**2, rows
        self.held = self.pending = 0

    def add(self, columns: dict[str, pa.Array]) -> None:
        code = np.zeros(len(columns["_w"]), dtype=np.int64)
        for name, width in zip(self.keys, self.width, strict=True):
            low, high, _ = self.ranges[name]
            arr = columns[name]
            valid = np.asarray(arr.is_valid().to_numpy(zero_copy_only=False))
            raw = pc.fill_null(arr, pa.scalar(low).cast(arr.type)).to_numpy(zero_copy_only=False)
            values = raw.astype(np.int64)
            if (raw.dtype.kind == "f" and (values != raw).any()) or (
                len(values) and (values.min() < low or values.max() > high)
            ):
                raise _NotPackedError(name)
            code = code * width + np.where(valid, values - low + 1, 0)
        sums = [np.asarray(columns[c].to_numpy(zero_copy_only=False)) for c in _SUMS[:3]]
        sums.append(np.ones(len(code)))
        self.codes.append(code)
        self.sums.append(sums)
        self.pending += len(code)
        if self.pending > max(self.merge_rows, self.held // 4):
            self._merge()

    def _merge(self) -> None:
        # One array at a time, each part list released as soon as it is joined: the peak is
        # the parts plus one joined column, not twice everything.
        codes = np.concatenate(self.codes)
        self.codes = []
        unique, inverse = np.unique(codes, return_inverse=True)
        del codes
        sums = []
        for i in range(4):
            column = np.concatenate([part[i] for part in self.sums])
            sums.append(np.bincount(inverse, weights=column, minlength=len(unique)))
            del column
        self.codes, self.sums = [unique], [sums]
        self.held, self.pending = len(unique), 0

    def result(self) -> pa.Table:
        self._merge()
        code, sums = self.codes[0], self.sums[0]
        self.codes, self.sums = [], []
        columns: dict[str, pa.Array] = {}
        for name, width in reversed(list(zip(self.keys, self.width, strict=True))):
            low, _, dtype = self.ranges[name]
            part = code % width
            code = code // width
            columns[name] = pa.array(part - 1 + low, mask=part == 0).cast(dtype)
        table = {k: columns[k] for k in self.keys} | {
            c: pa.array(sums[i]) for i, c in enumerate(_SUMS[:3])
        }
        table["_rows"] = pa.array(sums[3].astype(np.int64))
        return pa.table(table)


def _design_keys(strata: str | None, psu: str, fpc: str | None) -> list[str]:
    return [k for k in (strata, psu, fpc) if k is not None]


def grouped_sums(
    batches: Iterable[pa.RecordBatch],
    *,
    weights: str,
    strata: str | None,
    psu: str,
    estimates: Sequence[Estimate | Sequence[Any]],
    fpc: str | None = None,
    merge_rows: int = 1_000_000,
    ranges: dict[str, tuple[int, int, pa.DataType]] | None = None,
) -> list[pa.Table]:
    """Per estimate, the cell sums (``_w``, ``_wy``, ``_wyy``, ``_rows``) of a stream of batches.

    Any source of Arrow record batches will do (a Parquet file, a dataset, Spark's Arrow
    output). The key columns are ``strata``, ``psu``, ``fpc``, the by columns and either the
    proportion's variable (null where missing) or ``_missing`` (True where the outcome is
    missing; ``_wy`` then 0), so rows with a missing outcome stay in the design.

    ``ranges`` (column -> lowest value, highest value, Arrow type) lets estimates whose keys
    are all integers in known ranges pack their keys into one integer and sum with numpy,
    which takes far less memory than Arrow's hash grouping on several keys.
    """
    ests = [Estimate.of(e) for e in estimates]
    base = _design_keys(strata, psu, fpc)
    known = (ranges or {}) | {_MISSING: (0, 1, pa.bool_())}
    sums: list[_Sums | _PackedSums] = []
    for e in ests:
        keys = e.keys(base)
        packable = ranges is not None and all(k in known for k in keys)
        if packable and np.prod([float(known[k][1] - known[k][0] + 2) for k in keys]) < 2.0**62:
            sums.append(_PackedSums(e, keys, {k: known[k] for k in keys}, merge_rows))
        else:
            sums.append(_Sums(e, keys, merge_rows))
    for batch in batches:
        w = _checked_weights(batch, weights)
        for s in sums:
            s.add(_batch_columns(batch, w, s.est, s.keys))
    return [s.result() for s in sums]


def _key_ranges(handle: pq.ParquetFile) -> dict[str, tuple[int, int, pa.DataType]]:
    """Integer ranges of the integer-valued columns, from the row groups' statistics."""
    schema = handle.schema_arrow
    meta = handle.metadata
    ranges: dict[str, tuple[int, int, pa.DataType]] = {}
    for j in range(meta.num_columns):
        name = meta.schema.column(j).path
        if name not in schema.names:
            continue
        dtype = schema.field(name).type
        if not (pa.types.is_integer(dtype) or pa.types.is_floating(dtype)):
            if pa.types.is_boolean(dtype):
                ranges[name] = (0, 1, dtype)
            continue
        low, high, ok = np.inf, -np.inf, True
        for r in range(meta.num_row_groups):
            stats = meta.row_group(r).column(j).statistics
            if stats is None or not stats.has_min_max:
                ok = ok and stats is not None and stats.null_count == stats.num_values
                continue
            low, high = min(low, float(stats.min)), max(high, float(stats.max))
        if ok and np.isfinite(low) and np.isfinite(high) and low == int(low) and high == int(high):
            ranges[name] = (int(low), int(high), dtype)
    return ranges


def _domain_counts(cells: pa.Table, by: list[str], used: pa.Array) -> dict[tuple[Any, ...], Any]:
    """Per domain (a tuple of by-values): rows in the estimate, all rows, and the used sums."""
    table = cells.select([*by, *_SUMS]).append_column("_used", used)
    grouped = table.group_by([*by, "_used"], use_threads=False).aggregate(
        [(c, "sum") for c in _SUMS]
    )
    counts: dict[tuple[Any, ...], Any] = {}
    for row in grouped.to_pylist():
        key = tuple(row[b] for b in by)
        if any(v is None for v in key):
            continue
        entry = counts.setdefault(key, np.zeros(5))
        entry[1] += row["_rows_sum"]
        if row["_used"]:
            entry += [row["_rows_sum"], 0, row["_w_sum"], row["_wy_sum"], row["_wyy_sum"]]
    return counts


def _deff(kind: str, var: np.ndarray, mean: np.ndarray, sums: np.ndarray) -> np.ndarray:
    """Design effect against SRS without replacement, as Design's ``deff="wor"``."""
    n, pop, wy, wyy = sums[:, 0], sums[:, 2], sums[:, 3], sums[:, 4]
    with np.errstate(invalid="ignore", divide="ignore"):
        s2 = (wyy - 2 * mean * wy + mean**2 * pop) / pop * n / (n - 1)
        srs = s2 * (pop - n) / (pop * n)
        if kind == "total":
            srs = srs * pop**2
        result = var / srs
    return np.where((pop < n) & (kind == "mean"), np.nan, result)


def estimate_from_sums(
    cells: pa.Table,
    estimate: Estimate | Sequence[Any],
    *,
    strata: str | None,
    psu: str,
    nest: bool = False,
    fpc: str | None = None,
    lonely_psu: Any = "adjust",
    adjust_domain_lonely: bool = False,
) -> pd.DataFrame:
    """The estimate from its cell sums (see :func:`grouped_sums`), as Design's methods return.

    The cells become the rows of a :class:`hopeful.stats.Design` weighted by their summed
    weights; ``n``, the Korn-Graubard interval and ``deff`` are recomputed from row counts.
    """
    est = Estimate.of(estimate)
    by = list(est.by)
    if est.kind == "proportion":
        outcome_missing = cells.column(est.variable).is_null()
        table = cells
    else:
        outcome_missing = cells.column(_MISSING)
        w, wy = cells.column("_w"), cells.column("_wy")
        value = pc.if_else(
            outcome_missing, None, pc.if_else(pc.equal(w, 0.0), 0.0, pc.divide(wy, w))
        )
        table = cells.append_column("_value", value)
    design = Design(
        table,
        weights="_w",
        strata=strata,
        psu=psu,
        nest=nest,
        fpc=fpc,
        lonely_psu=lonely_psu,
        adjust_domain_lonely=adjust_domain_lonely,
    )
    kw: dict[str, Any] = {"by": by or None, "level": est.level, "deff": None}
    if est.kind == "proportion":
        result = design.proportion(est.variable, ci=est.ci, **kw)
    else:
        result = getattr(design, est.kind)("_value", **kw)
    counts = _domain_counts(cells, by, pc.invert(outcome_missing))
    blank = np.zeros(5)
    labels = zip(*(result[b].tolist() for b in by), strict=True) if by else [()] * len(result)
    sums = np.array([counts.get(tuple(k), blank) for k in labels]).reshape(len(result), 5)
    var = result["se"].to_numpy() ** 2
    estimate_ = result["estimate"].to_numpy()
    mean = estimate_ if est.kind != "total" else estimate_ / sums[:, 2]
    if est.kind == "proportion":
        sums[:, 3] = sums[:, 4] = estimate_ * sums[:, 2]
        if est.ci == "beta":
            df = result["df"].to_numpy()
            low, high = korn_graubard(estimate_, var, sums[:, 1], df, est.level)
            result["ci_low"], result["ci_high"] = low, high
    with np.errstate(invalid="ignore", divide="ignore"):
        result["deff"] = _deff("total" if est.kind == "total" else "mean", var, mean, sums)
    result["n"] = sums[:, 0].astype(np.int64)
    result.attrs["cells"] = cells.num_rows
    return result


def _batches(path: Path, columns: list[str], batch_rows: int) -> Iterator[pa.RecordBatch]:
    # pre_buffer=False: with pre-buffering, Arrow keeps what it read (memory grows with rows).
    with pq.ParquetFile(path, pre_buffer=False) as handle:
        missing = [c for c in columns if c not in handle.schema_arrow.names]
        if missing:
            raise DesignError(f"no column {missing[0]!r} in {path.name}")
        yield from handle.iter_batches(batch_size=batch_rows, columns=columns)


def stream_estimates(
    path: str | Path,
    *,
    weights: str,
    strata: str | None,
    psu: str,
    estimates: Sequence[Estimate | Sequence[Any]],
    nest: bool = False,
    fpc: str | None = None,
    lonely_psu: Any = "adjust",
    adjust_domain_lonely: bool = False,
    batch_rows: int = 262_144,
) -> list[pd.DataFrame]:
    """Estimates from a Parquet file read ``batch_rows`` rows at a time, in one pass.

    ``estimates`` are :class:`Estimate` or tuples ``(kind, variable, by, ci)``, e.g.
    ``("proportion", "dep", ["region", "sex"], "beta")``. The design arguments are
    :class:`hopeful.stats.Design`'s (one stage of PSUs: ``psu`` is one column; an fpc must be
    constant within strata, as Design requires). Returns one table per estimate with the
    columns of the matching Design method.
    """
    ests = [Estimate.of(e) for e in estimates]
    if not ests:
        raise EstimationError("name at least one estimate")
    if not isinstance(psu, str):
        raise DesignError("streamed estimates take one PSU column (a single-stage design)")
    base = _design_keys(strata, psu, fpc)
    needed = list(dict.fromkeys([weights, *base, *(c for e in ests for c in (*e.by, e.variable))]))
    with pq.ParquetFile(path) as handle:
        ranges: dict[str, tuple[int, int, pa.DataType]] | None = _key_ranges(handle)

    def sums(ranges: dict[str, tuple[int, int, pa.DataType]] | None) -> list[pa.Table]:
        source = _batches(Path(path), needed, batch_rows)
        return grouped_sums(
            source, weights=weights, strata=strata, psu=psu, estimates=ests, fpc=fpc, ranges=ranges
        )

    try:
        tables = sums(ranges)
    except _NotPackedError:  # values the statistics do not cover: Arrow's grouping instead
        tables = sums(None)
    design = {
        "strata": strata,
        "psu": psu,
        "nest": nest,
        "fpc": fpc,
        "lonely_psu": lonely_psu,
        "adjust_domain_lonely": adjust_domain_lonely,
    }
    # pop(0): each table of cells is released as soon as it is estimated.
    return [estimate_from_sums(tables.pop(0), est, **design) for est in ests]
