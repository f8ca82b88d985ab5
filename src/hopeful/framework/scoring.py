"""Scoring: one response at a time, or vectorized over a whole table.

Both paths interpret the same declarative definition (:mod:`hopeful.framework.instruments.base`)
with the same rules, and the test suite checks on random tables that they agree exactly:

- An answer is an integer code. ``None``, NaN, an empty string and the codes 7 (don't know) and
  9 (refused) are **missing**. Text that is an integer literal (``"4"``, ``" 4.0 "``) is that
  code; any other text, a non-integral number, or a code the item does not offer is
  **invalid**.
- A row with an invalid answer gets no outputs at all, and a reason naming every invalid answer
  (``invalid: pce3=6, pce5='abc'``). :func:`score_response` raises :class:`InvalidCodeError`
  instead unless ``on_invalid="reason"``.
- Complete case: an output is computed only when every item it needs is answered; a missing
  item is never counted as 0. The ``reason`` names the items the main ``score`` is missing
  (``missing: pce3, pce5``, in item order), and is empty when the score is computed.
- An indicator is present when any of its items has an affirmative code; counts add up present
  indicators; all-met flags need every indicator present; bands label a count.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from hopeful.framework.errors import InstrumentError, InvalidCodeError
from hopeful.framework.instruments.base import (
    MAX_CODE,
    AllMet,
    Band,
    Count,
    Indicator,
    Instrument,
    Item,
    Output,
)

__all__ = [
    "OutputValue",
    "Score",
    "ScoreTable",
    "ScoringOptions",
    "score_response",
    "score_table",
]

#: Choices for an instrument's switchable rules, e.g. ``{"ace_emotional_abuse": "more-than-once"}``.
ScoringOptions: TypeAlias = Mapping[str, str]

#: The value of one output: a count, a band label, an all-met flag, or a 0/1 indicator.
OutputValue: TypeAlias = int | str | bool | None

OnInvalid = Literal["raise", "reason"]

# Classes of an answer, and the lookup-table slots for blanks and unparseable values.
_MISSING, _ANSWER, _AFFIRMATIVE, _INVALID = 0, 1, 2, 3
_SLOT_INVALID = MAX_CODE + 1
_SLOT_BLANK = MAX_CODE + 2
_LUT_SIZE = MAX_CODE + 3

# An integer literal, optionally with a zero fraction ("4", "+4", "4.0"); at most 9 digits.
_INT_LITERAL = r"^[+-]?\d{1,9}(\.0*)?$"
_INT_LITERAL_RE = re.compile(_INT_LITERAL)


@dataclass(frozen=True, slots=True)
class Score:
    """The result of scoring one response.

    Attributes
    ----------
    instrument_id, version
        The instrument definition the response was scored under.
    values
        Output id -> value, in the instrument's output order; ``None`` where not computed.
    reason
        Empty when the main ``score`` was computed, else a machine-readable reason
        (``"missing: pce3, pce5"``, ``"invalid: pce3=6"``, or both joined by ``"; "``).
    missing
        Ids of the items the main score needs that are missing.
    invalid
        Ids of the items whose answers are invalid.
    """

    instrument_id: str
    version: str
    values: Mapping[str, OutputValue]
    reason: str
    missing: tuple[str, ...]
    invalid: tuple[str, ...]

    @property
    def scored(self) -> bool:
        """Whether the main score was computed."""
        return self.values["score"] is not None

    @property
    def score(self) -> int | None:
        """The main score (``None`` when not computed)."""
        value = self.values["score"]
        return value if isinstance(value, int) else None


@dataclass(frozen=True, slots=True)
class ScoreTable:
    """The result of scoring a table of responses, one entry per row in every array.

    Attributes
    ----------
    instrument
        The instrument definition used.
    n_rows
        Number of rows scored.
    values
        Output id -> array: ``int8`` for counts and indicators, ``bool`` for all-met flags,
        ``object`` (``str`` or ``None``) for bands. Entries where ``known`` is False are
        meaningless (0 or ``None``).
    known
        Output id -> ``bool`` array, False where the output is null.
    reason
        ``object`` array of ``str``: the reason per row (empty when scored).
    missing_mask, invalid_mask
        ``int64`` bit masks per row: bit *k* of ``missing_mask`` is the *k*-th item the main
        score needs; bit *k* of ``invalid_mask`` is the instrument's *k*-th item.
    """

    instrument: Instrument
    n_rows: int
    values: Mapping[str, npt.NDArray[Any]]
    known: Mapping[str, npt.NDArray[np.bool_]]
    reason: npt.NDArray[np.object_]
    missing_mask: npt.NDArray[np.int64]
    invalid_mask: npt.NDArray[np.int64]

    @property
    def scored(self) -> npt.NDArray[np.bool_]:
        """Rows whose main score was computed."""
        return self.known["score"]

    def column(self, output_id: str) -> list[OutputValue]:
        """One output as a list of Python values with ``None`` for nulls (for small tables)."""
        values, known = self.values[output_id], self.known[output_id]
        return [_python_value(v) if k else None for v, k in zip(values, known, strict=True)]

    def row(self, index: int) -> Score:
        """Row ``index`` as a :class:`Score` (what :func:`score_response` gives for it)."""
        inst = self.instrument
        needed = inst.items_needed("score")
        missing = int(self.missing_mask[index])
        invalid = int(self.invalid_mask[index])
        return Score(
            instrument_id=inst.id,
            version=inst.version,
            values={
                oid: _python_value(self.values[oid][index]) if self.known[oid][index] else None
                for oid in inst.output_ids
            },
            reason=str(self.reason[index]),
            missing=tuple(item for k, item in enumerate(needed) if missing >> k & 1),
            invalid=tuple(item for k, item in enumerate(inst.item_ids) if invalid >> k & 1),
        )


def _python_value(value: Any) -> OutputValue:
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    return value  # type: ignore[no-any-return]


# -- shared rules ------------------------------------------------------------------------------


def _affirmative_sets(
    instrument: Instrument, options: ScoringOptions | None
) -> dict[str, frozenset[int]]:
    """Affirmative codes per item, after checking the options against the instrument."""
    chosen = dict(options or {})
    known = {opt.id: opt for opt in instrument.options}
    for option_id, choice in chosen.items():
        if option_id not in known:
            names = ", ".join(known) or "none"
            raise InstrumentError(
                f"instrument {instrument.id!r} has no scoring option {option_id!r} (options: {names})"
            )
        if choice not in known[option_id].choices:
            choices = ", ".join(known[option_id].choices)
            raise InstrumentError(f"scoring option {option_id!r} must be one of: {choices}")
    return {item.id: instrument.affirmative_codes(item.id, chosen) for item in instrument.items}


def _reason(invalid_parts: Sequence[str], missing: Sequence[str]) -> str:
    parts = []
    if invalid_parts:
        parts.append("invalid: " + ", ".join(invalid_parts))
    if missing:
        parts.append("missing: " + ", ".join(missing))
    return "; ".join(parts)


def _format_text(text: str) -> str:
    return f"'{text}'"


# -- one response --------------------------------------------------------------------------------


def _classify(item: Item, affirmative: frozenset[int], value: object) -> tuple[int, str]:
    """Return (class, formatted value) of one answer."""
    code: int
    if value is None:
        return _MISSING, ""
    if isinstance(value, bool | np.bool_):
        return _INVALID, repr(bool(value))
    if isinstance(value, int | np.integer):
        code = int(value)
    elif isinstance(value, float | np.floating):
        number = float(value)
        if math.isnan(number):
            return _MISSING, ""
        if not number.is_integer():
            return _INVALID, repr(number)
        code = int(number)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return _MISSING, ""
        if not _INT_LITERAL_RE.match(text):
            return _INVALID, _format_text(text)
        code = int(text.split(".")[0])
    else:
        raise TypeError(
            f"answer to {item.id} must be a code, text or None, not {type(value).__name__}"
        )
    if code in item.missing_codes:
        return _MISSING, str(code)
    if code in affirmative:
        return _AFFIRMATIVE, str(code)
    if code in item.answer_codes:
        return _ANSWER, str(code)
    return _INVALID, str(code)


def score_response(
    instrument: Instrument,
    answers: Mapping[str, object],
    *,
    options: ScoringOptions | None = None,
    on_invalid: OnInvalid = "raise",
) -> Score:
    """Score one response.

    Parameters
    ----------
    instrument
        The instrument definition (from :func:`~hopeful.framework.get_instrument`).
    answers
        Item id -> code (``int``; an integral ``float`` or integer text is accepted). Absent
        items and ``None`` are blank.
    options
        Choices for the instrument's scoring options.
    on_invalid
        ``"raise"`` (default) raises :class:`InvalidCodeError` on the first invalid answer;
        ``"reason"`` returns an unscored :class:`Score` whose reason names the invalid answers.

    Raises
    ------
    UnknownItemError
        An answer names an item the instrument does not have.
    InvalidCodeError
        An answer is not a valid code for its item (with ``on_invalid="raise"``).
    InstrumentError
        An unknown scoring option or choice.
    """
    for item_id in answers:
        instrument.item(item_id)
    affirmative = _affirmative_sets(instrument, options)
    classes: dict[str, int] = {}
    invalid_parts: list[str] = []
    invalid_ids: list[str] = []
    for item in instrument.items:
        cls, shown = _classify(item, affirmative[item.id], answers.get(item.id))
        if cls == _INVALID:
            if on_invalid == "raise":
                raise InvalidCodeError(item.id, answers.get(item.id), item.codes)
            invalid_parts.append(f"{item.id}={shown}")
            invalid_ids.append(item.id)
        classes[item.id] = cls

    missing = tuple(i for i in instrument.items_needed("score") if classes[i] == _MISSING)
    values: dict[str, OutputValue] = {}
    present: dict[str, bool | None] = {}
    for ind in instrument.indicators:
        if invalid_ids or any(classes[i] == _MISSING for i in ind.items):
            present[ind.id] = None
        else:
            present[ind.id] = any(classes[i] == _AFFIRMATIVE for i in ind.items)
    for output in instrument.all_outputs:
        values[output.id] = _output_value(output, present, values)
    return Score(
        instrument_id=instrument.id,
        version=instrument.version,
        values=values,
        reason=_reason(invalid_parts, missing),
        missing=missing,
        invalid=tuple(invalid_ids),
    )


def _output_value(
    output: Output, present: Mapping[str, bool | None], earlier: Mapping[str, OutputValue]
) -> OutputValue:
    if isinstance(output, Band):
        source = earlier[output.source]
        return output.label_for(source) if isinstance(source, int) else None
    if isinstance(output, Indicator):
        flag = present[output.id]
        return None if flag is None else int(flag)
    flags = [present[i] for i in output.indicators]
    if any(f is None for f in flags):
        return None
    if isinstance(output, Count):
        return sum(1 for f in flags if f)
    return all(flags)


# -- a whole table -----------------------------------------------------------------------------


#: Given the rows with an invalid answer, return one label id per row and the labels
#: (each distinct value is formatted once, however many rows share it).
Formatter = Callable[[npt.NDArray[np.intp]], tuple[npt.NDArray[np.intp], list[str]]]


def _factorized(
    values: npt.NDArray[Any], show: Callable[[Any], str]
) -> tuple[npt.NDArray[np.intp], list[str]]:
    distinct, inverse = np.unique(values, return_inverse=True)
    return inverse.astype(np.intp).ravel(), [show(v) for v in distinct.tolist()]


def _show_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _slots_from_ints(codes: npt.NDArray[Any]) -> npt.NDArray[np.intp]:
    in_range = (codes >= 0) & (codes <= MAX_CODE)
    return np.where(in_range, codes, _SLOT_INVALID).astype(np.intp)


def _from_numpy(array: npt.NDArray[Any]) -> tuple[npt.NDArray[np.intp], Formatter]:
    if np.ma.isMaskedArray(array):
        masked = np.ma.getmaskarray(array)
        array = np.ma.getdata(array).astype(np.float64)
        array = np.where(masked, np.nan, array)
    kind = array.dtype.kind
    if kind in "iu":
        return _slots_from_ints(array), lambda rows: _factorized(array[rows], str)
    if kind == "f":
        values = array.astype(np.float64, copy=False)
        blank = np.isnan(values)
        safe = np.where(blank, 0.0, values)
        integral = np.isfinite(safe) & (safe == np.floor(safe)) & (np.abs(safe) < 2**31)
        slots = _slots_from_ints(np.where(integral, safe, -1).astype(np.int64))
        slots[~integral] = _SLOT_INVALID
        slots[blank] = _SLOT_BLANK

        return slots, lambda rows: _factorized(values[rows], _show_number)
    if kind in "USO":
        return _from_text(array)
    raise TypeError(f"cannot score a column of dtype {array.dtype}; use integer codes")


def _from_text(values: Any) -> tuple[npt.NDArray[np.intp], Formatter]:
    """Parse a column of text (pyarrow string array, numpy str/object array) vectorized."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values, np.ndarray):
        try:
            values = pa.array(values, type=pa.string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            # Mixed Python objects: fall back to converting each one (slow path).
            as_text = [None if v is None else str(v) for v in values.tolist()]
            values = pa.array(as_text, type=pa.string())
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    text = pc.utf8_trim_whitespace(values.cast(pa.string()))
    blank = pc.fill_null(pc.equal(text, ""), True)
    numeric = pc.fill_null(pc.match_substring_regex(text, _INT_LITERAL), False)
    digits = pc.replace_substring_regex(pc.if_else(numeric, text, "-1"), r"\..*$", "")
    codes = pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False)
    slots = _slots_from_ints(codes)
    slots[~numeric.to_numpy(zero_copy_only=False)] = _SLOT_INVALID
    slots[blank.to_numpy(zero_copy_only=False)] = _SLOT_BLANK

    def fmt(rows: npt.NDArray[np.intp]) -> tuple[npt.NDArray[np.intp], list[str]]:
        encoded = text.take(pa.array(rows)).dictionary_encode()
        ids = encoded.indices.to_numpy(zero_copy_only=False).astype(np.intp)
        return ids, [_show_text(t) for t in encoded.dictionary.to_pylist()]

    return slots, fmt


