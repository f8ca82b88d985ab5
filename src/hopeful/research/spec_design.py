"""The design part of an analysis spec: ``[design]`` (weights, strata, PSUs), its alternative
``[design.replicates]`` (a file's replicate weights), ``[design] replicate`` (replicate
weights made from strata and PSUs) and ``[calibrate]`` (weights calibrated to population
totals), parsed into frozen dataclasses.

Parsing only: :mod:`hopeful.research.designs` builds the design object from them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, cast

from hopeful.research.spec_base import SpecParser, choice, flag, is_number, show, table_of

__all__ = [
    "CALIBRATION_METHODS",
    "CONVERT_TYPES",
    "LONELY_PSU",
    "REPLICATE_TYPES",
    "CalibrateSpec",
    "ConvertSpec",
    "DesignSpec",
    "ReplicatesSpec",
    "parse_calibrate",
    "parse_design",
]

Lonely = Literal["fail", "remove", "adjust", "average", "certainty"]

#: The lonely-PSU rules :class:`hopeful.stats.Design` knows (R's survey.lonely.psu).
LONELY_PSU: tuple[str, ...] = ("fail", "remove", "adjust", "average", "certainty")
#: Types of a file's replicate weights (R's ``svrepdesign(type=)``).
REPLICATE_TYPES: tuple[str, ...] = (
    "JK1",
    "JKn",
    "BRR",
    "Fay",
    "bootstrap",
    "ACS",
    "successive-difference",
    "other",
)
#: Replicate weights that can be made from strata and PSUs (R's ``as.svrepdesign(type=)``).
CONVERT_TYPES: tuple[str, ...] = ("JK1", "JKn", "BRR", "Fay", "bootstrap")
#: ``[calibrate] method``: R's ``calibrate(calfun="linear")``, ``calibrate(calfun="raking")``
#: and ``postStratify``.
CALIBRATION_METHODS: tuple[str, ...] = ("linear", "raking", "poststratify")

_LINEARIZATION_KEYS = ("weights", "strata", "psu", "nest", "fpc", "lonely_psu", "replicate")


@dataclass(frozen=True)
class ReplicatesSpec:
    """``[design.replicates]``: a file's replicate weights (R ``svrepdesign``).

    ``columns`` lists the replicate weight columns, or ``pattern`` (a regular expression)
    finds them among the data's columns.
    """

    weights: str | None
    columns: tuple[str, ...]
    pattern: str | None
    type: str
    scale: float | None
    rscales: tuple[float, ...] | None
    rho: float | None
    mse: bool
    line: int


@dataclass(frozen=True)
class ConvertSpec:
    """``[design] replicate``: replicate weights made from the strata and PSUs (R
    ``as.svrepdesign``); ``replicates`` and ``seed`` are the bootstrap's."""

    type: str
    rho: float | None
    replicates: int
    seed: int | None
    mse: bool
    line: int


@dataclass(frozen=True)
class DesignSpec:
    """``[design]``: passed to :class:`hopeful.stats.Design`, or a replicate design."""

    weights: str | None
    strata: str | None
    psu: tuple[str, ...]
    nest: bool
    fpc: tuple[str, ...]
    lonely_psu: Lonely
    line: int
    replicates: ReplicatesSpec | None = None
    replicate: ConvertSpec | None = None

    @property
    def uses_replicates(self) -> bool:
        """Estimates run on replicate weights (a file's, or made from strata and PSUs)."""
        return self.replicates is not None or self.replicate is not None


@dataclass(frozen=True)
class CalibrateSpec:
    """``[calibrate]``: population totals the weights are calibrated to.

    ``margins`` maps a column to its population count per level (level keys as written: a
    code such as ``"1"`` or a value label such as ``"Female"``), or, for a numeric column
    (``linear`` and ``raking`` only), to its population total.
    """

    method: str
    margins: Mapping[str, Mapping[str, float] | float]
    line: int


