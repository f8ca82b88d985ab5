"""Reading a spec's data and preparing it: declared missing codes, then the recodes in the
order written, then every column the spec names checked against the result.

Every problem is a :class:`~hopeful.research.spec_base.SpecError` naming the spec line it
comes from (the column's mention, the recode, ``[data] columns``).
"""

from __future__ import annotations

import dataclasses
import difflib
from typing import Any

import numpy as np
import pandas as pd

from hopeful.research.io import LabelledTable, ReadError, apply_missing, read_table
from hopeful.research.spec import Recode, Spec

__all__ = ["load_data", "prepare"]


def load_data(spec: Spec) -> LabelledTable:
    """Read ``[data] path`` (only the columns needed when ``columns`` is given, unless
    ``[design.replicates]`` finds its columns by a pattern)."""
    wanted: list[str] | None = None
    replicates = spec.design.replicates
    # A pattern of replicate weight columns can match any column: then read them all.
    if spec.data.columns is not None and not (replicates and replicates.pattern):
        recoded = {r.name for r in spec.recodes}
        used = [name for name, _ in spec.references if name not in recoded]
        wanted = list(dict.fromkeys([*spec.data.columns, *used]))
    try:
        return read_table(spec.data.path, columns=wanted, labels=spec.data.labels)
    except ReadError as exc:
        line, problem = spec.data.line, str(exc)
        for name, ref_line in spec.references:
            if f"no column {name!r}" in problem:
                line = ref_line
                close = difflib.get_close_matches(name, [r.name for r in spec.recodes], n=2)
                if close:
                    problem += f"; did you mean {', '.join(map(repr, close))} (a recode)?"
                break
        else:
            if spec.data.columns is not None and "no column" in problem:
                line = spec.lines.key("data", "columns")
        raise spec.error(line, problem) from None


def prepare(spec: Spec, table: LabelledTable) -> LabelledTable:
    """The table with the spec's missing codes and recodes applied, every name checked."""
    try:
        table = apply_missing(table, dict(spec.data.missing))
    except ReadError as exc:
        line = spec.lines.table("data", "missing")
        for column in spec.data.missing:
            if repr(column) in str(exc):
                line = spec.lines.key("data", "missing", column)
                break
        raise spec.error(line, str(exc)) from None
    recoded = {r.name for r in spec.recodes}
    for recode in spec.recodes:
        table = _apply_recode(spec, table, recode)
    columns = set(table.frame.columns)
    for name, line in spec.references:
        if name not in columns:
            raise spec.error(line, _unknown(name, table, recoded))
    return table


def _unknown(name: str, table: LabelledTable, recoded: set[str]) -> str:
    names = [str(c) for c in table.frame.columns]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    close += [n for n in names if n.lower() == name.lower() and n not in close]
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return f"no column {name!r} in {table.path.name}{hint}"


def _apply_recode(spec: Spec, table: LabelledTable, recode: Recode) -> LabelledTable:
    frame = table.frame
    where = f"[recode.{recode.name}]"
    if recode.name in frame.columns:
        raise spec.error(
            recode.line, f"{where} would replace the column {recode.name!r}; choose another name"
        )
    line = spec.lines.key("recode", recode.name, recode.method)
    for source in recode.sources:
        if source not in frame.columns:
            raise spec.error(line, f"{where}: {_unknown(source, table, set())}")
    sources = {s: frame[s] for s in recode.sources}
    if recode.missing_codes:
        sources = {s: v.mask(v.isin(list(recode.missing_codes))) for s, v in sources.items()}
    labels: dict[float | int | str, str] = {}
    if recode.method in ("cut", "sum"):
        for name, series in sources.items():
            if not pd.api.types.is_numeric_dtype(series.dtype):
                raise spec.error(line, f"{where}: {name!r} holds text, not numbers")
    if recode.method == "cut":
        values = sources[recode.sources[0]].to_numpy(dtype=np.float64)
        breaks = np.asarray(recode.breaks)
        # Bins are [b0, b1), [b1, b2), ..., [b(k-1), bk]: left-closed, the last closed too.
        codes = np.searchsorted(breaks, values, side="right").astype(np.float64)
        codes[values == breaks[-1]] = len(breaks) - 1
        codes[(values < breaks[0]) | (values > breaks[-1]) | np.isnan(values)] = np.nan
        result = pd.Series(codes, index=frame.index)
        labels = {k + 1: text for k, text in enumerate(recode.labels)}
    elif recode.method == "sum":
        items = pd.DataFrame(sources)
        if recode.missing == "any":
            result = items.sum(axis=1, skipna=False)
        else:
            result = items.sum(axis=1, min_count=1)
    else:
        result, labels = _map(spec, recode, sources[recode.sources[0]], where)
    new_frame = frame.assign(**{recode.name: result.astype(np.float64)})
    value_labels = dict(table.value_labels)
    if labels:
        value_labels[recode.name] = labels
    variable_labels = {
        **table.variable_labels,
        recode.name: f"recode of {', '.join(recode.sources)}",
    }
    return dataclasses.replace(
        table, frame=new_frame, value_labels=value_labels, variable_labels=variable_labels
    )


def _map(
    spec: Spec, recode: Recode, series: pd.Series[Any], where: str
) -> tuple[pd.Series[Any], dict[float | int | str, str]]:
    line = spec.lines.key("recode", recode.name, "values")
    numeric = pd.api.types.is_numeric_dtype(series.dtype)
    keyed: dict[Any, Any] = {}
    for key, value in recode.values.items():
        if numeric:
            try:
                keyed[float(key)] = value
            except ValueError:
                raise spec.error(
                    line, f"{where}: {recode.sources[0]!r} holds numbers, so {key!r} is no code"
                ) from None
        else:
            keyed[key] = value
    texts = [v for v in recode.values.values() if isinstance(v, str)]
    if texts:
        # Text values become codes 1..k in the order written, labelled with the text.
        order = list(dict.fromkeys(texts))
        code_of = {text: float(k + 1) for k, text in enumerate(order)}
        keyed = {key: code_of[value] for key, value in keyed.items()}
        labels: dict[float | int | str, str] = {k + 1: text for k, text in enumerate(order)}
    else:
        labels = {}
    source = series.astype(np.float64) if numeric else series.astype(object)
    return source.map(keyed).astype(np.float64), labels