def _show_text(text: str) -> str:
    """Integer literals show as numbers (``6``), other text in quotes (``'abc'``)."""
    return str(int(text.split(".")[0])) if _INT_LITERAL_RE.match(text) else _format_text(text)


def _column_slots(values: Any, n_rows: int) -> tuple[npt.NDArray[np.intp], Formatter]:
    """Turn any supported column into lookup-table slots plus a formatter for invalid rows."""
    if values is None:
        return np.full(n_rows, _SLOT_BLANK, dtype=np.intp), lambda rows: _factorized(rows, str)
    module = type(values).__module__
    if module.startswith("pyarrow"):
        import pyarrow as pa

        arrow_type = values.type
        if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
            return _from_text(values)
        if pa.types.is_null(arrow_type):
            return _column_slots(None, n_rows)
        if pa.types.is_integer(arrow_type) or pa.types.is_floating(arrow_type):
            return _from_numpy(np.asarray(values.to_numpy(zero_copy_only=False)))
        raise TypeError(f"cannot score a column of type {arrow_type}; use integer codes")
    if module.startswith("pandas") or module.startswith("polars"):
        import pyarrow as pa

        if module.startswith("polars"):
            return _column_slots(values.to_arrow(), n_rows)
        return _column_slots(pa.array(values, from_pandas=True), n_rows)
    array = values if isinstance(values, np.ndarray) else np.asarray(values)
    if array.dtype.kind == "O" and all(
        v is None or (isinstance(v, int | float) and not isinstance(v, bool))
        for v in array.tolist()
    ):
        array = np.array([np.nan if v is None else v for v in array.tolist()], dtype=np.float64)
    return _from_numpy(array)


