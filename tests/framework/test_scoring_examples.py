"""Hand-worked scoring examples for every built-in instrument.

Every expected value below was worked out by hand from ``shared/spec/instruments.md`` and is
written as a literal; none is computed by the code under test. Each example is checked on both
scoring paths: :func:`score_response` (one response) and :func:`score_table` (all examples of an
instrument as the rows of one table, built three ways: lists, float arrays with NaN for blanks,
and text columns).

Answers are given in the instrument's item order; ``None`` is a blank.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from hopeful.framework import (
    InstrumentError,
    InvalidCodeError,
    Score,
    UnknownItemError,
    get_instrument,
    score_response,
    score_table,
)

Value = int | str | bool | None


@dataclass(frozen=True)
class Example:
    name: str
    codes: tuple[int | None, ...]
    expected: tuple[Value, ...]
    reason: str = ""


@dataclass(frozen=True)
class Case:
    instrument_id: str
    items: tuple[str, ...]
    outputs: tuple[str, ...]
    examples: tuple[Example, ...]
    options: Mapping[str, str] | None = None


# -- pce7 ---------------------------------------------------------------------------------------
# score = affirmative (4 or 5) among pce1-pce7; band 0-2 / 3-5 / 6-7; family = pce1, pce2, pce7;
# community = pce3-pce6; bb_relationships = pce2, pce5, pce6; bb_environment = pce7;
# bb_engagement = pce3, pce4; bb_emotional_growth = pce1. pce4 = 8 is an answer scored 0.

PCE7 = Case(
    "pce7",
    ("pce1", "pce2", "pce3", "pce4", "pce5", "pce6", "pce7"),
    (
        "score",
        "band",
        "family",
        "community",
        "bb_relationships",
        "bb_environment",
        "bb_engagement",
        "bb_emotional_growth",
    ),
    (
        Example("all always", (5, 5, 5, 5, 5, 5, 5), (7, "6-7", 3, 4, 3, 1, 2, 1)),
        Example("all never", (1, 1, 1, 1, 1, 1, 1), (0, "0-2", 0, 0, 0, 0, 0, 0)),
        # pce1 5 Y, pce2 4 Y, pce3 2 N, pce4 8 N (no school), pce5 4 Y, pce6 3 N, pce7 5 Y
        Example("docstring, pce4=8", (5, 4, 2, 8, 4, 3, 5), (4, "3-5", 3, 1, 2, 1, 0, 1)),
        # pce4 = 8 scored 0, everything else usually
        Example("pce4=8 others 4", (4, 4, 4, 8, 4, 4, 4), (6, "6-7", 3, 3, 3, 1, 1, 1)),
        # pce1 4 Y, pce2 5 Y, rest sometimes: score 2 (top of 0-2)
        Example("band edge 2", (4, 5, 3, 3, 3, 3, 3), (2, "0-2", 2, 0, 1, 0, 0, 1)),
        # pce1-pce3 usually: score 3 (bottom of 3-5)
        Example("band edge 3", (4, 4, 4, 1, 1, 1, 1), (3, "3-5", 2, 1, 1, 0, 1, 1)),
        # pce1-pce5 always: score 5 (top of 3-5)
        Example("band edge 5", (5, 5, 5, 5, 5, 1, 1), (5, "3-5", 2, 3, 2, 0, 2, 1)),
        # pce3 don't know: score, band, community, bb_engagement missing; family computed
        Example(
            "pce3=7",
            (5, 5, 7, 5, 5, 5, 5),
            (None, None, 3, None, 3, 1, None, 1),
            "missing: pce3",
        ),
        Example(
            "pce3 blank, pce5=9",
            (4, 4, None, 4, 9, 4, 4),
            (None, None, 3, None, None, 1, None, 1),
            "missing: pce3, pce5",
        ),
        # reason lists pce1 before pce7 (item order), whatever order they went missing in
        Example(
            "pce7=9, pce1=7",
            (7, 2, 2, 2, 2, 2, 9),
            (None, None, None, 0, 0, None, 0, None),
            "missing: pce1, pce7",
        ),
        Example(
            "all blank",
            (None, None, None, None, None, None, None),
            (None, None, None, None, None, None, None, None),
            "missing: pce1, pce2, pce3, pce4, pce5, pce6, pce7",
        ),
        Example(
            "invalid pce3=6",
            (5, 5, 6, 5, 5, 5, 5),
            (None, None, None, None, None, None, None, None),
            "invalid: pce3=6",
        ),
        # 8 is valid only for pce4
        Example(
            "invalid pce1=8 and pce2 blank",
            (8, None, 4, 4, 4, 4, 4),
            (None, None, None, None, None, None, None, None),
            "invalid: pce1=8; missing: pce2",
        ),
    ),
)

# -- bce10 --------------------------------------------------------------------------------------
# score = number of Yes (1); bb_relationships = bce1, 2, 5, 7; bb_environment = bce4, 6, 10;
# bb_engagement = bce8; bb_emotional_growth = bce3, 9.

BCE10 = Case(
    "bce10",
    tuple(f"bce{n}" for n in range(1, 11)),
    ("score", "bb_relationships", "bb_environment", "bb_engagement", "bb_emotional_growth"),
    (
        Example("all yes", (1, 1, 1, 1, 1, 1, 1, 1, 1, 1), (10, 4, 3, 1, 2)),
        Example("all no", (2, 2, 2, 2, 2, 2, 2, 2, 2, 2), (0, 0, 0, 0, 0)),
        # yes to bce1, 3, 5, 7, 9
        Example("odd items yes", (1, 2, 1, 2, 1, 2, 1, 2, 1, 2), (5, 3, 0, 0, 2)),
        # yes to bce4, 6, 8, 10
        Example("environment and fun", (2, 2, 2, 1, 2, 1, 2, 1, 2, 1), (4, 0, 3, 1, 0)),
        Example(
            "bce4=7, bce9=9",
            (1, 1, 1, 7, 1, 1, 1, 1, 9, 1),
            (None, 4, None, 1, None),
            "missing: bce4, bce9",
        ),
        Example(
            "bce10 blank",
            (2, 2, 2, 2, 2, 2, 2, 2, 2, None),
            (None, 0, None, 0, 0),
            "missing: bce10",
        ),
        # item order puts bce10 after bce2 .. bce9
        Example(
            "bce2 and bce10 blank",
            (1, None, 1, 1, 1, 1, 1, 1, 1, None),
            (None, None, None, 1, 2),
            "missing: bce2, bce10",
        ),
        Example(
            "all blank",
            (None,) * 10,
            (None, None, None, None, None),
            "missing: bce1, bce2, bce3, bce4, bce5, bce6, bce7, bce8, bce9, bce10",
        ),
        Example(
            "invalid bce1=3",
            (3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
            (None, None, None, None, None),
            "invalid: bce1=3",
        ),
    ),
)

# -- ace_brfss ----------------------------------------------------------------------------------
# Items: ACEDEPRS, ACEDRINK, ACEDRUGS, ACEPRISN, ACEDIVRC (yes/no, 1 = exposed; ACEDIVRC 8 = not
# married, not exposed), ACEPUNCH, ACEHURT1, ACESWEAR, ACETOUCH, ACETTHEM, ACEHVSEX (1 never,
# 2 once, 3 more than once; 2 or 3 = exposed), then the optional ACEADSAF, ACEADNED (4 or 5).
# score = exposed categories; band 0 / 1 / 2-3 / 4+.

ACE_ITEMS = (
    "ACEDEPRS",
    "ACEDRINK",
    "ACEDRUGS",
    "ACEPRISN",
    "ACEDIVRC",
    "ACEPUNCH",
    "ACEHURT1",
    "ACESWEAR",
    "ACETOUCH",
    "ACETTHEM",
    "ACEHVSEX",
    "ACEADSAF",
    "ACEADNED",
)
ACE_OUTPUTS = (
    "score",
    "band",
    "household_mental_illness",
    "household_substance_use",
    "household_incarceration",
    "parental_separation",
    "witnessed_ipv",
    "physical_abuse",
    "emotional_abuse",
    "sexual_abuse",
    "protective_safe_adult",
    "protective_basic_needs",
)
ACE_ALL_MISSING = "missing: " + ", ".join(ACE_ITEMS[:11])
NONE_12 = (None,) * 12

ACE = Case(
    "ace_brfss",
    ACE_ITEMS,
    ACE_OUTPUTS,
    (
        #        DEPRS DRINK DRUGS PRISN DIVRC PUNCH HURT1 SWEAR TOUCH TTHEM HVSEX SAF NED
        Example(
            "no ACEs, band 0",
            (2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 5, 5),
            (0, "0", 0, 0, 0, 0, 0, 0, 0, 0, 1, 1),
        ),
        Example(
            "mental illness only, band 1",
            (1, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 4, 3),
            (1, "1", 1, 0, 0, 0, 0, 0, 0, 0, 1, 0),
        ),
        # drink and drugs are one category; protective items absent: score still computed
        Example(
            "substance use + incarceration, band 2-3 (2), protective absent",
            (2, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, None, None),
            (2, "2-3", 0, 1, 1, 0, 0, 0, 0, 0, None, None),
        ),
        Example(
            "separation + ipv + physical, band 2-3 (3), protective 7 and 9",
            (2, 2, 2, 2, 1, 2, 3, 1, 1, 1, 1, 7, 9),
            (3, "2-3", 0, 0, 0, 1, 1, 1, 0, 0, None, None),
        ),
        # sexual abuse from ACETTHEM = once alone
        Example(
            "four categories, band 4+ (4)",
            (1, 2, 2, 1, 2, 1, 1, 2, 1, 2, 1, 1, 2),
            (4, "4+", 1, 0, 1, 0, 0, 0, 1, 1, 0, 0),
        ),
        Example(
            "all eight, band 4+ (8)",
            (1, 1, 2, 1, 1, 3, 3, 3, 1, 1, 3, 5, 4),
            (8, "4+", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),
        ),
        Example(
            "parents not married (8) is not exposed",
            (2, 2, 2, 2, 8, 1, 1, 1, 1, 1, 1, 5, None),
            (0, "0", 0, 0, 0, 0, 0, 0, 0, 0, 1, None),
        ),
        Example(
            "parents not married (8) + mental illness",
            (1, 2, 2, 2, 8, 1, 1, 1, 1, 1, 1, 5, 5),
            (1, "1", 1, 0, 0, 0, 0, 0, 0, 0, 1, 1),
        ),
        # default rule: "once" counts as emotional abuse
        Example(
            "ACESWEAR once counts by default",
            (2, 2, 2, 2, 2, 1, 1, 2, 1, 1, 1, 5, 5),
            (1, "1", 0, 0, 0, 0, 0, 0, 1, 0, 1, 1),
        ),
        Example(
            "ACESWEAR more than once",
            (2, 2, 2, 2, 2, 1, 1, 3, 1, 1, 1, 5, 5),
            (1, "1", 0, 0, 0, 0, 0, 0, 1, 0, 1, 1),
        ),
        # a category is known only when all its items are answered, even if one is exposed
        Example(
            "ACEDRUGS=7 leaves substance use unknown despite ACEDRINK=1",
            (2, 1, 7, 2, 2, 1, 1, 1, 1, 1, 1, 5, 5),
            (None, None, 0, None, 0, 0, 0, 0, 0, 0, 1, 1),
            "missing: ACEDRUGS",
        ),
        Example(
            "divorce don't know, sexual abuse items 9 and blank",
            (2, 2, 2, 2, 7, 1, 1, 1, 1, 9, None, 5, 5),
            (None, None, 0, 0, 0, None, 0, 0, 0, None, 1, 1),
            "missing: ACEDIVRC, ACETTHEM, ACEHVSEX",
        ),
        Example(
            "sexual abuse known from ACEHVSEX only is still unknown",
            (2, 2, 2, 2, 2, 1, 1, 1, None, None, 3, 5, 5),
            (None, None, 0, 0, 0, 0, 0, 0, 0, None, 1, 1),
            "missing: ACETOUCH, ACETTHEM",
        ),
        Example(
            "only the protective items answered",
            (None,) * 11 + (4, 4),
            (None, None, None, None, None, None, None, None, None, None, 1, 1),
            ACE_ALL_MISSING,
        ),
        Example(
            "everything blank",
            (None,) * 13,
            NONE_12,
            ACE_ALL_MISSING,
        ),
        Example(
            "invalid ACEDIVRC=3",
            (2, 2, 2, 2, 3, 1, 1, 1, 1, 1, 1, 5, 5),
            NONE_12,
            "invalid: ACEDIVRC=3",
        ),
        # an invalid optional item still blanks the whole row
        Example(
            "invalid ACEADSAF=6",
            (2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 6, 5),
            NONE_12,
            "invalid: ACEADSAF=6",
        ),
        Example(
            "invalid ACEDEPRS=3 and ACEPUNCH=4, ACEHVSEX blank",
            (3, 2, 2, 2, 2, 4, 1, 1, 1, 1, None, 5, 5),
            NONE_12,
            "invalid: ACEDEPRS=3, ACEPUNCH=4; missing: ACEHVSEX",
        ),
    ),
)

# With {"ace_emotional_abuse": "more-than-once"} only ACESWEAR = 3 counts as emotional abuse.
ACE_MORE_THAN_ONCE = Case(
    "ace_brfss",
    ACE_ITEMS,
    ACE_OUTPUTS,
    (
        Example(
            "ACESWEAR once does not count",
            (2, 2, 2, 2, 2, 1, 1, 2, 1, 1, 1, 5, 5),
            (0, "0", 0, 0, 0, 0, 0, 0, 0, 0, 1, 1),
        ),
        Example(
            "ACESWEAR more than once counts",
            (2, 2, 2, 2, 2, 1, 1, 3, 1, 1, 1, 5, 5),
            (1, "1", 0, 0, 0, 0, 0, 0, 1, 0, 1, 1),
        ),
        Example(
            "ACESWEAR never",
            (2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 5, 5),
            (0, "0", 0, 0, 0, 0, 0, 0, 0, 0, 1, 1),
        ),
        # the option only changes ACESWEAR: other frequency items still count "once"
        Example(
            "ACESWEAR once + ACEHURT1 once",
            (2, 2, 2, 2, 2, 1, 2, 2, 1, 1, 1, 5, 5),
            (1, "1", 0, 0, 0, 0, 0, 1, 0, 0, 1, 1),
        ),
        Example(
            "four with ACESWEAR once not counted",
            (1, 1, 2, 1, 2, 2, 1, 2, 1, 1, 1, 3, 4),
            (4, "4+", 1, 1, 1, 0, 1, 0, 0, 0, 0, 1),
        ),
        Example(
            "ACESWEAR missing",
            (2, 2, 2, 2, 2, 1, 1, 9, 1, 1, 1, 5, 5),
            (None, None, 0, 0, 0, 0, 0, 0, None, 0, 1, 1),
            "missing: ACESWEAR",
        ),
    ),
    options={"ace_emotional_abuse": "more-than-once"},
)

# -- NSCH flourishing ---------------------------------------------------------------------------
# 1 Always, 2 Usually, 3 Sometimes, 4 Never; met = 1 or 2; flourishing = all met.
# 0-5 order K6Q70_R (relationships), K6Q73_R (emotional_growth), K6Q71_R (engagement),
# K6Q72_R (emotional_growth).

FLOURISHING_0_5 = Case(
    "nsch_flourishing_0_5",
    ("K6Q70_R", "K6Q73_R", "K6Q71_R", "K6Q72_R"),
    ("score", "flourishing", "bb_relationships", "bb_engagement", "bb_emotional_growth"),
    (
        Example("all always", (1, 1, 1, 1), (4, True, 1, 1, 2)),
        Example("all usually", (2, 2, 2, 2), (4, True, 1, 1, 2)),
        Example("bounce back sometimes", (1, 3, 2, 1), (3, False, 1, 1, 1)),
        Example("all never", (4, 4, 4, 4), (0, False, 0, 0, 0)),
        Example("only curiosity met", (3, 4, 2, 3), (1, False, 0, 1, 0)),
        Example(
            "K6Q73_R=7",
            (1, 7, 1, 1),
            (None, None, 1, 1, None),
            "missing: K6Q73_R",
        ),
        # an unmet item does not settle "flourishing" while others are missing (complete case)
        Example(
            "K6Q70_R=9, K6Q72_R blank, K6Q71_R sometimes",
            (9, 2, 3, None),
            (None, None, None, 0, None),
            "missing: K6Q70_R, K6Q72_R",
        ),
        Example(
            "invalid K6Q71_R=5",
            (1, 1, 5, 1),
            (None, None, None, None, None),
            "invalid: K6Q71_R=5",
        ),
    ),
)

# 6-17 order K6Q71_R (engagement), K7Q84_R, K7Q85_R (emotional_growth).
FLOURISHING_6_17 = Case(
    "nsch_flourishing_6_17",
    ("K6Q71_R", "K7Q84_R", "K7Q85_R"),
    ("score", "flourishing", "bb_engagement", "bb_emotional_growth"),
    (
        Example("all always", (1, 1, 1), (3, True, 1, 2)),
        Example("all usually", (2, 2, 2), (3, True, 1, 2)),
        Example("stays calm sometimes", (2, 1, 3), (2, False, 1, 1)),
        Example("all never", (4, 4, 4), (0, False, 0, 0)),
        Example("curiosity sometimes", (3, 1, 2), (2, False, 0, 2)),
        Example("K7Q85_R=7", (1, 1, 7), (None, None, 1, None), "missing: K7Q85_R"),
        Example(
            "K6Q71_R blank, K7Q84_R=9",
            (None, 9, 1),
            (None, None, None, None),
            "missing: K6Q71_R, K7Q84_R",
        ),
        Example(
            "invalid K7Q84_R=0",
            (1, 0, 1),
            (None, None, None, None),
            "invalid: K7Q84_R=0",
        ),
    ),
)

# -- NSCH family resilience ---------------------------------------------------------------------
# 1 All, 2 Most, 3 Some, 4 None of the time; met = 1 or 2; band 0-1 / 2-3 / 4; resilient = all 4.
# bb_relationships = TALKABOUT, WKTOSOLVE; bb_emotional_growth = STRENGTHS, HOPEFUL.

FAMILY_RESILIENCE = Case(
    "nsch_family_resilience",
    ("TALKABOUT", "WKTOSOLVE", "STRENGTHS", "HOPEFUL"),
    ("score", "band", "resilient", "bb_relationships", "bb_emotional_growth"),
    (
        Example("all of the time", (1, 1, 1, 1), (4, "4", True, 2, 2)),
        Example("most of the time", (2, 2, 2, 2), (4, "4", True, 2, 2)),
        Example("one of each", (1, 2, 3, 4), (2, "2-3", False, 2, 0)),
        Example("three met", (2, 2, 2, 3), (3, "2-3", False, 2, 1)),
        Example("one met", (3, 3, 3, 2), (1, "0-1", False, 0, 1)),
        Example("none of the time", (4, 4, 4, 4), (0, "0-1", False, 0, 0)),
        Example(
            "TALKABOUT=7",
            (7, 1, 1, 1),
            (None, None, None, None, 2),
            "missing: TALKABOUT",
        ),
        Example(
            "STRENGTHS=9, HOPEFUL blank",
            (2, 2, 9, None),
            (None, None, None, 2, None),
            "missing: STRENGTHS, HOPEFUL",
        ),
        Example(
            "invalid HOPEFUL=5",
            (1, 1, 1, 5),
            (None, None, None, None, None),
            "invalid: HOPEFUL=5",
        ),
        Example(
            "invalid TALKABOUT=8, WKTOSOLVE=9",
            (8, 9, 1, 1),
            (None, None, None, None, None),
            "invalid: TALKABOUT=8; missing: WKTOSOLVE",
        ),
    ),
)

CASES: dict[str, Case] = {
    "pce7": PCE7,
    "bce10": BCE10,
    "ace_brfss": ACE,
    "ace_brfss more-than-once": ACE_MORE_THAN_ONCE,
    "nsch_flourishing_0_5": FLOURISHING_0_5,
    "nsch_flourishing_6_17": FLOURISHING_6_17,
    "nsch_family_resilience": FAMILY_RESILIENCE,
}


def _example_params() -> list[Any]:
    return [
        pytest.param(case, example, id=f"{key}: {example.name}")
        for key, case in CASES.items()
        for example in case.examples
    ]


def _parts(reason: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(missing ids, invalid ids) named by a literal expected reason."""
    missing: tuple[str, ...] = ()
    invalid: tuple[str, ...] = ()
    for part in filter(None, reason.split("; ")):
        kind, _, rest = part.partition(": ")
        names = tuple(x.strip() for x in rest.split(","))
        if kind == "missing":
            missing = names
        else:
            assert kind == "invalid"
            invalid = tuple(x.split("=")[0] for x in names)
    return missing, invalid


