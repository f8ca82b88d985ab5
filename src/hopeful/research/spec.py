"""Analysis specs: a hand-written TOML file saying which data, which design, which estimates.

:func:`load_spec` parses the file (stdlib :mod:`tomllib`) into frozen dataclasses and checks
it; every problem is a :class:`SpecError` naming the file, the line and the problem::

    spec.toml, line 12: [[estimate]] kind "median" is not one of mean, total, proportion

TOML parsers do not report where a key is, so :class:`SourceLines` finds the line of a table
or key by scanning the text (headers ``[a.b]`` / ``[[a]]`` and ``key =`` lines).
The checks that need the data (unknown columns, weights) are in :mod:`hopeful.research.run`.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

__all__ = [
    "CI_METHODS",
    "LONELY_PSU",
    "DataSpec",
    "DesignSpec",
    "EstimateSpec",
    "ModelSpec",
    "Recode",
    "SourceLines",
    "Spec",
    "SpecError",
    "load_spec",
    "parse_spec",
]

Code = float | int | str
Kind = Literal["mean", "total", "proportion"]
Family = Literal["binomial", "gaussian"]
CiName = Literal["korn-graubard", "logit", "wald"]
Lonely = Literal["fail", "remove", "adjust", "average", "certainty"]

KINDS: tuple[str, ...] = ("mean", "total", "proportion")
NOT_YET_KINDS = ("quantile", "ratio")
FAMILIES: tuple[str, ...] = ("binomial", "gaussian")
NOT_YET_FAMILIES = ("poisson",)
#: Proportion intervals by their spec name -> the engine's ``ci`` argument.
CI_METHODS: Mapping[str, str] = MappingProxyType(
    {"korn-graubard": "beta", "logit": "logit", "wald": "wald"}
)
#: The lonely-PSU rules :class:`hopeful.stats.Design` knows (R's survey.lonely.psu).
LONELY_PSU: tuple[str, ...] = ("fail", "remove", "adjust", "average", "certainty")

_HEADER = re.compile(r"^\s*(\[\[?)\s*(?P<name>[^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r'^\s*(?P<key>"[^"]*"|\'[^\']*\'|[A-Za-z0-9_-]+)\s*[=.]')
_TOML_LINE = re.compile(r"\(at line (?P<line>\d+), column \d+\)")


class SpecError(ValueError):
    """A bad spec (or spec against its data): ``"spec.toml, line 12: the problem"``."""

    def __init__(self, path: Path | str, line: int, problem: str) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        super().__init__(f"{self.path.name}, line {line}: {problem}")


def _split_dotted(name: str) -> tuple[str, ...]:
    parts = re.findall(r'"[^"]*"|\'[^\']*\'|[^.\s]+', name)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


class SourceLines:
    """Lines of tables and keys in a TOML text, found by scanning it.

    Paths are tuples: ``("design",)``, ``("estimate", 1, "kind")`` (the second
    ``[[estimate]]``), ``("data", "missing", "GENHLTH")``. An unknown path falls back to its
    nearest known parent, and finally to line 1.
    """

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines()
        #: table path -> (first line, last line) of its body (1-based, header line first)
        self._tables: dict[tuple[str | int, ...], tuple[int, int]] = {}
        counts: dict[tuple[str, ...], int] = {}
        starts: list[tuple[tuple[str | int, ...], int]] = [((), 1)]
        for number, line in enumerate(self._lines, start=1):
            match = _HEADER.match(line)
            if not match or line.lstrip().startswith("#"):
                continue
            parts = _split_dotted(match.group("name"))
            path: tuple[str | int, ...] = parts
            if match.group(1) == "[[":
                index = counts.get(parts, 0)
                counts[parts] = index + 1
                path = (*parts, index)
            elif parts[:1] and (parts[0],) in counts:
                # [estimate.sub] inside the latest [[estimate]]
                path = (parts[0], counts[(parts[0],)] - 1, *parts[1:])
            starts.append((path, number))
        for i, (path, first) in enumerate(starts):
            last = starts[i + 1][1] - 1 if i + 1 < len(starts) else len(self._lines)
            self._tables.setdefault(path, (first, last))

    def table(self, *path: str | int) -> int:
        """The line of a table's header (or of its nearest known parent)."""
        while path:
            if path in self._tables:
                return self._tables[path][0]
            for known, (first, _) in self._tables.items():
                if known[: len(path)] == path:
                    return first
            path = path[:-1]
        return 1

    def key(self, *path: str | int) -> int:
        """The line where ``path[-1]`` is set in table ``path[:-1]`` (multi-line values: the
        first line), else the line of the table (inline tables: of the key holding it)."""
        table, key = path[:-1], path[-1]
        span = self._tables.get(table)
        if span is not None and isinstance(key, str):
            first, last = span
            for number in range(first + (1 if table else 0), last + 1):
                match = _KEY.match(self._lines[number - 1])
                if match and match.group("key").strip("\"'") == key:
                    return number
        if any(known[: len(path)] == path for known in self._tables):
            return self.table(*path)  # the key is itself a table: its header
        if len(table) >= 1 and table not in self._tables:
            return self.key(*table)
        return self.table(*table)


