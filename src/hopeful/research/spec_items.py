"""What an analysis spec asks for: ``[[estimate]]``, ``[[model]]`` and ``[[test]]`` tables,
parsed into frozen dataclasses; each key is checked, and an error names its line.

Parsing only: :mod:`hopeful.research.run` runs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from hopeful.research.spec_base import Code, SpecParser, choice, is_number, show, table_of
from hopeful.stats.quantiles import QRULES

__all__ = [
    "CI_METHODS",
    "FAMILIES",
    "INTERVALS",
    "KINDS",
    "STATISTICS",
    "TEST_KINDS",
    "EstimateSpec",
    "ModelSpec",
    "TestSpec",
    "parse_estimate",
    "parse_model",
    "parse_test",
]

Kind = Literal["mean", "total", "proportion", "quantile", "ratio"]
Family = Literal["binomial", "gaussian"]
CiName = Literal["korn-graubard", "logit", "wald"]

KINDS: tuple[str, ...] = ("mean", "total", "proportion", "quantile", "ratio")
FAMILIES: tuple[str, ...] = ("binomial", "gaussian")
NOT_YET_FAMILIES = ("poisson",)
#: Proportion intervals by their spec name -> the engine's ``ci`` argument.
CI_METHODS: Mapping[str, str] = MappingProxyType(
    {"korn-graubard": "beta", "logit": "logit", "wald": "wald"}
)
#: Quantile intervals (R's ``svyquantile(interval.type=)``).
INTERVALS: tuple[str, ...] = ("mean", "beta", "xlogit", "asin", "score")
#: Tests of a ``[[test]]`` table, and the statistics of ``kind = "chisq"`` (R's ``svychisq``).
TEST_KINDS: tuple[str, ...] = ("chisq",)
STATISTICS: tuple[str, ...] = ("F", "Chisq", "Wald", "adjWald")
#: Estimates that need strata and PSUs (their engines have no replicate-weight version yet).
_LINEARIZATION_ONLY = ("quantile", "ratio")
#: Keys of one kind of estimate only.
_ONLY = {
    "ci": ("proportion",),
    "probs": ("quantile",),
    "interval": ("quantile",),
    "qrule": ("quantile",),
    "denominator": ("ratio",),
}


@dataclass(frozen=True)
class EstimateSpec:
    """One ``[[estimate]]``. ``probs``, ``interval`` and ``qrule`` are a quantile's;
    ``denominator`` is a ratio's."""

    id: str
    kind: Kind
    variable: str
    by: tuple[str, ...]
    ci: CiName
    level: float
    line: int
    probs: tuple[float, ...] = (0.5,)
    interval: str = "mean"
    qrule: str = "math"
    denominator: str | None = None


@dataclass(frozen=True)
class ModelSpec:
    """One ``[[model]]``."""

    id: str
    family: Family
    formula: str
    variables: tuple[str, ...]
    reference: Mapping[str, Code]
    level: float
    line: int


@dataclass(frozen=True)
class TestSpec:
    """One ``[[test]]``: a test of association between ``row`` and ``col``."""

    __test__ = False  # not a pytest test class

    id: str
    kind: str
    row: str
    col: str
    statistic: str
    line: int


def parse_estimate(
    p: SpecParser, body: dict[str, Any], index: int, *, replicates: bool = False
) -> EstimateSpec:
    """The ``index``-th ``[[estimate]]``; ``replicates``: the design uses replicate weights."""
    path = ("estimate", index)
    line = p.lines.table(*path)
    where = "[[estimate]]"
    allowed = ["id", "kind", "variable", "by", "level", *_ONLY]
    p.keys(body, allowed, where, *path)
    kind = body.get("kind")
    if kind not in KINDS:
        raise p.fail(
            p.lines.key(*path, "kind"),
            f"{where} kind {show(kind)} is not one of {', '.join(KINDS)}",
        )
    if replicates and kind in _LINEARIZATION_ONLY:
        raise p.fail(
            p.lines.key(*path, "kind"),
            f"{where} kind {show(kind)} cannot run on replicate weights yet: it needs a "
            "design with strata and PSUs",
        )
    for key, kinds in _ONLY.items():
        if key in body and kind not in kinds:
            hint = " (a quantile's interval is its interval key)" if kind == "quantile" else ""
            only = "proportions" if key == "ci" else f'kind = "{kinds[0]}"'
            raise p.fail(p.lines.key(*path, key), f"{where} {key} is for {only} only{hint}")
    variable = p.text(body, "variable", where, *path)
    by = p.names(body, "by", where, *path)
    p.refer([variable], p.lines.key(*path, "variable"))
    p.refer(by, p.lines.key(*path, "by"))
    ci = body.get("ci", "korn-graubard")
    if ci not in CI_METHODS:
        raise p.fail(
            p.lines.key(*path, "ci"),
            f"{where} ci {show(ci)} is not one of {', '.join(CI_METHODS)}",
        )
    denominator = None
    if kind == "ratio":
        denominator = p.text(body, "denominator", where, *path)
        p.refer([denominator], p.lines.key(*path, "denominator"))
    return EstimateSpec(
        id=_id(p, body, path, f"estimate-{index + 1}"),
        kind=kind,
        variable=variable,
        by=by,
        ci=ci,
        level=p.level(body, where, *path),
        line=line,
        probs=_probs(p, body, where, path),
        interval=choice(p, body, "interval", INTERVALS, "mean", where, *path),
        qrule=choice(p, body, "qrule", QRULES, "math", where, *path),
        denominator=denominator,
    )


