"""Run a checked analysis spec on its data through :class:`hopeful.stats.Design`.

:func:`analyze` reads the spec's data file, applies the declared missing codes and the
recodes, checks the spec against the data (unknown columns, weights, the design), then runs
each estimate and model and returns tidy rows (:class:`Results`). Every problem is a
:class:`~hopeful.research.spec.SpecError` naming the spec line it comes from.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import numpy as np
import pandas as pd

from hopeful.research.io import LabelledTable, ReadError, apply_missing, label_of, read_table
from hopeful.research.spec import CI_METHODS, EstimateSpec, ModelSpec, Recode, Spec
from hopeful.stats import Design, DesignError, EstimationError, nchs_proportions

__all__ = [
    "ESTIMATE_COLUMNS",
    "MODEL_COLUMNS",
    "Results",
    "analyze",
    "build_design",
    "hopeful_version",
    "load_data",
    "prepare",
    "run_spec",
]

ESTIMATE_COLUMNS = [
    "id",
    "kind",
    "variable",
    "domain",
    "level",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "df",
    "n",
    "deff",
    "flags",
]
MODEL_COLUMNS = ["id", "term", "estimate", "se", "ci_low", "ci_high", "p", "odds_ratio"]


@dataclass(frozen=True)
class Results:
    """Tidy results of a spec, with what is needed to reproduce them."""

    estimates: pd.DataFrame
    models: pd.DataFrame
    #: spec and data file names and sha256, hopeful's version, the rows read
    provenance: Mapping[str, str | int]
    #: variable labels of the variables the spec uses ("" when none)
    variable_labels: Mapping[str, str]
    #: confidence level of each estimate and model, by id
    levels: Mapping[str, float]


def hopeful_version() -> str:
    """The installed ``hopeful`` version (``"unknown"`` when not installed)."""
    try:
        return metadata.version("hopeful")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source checkout
        return "unknown"


def analyze(spec: Spec, *, progress: bool | None = None) -> Results:
    """Read the spec's data and run it (see :func:`run_spec`)."""
    return run_spec(spec, load_data(spec), progress=progress)


def load_data(spec: Spec) -> LabelledTable:
    """Read ``[data] path`` (only the columns needed when ``columns`` is given)."""
    wanted: list[str] | None = None
    if spec.data.columns is not None:
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


def run_spec(spec: Spec, table: LabelledTable, *, progress: bool | None = None) -> Results:
    """Apply the missing codes and recodes, check the design, run every estimate and model.

    ``progress``: show a progress bar (``None``: only when stderr is a terminal).
    """
    table = prepare(spec, table)
    design = build_design(spec, table)
    from tqdm import tqdm

    items: list[EstimateSpec | ModelSpec] = [*spec.estimates, *spec.models]
    estimate_rows: list[dict[str, Any]] = []
    model_rows: list[dict[str, Any]] = []
    with tqdm(
        total=len(items),
        desc="analyzing",
        unit="table",
        disable=None if progress is None else not progress,
        leave=False,
    ) as bar:
        for item in items:
            bar.set_postfix_str(item.id)
            try:
                if isinstance(item, EstimateSpec):
                    estimate_rows.extend(_estimate(design, table, item))
                else:
                    model_rows.extend(_model(design, table, item))
            except (EstimationError, DesignError) as exc:
                raise spec.error(item.line, f"{item.id}: {exc}") from None
            bar.update(1)
    used = sorted({name for name, _ in spec.references} & set(table.frame.columns))
    return Results(
        estimates=pd.DataFrame(estimate_rows, columns=ESTIMATE_COLUMNS),
        models=pd.DataFrame(model_rows, columns=MODEL_COLUMNS),
        provenance={
            "spec": spec.path.name,
            "spec_sha256": spec.sha256,
            "data": table.path.name,
            "data_sha256": table.sha256,
            "data_format": table.format,
            "rows": len(table.frame),
            "hopeful_version": hopeful_version(),
        },
        variable_labels={name: table.variable_labels.get(name, "") for name in used},
        levels={item.id: item.level for item in items},
    )


# -- preparing the data ------------------------------------------------------------------------


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