@dataclass(frozen=True)
class DataSpec:
    """``[data]``: the file (relative to the spec), columns to read, declared missing codes."""

    path: Path
    columns: tuple[str, ...] | None
    missing: Mapping[str, tuple[Code, ...]]
    labels: Path | None
    line: int


@dataclass(frozen=True)
class DesignSpec:
    """``[design]``: passed to :class:`hopeful.stats.Design`."""

    weights: str | None
    strata: str | None
    psu: tuple[str, ...]
    nest: bool
    fpc: tuple[str, ...]
    lonely_psu: Lonely
    line: int


@dataclass(frozen=True)
class Recode:
    """``[recode.<name>]``: a new column made by ``cut``, ``map`` or ``sum``."""

    name: str
    method: Literal["cut", "map", "sum"]
    sources: tuple[str, ...]
    breaks: tuple[float, ...] = ()
    labels: tuple[str, ...] = ()
    values: Mapping[str, Code] = field(default_factory=lambda: MappingProxyType({}))
    missing: Literal["any", "all"] = "any"
    missing_codes: tuple[Code, ...] = ()
    line: int = 1


@dataclass(frozen=True)
class EstimateSpec:
    """One ``[[estimate]]``."""

    id: str
    kind: Kind
    variable: str
    by: tuple[str, ...]
    ci: CiName
    level: float
    line: int


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


class _Parser:
    def __init__(self, text: str, path: Path) -> None:
        self.path = path
        self.lines = SourceLines(text)
        self.references: list[tuple[str, int]] = []

    def fail(self, line: int, problem: str) -> SpecError:
        return SpecError(self.path, line, problem)

    def keys(
        self, table: Mapping[str, Any], allowed: Sequence[str], where: str, *path: Any
    ) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, list(allowed), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise self.fail(
                    self.lines.key(*path, key),
                    f"{where} has no key {key!r}{hint} (keys: {', '.join(allowed)})",
                )

    def text(self, table: Mapping[str, Any], key: str, where: str, *path: Any) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            line = self.lines.key(*path, key) if key in table else self.lines.table(*path)
            got = "is missing" if key not in table else f"must be text, not {value!r}"
            raise self.fail(line, f"{where} {key} {got}")
        return value.strip()

    def names(self, table: Mapping[str, Any], key: str, where: str, *path: Any) -> tuple[str, ...]:
        value = table.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(
                self.lines.key(*path, key), f"{where} {key} must be a column name or a list of them"
            )
        return tuple(value)

    def codes(self, value: Any, line: int, what: str) -> tuple[Code, ...]:
        if not isinstance(value, list) or not all(
            isinstance(v, int | float | str) and not isinstance(v, bool) for v in value
        ):
            raise self.fail(line, f"{what} must be a list of codes, e.g. [7, 9]")
        return tuple(value)

    def level(self, table: Mapping[str, Any], where: str, *path: Any) -> float:
        value = table.get("level", 0.95)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
            raise self.fail(
                self.lines.key(*path, "level"),
                f"{where} level {value!r} must be a confidence level between 0 and 1, e.g. 0.95",
            )
        return float(value)

    def refer(self, names: Sequence[str], line: int) -> None:
        self.references.extend((name, line) for name in names)


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
    p = _Parser(text, path)
    p.keys(doc, ["data", "design", "recode", "estimate", "model"], "the spec")
    if "data" not in doc:
        raise p.fail(1, "the spec has no [data] table (its path names the data file)")
    data = _data(p, doc["data"])
    design = _design(p, doc.get("design"))
    recodes = _recodes(p, doc.get("recode", {}))
    estimates = tuple(_estimate(p, e, i) for i, e in enumerate(_array(p, doc, "estimate")))
    models = tuple(_model(p, m, i) for i, m in enumerate(_array(p, doc, "model")))
    if not estimates and not models:
        raise p.fail(1, "the spec asks for nothing: add an [[estimate]] or a [[model]]")
    seen: dict[str, int] = {}
    items: list[EstimateSpec | ModelSpec] = [*estimates, *models]
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
    )


