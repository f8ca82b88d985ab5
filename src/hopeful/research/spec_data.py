"""The data part of an analysis spec: ``[data]`` (the file, its columns and missing codes) and
the ``[recode.<name>]`` tables (``cut``, ``map``, ``sum``), parsed into frozen dataclasses.

Parsing only: the recodes run in :mod:`hopeful.research.prepare`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from hopeful.research.spec_base import Code, SpecParser, flag, table_of

__all__ = ["DataSpec", "Recode", "parse_data", "parse_recodes"]


@dataclass(frozen=True)
class DataSpec:
    """``[data]``: the file (relative to the spec), columns to read, declared missing codes."""

    path: Path
    columns: tuple[str, ...] | None
    missing: Mapping[str, tuple[Code, ...]]
    labels: Path | None
    line: int
    #: read the file a batch at a time (Parquet only; see :mod:`hopeful.research.run_stream`)
    stream: bool = False


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


def parse_data(p: SpecParser, value: Any) -> DataSpec:
    """``[data]``: ``path`` (relative to the spec), ``columns``, ``labels``, ``[data.missing]``."""
    data = table_of(p, value, "[data]", "data")
    p.keys(data, ["path", "columns", "missing", "labels", "stream"], "[data]", "data")
    file = p.text(data, "path", "[data]", "data")
    stream = flag(p, data, "stream", "[data]", "data")
    if stream and Path(file).suffix.lower() not in (".parquet", ".pq"):
        raise p.fail(
            p.lines.key("data", "stream"),
            f"[data] stream = true reads Parquet files only, not {Path(file).name}",
        )
    labels = data.get("labels")
    if labels is not None and not isinstance(labels, str):
        raise p.fail(p.lines.key("data", "labels"), "[data] labels must be a file path")
    columns = p.names(data, "columns", "[data]", "data") if "columns" in data else None
    missing: dict[str, tuple[Code, ...]] = {}
    raw_missing = table_of(p, data.get("missing", {}), "[data.missing]", "data", "missing")
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
        stream=stream,
    )


def parse_recodes(p: SpecParser, value: Any) -> tuple[Recode, ...]:
    """Every ``[recode.<name>]`` table, in the order written (a recode may use an earlier one)."""
    table = table_of(p, value, "[recode]", "recode")
    made: list[Recode] = []
    for name, body in table.items():
        where = f"[recode.{name}]"
        line = p.lines.table("recode", name)
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise p.fail(line, f"{where}: a recode name is letters, digits and _ (for formulas)")
        body = table_of(p, body, where, "recode", name)
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


def _cut(p: SpecParser, body: Mapping[str, Any], recode: Recode, where: str, path: Any) -> Recode:
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


def _map(p: SpecParser, body: Mapping[str, Any], recode: Recode, where: str, path: Any) -> Recode:
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