def _assert_values(actual: Mapping[str, Value], case: Case, example: Example) -> None:
    assert tuple(actual) == case.outputs
    expected = dict(zip(case.outputs, example.expected, strict=True))
    for key, want in expected.items():
        got = actual[key]
        # bool vs int matters: AllMet flags are bools, counts and indicators are ints
        assert (got, type(got)) == (want, type(want)), f"{example.name}: {key}"


def _assert_score(score: Score, case: Case, example: Example) -> None:
    _assert_values(score.values, case, example)
    missing, invalid = _parts(example.reason)
    assert score.reason == example.reason
    assert score.missing == missing
    assert score.invalid == invalid
    assert score.scored is (example.expected[0] is not None)
    assert score.instrument_id == case.instrument_id
    assert score.version == "1.0"


def _answers(case: Case, example: Example) -> dict[str, int | None]:
    return dict(zip(case.items, example.codes, strict=True))


def test_examples_are_well_formed() -> None:
    for key, case in CASES.items():
        inst = get_instrument(case.instrument_id)
        assert inst.item_ids == case.items, key
        assert inst.output_ids == case.outputs, key
        assert len(case.examples) >= 4, key
        for example in case.examples:
            assert len(example.codes) == len(case.items), example.name
            assert len(example.expected) == len(case.outputs), example.name


