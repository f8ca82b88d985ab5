from __future__ import annotations

import re

import pytest

from hopeful.framework import BLOCK_IDS, Audience, Text
from hopeful.framework.guidance import ATTRIBUTION, ideas


@pytest.mark.parametrize("block_id", BLOCK_IDS)
@pytest.mark.parametrize("audience", list(Audience))
def test_every_block_has_one_or_two_ideas_for_every_audience_in_english_and_spanish(
    block_id: str, audience: Audience
) -> None:
    found = ideas(block_id, audience)
    assert 1 <= len(found) <= 2
    for idea in found:
        assert isinstance(idea, Text)
        assert set(idea.languages) == {"en", "es"}
        assert idea["en"] != idea["es"]


def test_the_audience_may_be_given_as_its_value() -> None:
    assert ideas("engagement", "adult_retrospective") == ideas(
        "engagement", Audience.ADULT_RETROSPECTIVE
    )


def test_an_unknown_block_or_audience_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="building block"):
        ideas("resilience", Audience.ADULT_RETROSPECTIVE)
    with pytest.raises(KeyError, match="audience"):
        ideas("relationships", "teacher")


def test_ideas_never_speak_of_adversity_scores_or_risk() -> None:
    words = re.compile(r"\b(ACE|ACEs|risk|riesgo|score|puntaje|adverse|adversas?)\b", re.I)
    for block_id in BLOCK_IDS:
        for audience in Audience:
            for idea in ideas(block_id, audience):
                for language in idea.languages:
                    assert not words.search(idea[language]), idea[language]


def test_the_ideas_are_credited_to_hopeful() -> None:
    assert "HOPEful" in ATTRIBUTION["en"]
    assert "HOPEful" in ATTRIBUTION["es"]