def build_design(spec: Spec, table: LabelledTable) -> Design:
    """The survey design of ``[design]``; weight and design problems name its lines."""
    d = spec.design
    frame = table.frame
    if d.weights is not None:
        line = spec.lines.key("design", "weights")
        weights = frame[d.weights]
        if not pd.api.types.is_numeric_dtype(weights.dtype):
            raise spec.error(line, f"weights column {d.weights!r} holds text, not numbers")
        missing = int(weights.isna().sum())
        if missing:
            raise spec.error(
                line,
                f"weights column {d.weights!r} has {missing} missing value(s){_rows(weights.isna())}",
            )
        negative = weights < 0
        if negative.any():
            raise spec.error(
                line,
                f"weights column {d.weights!r} has {int(negative.sum())} negative value(s)"
                f"{_rows(negative)}",
            )
    psu: str | list[str] | None = list(d.psu) if len(d.psu) > 1 else (d.psu[0] if d.psu else None)
    fpc: str | list[str] | None = list(d.fpc) if len(d.fpc) > 1 else (d.fpc[0] if d.fpc else None)
    try:
        return Design(
            frame,
            weights=d.weights,
            strata=d.strata,
            psu=psu,
            nest=d.nest,
            fpc=fpc,
            lonely_psu=d.lonely_psu,
        )
    except DesignError as exc:
        raise spec.error(d.line, f"[design]: {exc}") from None


def _rows(mask: pd.Series[bool]) -> str:
    rows = np.flatnonzero(mask.to_numpy())[:5] + 1
    return f" (rows {', '.join(str(r) for r in rows)}{', ...' if mask.sum() > 5 else ''})"


# -- estimates and models ----------------------------------------------------------------------


def _estimate(design: Design, table: LabelledTable, est: EstimateSpec) -> list[dict[str, Any]]:
    by = list(est.by) or None
    if est.kind == "proportion":
        result = design.proportion(est.variable, by=by, ci=CI_METHODS[est.ci], level=est.level)  # type: ignore[arg-type]
        checked = nchs_proportions(result, level=est.level)
        flags = [
            f"suppress: {reason}" if reason else str(flag)
            for reason, flag in zip(checked["reason"], checked["flags"], strict=True)
        ]
    elif est.kind == "mean":
        result = design.mean(est.variable, by=by, level=est.level)
        flags = [""] * len(result)
    else:
        result = design.total(est.variable, by=by, level=est.level)
        flags = [""] * len(result)
    rows = []
    for i, record in enumerate(result.to_dict("records")):
        domain = "; ".join(f"{name}={label_of(table, name, record[name])}" for name in est.by)
        level = label_of(table, est.variable, record["level"]) if "level" in record else ""
        rows.append(
            {
                "id": est.id,
                "kind": est.kind,
                "variable": est.variable,
                "domain": domain,
                "level": level,
                **{k: float(record[k]) for k in ("estimate", "se", "ci_low", "ci_high", "df")},
                "n": int(record["n"]),
                "deff": float(record["deff"]),
                "flags": flags[i],
            }
        )
    return rows


_TERM = re.compile(r"(?P<expr>C\(\s*(?P<c>\w+)[^\[]*\)|(?P<v>\w+))\[T\.(?P<level>[^\]]+)\]")


def _term_label(table: LabelledTable, term: str) -> str:
    """``C(sex)[T.2]`` -> ``C(sex)[T.Female]`` when the column has value labels."""

    def relabel(match: re.Match[str]) -> str:
        column = match.group("c") or match.group("v")
        text = match.group("level")
        if column not in table.value_labels:
            return match.group(0)
        try:
            value: float | str = float(text)
        except ValueError:
            value = text
        return f"{match.group('expr')}[T.{label_of(table, column, value)}]"

    return _TERM.sub(relabel, term)


def _reference(table: LabelledTable, model: ModelSpec) -> dict[str, Any]:
    """Reference levels given by code or by value label -> codes."""
    reference: dict[str, Any] = {}
    for column, value in model.reference.items():
        labels = table.value_labels.get(column, {})
        by_label = [code for code, text in labels.items() if text == value]
        reference[column] = by_label[0] if isinstance(value, str) and by_label else value
    return reference


def _model(design: Design, table: LabelledTable, model: ModelSpec) -> list[dict[str, Any]]:
    fit = design.logistic if model.family == "binomial" else design.linear
    result = fit(model.formula, reference=_reference(table, model), level=model.level)
    binomial = model.family == "binomial"
    rows = [
        {
            "id": model.id,
            "term": _term_label(table, str(record["term"])),
            **{k: float(record[k]) for k in ("estimate", "se", "ci_low", "ci_high")},
            "p": float(record["p_value"]),
            "odds_ratio": float(record["odds_ratio"]) if binomial else None,
        }
        for record in result.table.to_dict("records")
    ]
    return rows