# -- one response -------------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "example"), _example_params())
def test_score_response(case: Case, example: Example) -> None:
    inst = get_instrument(case.instrument_id)
    score = score_response(inst, _answers(case, example), options=case.options, on_invalid="reason")
    _assert_score(score, case, example)


@pytest.mark.parametrize(("case", "example"), _example_params())
def test_score_response_absent_items_are_blank(case: Case, example: Example) -> None:
    inst = get_instrument(case.instrument_id)
    answers = {k: v for k, v in _answers(case, example).items() if v is not None}
    score = score_response(inst, answers, options=case.options, on_invalid="reason")
    _assert_score(score, case, example)


@pytest.mark.parametrize(("case", "example"), _example_params())
def test_score_response_raises_on_invalid_by_default(case: Case, example: Example) -> None:
    inst = get_instrument(case.instrument_id)
    answers = _answers(case, example)
    if example.reason.startswith("invalid"):
        with pytest.raises(InvalidCodeError):
            score_response(inst, answers, options=case.options)
    else:
        _assert_score(score_response(inst, answers, options=case.options), case, example)


# -- a table ------------------------------------------------------------------------------------


def _list_column(values: Sequence[int | None]) -> Any:
    return list(values)


def _float_column(values: Sequence[int | None]) -> Any:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def _text_column(values: Sequence[int | None]) -> Any:
    return np.array(["" if v is None else str(v) for v in values], dtype=object)