def _table_length(instrument: Instrument, table: Mapping[str, Any]) -> int:
    lengths = {item_id: len(table[item_id]) for item_id in instrument.item_ids if item_id in table}
    if len(set(lengths.values())) > 1:
        raise InstrumentError(f"columns have different lengths: {lengths}")
    if not lengths:
        raise InstrumentError(f"the table has none of the {instrument.id} item columns")
    return next(iter(lengths.values()))


def score_table(
    instrument: Instrument,
    table: Mapping[str, Any],
    *,
    options: ScoringOptions | None = None,
) -> ScoreTable:
    """Score every row of a table at once (vectorized; no Python loop per row).

    Parameters
    ----------
    instrument
        The instrument definition.
    table
        Item id -> column. A column may be a numpy array of integer codes, a float array (NaN
        is blank), a masked array, a list, a pandas or polars Series, a pyarrow array, or text
        (parsed as in :func:`score_response`). Absent item columns are blank; columns that are
        not items are ignored, so a whole data frame can be passed.
    options
        Choices for the instrument's scoring options.

    Returns
    -------
    ScoreTable
        Outputs, null masks, reasons and missing/invalid bit masks per row. Rows with an invalid
        answer get no outputs (never an exception), so a bad row cannot stop a batch.
    """
    affirmative = _affirmative_sets(instrument, options)
    n = _table_length(instrument, table)
    needed = instrument.items_needed("score")

    is_missing: dict[str, npt.NDArray[np.bool_]] = {}
    is_affirmative: dict[str, npt.NDArray[np.bool_]] = {}
    invalid_mask = np.zeros(n, dtype=np.int64)
    formatters: dict[str, tuple[npt.NDArray[np.bool_], Formatter]] = {}
    for k, item in enumerate(instrument.items):
        lut = np.full(_LUT_SIZE, _INVALID, dtype=np.uint8)
        lut[_SLOT_BLANK] = _MISSING
        for code in item.answer_codes:
            lut[code] = _AFFIRMATIVE if code in affirmative[item.id] else _ANSWER
        for code in item.missing_codes:
            lut[code] = _MISSING
        slots, formatter = _column_slots(table.get(item.id), n)
        classes = lut[slots]
        is_missing[item.id] = classes == _MISSING
        is_affirmative[item.id] = classes == _AFFIRMATIVE
        bad = classes == _INVALID
        if bad.any():
            invalid_mask |= bad.astype(np.int64) << k
            formatters[item.id] = (bad, formatter)
    valid_row = invalid_mask == 0

    present: dict[str, npt.NDArray[np.bool_]] = {}
    present_known: dict[str, npt.NDArray[np.bool_]] = {}
    for ind in instrument.indicators:
        present[ind.id] = np.logical_or.reduce([is_affirmative[i] for i in ind.items])
        answered = np.logical_not(np.logical_or.reduce([is_missing[i] for i in ind.items]))
        present_known[ind.id] = answered & valid_row

    values: dict[str, npt.NDArray[Any]] = {}
    known: dict[str, npt.NDArray[np.bool_]] = {}
    for output in instrument.all_outputs:
        if isinstance(output, Indicator):
            values[output.id] = present[output.id].astype(np.int8)
            known[output.id] = present_known[output.id]
        elif isinstance(output, Band):
            count = values[output.source]
            labels = np.empty(max(high for _, high, _ in output.cuts) + 1, dtype=np.object_)
            for low, high, name in output.cuts:
                labels[low : high + 1] = name
            known[output.id] = known[output.source]
            band_labels = labels[count]  # fancy indexing copies
            band_labels[~known[output.id]] = None
            values[output.id] = band_labels
        else:
            flags = [present[i] for i in output.indicators]
            known[output.id] = np.logical_and.reduce([present_known[i] for i in output.indicators])
            if isinstance(output, Count):
                values[output.id] = np.asarray(np.sum(flags, axis=0, dtype=np.int8))
            elif isinstance(output, AllMet):
                values[output.id] = np.logical_and.reduce(flags)

    missing_mask = np.zeros(n, dtype=np.int64)
    for k, item_id in enumerate(needed):
        missing_mask |= is_missing[item_id].astype(np.int64) << k
    reason = _table_reasons(instrument, needed, missing_mask, invalid_mask, formatters)
    return ScoreTable(
        instrument=instrument,
        n_rows=n,
        values=values,
        known=known,
        reason=reason,
        missing_mask=missing_mask,
        invalid_mask=invalid_mask,
    )


