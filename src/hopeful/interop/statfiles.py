"""Labelled statistical files of one instrument's answers and scores: SPSS ``.sav``, Stata
``.dta`` and SAS transport ``.xpt`` (version 8), written with pyreadstat. No Django.

One file holds ONE instrument (every registered version of it), one row per submission: the
columns are that instrument's items and outputs, which is what a researcher opening the file
in SPSS, Stata or SAS expects (a file mixing instruments would be mostly empty cells).

- Items are numeric variables ``<instrument>_<item>`` holding the answer code, with the
  item's English wording as variable label and its response options as value labels
  (7 "Don't know / not sure", 9 "Prefer not to answer" included). In ``.sav`` 7 and 9 are
  user-missing values as well.
- Outputs: counts are numbers; yes/no outputs are 1/0 labelled Yes/No; a band is the lowest
  count of the band, labelled with the band (``3`` = "3-5").
- ``.xpt`` keeps variable labels but no value labels (the format has no place for them):
  :func:`sas_formats` writes the same labels as a ``PROC FORMAT`` program.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat
from pyreadstat.pyclasses import MissingRange

from hopeful.framework.instruments.base import (
    MISSING_CODES,
    AllMet,
    Band,
    Indicator,
    Instrument,
)

__all__ = [
    "FIXED_COLUMNS",
    "Codebook",
    "Column",
    "Row",
    "StatFormat",
    "build_frame",
    "codebook_for",
    "file_bytes",
    "joined_name",
    "sas_formats",
    "variable_name",
    "write_file",
]

#: Longest variable name Stata, SAS (transport v8) and SPSS all accept is 32; ours are
#: shorter, as pyreadstat names a Stata value label set after its variable plus a counter
#: (``<name>15``) and Stata keeps those names to 32 characters (up to 999 labelled variables).
MAX_NAME = 29
#: Longest variable label each format keeps, in bytes.
LABEL_LIMITS = {"sav": 256, "dta": 80, "xpt": 256}
#: Longest value label in bytes (SPSS keeps 120; the others more).
MAX_VALUE_LABEL = 120
#: Names a statistics package reserves (SPSS and Stata), compared in lower case.
RESERVED = frozenset(
    (
        *("all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"),
        *("_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int"),
        *("long", "_n", "_pi", "_pred", "_rc", "_se", "_skip", "str", "strl", "using"),
    )
)
YES_NO = {1: "Yes", 0: "No"}


class StatFormat(enum.StrEnum):
    SAV = "sav"
    DTA = "dta"
    XPT = "xpt"


#: (variable name, label, kind): the columns every file starts with; ``reason`` ends it.
FIXED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("submission_id", "Submission id", "string"),
    ("family_id", "Family id (pseudonymous)", "string"),
    ("program", "Program", "string"),
    ("submitted_at", "Submitted at (UTC)", "datetime"),
    ("language", "Language answered in (en, es)", "string"),
    ("campaign", "Campaign", "string"),
    ("instrument", "Instrument id", "string"),
    ("version", "Instrument version", "string"),
)
REASON = ("reason", "Why outputs are blank (empty when scored)", "string")


@dataclass(frozen=True, slots=True)
class Row:
    """One submission's answers to the instrument and its scores (as the CSV export has)."""

    submission_id: str
    family_id: str
    program: str
    submitted_at: dt.datetime
    language: str
    campaign: str
    instrument: str
    version: str
    answers: Mapping[str, int | None]
    outputs: Mapping[str, Any]
    reason: str


