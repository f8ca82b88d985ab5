"""Read survey files with their variable and value labels.

One entry point, :func:`read_table`, reads SAS transport (``.xpt``, how BRFSS ships), SAS
``.sas7bdat``, SPSS ``.sav``/``.zsav``, Stata ``.dta``, CSV and Parquet into a
:class:`LabelledTable`: the data as stored (codes, not labels), the labels beside it, and the
file's SHA-256 so an output table can name exactly what it was computed from.

Missing codes are never guessed. BRFSS codes 7/9 and 77/99 ("don't know", "refused") stay
numbers until an analysis spec declares them and :func:`apply_missing` turns them into NaN;
only a format's own system missing (SPSS sysmis, Stata ``.``/``.a``-``.z``, SAS ``.``/``.A``-
``.Z``) is NaN on reading. SPSS user-missing declarations are kept as numbers for the same reason.

>>> import pandas as pd, tempfile
>>> from pathlib import Path
>>> path = Path(tempfile.mkdtemp()) / "tiny.csv"
>>> pd.DataFrame({"SEX": [1, 2, 9]}).to_csv(path, index=False)
>>> table = apply_missing(read_table(path), {"SEX": [9]})
>>> table.frame["SEX"].tolist()
[1.0, 2.0, nan]
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import numbers
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "FORMATS",
    "LabelledTable",
    "ReadError",
    "apply_missing",
    "file_sha256",
    "label_of",
    "parquet_value_labels",
    "read_table",
    "unknown_column",
]

Code = float | int | str

#: file suffix (lower case) -> format name
FORMATS: Mapping[str, str] = {
    ".xpt": "xpt",
    ".sas7bdat": "sas7bdat",
    ".sav": "sav",
    ".zsav": "sav",
    ".dta": "dta",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}

# Parquet has no label standard; these field-metadata keys are the convention HOPEful reads.
PARQUET_LABEL_KEY = b"label"
PARQUET_VALUE_LABELS_KEY = b"value_labels"


@dataclass(frozen=True)
class LabelledTable:
    """A survey file read into memory, with its labels and provenance.

    ``frame`` has one column per variable holding the values as stored (codes, not labels);
    ``variable_labels`` maps every column to its label (``""`` when it has none);
    ``value_labels`` maps the labelled columns to ``{code: label}``; ``sha256`` is the hash of
    the file's bytes; ``format`` is one of ``xpt``, ``sas7bdat``, ``sav``, ``dta``, ``csv``,
    ``parquet``.
    """

    frame: pd.DataFrame
    variable_labels: dict[str, str]
    value_labels: dict[str, dict[float | int | str, str]]
    path: Path
    sha256: str
    format: str


class ReadError(ValueError):
    """A file cannot be read as asked; the message names the file and the problem."""


def read_table(
    path: Path, *, columns: Sequence[str] | None = None, labels: Path | None = None
) -> LabelledTable:
    """Read a survey file and its labels.

    The format comes from the suffix (case-insensitive; see :data:`FORMATS`). ``columns``
    reads only those variables, in that order (an unknown name is a :class:`ReadError` that
    lists near matches). ``labels`` is a SAS format catalogue (``.sas7bcat``) giving the value
    labels of a ``.sas7bdat`` or ``.xpt`` file; other formats carry their own.
    """
    path = Path(path)
    fmt = _format_of(path)
    if not path.exists():
        raise ReadError(f"{path}: no such file")
    if not path.is_file():
        raise ReadError(f"{path}: not a file")
    if labels is not None:
        labels = Path(labels)
        if fmt not in {"xpt", "sas7bdat"}:
            raise ReadError(
                f"{labels}: a format catalogue only labels SAS files (.xpt, .sas7bdat), "
                f"not a .{fmt} file like {path.name}"
            )
        if labels.suffix.lower() != ".sas7bcat":
            raise ReadError(f"{labels}: a format catalogue must be a .sas7bcat file")
        if not labels.is_file():
            raise ReadError(f"{labels}: no such format catalogue")
    wanted = _checked_columns(path, columns)
    try:
        if fmt == "csv":
            frame, variable_labels, value_labels = _read_csv(path, wanted)
        elif fmt == "parquet":
            frame, variable_labels, value_labels = _read_parquet(path, wanted)
        else:
            frame, variable_labels, value_labels = _read_readstat(path, fmt, wanted, labels)
    except ReadError:
        raise
    except Exception as exc:  # every reader's own errors: say which file, keep the cause
        raise ReadError(f"{path}: cannot read this as a .{fmt} file ({_reason(exc)})") from exc
    return LabelledTable(
        frame=frame,
        variable_labels=variable_labels,
        value_labels=value_labels,
        path=path,
        sha256=file_sha256(path),
        format=fmt,
    )


def apply_missing(table: LabelledTable, codes: Mapping[str, Sequence[Code]]) -> LabelledTable:
    """Return a new table where each column's declared missing codes are NaN.

    ``codes`` maps a column to its missing codes, e.g. ``{"GENHLTH": [7, 9]}``. Every column
    is checked before anything changes: an unknown column, or a text code for a numeric
    column, is a :class:`ReadError`. Labels are kept (the codes' labels still say what they
    meant).
    """
    frame = table.frame
    plan: list[tuple[str, list[Code]]] = []
    for column, values in codes.items():
        if column not in frame.columns:
            raise ReadError(
                f"{table.path}: missing codes for {unknown_column(column, frame.columns)}"
            )
        if isinstance(values, str | bytes) or not isinstance(values, Sequence):
            raise ReadError(
                f"{table.path}: missing codes for {column!r} must be a list, e.g. [7, 9], "
                f"not {values!r}"
            )
        numeric = pd.api.types.is_numeric_dtype(frame[column].dtype)
        matched: list[Code] = []
        for value in values:
            if numeric and not _is_number(value):
                raise ReadError(
                    f"{table.path}: column {column!r} holds numbers, so its missing code "
                    f"{value!r} must be a number"
                )
            matched.append(value)
            if not numeric and _is_number(value):
                matched.append(_text(value))  # text columns (CSV) hold "7" for 7
        plan.append((column, matched))
    if not plan:
        return table
    frame = frame.copy()
    for column, matched in plan:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_integer_dtype(series.dtype):
            series = series.astype("float64")  # NaN needs a float column
        frame[column] = series.mask(series.isin(matched))
    return dataclasses.replace(table, frame=frame)


def label_of(table: LabelledTable, column: str, value: object) -> str:
    """The value label of ``value`` in ``column``, else the value as text.

    Whole floats print as integers (``7.0`` -> ``"7"``) and a missing value as ``""``.
    """
    if column not in table.frame.columns:
        raise ReadError(f"{table.path}: label of {unknown_column(column, table.frame.columns)}")
    if _is_missing(value):
        return ""
    labels = table.value_labels.get(column, {})
    try:
        found = labels.get(value)  # type: ignore[call-overload]  # 1 and 1.0 hash alike
    except TypeError:  # an unhashable value has no label
        found = None
    return found if found is not None else _text(value)


# -- readers ------------------------------------------------------------------------------------

Labels = tuple[pd.DataFrame, dict[str, str], dict[str, dict[Code, str]]]


def _read_readstat(
    path: Path, fmt: str, wanted: list[str] | None, catalogue: Path | None
) -> Labels:
    import pyreadstat

    usecols = list(wanted) if wanted is not None else None
    if fmt == "xpt":
        frame, meta = pyreadstat.read_xport(path, usecols=usecols)
    elif fmt == "sas7bdat":
        frame, meta = pyreadstat.read_sas7bdat(path, usecols=usecols)
    elif fmt == "sav":
        # user_missing=True: SPSS's declared missing values stay numbers (the spec declares them)
        frame, meta = pyreadstat.read_sav(path, usecols=usecols, user_missing=True)
    else:
        frame, meta = pyreadstat.read_dta(path, usecols=usecols)
    value_labels: dict[str, dict[Code, str]] = {
        column: _clean_codes(labels) for column, labels in meta.variable_value_labels.items()
    }
    if catalogue is not None:
        value_labels.update(_catalogue_labels(catalogue, meta.variable_to_label))
    raw = meta.column_names_to_labels or {}
    variable_labels = {str(c): str(raw.get(c) or "") for c in frame.columns}
    return _finish(frame, variable_labels, value_labels, wanted)


def _catalogue_labels(catalogue: Path, formats: Mapping[str, str]) -> dict[str, dict[Code, str]]:
    import pyreadstat

    try:
        _, meta = pyreadstat.read_sas7bcat(catalogue)
    except Exception as exc:
        raise ReadError(f"{catalogue}: cannot read this format catalogue ({_reason(exc)})") from exc
    by_name = {_format_key(str(name)): labels for name, labels in meta.value_labels.items()}
    found: dict[str, dict[Code, str]] = {}
    for column, fmt_name in (formats or {}).items():
        labels = by_name.get(_format_key(str(fmt_name))) if fmt_name else None
        if labels:
            found[column] = _clean_codes(labels)
    return found


def _format_key(name: str) -> str:
    """A SAS format's name without width and dot: ``$A.``, ``$A`` and ``$A8.`` are ``$A``.

    SAS format names cannot end in a digit, so trailing digits are always a width.
    """
    name = name.strip().upper()
    match = re.fullmatch(r"(\$?[A-Z_](?:[A-Z0-9_]*[A-Z_])?)\d*(?:\.\d*)?", name)
    return match.group(1) if match else name


def _read_csv(path: Path, wanted: list[str] | None) -> Labels:
    frame = pd.read_csv(path, usecols=wanted, engine="pyarrow")
    variable_labels = {str(c): "" for c in frame.columns}
    return _finish(frame, variable_labels, {}, wanted)


def _read_parquet(path: Path, wanted: list[str] | None) -> Labels:
    import pyarrow.parquet as pq

    arrow = pq.read_table(path, columns=wanted)
    frame = arrow.to_pandas()
    variable_labels: dict[str, str] = {}
    value_labels: dict[str, dict[Code, str]] = {}
    for field in arrow.schema:
        metadata = field.metadata or {}
        variable_labels[field.name] = metadata.get(PARQUET_LABEL_KEY, b"").decode("utf-8")
        if PARQUET_VALUE_LABELS_KEY in metadata:
            numeric = pd.api.types.is_numeric_dtype(frame[field.name].dtype)
            value_labels[field.name] = parquet_value_labels(
                path, field.name, metadata[PARQUET_VALUE_LABELS_KEY], numeric=numeric
            )
    return _finish(frame, variable_labels, value_labels, wanted)


def parquet_value_labels(path: Path, column: str, raw: bytes, *, numeric: bool) -> dict[Code, str]:
    """``{"1": "Male"}`` or ``[[1, "Male"]]``; object keys are numbers for a numeric column."""
    problem = f"{path}: the value labels of column {column!r} in the Parquet metadata"
    try:
        parsed: Any = json.loads(raw)
    except ValueError as exc:
        raise ReadError(f"{problem} are not JSON ({exc})") from exc
    pairs = parsed.items() if isinstance(parsed, dict) else parsed
    labels: dict[Code, str] = {}
    try:
        for code, label in pairs:
            if numeric and isinstance(code, str):
                code = float(code)
            labels[code] = str(label)
    except (TypeError, ValueError) as exc:
        raise ReadError(f"{problem} must map codes to labels ({exc})") from exc
    return _clean_codes(labels)


def _finish(
    frame: pd.DataFrame,
    variable_labels: dict[str, str],
    value_labels: dict[str, dict[Code, str]],
    wanted: list[str] | None,
) -> Labels:
    if wanted is not None:
        frame = frame[wanted]  # the order asked for, whatever the file's order
    columns = [str(c) for c in frame.columns]
    return (
        frame.reset_index(drop=True),
        {c: variable_labels.get(c, "") for c in columns},
        {c: value_labels[c] for c in columns if c in value_labels},
    )


# -- checks -------------------------------------------------------------------------------------


def _format_of(path: Path) -> str:
    # BRFSS's zip holds "LLCP2022.XPT " with a trailing space: the suffix is still .xpt
    suffix = path.suffix.strip().lower()
    if suffix not in FORMATS:
        known = ", ".join(FORMATS)
        what = f"suffix {path.suffix!r}" if path.suffix else "no suffix"
        raise ReadError(f"{path}: unknown file type ({what}); expected one of {known}")
    return FORMATS[suffix]


def _checked_columns(path: Path, columns: Sequence[str] | None) -> list[str] | None:
    if columns is None:
        return None
    if isinstance(columns, str) or not all(isinstance(c, str) for c in columns):
        raise ReadError(f"{path}: columns must be a list of names, not {columns!r}")
    wanted = list(dict.fromkeys(columns))
    if not wanted:
        raise ReadError(f"{path}: columns is empty; name at least one column, or omit it")
    present = _column_names(path)
    for column in wanted:
        if column not in present:
            raise ReadError(f"{path}: {unknown_column(column, present)}")
    return wanted


def _column_names(path: Path) -> list[str]:
    """The file's column names, read without its data."""
    fmt = _format_of(path)
    try:
        if fmt == "csv":
            return [str(c) for c in pd.read_csv(path, nrows=0).columns]
        if fmt == "parquet":
            import pyarrow.parquet as pq

            return list(pq.read_schema(path).names)
        import pyreadstat

        if fmt == "xpt":
            _, meta = pyreadstat.read_xport(path, metadataonly=True)
        elif fmt == "sas7bdat":
            _, meta = pyreadstat.read_sas7bdat(path, metadataonly=True)
        elif fmt == "sav":
            _, meta = pyreadstat.read_sav(path, metadataonly=True)
        else:
            _, meta = pyreadstat.read_dta(path, metadataonly=True)
        return [str(c) for c in meta.column_names]
    except Exception as exc:
        raise ReadError(f"{path}: cannot read this as a .{fmt} file ({_reason(exc)})") from exc


def unknown_column(column: str, present: Sequence[object] | pd.Index) -> str:
    names = [str(c) for c in present]
    by_lower: dict[str, str] = {}
    for name in names:
        by_lower.setdefault(name.lower(), name)
    close = difflib.get_close_matches(column.lower(), list(by_lower), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(by_lower[c]) for c in close)}?" if close else ""
    return f"no column {column!r}{hint} ({len(names)} columns in the file)"


# -- small helpers ------------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _clean_codes(labels: Mapping[Any, Any]) -> dict[Code, str]:
    """Whole-number float codes become ints (``1.0`` -> ``1``); labels are text."""
    cleaned: dict[Code, str] = {}
    for code, label in labels.items():
        if isinstance(code, float) and code.is_integer():
            code = int(code)
        cleaned[code] = str(label)
    return cleaned


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _is_missing(value: object) -> bool:
    scalar: Any = value  # pandas' stubs type isna by overloads that `object` matches none of
    return value is None or (pd.api.types.is_scalar(scalar) and bool(pd.isna(scalar)))


def _text(value: object) -> str:
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        number = float(value)
        if number.is_integer():
            return str(int(number))
    return str(value)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."