def parse_design(p: SpecParser, value: Any) -> DesignSpec:
    """``[design]`` with its optional ``[design.replicates]`` table or ``replicate`` key."""
    if value is None:
        return DesignSpec(None, None, (), False, (), "adjust", 1)
    design = table_of(p, value, "[design]", "design")
    allowed = ["weights", "strata", "psu", "nest", "fpc", "lonely_psu", "replicate", "replicates"]
    p.keys(design, allowed, "[design]", "design")
    line = p.lines.table("design")
    if "replicates" in design:
        for key in _LINEARIZATION_KEYS:
            if key in design:
                raise p.fail(
                    p.lines.key("design", key),
                    f"[design] {key} cannot be combined with [design.replicates]: a replicate "
                    "design has no strata or PSUs, and its weights go in [design.replicates]",
                )
        replicates = _replicates(p, design["replicates"])
        return DesignSpec(replicates.weights, None, (), False, (), "adjust", line, replicates)
    weights = p.text(design, "weights", "[design]", "design") if "weights" in design else None
    strata = p.text(design, "strata", "[design]", "design") if "strata" in design else None
    psu = p.names(design, "psu", "[design]", "design")
    fpc = p.names(design, "fpc", "[design]", "design")
    for key, names in (("weights", [weights]), ("strata", [strata]), ("psu", psu), ("fpc", fpc)):
        p.refer([n for n in names if n], p.lines.key("design", key))
    nest = flag(p, design, "nest", "[design]", "design")
    lonely = design.get("lonely_psu", "adjust")
    if lonely not in LONELY_PSU:
        raise p.fail(
            p.lines.key("design", "lonely_psu"),
            f"[design] lonely_psu {lonely!r} is not one of {', '.join(LONELY_PSU)}",
        )
    convert = _convert(p, design["replicate"]) if "replicate" in design else None
    return DesignSpec(weights, strata, psu, nest, fpc, cast(Lonely, lonely), line, None, convert)


def _number(
    p: SpecParser, table: Mapping[str, Any], key: str, where: str, path: tuple[Any, ...]
) -> float | None:
    value = table.get(key)
    if value is None:
        return None
    if not is_number(value) or value <= 0:
        raise p.fail(p.lines.key(*path, key), f"{where} {key} must be a positive number")
    return float(value)


def _replicates(p: SpecParser, value: Any) -> ReplicatesSpec:
    where, path = "[design.replicates]", ("design", "replicates")
    body = table_of(p, value, where, *path)
    allowed = ["weights", "replicate_weights", "type", "scale", "rscales", "rho", "mse"]
    p.keys(body, allowed, where, *path)
    line = p.lines.table(*path)
    kind = choice(p, body, "type", REPLICATE_TYPES, None, where, *path)
    weights = p.text(body, "weights", where, *path) if "weights" in body else None
    if weights:
        p.refer([weights], p.lines.key(*path, "weights"))
    raw = body.get("replicate_weights")
    rep_line = p.lines.key(*path, "replicate_weights") if "replicate_weights" in body else line
    columns: tuple[str, ...] = ()
    pattern: str | None = None
    if isinstance(raw, str) and raw:
        try:
            re.compile(raw)
        except re.error as exc:
            raise p.fail(
                rep_line, f"{where} replicate_weights {raw!r} is no pattern: {exc}"
            ) from None
        pattern = raw
    elif isinstance(raw, list) and raw and all(isinstance(v, str) and v for v in raw):
        columns = tuple(raw)
        p.refer(columns, rep_line)
    else:
        raise p.fail(
            rep_line,
            f"{where} replicate_weights must be a list of columns or a pattern such as "
            '"^REPWT[0-9]+$"',
        )
    scale = _number(p, body, "scale", where, path)
    rscales: tuple[float, ...] | None = None
    if "rscales" in body:
        given = body["rscales"]
        values = given if isinstance(given, list) else [given]
        if not values or not all(is_number(v) and v >= 0 for v in values):
            raise p.fail(
                p.lines.key(*path, "rscales"),
                f"{where} rscales must be a number or a list of numbers, none negative",
            )
        rscales = tuple(float(v) for v in values)
    rho = _rho(p, body, kind, where, path)
    if kind in ("BRR", "Fay", "ACS", "successive-difference"):
        for key in ("scale", "rscales"):
            if key in body:
                raise p.fail(
                    p.lines.key(*path, key),
                    f'{where} type "{kind}" sets scale and rscales itself; use type "other" '
                    "to give them",
                )
    if kind == "JKn" and rscales is None:
        raise p.fail(
            p.lines.key(*path, "type"),
            f'{where} type "JKn" needs rscales: (n_h - 1) / n_h for each replicate, n_h the '
            "number of PSUs in the replicate's stratum",
        )
    mse = flag(p, body, "mse", where, *path)
    return ReplicatesSpec(weights, columns, pattern, kind, scale, rscales, rho, mse, line)