@dataclass(frozen=True, slots=True)
class Column:
    """One variable of the file: where its value comes from and its labels."""

    name: str
    label: str
    kind: str  # "string", "datetime", "numeric"
    source: str  # "fixed", "item", "output"
    key: str  # the fixed field, item id or output id
    value_labels: Mapping[int, str] = field(default_factory=dict)
    user_missing: tuple[int, ...] = ()
    band_codes: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Codebook:
    instrument_id: str
    title: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def variable_name(raw: str, taken: set[str]) -> str:
    """``raw`` made a valid, unique variable name for SPSS, Stata and SAS: letters, digits and
    ``_`` only, starting with a letter, at most 29 characters, not reserved, unique without
    regard to case (``taken`` holds the lower-case names already used; it is updated)."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", raw)
    if not name or not name[0].isalpha():
        name = "v" + name
    name = name[:MAX_NAME]
    if name.lower() in RESERVED:
        name = (name + "_")[:MAX_NAME]
    candidate, number = name, 1
    while candidate.lower() in taken:
        number += 1
        suffix = f"_{number}"
        candidate = name[: MAX_NAME - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


def joined_name(prefix: str, key: str) -> str:
    """``<prefix>_<key>``, shortening the prefix (never below 8 characters) before the key, so
    an item keeps its own (survey) name whole: ``nsch_family_resilie_TALKABOUT``."""
    room = MAX_NAME - len(key) - 1
    if len(prefix) > room:
        prefix = prefix[: max(room, 8)]
    return f"{prefix}_{key}"


def _clip(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` UTF-8 bytes (the formats count bytes), cut
    with ``...`` when longer."""
    text = " ".join(text.split())
    if len(text.encode()) <= limit:
        return text
    cut = text.encode()[: limit - 3].decode(errors="ignore").rstrip()
    return cut + "..."


def codebook_for(versions: Sequence[Instrument]) -> Codebook:
    """The variables of a file of one instrument (``versions``: its registered versions, the
    newest first; labels come from the newest, items only older versions had follow)."""
    if not versions or len({v.id for v in versions}) != 1:
        raise ValueError("codebook_for needs the versions of one instrument")
    newest = versions[0]
    taken: set[str] = set()
    columns = [
        Column(variable_name(name, taken), label, kind, "fixed", name)
        for name, label, kind in FIXED_COLUMNS
    ]
    seen_items: set[str] = set()
    seen_outputs: set[str] = set()
    for instrument in versions:
        for item in instrument.items:
            if item.id in seen_items:
                continue
            seen_items.add(item.id)
            columns.append(
                Column(
                    name=variable_name(joined_name(instrument.id, item.id), taken),
                    label=" ".join(item.text.get_text("en").split()),
                    kind="numeric",
                    source="item",
                    key=item.id,
                    value_labels={
                        o.code: _clip(o.label.get_text("en"), MAX_VALUE_LABEL) for o in item.options
                    },
                    user_missing=tuple(sorted(item.missing_codes & MISSING_CODES)),
                )
            )
    for instrument in versions:
        for output in instrument.all_outputs:
            if output.id in seen_outputs:
                continue
            seen_outputs.add(output.id)
            label = output.label.get_text("en") if output.label is not None else output.id
            value_labels: dict[int, str] = {}
            band_codes: dict[str, int] = {}
            if isinstance(output, Band):
                band_codes = {name: low for low, _high, name in output.cuts}
                value_labels = {low: name for low, _high, name in output.cuts}
            elif isinstance(output, AllMet | Indicator):
                value_labels = dict(YES_NO)
            columns.append(
                Column(
                    name=variable_name(joined_name(instrument.id, output.id), taken),
                    label=" ".join(label.split()),
                    kind="numeric",
                    source="output",
                    key=output.id,
                    value_labels=value_labels,
                    band_codes=band_codes,
                )
            )
    name, label, kind = REASON
    columns.append(Column(variable_name(name, taken), label, kind, "fixed", name))
    return Codebook(
        instrument_id=newest.id, title=newest.title.get_text("en"), columns=tuple(columns)
    )