def _table(p: _Parser, value: Any, where: str, *path: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise p.fail(p.lines.key(*path), f"{where} must be a table")
    return value


def _array(p: _Parser, doc: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    value = doc.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise p.fail(p.lines.key(name), f"write each {name} as a [[{name}]] table")
    return value


def _data(p: _Parser, value: Any) -> DataSpec:
    data = _table(p, value, "[data]", "data")
    p.keys(data, ["path", "columns", "missing", "labels"], "[data]", "data")
    file = p.text(data, "path", "[data]", "data")
    labels = data.get("labels")
    if labels is not None and not isinstance(labels, str):
        raise p.fail(p.lines.key("data", "labels"), "[data] labels must be a file path")
    columns = p.names(data, "columns", "[data]", "data") if "columns" in data else None
    missing: dict[str, tuple[Code, ...]] = {}
    raw_missing = _table(p, data.get("missing", {}), "[data.missing]", "data", "missing")
    for column, codes in raw_missing.items():
        line = p.lines.key("data", "missing", column)
        missing[column] = p.codes(codes, line, f"[data.missing] {column}")
        p.refer([column], line)
    base = p.path.parent
    return DataSpec(
        path=(base / file),
        columns=columns,
        missing=MappingProxyType(missing),
        labels=(base / labels) if labels else None,
        line=p.lines.key("data", "path"),
    )


def _design(p: _Parser, value: Any) -> DesignSpec:
    if value is None:
        return DesignSpec(None, None, (), False, (), "adjust", 1)
    design = _table(p, value, "[design]", "design")
    if "replicates" in design:
        raise p.fail(
            p.lines.table("design", "replicates"),
            "[design.replicates] (replicate weights) is not supported yet",
        )
    allowed = ["weights", "strata", "psu", "nest", "fpc", "lonely_psu"]
    p.keys(design, allowed, "[design]", "design")
    line = p.lines.table("design")
    weights = p.text(design, "weights", "[design]", "design") if "weights" in design else None
    strata = p.text(design, "strata", "[design]", "design") if "strata" in design else None
    psu = p.names(design, "psu", "[design]", "design")
    fpc = p.names(design, "fpc", "[design]", "design")
    for key, names in (("weights", [weights]), ("strata", [strata]), ("psu", psu), ("fpc", fpc)):
        p.refer([n for n in names if n], p.lines.key("design", key))
    nest = design.get("nest", False)
    if not isinstance(nest, bool):
        raise p.fail(p.lines.key("design", "nest"), "[design] nest must be true or false")
    lonely = design.get("lonely_psu", "adjust")
    if lonely not in LONELY_PSU:
        raise p.fail(
            p.lines.key("design", "lonely_psu"),
            f"[design] lonely_psu {lonely!r} is not one of {', '.join(LONELY_PSU)}",
        )
    return DesignSpec(weights, strata, psu, nest, fpc, lonely, line)


def _recodes(p: _Parser, value: Any) -> tuple[Recode, ...]:
    table = _table(p, value, "[recode]", "recode")
    made: list[Recode] = []
    for name, body in table.items():
        where = f"[recode.{name}]"
        line = p.lines.table("recode", name)
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise p.fail(line, f"{where}: a recode name is letters, digits and _ (for formulas)")
        body = _table(p, body, where, "recode", name)
        all_methods: tuple[Literal["cut", "map", "sum"], ...] = ("cut", "map", "sum")
        methods = [m for m in all_methods if m in body]
        if len(methods) != 1:
            raise p.fail(line, f"{where} needs exactly one of cut, map, sum (has {len(methods)})")
        method = methods[0]
        path = ("recode", name)
        allowed = {
            "cut": ["cut", "breaks", "labels", "missing_codes"],
            "map": ["map", "values", "missing_codes"],
            "sum": ["sum", "missing", "missing_codes"],
        }[method]
        if method != "sum" and isinstance(body.get("missing"), list):
            raise p.fail(
                p.lines.key(*path, "missing"),
                f"{where}: write codes treated as missing as missing_codes = [...]",
            )
        p.keys(body, allowed, where, *path)
        sources = p.names(body, method, where, *path)
        if method != "sum" and len(sources) != 1:
            raise p.fail(p.lines.key(*path, method), f"{where} {method} names one column")
        if not sources:
            raise p.fail(p.lines.key(*path, method), f"{where} sum needs a list of items")
        p.refer(sources, p.lines.key(*path, method))
        codes = p.codes(body.get("missing_codes", []), p.lines.key(*path, "missing_codes"), where)
        recode = Recode(name, method, sources, missing_codes=codes, line=line)
        if method == "cut":
            recode = _cut(p, body, recode, where, path)
        elif method == "map":
            recode = _map(p, body, recode, where, path)
        else:
            rule = body.get("missing", "any")
            if rule not in ("any", "all"):
                raise p.fail(
                    p.lines.key(*path, "missing"),
                    f'{where} missing {rule!r} is not "any" (missing if any item is) or "all"',
                )
            recode = Recode(name, method, sources, missing=rule, missing_codes=codes, line=line)
        made.append(recode)
    return tuple(made)


def _cut(p: _Parser, body: Mapping[str, Any], recode: Recode, where: str, path: Any) -> Recode:
    breaks = body.get("breaks")
    labels = body.get("labels")
    line = p.lines.key(*path, "breaks")
    if (
        not isinstance(breaks, list)
        or len(breaks) < 2
        or not all(isinstance(b, int | float) and not isinstance(b, bool) for b in breaks)
    ):
        raise p.fail(line, f"{where} breaks must be a list of at least two numbers")
    if any(later <= earlier for earlier, later in itertools.pairwise(breaks)):
        raise p.fail(line, f"{where} breaks must increase")
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise p.fail(p.lines.key(*path, "labels"), f"{where} labels must be a list of text")
    if len(labels) != len(breaks) - 1:
        raise p.fail(
            p.lines.key(*path, "labels"),
            f"{where} has {len(breaks)} breaks, so it needs {len(breaks) - 1} labels "
            f"(not {len(labels)})",
        )
    return Recode(
        recode.name,
        "cut",
        recode.sources,
        breaks=tuple(float(b) for b in breaks),
        labels=tuple(labels),
        missing_codes=recode.missing_codes,
        line=recode.line,
    )


def _map(p: _Parser, body: Mapping[str, Any], recode: Recode, where: str, path: Any) -> Recode:
    values = body.get("values")
    line = p.lines.key(*path, "values")
    if not isinstance(values, dict) or not values:
        raise p.fail(line, f"{where} values must be a table such as {{ 1 = 1, 2 = 0 }}")
    kinds = {isinstance(v, str) for v in values.values()}
    if any(isinstance(v, bool) or not isinstance(v, int | float | str) for v in values.values()):
        raise p.fail(line, f"{where} values must be numbers or text")
    if len(kinds) > 1:
        raise p.fail(line, f"{where} values must be all numbers or all text, not a mix")
    return Recode(
        recode.name,
        "map",
        recode.sources,
        values=MappingProxyType(dict(values)),
        missing_codes=recode.missing_codes,
        line=recode.line,
    )


def _estimate(p: _Parser, body: dict[str, Any], index: int) -> EstimateSpec:
    path = ("estimate", index)
    line = p.lines.table(*path)
    where = "[[estimate]]"
    p.keys(body, ["id", "kind", "variable", "by", "ci", "level"], where, *path)
    kind = body.get("kind")
    if kind in NOT_YET_KINDS:
        raise p.fail(p.lines.key(*path, "kind"), f"{where} kind {kind!r} is not supported yet")
    if kind not in KINDS:
        raise p.fail(
            p.lines.key(*path, "kind"),
            f"{where} kind {_show(kind)} is not one of {', '.join(KINDS)}",
        )
    variable = p.text(body, "variable", where, *path)
    by = p.names(body, "by", where, *path)
    p.refer([variable], p.lines.key(*path, "variable"))
    p.refer(by, p.lines.key(*path, "by"))
    ci = body.get("ci", "korn-graubard")
    if "ci" in body and kind != "proportion":
        raise p.fail(p.lines.key(*path, "ci"), f"{where} ci is for proportions only")
    if ci not in CI_METHODS:
        raise p.fail(
            p.lines.key(*path, "ci"),
            f"{where} ci {_show(ci)} is not one of {', '.join(CI_METHODS)}",
        )
    return EstimateSpec(
        id=_id(p, body, path, f"estimate-{index + 1}"),
        kind=kind,
        variable=variable,
        by=by,
        ci=ci,
        level=p.level(body, where, *path),
        line=line,
    )


def _model(p: _Parser, body: dict[str, Any], index: int) -> ModelSpec:
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
            f"{where} family {_show(family)} is not one of {', '.join(FAMILIES)}",
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
    reference = _table(p, body.get("reference", {}), f"{where} reference", *path, "reference")
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


def _id(p: _Parser, body: Mapping[str, Any], path: Any, default: str) -> str:
    if "id" not in body:
        return default
    return p.text(body, "id", f"[[{path[0]}]]", *path)


def _show(value: Any) -> str:
    return "(missing)" if value is None else f'"{value}"' if isinstance(value, str) else repr(value)
