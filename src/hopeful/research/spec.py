"""Analysis specs: a hand-written TOML file saying which data, which design, which estimates.

:func:`load_spec` parses the file (stdlib :mod:`tomllib`) into frozen dataclasses and checks
it; every problem is a :class:`SpecError` naming the file, the line and the problem::

    spec.toml, line 12: [[estimate]] kind "median" is not one of mean, total, proportion, ...

The parts live in their own modules, each parsing with the line-tracking
:class:`~hopeful.research.spec_base.SpecParser`: :mod:`~hopeful.research.spec_data`
(``[data]``, ``[recode.*]``), :mod:`~hopeful.research.spec_design` (``[design]``,
``[design.replicates]``, ``[calibrate]``) and :mod:`~hopeful.research.spec_items`
(``[[estimate]]``, ``[[model]]``, ``[[test]]``); this module puts them together and
re-exports their names. The checks that need the data (unknown columns, weights) are in
:mod:`hopeful.research.run`.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from hopeful.research.spec_base import SourceLines, SpecError, SpecParser, array_of
from hopeful.research.spec_data import DataSpec, Recode, parse_data, parse_recodes
from hopeful.research.spec_design import (
    LONELY_PSU,
    CalibrateSpec,
    ConvertSpec,
    DesignSpec,
    ReplicatesSpec,
    parse_calibrate,
    parse_design,
)
from hopeful.research.spec_items import (
    CI_METHODS,
    EstimateSpec,
    ModelSpec,
    TestSpec,
    parse_estimate,
    parse_model,
    parse_test,
)

__all__ = [
    "CI_METHODS",
    "LONELY_PSU",
    "CalibrateSpec",
    "ConvertSpec",
    "DataSpec",
    "DesignSpec",
    "EstimateSpec",
    "ModelSpec",
    "Recode",
    "ReplicatesSpec",
    "SourceLines",
    "Spec",
    "SpecError",
    "TestSpec",
    "load_spec",
    "parse_spec",
]

_TOML_LINE = re.compile(r"\(at line (?P<line>\d+), column \d+\)")
_TABLES = ["data", "design", "calibrate", "recode", "estimate", "model", "test"]


@dataclass(frozen=True)
class Spec:
    """A parsed, checked analysis spec."""

    path: Path
    sha256: str
    data: DataSpec
    design: DesignSpec
    recodes: tuple[Recode, ...]
    estimates: tuple[EstimateSpec, ...]
    models: tuple[ModelSpec, ...]
    #: every column the spec names, with the line naming it (recode names included)
    references: tuple[tuple[str, int], ...]
    lines: SourceLines = field(repr=False, compare=False)
    tests: tuple[TestSpec, ...] = ()
    calibrate: CalibrateSpec | None = None

    def error(self, line: int, problem: str) -> SpecError:
        """A :class:`SpecError` about this spec."""
        return SpecError(self.path, line, problem)


def load_spec(path: Path) -> Spec:
    """Read and check the spec at ``path``; a :class:`SpecError` on any problem."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise SpecError(path, 1, f"cannot read the spec: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpecError(path, 1, "the spec is not a UTF-8 text file") from None
    return parse_spec(text, Path(path), sha256=hashlib.sha256(raw).hexdigest())


def parse_spec(text: str, path: Path, *, sha256: str = "") -> Spec:
    """Parse and check a spec's text; ``path`` names it in errors and anchors ``[data] path``."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        problem = _TOML_LINE.sub("", str(exc)).strip()
        raise SpecError(
            path, int(found.group("line")) if found else 1, f"not valid TOML: {problem}"
        ) from None
    p = SpecParser(text, path)
    p.keys(doc, _TABLES, "the spec")
    if "data" not in doc:
        raise p.fail(1, "the spec has no [data] table (its path names the data file)")
    data = parse_data(p, doc["data"])
    design = parse_design(p, doc.get("design"))
    calibrate = parse_calibrate(p, doc.get("calibrate"), design)
    recodes = parse_recodes(p, doc.get("recode", {}))
    replicates = design.uses_replicates
    estimates = tuple(
        parse_estimate(p, e, i, replicates=replicates)
        for i, e in enumerate(array_of(p, doc, "estimate"))
    )
    models = tuple(parse_model(p, m, i) for i, m in enumerate(array_of(p, doc, "model")))
    tests = tuple(
        parse_test(p, t, i, replicates=replicates) for i, t in enumerate(array_of(p, doc, "test"))
    )
    if not estimates and not models and not tests:
        raise p.fail(1, "the spec asks for nothing: add an [[estimate]], a [[model]] or a [[test]]")
    if data.stream:
        _check_stream(p, design, calibrate, estimates, models, tests)
    seen: dict[str, int] = {}
    items: list[EstimateSpec | ModelSpec | TestSpec] = [*estimates, *models, *tests]
    for item in items:
        if item.id in seen:
            raise p.fail(item.line, f"id {item.id!r} is used twice (also line {seen[item.id]})")
        seen[item.id] = item.line
    return Spec(
        path=path,
        sha256=sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
        data=data,
        design=design,
        recodes=recodes,
        estimates=estimates,
        models=models,
        references=tuple(p.references),
        lines=p.lines,
        tests=tests,
        calibrate=calibrate,
    )


_NOT_STREAMED = "not available with stream = true"


def _check_stream(
    p: SpecParser,
    design: DesignSpec,
    calibrate: CalibrateSpec | None,
    estimates: tuple[EstimateSpec, ...],
    models: tuple[ModelSpec, ...],
    tests: tuple[TestSpec, ...],
) -> None:
    """``[data] stream = true`` runs means, totals and proportions by domain on one stage of
    PSUs (linearization) only: anything else is refused at its line."""
    if design.replicates is not None:
        raise p.fail(design.replicates.line, f"[design.replicates] is {_NOT_STREAMED}")
    if design.replicate is not None:
        raise p.fail(design.replicate.line, f"[design] replicate is {_NOT_STREAMED}")
    for key, names in (("psu", design.psu), ("fpc", design.fpc)):
        if len(names) > 1:
            raise p.fail(
                p.lines.key("design", key),
                f"[design] {key} with several stages is {_NOT_STREAMED} (name one column)",
            )
    if calibrate is not None:
        raise p.fail(calibrate.line, f"[calibrate] is {_NOT_STREAMED}")
    for i, est in enumerate(estimates):
        if est.kind not in ("mean", "total", "proportion"):
            raise p.fail(
                p.lines.key("estimate", i, "kind"),
                f"{est.id}: kind {est.kind!r} is {_NOT_STREAMED} (mean, total, proportion are)",
            )
    for model in models:
        raise p.fail(model.line, f"{model.id}: [[model]] is {_NOT_STREAMED}")
    for test in tests:
        raise p.fail(test.line, f"{test.id}: [[test]] is {_NOT_STREAMED}")