def _utc_naive(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _number(column: Column, value: Any) -> float | None:
    """An output's value as the file's number (None = system missing)."""
    if value is None or value == "":
        return None
    if column.band_codes:
        code = column.band_codes.get(str(value))
        return None if code is None else float(code)
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _value(column: Column, row: Row) -> Any:
    if column.source == "item":
        code = row.answers.get(column.key)
        return None if code is None else float(code)
    if column.source == "output":
        return _number(column, row.outputs.get(column.key))
    value = getattr(row, column.key)
    if column.kind == "datetime":
        return _utc_naive(value)
    return "" if value is None else str(value)


def build_frame(codebook: Codebook, rows: Iterable[Row]) -> pd.DataFrame:
    """The file's table: one row per :class:`Row`, the codebook's columns in order."""
    data: dict[str, list[Any]] = {c.name: [] for c in codebook.columns}
    for row in rows:
        for column in codebook.columns:
            data[column.name].append(_value(column, row))
    frame = pd.DataFrame(data, columns=codebook.names)
    for column in codebook.columns:
        if column.kind == "numeric":
            frame[column.name] = pd.to_numeric(frame[column.name], errors="coerce").astype(
                "float64"
            )
        elif column.kind == "datetime":
            frame[column.name] = pd.to_datetime(frame[column.name])
        else:
            frame[column.name] = frame[column.name].astype("object")
    return frame


def write_file(
    fmt: StatFormat | str, codebook: Codebook, frame: pd.DataFrame, path: Path | str
) -> None:
    """Write ``frame`` with the codebook's labels to ``path`` in ``fmt``."""
    fmt = StatFormat(fmt)
    limit = LABEL_LIMITS[fmt.value]
    labels: dict[str, str | None] = {c.name: _clip(c.label, limit) for c in codebook.columns}
    file_label = _clip(f"HOPEful: {codebook.title}", 80)
    value_labels = {
        c.name: {float(k): v for k, v in c.value_labels.items()}
        for c in codebook.columns
        if c.value_labels
    }
    if fmt is StatFormat.SAV:
        missing: dict[str, list[int | float | str | MissingRange]] = {
            c.name: [float(code) for code in c.user_missing]
            for c in codebook.columns
            if c.user_missing
        }
        pyreadstat.write_sav(
            frame,
            str(path),
            file_label=file_label,
            column_labels=labels,
            variable_value_labels=value_labels or None,
            missing_ranges=missing or None,
            variable_measure={c.name: "nominal" for c in codebook.columns if c.source == "item"}
            or None,
        )
    elif fmt is StatFormat.DTA:
        pyreadstat.write_dta(
            frame,
            str(path),
            file_label=file_label,
            column_labels=labels,
            variable_value_labels=value_labels or None,
        )
    else:
        pyreadstat.write_xport(
            frame,
            str(path),
            file_label=file_label[:40],
            column_labels=labels,
            table_name=dataset_name(codebook),
            file_format_version=8,
        )


def file_bytes(fmt: StatFormat | str, codebook: Codebook, frame: pd.DataFrame) -> bytes:
    """The file as bytes (pyreadstat writes to a path: a private temporary file)."""
    with tempfile.TemporaryDirectory(prefix="hopeful-statfile-") as folder:
        path = Path(folder) / f"data.{StatFormat(fmt).value}"
        write_file(fmt, codebook, frame, path)
        return path.read_bytes()


def dataset_name(codebook: Codebook) -> str:
    """The SAS dataset (member) name: the instrument id, at most 8 characters in transport
    files read by older SAS, so kept short."""
    return variable_name(codebook.instrument_id, set())[:8]


def _format_name(column: Column, number: int) -> str:
    # SAS numeric format names: letters/digits/_ up to 32, not ending in a digit.
    return f"F{number}_{re.sub(r'[^A-Za-z0-9_]', '_', column.key)}"[:31] + "F"


def sas_formats(codebook: Codebook) -> str:
    """A SAS program with the value labels of the ``.xpt`` file (``PROC FORMAT`` and a
    ``FORMAT`` statement), to run after reading the transport file."""
    lines = [
        f"/* HOPEful: value labels for {codebook.instrument_id} (SAS transport file). */",
        "/* 1. read the file (a version 8 transport file):",
        "      %xpt2loc(libref=work, filespec='<the file>.xpt');",
        f"      data work.hopeful; set work.{dataset_name(codebook)}; run;",
        "   2. run this program: the labels then show in PROC FREQ and PROC PRINT. */",
        "proc format;",
    ]
    assigned: list[tuple[str, str]] = []
    for number, column in enumerate(c for c in codebook.columns if c.value_labels):
        name = _format_name(column, number + 1)
        assigned.append((column.name, name))
        lines.append(f"  value {name}")
        for code, text in sorted(column.value_labels.items()):
            quoted = text.replace("'", "''")
            lines.append(f"    {code} = '{quoted}'")
        lines.append("  ;")
    lines.append("run;")
    lines.append("data work.hopeful;")
    lines.append("  set work.hopeful;")
    for variable, name in assigned:
        lines.append(f"  format {variable} {name}.;")
    lines.append("run;")
    return "\n".join(lines) + "\n"
