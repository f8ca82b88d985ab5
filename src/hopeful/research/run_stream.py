"""Run a spec with ``[data] stream = true``: a Parquet file read a batch at a time.

Only the columns the spec names are read. Each batch becomes a small
:class:`~hopeful.research.io.LabelledTable` (labels from the Parquet metadata, as
:func:`~hopeful.research.io.read_table` gives them), gets the declared missing codes and the
recodes of :func:`~hopeful.research.prepare.prepare` (all row-wise, so a batch at a time gives
the same rows), and is reduced to per-cell sums (:func:`hopeful.research.stream.grouped_sums`),
all estimates in one pass. :func:`~hopeful.research.stream.estimate_from_sums` turns the sums
into the tables :class:`hopeful.stats.Design` returns; :mod:`hopeful.research.run` formats them
as the in-memory path does. The spec parser has already refused what cannot be streamed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from hopeful.research.io import (
    PARQUET_LABEL_KEY,
    PARQUET_VALUE_LABELS_KEY,
    LabelledTable,
    file_sha256,
    parquet_value_labels,
    unknown_column,
)
from hopeful.research.prepare import prepare
from hopeful.research.spec import CI_METHODS, EstimateSpec, Spec
from hopeful.research.stream import Estimate, estimate_from_sums, grouped_sums
from hopeful.stats import DesignError, EstimationError

__all__ = ["Streamed", "stream_spec"]

_ONE = "_hopeful_weight_one"  # weights of 1 when [design] names none
_ROW = "_hopeful_row"  # each row its own PSU when [design] names none


@dataclass(frozen=True)
class Streamed:
    """What a streamed run gives :mod:`hopeful.research.run`: one Design-style table per
    estimate, a table with no rows but the prepared columns and labels (for
    :func:`~hopeful.research.io.label_of`), and the rows read."""

    results: list[tuple[EstimateSpec, pd.DataFrame]]
    table: LabelledTable
    rows: int


def _labels(
    path: Path, schema: pa.Schema
) -> tuple[dict[str, str], dict[str, dict[float | int | str, str]]]:
    variable_labels: dict[str, str] = {}
    value_labels: dict[str, dict[float | int | str, str]] = {}
    for field in schema:
        metadata = field.metadata or {}
        variable_labels[field.name] = metadata.get(PARQUET_LABEL_KEY, b"").decode("utf-8")
        if PARQUET_VALUE_LABELS_KEY in metadata:
            numeric = pa.types.is_integer(field.type) or pa.types.is_floating(field.type)
            value_labels[field.name] = parquet_value_labels(
                path, field.name, metadata[PARQUET_VALUE_LABELS_KEY], numeric=numeric
            )
    return variable_labels, value_labels


def stream_spec(spec: Spec, *, batch_rows: int = 262_144) -> Streamed:
    """Every ``[[estimate]]`` of ``spec`` from its Parquet file in one pass (see the module)."""
    path = spec.data.path
    d = spec.design
    if not path.is_file():
        raise spec.error(spec.data.line, f"{path}: no such file")
    try:
        handle = pq.ParquetFile(path, pre_buffer=False)
    except Exception as exc:  # pyarrow's own errors: say which file
        raise spec.error(
            spec.data.line, f"{path}: cannot read this as a Parquet file ({exc})"
        ) from exc
    recoded = {r.name for r in spec.recodes}
    present = handle.schema_arrow.names
    wanted: list[str] = []
    for name, line in spec.references:
        if name in recoded or name in wanted:
            continue
        if name not in present:
            raise spec.error(line, unknown_column(name, present))
        wanted.append(name)
    variable_labels, value_labels = _labels(path, handle.schema_arrow)
    columns = {c: variable_labels[c] for c in wanted}
    labels = {c: value_labels[c] for c in wanted if c in value_labels}
    sha256 = file_sha256(path)
    last: list[LabelledTable] = []
    rows = [0]

    def table_of(frame: pd.DataFrame) -> LabelledTable:
        return LabelledTable(frame, dict(columns), dict(labels), path, sha256, "parquet")

    weights = d.weights or _ONE
    psu = d.psu[0] if d.psu else _ROW
    fpc = d.fpc[0] if d.fpc else None
    keys = [k for k in (weights, d.strata, psu, fpc) if k is not None]
    keys += [c for e in spec.estimates for c in (*e.by, e.variable)]
    keys = list(dict.fromkeys(keys))

    def batches() -> Iterator[pa.RecordBatch]:
        source = handle.iter_batches(batch_size=batch_rows, columns=wanted)
        first = True
        for batch in source:
            yield prepared(batch.to_pandas())
            first = False
        if first:  # an empty file: still check the names against the (empty) columns
            prepared(handle.schema_arrow.empty_table().to_pandas())

    def prepared(frame: pd.DataFrame) -> pa.RecordBatch:
        table = prepare(spec, table_of(frame))
        out = table.frame
        if _ONE in keys:
            out = out.assign(**{_ONE: 1.0})
        if _ROW in keys:
            out = out.assign(**{_ROW: range(rows[0], rows[0] + len(out))})
        rows[0] += len(out)
        last[:] = [table]
        return pa.RecordBatch.from_pandas(out[keys], preserve_index=False)

    ests = [
        Estimate(e.kind, e.variable, e.by, CI_METHODS[e.ci], e.level)  # type: ignore[arg-type]  # the parser refused other kinds
        for e in spec.estimates
    ]
    try:
        cells = grouped_sums(
            batches(), weights=weights, strata=d.strata, psu=psu, estimates=ests, fpc=fpc
        )
    except DesignError as exc:
        raise spec.error(spec.lines.key("design", "weights"), str(exc)) from None
    except EstimationError as exc:
        raise spec.error(spec.data.line, str(exc)) from None
    finally:
        handle.close()
    design: dict[str, Any] = {
        "strata": d.strata,
        "psu": psu,
        "nest": d.nest,
        "fpc": fpc,
        "lonely_psu": d.lonely_psu,
    }
    results = []
    for est, e in zip(spec.estimates, ests, strict=True):
        try:
            results.append((est, estimate_from_sums(cells.pop(0), e, **design)))
        except (EstimationError, DesignError) as exc:
            raise spec.error(est.line, f"{est.id}: {exc}") from None
    return Streamed(results, replace(last[0], frame=last[0].frame.iloc[:0]), rows[0])
