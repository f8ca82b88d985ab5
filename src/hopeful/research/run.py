"""Run a checked analysis spec on its data through :mod:`hopeful.stats`.

:func:`analyze` reads the spec's data file; :func:`run_spec` applies the declared missing
codes and the recodes (:mod:`hopeful.research.prepare`), builds the design
(:mod:`hopeful.research.designs`), then runs each estimate, model and test and returns tidy
rows (:class:`Results`). Every problem is a :class:`~hopeful.research.spec.SpecError` naming
the spec line it comes from.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import pandas as pd

from hopeful.research.designs import AnyDesign, build_design, describe_design
from hopeful.research.io import LabelledTable, label_of
from hopeful.research.prepare import load_data, prepare
from hopeful.research.run_stream import stream_spec
from hopeful.research.spec import CI_METHODS, EstimateSpec, ModelSpec, Spec, TestSpec
from hopeful.stats import DesignError, EstimationError, nchs_proportions
from hopeful.stats.quantiles import quantile
from hopeful.stats.ratios import ratio
from hopeful.stats.replicates import ReplicateDesign
from hopeful.stats.tables import chisq_test

__all__ = [
    "ESTIMATE_COLUMNS",
    "MODEL_COLUMNS",
    "TEST_COLUMNS",
    "Results",
    "analyze",
    "build_design",
    "hopeful_version",
    "load_data",
    "prepare",
    "quantile_level",
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
MODEL_COLUMNS = [
    "id",
    "term",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "p",
    "odds_ratio",
    "or_low",
    "or_high",
]
TEST_COLUMNS = [
    "id",
    "kind",
    "row",
    "col",
    "statistic_name",
    "statistic",
    "ndf",
    "ddf",
    "p",
    "method",
]


def _empty_tests() -> pd.DataFrame:
    return pd.DataFrame(columns=TEST_COLUMNS)


@dataclass(frozen=True)
class Results:
    """Tidy results of a spec, with what is needed to reproduce them."""

    estimates: pd.DataFrame
    models: pd.DataFrame
    #: spec and data file names and sha256, hopeful's version, the rows read, the design
    provenance: Mapping[str, str | int]
    #: variable labels of the variables the spec uses ("" when none)
    variable_labels: Mapping[str, str]
    #: confidence level of each estimate and model, by id
    levels: Mapping[str, float]
    #: one row per ``[[test]]`` (columns :data:`TEST_COLUMNS`)
    tests: pd.DataFrame = field(default_factory=_empty_tests)


def hopeful_version() -> str:
    """The installed ``hopeful`` version (``"unknown"`` when not installed)."""
    try:
        return metadata.version("hopeful")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source checkout
        return "unknown"


def analyze(spec: Spec, *, progress: bool | None = None) -> Results:
    """Read the spec's data and run it (see :func:`run_spec`); with ``[data] stream = true``
    the file is read a batch at a time (:mod:`hopeful.research.run_stream`)."""
    if spec.data.stream:
        return _analyze_streamed(spec)
    return run_spec(spec, load_data(spec), progress=progress)


def _analyze_streamed(spec: Spec) -> Results:
    streamed = stream_spec(spec)
    table = streamed.table
    rows = [r for est, result in streamed.results for r in _estimate_rows(table, est, result)]
    used = sorted({name for name, _ in spec.references} & set(table.frame.columns))
    return Results(
        estimates=pd.DataFrame(rows, columns=ESTIMATE_COLUMNS),
        models=pd.DataFrame(columns=MODEL_COLUMNS),
        provenance=_provenance(spec, table, streamed.rows, _streamed_design(spec))
        | {"stream": True},
        variable_labels={name: table.variable_labels.get(name, "") for name in used},
        levels={est.id: est.level for est in spec.estimates},
    )


def _streamed_design(spec: Spec) -> str:
    d = spec.design
    if d.strata or d.psu:
        return "strata and PSUs (Taylor linearization), from streamed cell sums"
    return "no strata or PSUs (Taylor linearization, each row its own PSU), from streamed cell sums"


def _provenance(spec: Spec, table: LabelledTable, rows: int, design: str) -> dict[str, str | int]:
    return {
        "spec": spec.path.name,
        "spec_sha256": spec.sha256,
        "data": table.path.name,
        "data_sha256": table.sha256,
        "data_format": table.format,
        "rows": rows,
        "design": design,
        "hopeful_version": hopeful_version(),
    }


def run_spec(spec: Spec, table: LabelledTable, *, progress: bool | None = None) -> Results:
    """Apply the missing codes and recodes, build the design, run every estimate, model and
    test.

    ``progress``: show a progress bar (``None``: only when stderr is a terminal).
    """
    table = prepare(spec, table)
    design = build_design(spec, table)
    from tqdm import tqdm

    items: list[EstimateSpec | ModelSpec | TestSpec] = [
        *spec.estimates,
        *spec.models,
        *spec.tests,
    ]
    estimate_rows: list[dict[str, Any]] = []
    model_rows: list[dict[str, Any]] = []
    test_rows: list[dict[str, Any]] = []
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
                elif isinstance(item, ModelSpec):
                    model_rows.extend(_model(design, table, item))
                else:
                    test_rows.append(_test(design, item))
            except (EstimationError, DesignError) as exc:
                raise spec.error(item.line, f"{item.id}: {exc}") from None
            bar.update(1)
    used = sorted({name for name, _ in spec.references} & set(table.frame.columns))
    return Results(
        estimates=pd.DataFrame(estimate_rows, columns=ESTIMATE_COLUMNS),
        models=pd.DataFrame(model_rows, columns=MODEL_COLUMNS),
        tests=pd.DataFrame(test_rows, columns=TEST_COLUMNS),
        provenance=_provenance(spec, table, len(table.frame), describe_design(spec, design)),
        variable_labels={name: table.variable_labels.get(name, "") for name in used},
        levels={item.id: item.level for item in items if not isinstance(item, TestSpec)},
    )


# -- estimates, models, tests ------------------------------------------------------------------


def quantile_level(prob: float) -> str:
    """The ``level`` of a quantile row: ``0.5`` -> ``"p50"``, ``0.025`` -> ``"p2.5"``."""
    return f"p{round(prob * 100, 10):g}"


def _estimate(design: AnyDesign, table: LabelledTable, est: EstimateSpec) -> list[dict[str, Any]]:
    by = list(est.by) or None
    if est.kind == "proportion":
        result = design.proportion(est.variable, by=by, ci=CI_METHODS[est.ci], level=est.level)  # type: ignore[arg-type]  # CI_METHODS maps to beta, logit, wald
    elif est.kind in ("quantile", "ratio"):
        if isinstance(design, ReplicateDesign):  # the spec refuses this; a guard for callers
            raise EstimationError(f"kind {est.kind!r} cannot run on replicate weights yet")
        if est.kind == "quantile":
            result = quantile(
                design,
                est.variable,
                list(est.probs),
                by=by,
                interval=est.interval,  # type: ignore[arg-type]  # checked against INTERVALS
                qrule=est.qrule,  # type: ignore[arg-type]  # checked against QRULES
                level=est.level,
            )
        else:
            result = ratio(design, est.variable, str(est.denominator), by=by, level=est.level)
    elif est.kind == "mean":
        result = design.mean(est.variable, by=by, level=est.level)
    else:
        result = design.total(est.variable, by=by, level=est.level)
    return _estimate_rows(table, est, result)


def _estimate_rows(
    table: LabelledTable, est: EstimateSpec, result: pd.DataFrame
) -> list[dict[str, Any]]:
    """Tidy rows of one estimate's Design-style table: domain and level labels, NCHS flags."""
    flags: list[str] | None = None
    variable = est.variable
    if est.kind == "proportion":
        checked = nchs_proportions(result, level=est.level)
        flags = [
            f"suppress: {reason}" if reason else str(flag)
            for reason, flag in zip(checked["reason"], checked["flags"], strict=True)
        ]
    elif est.kind == "ratio":
        variable = f"{est.variable}/{est.denominator}"
    rows = []
    for i, record in enumerate(result.to_dict("records")):
        domain = "; ".join(f"{name}={label_of(table, name, record[name])}" for name in est.by)
        if "prob" in record:
            level = quantile_level(float(record["prob"]))
        elif "level" in record:
            level = label_of(table, est.variable, record["level"])
        else:
            level = ""
        rows.append(
            {
                "id": est.id,
                "kind": est.kind,
                "variable": variable,
                "domain": domain,
                "level": level,
                **{k: float(record[k]) for k in ("estimate", "se", "ci_low", "ci_high", "df")},
                "n": int(record["n"]),
                "deff": float(record.get("deff", math.nan)),
                "flags": flags[i] if flags is not None else "",
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


def _model(design: AnyDesign, table: LabelledTable, model: ModelSpec) -> list[dict[str, Any]]:
    fit = design.logistic if model.family == "binomial" else design.linear
    result = fit(model.formula, reference=_reference(table, model), level=model.level)
    binomial = model.family == "binomial"
    rows = []
    for record in result.table.to_dict("records"):
        low, high = float(record["ci_low"]), float(record["ci_high"])
        rows.append(
            {
                "id": model.id,
                "term": _term_label(table, str(record["term"])),
                "estimate": float(record["estimate"]),
                "se": float(record["se"]),
                "ci_low": low,
                "ci_high": high,
                "p": float(record["p_value"]),
                "odds_ratio": float(record["odds_ratio"]) if binomial else None,
                "or_low": math.exp(low) if binomial else None,
                "or_high": math.exp(high) if binomial else None,
            }
        )
    return rows


def _test(design: AnyDesign, test: TestSpec) -> dict[str, Any]:
    if isinstance(design, ReplicateDesign):  # the spec refuses this; a guard for callers
        raise EstimationError("tests cannot run on replicate weights yet")
    result = chisq_test(design, test.row, test.col, statistic=test.statistic)  # type: ignore[arg-type]  # checked against STATISTICS
    return {
        "id": test.id,
        "kind": test.kind,
        "row": test.row,
        "col": test.col,
        "statistic_name": result.statistic_name,
        "statistic": result.statistic,
        "ndf": result.ndf,
        # A chi-square reference distribution has no denominator degrees of freedom.
        "ddf": result.ddf if math.isfinite(result.ddf) else None,
        "p": result.p_value,
        "method": result.method,
    }
