"""Analysis specs in the browser: check a spec's text for the workspace, and write one from
the form's answers.

**The data a web analysis reads is always the chosen uploaded file's Parquet copy.** A spec's
``[data] path`` is only a name there (it lets the same spec run with ``hopeful analyze`` next
to the original file on a laptop): it must be a bare file name, and a path with a directory
(``/etc/passwd``, ``../../x``, ``C:\\x``) is refused at its line. ``[data] labels`` is refused
too (upload the format catalogue with the file). Whatever the name, the run replaces the path
with the Parquet copy before anything is read (:func:`for_copy`), so nothing else on the
server's disk is ever opened.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from hopeful.research import Spec, SpecError, parse_spec
from hopeful.research.io import unknown_column

#: The name a web spec has in its messages ("spec.toml, line 4: ...").
SPEC_NAME = "spec.toml"
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def check_spec(text: str, *, file_name: str, columns: Sequence[str]) -> Spec:
    """Parse and check ``text`` for the workspace: :func:`hopeful.research.parse_spec`, then
    the workspace's rules (``[data] path`` a bare name, no ``labels``) and every column it
    names present in the file (or made by a recode). A :class:`SpecError` naming the line."""
    spec = parse_spec(text, Path(SPEC_NAME))
    raw = str(spec.data.path)
    line = spec.data.line
    if not _bare_name(raw):
        raise spec.error(
            line,
            f"[data] path {raw!r} must be a file name without a folder: the workspace always "
            "analyzes the uploaded file you chose, never another file",
        )
    if spec.data.labels is not None:
        raise spec.error(
            spec.lines.key("data", "labels"),
            "[data] labels is not used in the workspace: upload the format catalogue with the "
            "data file, and its labels are kept with it",
        )
    recoded = {r.name for r in spec.recodes}
    present = set(columns)
    for name, ref_line in spec.references:
        if name not in present and name not in recoded:
            raise spec.error(ref_line, _unknown(name, columns, file_name))
    if spec.data.columns is not None:
        for name in spec.data.columns:
            if name not in present:
                raise spec.error(
                    spec.lines.key("data", "columns"),
                    _unknown(name, columns, file_name),
                )
    return spec


def _unknown(name: str, columns: Sequence[str], file_name: str) -> str:
    return unknown_column(name, list(columns)).replace("in the file)", f"in {file_name})")


def _bare_name(raw: str) -> bool:
    if not raw or "\x00" in raw:
        return False
    for kind in (PurePosixPath, PureWindowsPath):
        path = kind(raw)
        if path.is_absolute() or path.anchor or len(path.parts) != 1:
            return False
        if path.parts[0] in (".", ".."):
            return False
    return True


def for_copy(spec: Spec, parquet: Path) -> Spec:
    """The spec reading ``parquet`` (the uploaded file's copy), whatever its ``[data] path``."""
    return dataclasses.replace(spec, data=dataclasses.replace(spec.data, path=parquet, labels=None))


def counts(spec: Spec) -> dict[str, int]:
    return {
        "estimates": len(spec.estimates),
        "models": len(spec.models),
        "tests": len(spec.tests),
    }


# -- the spec the form writes ------------------------------------------------------------------


def toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def toml_key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else toml_string(name)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    return "[" + ", ".join(toml_value(v) for v in value) + "]"


def _lines(table: str, items: Iterable[tuple[str, Any]]) -> list[str]:
    body = [f"{toml_key(k)} = {toml_value(v)}" for k, v in items if v not in (None, "", [])]
    return [f"[{table}]", *body, ""] if body else []


def build_spec(answers: dict[str, Any], *, file_name: str) -> str:
    """The TOML of the spec form's answers (already checked by the form)."""
    out = [
        "# Written by the HOPEful research workspace; edit it freely.",
        "[data]",
        f"path = {toml_string(file_name)}",
        "",
    ]
    missing = answers.get("missing") or {}
    if missing:
        out += _lines("data.missing", missing.items())
    if answers.get("design") == "replicates":
        out += _lines(
            "design.replicates",
            [
                ("weights", answers.get("weights")),
                ("replicate_weights", answers.get("replicate_weights")),
                ("type", answers.get("replicate_type")),
            ],
        )
    else:
        strata, psu = answers.get("strata"), answers.get("psu")
        out += _lines(
            "design",
            [
                ("weights", answers.get("weights")),
                ("strata", strata),
                ("psu", psu),
                ("nest", True if strata and psu and answers.get("nest") else None),
                ("fpc", answers.get("fpc")),
                ("lonely_psu", answers.get("lonely_psu") if strata else None),
            ],
        )
    used: set[str] = set()
    for estimate in answers.get("estimates", []):
        base = f"{estimate['variable']}-{estimate['kind']}"
        ident, k = base, 2
        while ident in used:
            ident, k = f"{base}-{k}", k + 1
        used.add(ident)
        items: list[tuple[str, Any]] = [
            ("id", ident),
            ("kind", estimate["kind"]),
            ("variable", estimate["variable"]),
        ]
        if estimate["kind"] == "ratio":
            items.append(("denominator", estimate.get("denominator")))
        items.append(("by", estimate.get("by") or []))
        if estimate["kind"] == "proportion":
            items.append(("ci", estimate.get("ci")))
        out += ["[[estimate]]", *_lines("x", items)[1:]]
    for i, model in enumerate(answers.get("models", []), start=1):
        items = [("id", f"model-{i}"), ("family", model["family"]), ("formula", model["formula"])]
        out += ["[[model]]", *_lines("x", items)[1:]]
    return "\n".join(out).rstrip("\n") + "\n"


def starter_spec(file_name: str, columns: Sequence[dict[str, Any]]) -> str:
    """A first spec to edit: the data file, a commented design and one mean."""
    numeric = [str(c["name"]) for c in columns if c.get("numeric")]
    first = numeric[0] if numeric else (str(columns[0]["name"]) if columns else "VARIABLE")
    return (
        "# An analysis spec (TOML). Replace the names with your file's variables.\n"
        "[data]\n"
        f"path = {toml_string(file_name)}\n"
        "\n"
        "# [data.missing]\n"
        "# GENHLTH = [7, 9]\n"
        "\n"
        "[design]\n"
        '# weights = "_LLCPWT"\n'
        '# strata = "_STSTR"\n'
        '# psu = "_PSU"\n'
        "\n"
        "[[estimate]]\n"
        'kind = "mean"\n'
        f"variable = {toml_string(first)}\n"
    )


__all__ = [
    "SPEC_NAME",
    "SpecError",
    "build_spec",
    "check_spec",
    "counts",
    "for_copy",
    "starter_spec",
]
