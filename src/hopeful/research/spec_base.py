"""The line-tracking base of analysis specs: :class:`SpecError`, :class:`SourceLines` and
:class:`SpecParser`, the checker every part of a spec (:mod:`~hopeful.research.spec_data`,
:mod:`~hopeful.research.spec_design`, :mod:`~hopeful.research.spec_items`) uses.

TOML parsers do not report where a key is, so :class:`SourceLines` finds the line of a table
or key by scanning the text (headers ``[a.b]`` / ``[[a]]`` and ``key =`` lines).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "Code",
    "SourceLines",
    "SpecError",
    "SpecParser",
    "array_of",
    "choice",
    "flag",
    "is_number",
    "show",
    "table_of",
]

Code = float | int | str

_HEADER = re.compile(r"^\s*(\[\[?)\s*(?P<name>[^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r'^\s*(?P<key>"[^"]*"|\'[^\']*\'|[A-Za-z0-9_-]+)\s*[=.]')


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


class SpecParser:
    """Checks pieces of a parsed TOML document; its errors name the line (see :class:`SourceLines`).

    ``references`` collects every column the spec names with the line naming it, so that the
    run can check them against the data.
    """

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


def table_of(p: SpecParser, value: Any, where: str, *path: Any) -> dict[str, Any]:
    """``value`` if it is a TOML table, else an error at the line of ``path``."""
    if not isinstance(value, dict):
        raise p.fail(p.lines.key(*path), f"{where} must be a table")
    return value


def array_of(p: SpecParser, doc: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    """The ``[[name]]`` tables of ``doc`` (an empty list when there are none)."""
    value = doc.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise p.fail(p.lines.key(name), f"write each {name} as a [[{name}]] table")
    return value


def show(value: Any) -> str:
    """A spec value as an error message quotes it (``(missing)`` for an absent key)."""
    return "(missing)" if value is None else f'"{value}"' if isinstance(value, str) else repr(value)


def choice(
    p: SpecParser,
    table: Mapping[str, Any],
    key: str,
    options: Sequence[str],
    default: str | None,
    where: str,
    *path: Any,
) -> str:
    """``table[key]`` if it is one of ``options`` (``default`` when absent; ``None``: required)."""
    value = table.get(key, default)
    if value not in options:
        line = p.lines.key(*path, key) if key in table else p.lines.table(*path)
        raise p.fail(line, f"{where} {key} {show(value)} is not one of {', '.join(options)}")
    return str(value)


def flag(p: SpecParser, table: Mapping[str, Any], key: str, where: str, *path: Any) -> bool:
    """``table[key]`` as true/false (``False`` when absent)."""
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise p.fail(p.lines.key(*path, key), f"{where} {key} must be true or false")
    return value


def is_number(value: Any) -> bool:
    """A TOML integer or float (not a boolean)."""
    return isinstance(value, int | float) and not isinstance(value, bool)
