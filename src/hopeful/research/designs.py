"""The survey design object of a spec: :class:`hopeful.stats.Design` from ``[design]``, a
:class:`~hopeful.stats.replicates.ReplicateDesign` from ``[design.replicates]`` or
``[design] replicate``, calibrated by ``[calibrate]``.

Weight and design problems are :class:`~hopeful.research.spec_base.SpecError` naming the
spec line they come from.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from hopeful.research.io import LabelledTable
from hopeful.research.spec import CalibrateSpec, Spec
from hopeful.stats import Design, DesignError
from hopeful.stats.calibration import calibrate, poststratify
from hopeful.stats.replicates import ReplicateDesign, as_replicate

__all__ = ["AnyDesign", "build_design", "describe_design"]

#: What estimates, models and tests run on.
AnyDesign = Design | ReplicateDesign


def build_design(spec: Spec, table: LabelledTable) -> AnyDesign:
    """The survey design of ``[design]`` (and ``[calibrate]``); problems name their lines."""
    d = spec.design
    frame = table.frame
    if d.replicates is not None:
        r = d.replicates
        path = ("design", "replicates")
        if r.weights is not None:
            _check_weights(spec, frame, r.weights, spec.lines.key(*path, "weights"))
        try:
            return ReplicateDesign(
                frame,
                weights=r.weights,
                replicate_weights=list(r.columns) or str(r.pattern),
                type=r.type,  # type: ignore[arg-type]  # checked against REPLICATE_TYPES
                scale=r.scale,
                rscales=list(r.rscales) if r.rscales is not None else None,
                rho=r.rho,
                mse=r.mse,
            )
        except DesignError as exc:
            text = str(exc)
            line = r.line
            if "replicate" in text or "pattern" in text:
                line = spec.lines.key(*path, "replicate_weights")
            raise spec.error(line, f"[design.replicates]: {exc}") from None
    if d.weights is not None:
        _check_weights(spec, frame, d.weights, spec.lines.key("design", "weights"))
    psu: str | list[str] | None = list(d.psu) if len(d.psu) > 1 else (d.psu[0] if d.psu else None)
    fpc: str | list[str] | None = list(d.fpc) if len(d.fpc) > 1 else (d.fpc[0] if d.fpc else None)
    try:
        design = Design(
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
    if spec.calibrate is not None:
        design = _calibrated(spec, table, design, spec.calibrate)
    if d.replicate is not None:
        c = d.replicate
        try:
            return as_replicate(
                design,
                c.type,  # type: ignore[arg-type]  # checked against CONVERT_TYPES
                rho=c.rho,
                replicates=c.replicates,
                seed=c.seed,
                mse=c.mse,
            )
        except DesignError as exc:
            raise spec.error(c.line, f"[design] replicate: {exc}") from None
    return design


def _check_weights(spec: Spec, frame: pd.DataFrame, name: str, line: int) -> None:
    weights = frame[name]
    if not pd.api.types.is_numeric_dtype(weights.dtype):
        raise spec.error(line, f"weights column {name!r} holds text, not numbers")
    missing = int(weights.isna().sum())
    if missing:
        raise spec.error(
            line, f"weights column {name!r} has {missing} missing value(s){_rows(weights.isna())}"
        )
    negative = weights < 0
    if negative.any():
        raise spec.error(
            line,
            f"weights column {name!r} has {int(negative.sum())} negative value(s){_rows(negative)}",
        )


def _rows(mask: pd.Series[bool]) -> str:
    rows = np.flatnonzero(mask.to_numpy())[:5] + 1
    return f" (rows {', '.join(str(r) for r in rows)}{', ...' if mask.sum() > 5 else ''})"


def _population(table: LabelledTable, column: str, counts: Any) -> Any:
    """A margin's counts keyed by code: a level written as a value label becomes its code."""
    if not hasattr(counts, "items"):
        return counts
    codes = {text: code for code, text in table.value_labels.get(column, {}).items()}
    return {codes.get(level, level): count for level, count in counts.items()}


def _calibrated(spec: Spec, table: LabelledTable, design: Design, cal: CalibrateSpec) -> Design:
    population = {c: _population(table, c, counts) for c, counts in cal.margins.items()}
    names = list(population)
    try:
        if cal.method == "poststratify":
            return poststratify(design, names[0], population[names[0]])
        return calibrate(design, names, population, calfun=cal.method)  # type: ignore[arg-type]  # "linear" or "raking"
    except DesignError as exc:
        text = str(exc)
        line = cal.line
        for name in names:
            if f"{name!r}" in text or f"{name} =" in text or f" {name} " in text:
                line = spec.lines.key("calibrate", "margins", name)
                break
        raise spec.error(line, f"[calibrate]: {exc}") from None


def describe_design(spec: Spec, design: AnyDesign) -> str:
    """One line for the provenance: how the variances were computed."""
    d = spec.design
    if isinstance(design, ReplicateDesign):
        made = "made from the PSUs " if d.replicate is not None else ""
        text = f"replicate weights {made}({design.type}, {design.n_replicates} replicates)"
    elif d.strata or d.psu:
        text = "strata and PSUs (Taylor linearization)"
    else:
        text = "no strata or PSUs (Taylor linearization, each row its own PSU)"
    if spec.calibrate is not None:
        margins = ", ".join(spec.calibrate.margins)
        text += f"; calibrated ({spec.calibrate.method}) to margins of {margins}"
    return text