def _rho(
    p: SpecParser, body: Mapping[str, Any], kind: str, where: str, path: tuple[Any, ...]
) -> float | None:
    rho = body.get("rho")
    if kind == "Fay" and rho is None:
        raise p.fail(p.lines.key(*path, "type"), f'{where} type "Fay" needs rho, between 0 and 1')
    if rho is None:
        return None
    line = p.lines.key(*path, "rho")
    if kind != "Fay":
        raise p.fail(line, f'{where} rho is for type "Fay" only')
    if not is_number(rho) or not 0 < rho < 1:
        raise p.fail(line, f"{where} rho {rho!r} must be between 0 and 1, e.g. 0.3")
    return float(rho)


def _convert(p: SpecParser, value: Any) -> ConvertSpec:
    """``replicate = "JK1"`` or ``replicate = { type = "bootstrap", replicates = 200, seed = 1 }``."""
    where, path = "[design] replicate", ("design", "replicate")
    line = p.lines.key(*path)
    body: Any = {"type": value} if isinstance(value, str) else value
    if not isinstance(body, dict):
        raise p.fail(line, f'{where} must be a type such as "JKn" or a table {{ type = ... }}')
    p.keys(body, ["type", "rho", "replicates", "seed", "mse"], where, *path)
    kind = body.get("type")
    if kind not in CONVERT_TYPES:
        raise p.fail(line, f"{where} type {show(kind)} is not one of {', '.join(CONVERT_TYPES)}")
    rho = _rho(p, body, kind, where, path)
    for key in ("replicates", "seed"):
        if key in body and kind != "bootstrap":
            raise p.fail(line, f'{where} {key} is for type "bootstrap" only')
    replicates = body.get("replicates", 50)
    if isinstance(replicates, bool) or not isinstance(replicates, int) or replicates < 2:
        raise p.fail(line, f"{where} replicates must be a whole number of at least 2")
    seed = body.get("seed")
    if kind == "bootstrap" and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise p.fail(
            line,
            f"{where}: bootstrap replicates are random, so give seed = <a whole number >= 0> "
            "to make the results reproducible",
        )
    mse = flag(p, body, "mse", where, *path)
    return ConvertSpec(kind, rho, replicates, seed if isinstance(seed, int) else None, mse, line)


def parse_calibrate(p: SpecParser, value: Any, design: DesignSpec) -> CalibrateSpec | None:
    """``[calibrate]``: ``method`` and ``[calibrate.margins.<column>]`` tables of population
    counts per level (or, for a numeric column, its total)."""
    if value is None:
        return None
    where, path = "[calibrate]", ("calibrate",)
    body = table_of(p, value, where, *path)
    p.keys(body, ["method", "margins"], where, *path)
    line = p.lines.table(*path)
    if design.uses_replicates:
        raise p.fail(
            line,
            f"{where} needs a design with strata and PSUs: calibrating replicate weights is not "
            "supported",
        )
    method = choice(p, body, "method", CALIBRATION_METHODS, None, where, *path)
    raw = table_of(p, body.get("margins", {}), f"{where} margins", *path, "margins")
    if not raw:
        raise p.fail(line, f"{where} needs margins: [calibrate.margins.<column>] tables")
    margins: dict[str, Mapping[str, float] | float] = {}
    for column, counts in raw.items():
        margin_path = (*path, "margins", column)
        margin_line = p.lines.key(*margin_path)
        p.refer([column], margin_line)
        if is_number(counts):
            if method == "poststratify":
                raise p.fail(
                    margin_line,
                    f"{where} poststratify needs the count of each level of {column!r}, "
                    "not one total",
                )
            margins[column] = float(counts)
            continue
        if not isinstance(counts, dict) or not counts:
            raise p.fail(
                margin_line,
                f"{where} margin {column!r} must be a table of population counts per level "
                "(or a numeric column's total)",
            )
        for level, count in counts.items():
            if not is_number(count) or count <= 0:
                raise p.fail(
                    p.lines.key(*margin_path, level),
                    f"{where} the population count of {column} = {level} must be a positive "
                    f"number, not {count!r}",
                )
        margins[column] = MappingProxyType({str(k): float(v) for k, v in counts.items()})
    if method == "poststratify" and len(margins) != 1:
        raise p.fail(
            line,
            f"{where} poststratify takes one margin (has {len(margins)}); for several, use "
            'method = "raking"',
        )
    return CalibrateSpec(method, MappingProxyType(margins), line)