def _probs(p: SpecParser, body: Mapping[str, Any], where: str, path: Any) -> tuple[float, ...]:
    value = body.get("probs", [0.5])
    values = value if isinstance(value, list) else [value]
    line = p.lines.key(*path, "probs")
    if not values or not all(is_number(v) and 0 < v < 1 for v in values):
        raise p.fail(
            line,
            f"{where} probs {value!r} must be probabilities between 0 and 1 (not 0 or 1), "
            "e.g. [0.25, 0.5, 0.75]",
        )
    if len(set(values)) != len(values):
        raise p.fail(line, f"{where} probs {value!r} names a probability twice")
    return tuple(float(v) for v in values)


def parse_model(p: SpecParser, body: dict[str, Any], index: int) -> ModelSpec:
    """The ``index``-th ``[[model]]``: its formula is read with formulaic to find its columns."""
    path = ("model", index)
    line = p.lines.table(*path)
    where = "[[model]]"
    p.keys(body, ["id", "family", "formula", "reference", "level"], where, *path)
    family = body.get("family")
    if family in NOT_YET_FAMILIES:
        raise p.fail(
            p.lines.key(*path, "family"), f"{where} family {family!r} is not supported yet"
        )
    if family not in FAMILIES:
        raise p.fail(
            p.lines.key(*path, "family"),
            f"{where} family {show(family)} is not one of {', '.join(FAMILIES)}",
        )
    formula = p.text(body, "formula", where, *path)
    formula_line = p.lines.key(*path, "formula")
    try:
        from formulaic import Formula

        parsed = Formula(formula)
        variables = tuple(sorted(str(v) for v in parsed.required_variables))
    except Exception as exc:  # formulaic raises several kinds for a malformed formula
        raise p.fail(formula_line, f"{where} cannot read the formula {formula!r}: {exc}") from None
    if "~" not in formula:
        raise p.fail(formula_line, f"{where} formula needs an outcome: 'y ~ x + ...'")
    p.refer(variables, formula_line)
    reference = table_of(p, body.get("reference", {}), f"{where} reference", *path, "reference")
    for column, value in reference.items():
        ref_line = p.lines.key(*path, "reference", column)
        if column not in variables:
            raise p.fail(ref_line, f"{where} reference names {column!r}, not in the formula")
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise p.fail(ref_line, f"{where} reference level of {column!r} must be a code or label")
    return ModelSpec(
        id=_id(p, body, path, f"model-{index + 1}"),
        family=family,
        formula=formula,
        variables=variables,
        reference=MappingProxyType(dict(reference)),
        level=p.level(body, where, *path),
        line=line,
    )


def parse_test(
    p: SpecParser, body: dict[str, Any], index: int, *, replicates: bool = False
) -> TestSpec:
    """The ``index``-th ``[[test]]``: ``kind = "chisq"``, ``row``, ``col``, ``statistic``."""
    path = ("test", index)
    line = p.lines.table(*path)
    where = "[[test]]"
    p.keys(body, ["id", "kind", "row", "col", "statistic"], where, *path)
    kind = choice(p, body, "kind", TEST_KINDS, None, where, *path)
    if replicates:
        raise p.fail(
            p.lines.key(*path, "kind"),
            f'{where} kind "{kind}" cannot run on replicate weights yet: it needs a design '
            "with strata and PSUs",
        )
    row = p.text(body, "row", where, *path)
    col = p.text(body, "col", where, *path)
    p.refer([row], p.lines.key(*path, "row"))
    p.refer([col], p.lines.key(*path, "col"))
    if row == col:
        raise p.fail(p.lines.key(*path, "col"), f"{where} row and col must be two columns")
    return TestSpec(
        id=_id(p, body, path, f"test-{index + 1}"),
        kind=kind,
        row=row,
        col=col,
        statistic=choice(p, body, "statistic", STATISTICS, "F", where, *path),
        line=line,
    )


def _id(p: SpecParser, body: Mapping[str, Any], path: Any, default: str) -> str:
    if "id" not in body:
        return default
    return p.text(body, "id", f"[[{path[0]}]]", *path)
