"""Properties of scoring that must hold for every instrument, checked with Hypothesis."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hopeful.framework import (
    AllMet,
    Band,
    Count,
    Indicator,
    Instrument,
    list_instruments,
    score_response,
    score_table,
)

INSTRUMENTS = list_instruments()
IDS = [inst.id for inst in INSTRUMENTS]


def option_choices(inst: Instrument) -> st.SearchStrategy[dict[str, str]]:
    """Either the defaults or any choice of each scoring option."""
    return st.fixed_dictionaries(
        {}, optional={opt.id: st.sampled_from(sorted(opt.choices)) for opt in inst.options}
    )


def answer(inst: Instrument, item_id: str, *, allow_invalid: bool) -> st.SearchStrategy[Any]:
    item = inst.item(item_id)
    valid = st.sampled_from(sorted(item.codes))
    choices: list[st.SearchStrategy[Any]] = [valid, valid, valid, st.none()]
    if allow_invalid:
        choices += [
            st.integers(-3, 70).filter(lambda c: c not in item.codes),
            st.sampled_from(["abc", "4.5", "x1", "--"]),
            st.sampled_from([" 4 ", "4.0", ""]),
        ]
    return st.one_of(*choices)


def responses(inst: Instrument, *, allow_invalid: bool) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {i: answer(inst, i, allow_invalid=allow_invalid) for i in inst.item_ids}
    )


def complete(inst: Instrument) -> st.SearchStrategy[dict[str, int]]:
    """Responses with every item answered with a real (non-missing) answer code."""
    return st.fixed_dictionaries(
        {item.id: st.sampled_from(sorted(item.answer_codes)) for item in inst.items}
    )


@pytest.mark.parametrize("inst", INSTRUMENTS, ids=IDS)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_it_keeps_every_output_in_range(inst: Instrument, data: st.DataObject) -> None:
    options = data.draw(option_choices(inst))
    resp = data.draw(responses(inst, allow_invalid=False))
    result = score_response(inst, resp, options=options)
    for output in inst.all_outputs:
        value = result.values[output.id]
        if value is None:
            continue
        if isinstance(output, Count):
            assert 0 <= value <= len(output.indicators)
        elif isinstance(output, Band):
            assert value == output.label_for(result.values[output.source])  # type: ignore[arg-type]
        elif isinstance(output, AllMet):
            assert isinstance(value, bool)
        elif isinstance(output, Indicator):
            assert value in (0, 1)
    assert result.scored == (result.reason == "")
    assert result.scored == (not result.missing)


@pytest.mark.parametrize("inst", INSTRUMENTS, ids=IDS)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_it_never_lowers_a_count_when_an_item_turns_affirmative(
    inst: Instrument, data: st.DataObject
) -> None:
    options = data.draw(option_choices(inst))
    before = data.draw(complete(inst))
    item_id = data.draw(st.sampled_from(inst.item_ids))
    affirmative = sorted(inst.affirmative_codes(item_id, options))
    after = dict(before, **{item_id: data.draw(st.sampled_from(affirmative))})
    old = score_response(inst, before, options=options)
    new = score_response(inst, after, options=options)
    assert old.scored
    assert new.scored
    for output in inst.all_outputs:
        if isinstance(output, Count | Indicator):
            assert new.values[output.id] >= old.values[output.id]  # type: ignore[operator]
        elif isinstance(output, AllMet):
            assert new.values[output.id] or not old.values[output.id]


def _column(values: list[Any], form: str) -> Any:
    """The same answers in one of the column forms score_table accepts."""
    if form == "list":
        return values
    if form == "text":
        return np.array(["" if v is None else str(v) for v in values], dtype=object)
    if form == "arrow-text":
        return pa.array([None if v is None else str(v) for v in values], type=pa.string())
    if form == "float":
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    if form == "int":
        return np.array(values, dtype=np.int64)
    if form == "masked":
        data = np.array([0 if v is None else v for v in values], dtype=np.int64)
        return np.ma.masked_array(data, mask=[v is None for v in values])
    if form == "arrow-int":
        return pa.array(values, type=pa.int64())
    raise AssertionError(form)


def _forms(values: list[Any]) -> list[str]:
    forms = ["list", "text", "arrow-text"]
    if all(v is None or isinstance(v, int) for v in values):
        forms += ["float", "masked", "arrow-int"]
        if all(v is not None for v in values):
            forms.append("int")
    return forms


@pytest.mark.parametrize("inst", INSTRUMENTS, ids=IDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_it_scores_a_table_exactly_as_one_response_at_a_time(
    inst: Instrument, data: st.DataObject
) -> None:
    options = data.draw(option_choices(inst))
    rows = data.draw(st.lists(responses(inst, allow_invalid=True), min_size=1, max_size=40))
    table = {}
    for item_id in inst.item_ids:
        values = [row[item_id] for row in rows]
        table[item_id] = _column(values, data.draw(st.sampled_from(_forms(values))))
    result = score_table(inst, table, options=options)
    assert result.n_rows == len(rows)
    for index, row in enumerate(rows):
        one = score_response(inst, row, options=options, on_invalid="reason")
        assert result.row(index) == one, (index, row)


@pytest.mark.parametrize("inst", INSTRUMENTS, ids=IDS)
def test_it_scores_a_large_random_table_like_one_by_one(inst: Instrument) -> None:
    rng = np.random.default_rng(20261126)
    n = 3000
    table: dict[str, Any] = {}
    for item in inst.items:
        codes = np.array([*item.codes, 6 if 6 not in item.codes else 66], dtype=np.int64)
        weights = np.full(len(codes), 1.0)
        weights[-1] = 0.05  # a few invalid codes
        table[item.id] = rng.choice(codes, size=n, p=weights / weights.sum())
    result = score_table(inst, table)
    for index in range(n):
        row = {k: int(v[index]) for k, v in table.items()}
        assert result.row(index) == score_response(inst, row, on_invalid="reason")