BUILDERS: dict[str, Callable[[Sequence[int | None]], Any]] = {
    "lists": _list_column,
    "float-nan": _float_column,
    "text": _text_column,
}


@pytest.mark.parametrize("builder", list(BUILDERS))
@pytest.mark.parametrize("key", list(CASES))
def test_score_table(key: str, builder: str) -> None:
    case = CASES[key]
    inst = get_instrument(case.instrument_id)
    make = BUILDERS[builder]
    table = {
        item_id: make([ex.codes[k] for ex in case.examples]) for k, item_id in enumerate(case.items)
    }
    result = score_table(inst, table, options=case.options)
    assert result.n_rows == len(case.examples)
    for i, example in enumerate(case.examples):
        _assert_score(result.row(i), case, example)
        assert result.reason[i] == example.reason
    for k, output_id in enumerate(case.outputs):
        column = result.column(output_id)
        expected = [ex.expected[k] for ex in case.examples]
        assert [(v, type(v)) for v in column] == [(v, type(v)) for v in expected], output_id


# -- options and errors -------------------------------------------------------------------------


def test_ace_emotional_abuse_option_both_ways() -> None:
    ace = get_instrument("ace_brfss")
    answers = {
        "ACEDEPRS": 2,
        "ACEDRINK": 2,
        "ACEDRUGS": 2,
        "ACEPRISN": 2,
        "ACEDIVRC": 2,
        "ACEPUNCH": 1,
        "ACEHURT1": 1,
        "ACESWEAR": 2,
        "ACETOUCH": 1,
        "ACETTHEM": 1,
        "ACEHVSEX": 1,
    }
    default = score_response(ace, answers)
    assert default.values["emotional_abuse"] == 1
    assert default.values["score"] == 1
    assert default.values["band"] == "1"
    explicit = score_response(ace, answers, options={"ace_emotional_abuse": "once-or-more"})
    assert explicit.values == default.values
    strict = score_response(ace, answers, options={"ace_emotional_abuse": "more-than-once"})
    assert strict.values["emotional_abuse"] == 0
    assert strict.values["score"] == 0
    assert strict.values["band"] == "0"
    assert strict.values["protective_safe_adult"] is None
    assert strict.reason == ""


def test_unknown_option_choice() -> None:
    ace = get_instrument("ace_brfss")
    with pytest.raises(InstrumentError):
        score_response(ace, {}, options={"ace_emotional_abuse": "twice"})
    with pytest.raises(InstrumentError):
        score_response(ace, {}, options={"no_such_option": "x"})


@pytest.mark.parametrize("key", list(CASES))
def test_unknown_item(key: str) -> None:
    inst = get_instrument(CASES[key].instrument_id)
    with pytest.raises(UnknownItemError):
        score_response(inst, {"not_an_item": 1})