def _distinct_rows(
    columns: list[npt.NDArray[np.int64]], sizes: list[int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """Distinct rows of small-integer columns and the index of each row's distinct row.

    Column *j* holds values in ``-1 .. sizes[j] - 2``. The columns are packed into one integer
    key when it fits (a 1-D unique is much faster than a row-wise one), else compared row-wise.
    """
    if math.prod(sizes) < 2**62:
        key = np.zeros(len(columns[0]), dtype=np.int64)
        for column, size in zip(columns, sizes, strict=True):
            key = key * size + (column + 1)
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        stacked = np.stack([c[first] for c in columns], axis=1)
        return stacked, inverse.astype(np.intp).ravel()
    distinct_rows, inverse = np.unique(np.stack(columns, axis=1), axis=0, return_inverse=True)
    return distinct_rows, inverse.astype(np.intp).ravel()


def _table_reasons(
    instrument: Instrument,
    needed: tuple[str, ...],
    missing_mask: npt.NDArray[np.int64],
    invalid_mask: npt.NDArray[np.int64],
    formatters: Mapping[str, tuple[npt.NDArray[np.bool_], Formatter]],
) -> npt.NDArray[np.object_]:
    """Reason strings per row, each distinct one built once (not once per row)."""
    n = len(missing_mask)
    reason = np.full(n, "", dtype=object)
    with_missing = np.flatnonzero(missing_mask)
    if len(with_missing):
        patterns, inverse = np.unique(missing_mask[with_missing], return_inverse=True)
        texts = np.array(
            [_reason((), [i for k, i in enumerate(needed) if int(p) >> k & 1]) for p in patterns],
            dtype=object,
        )
        reason[with_missing] = texts[inverse]
    bad_rows = np.flatnonzero(invalid_mask)
    if len(bad_rows):
        # One column per item with invalid answers: the id of the shown value (-1: valid),
        # plus the missing pattern. Each distinct combination is put into words once.
        position = np.full(n, -1, dtype=np.intp)
        position[bad_rows] = np.arange(len(bad_rows))
        keys = [missing_mask[bad_rows]]
        shown: list[tuple[str, list[str]]] = []
        for item_id in instrument.item_ids:
            if item_id not in formatters:
                continue
            bad, formatter = formatters[item_id]
            rows = np.flatnonzero(bad)
            ids, labels = formatter(rows)
            column = np.full(len(bad_rows), -1, dtype=np.int64)
            column[position[rows]] = ids
            keys.append(column)
            shown.append((item_id, labels))
        combos, inverse = _distinct_rows(
            keys, [(1 << len(needed)) + 1] + [len(lb) + 1 for _, lb in shown]
        )
        texts = np.array(
            [
                _reason(
                    [
                        f"{item_id}={labels[v]}"
                        for (item_id, labels), v in zip(shown, combo[1:], strict=True)
                        if v >= 0
                    ],
                    [i for k, i in enumerate(needed) if int(combo[0]) >> k & 1],
                )
                for combo in combos.tolist()
            ],
            dtype=object,
        )
        reason[bad_rows] = texts[inverse.ravel()]
    return reason
