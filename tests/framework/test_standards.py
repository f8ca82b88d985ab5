"""The six-standards self-assessment: definitions, our rubric's levels at their thresholds,
the suggested changes, and refusals of bad answers."""

from __future__ import annotations

import pytest

from hopeful.framework import BLOCK_IDS
from hopeful.framework.standards import (
    EXEMPLARY_FLOOR,
    QUESTIONS,
    STANDARD_IDS,
    STANDARDS,
    IncompleteAnswersError,
    InvalidOptionError,
    Level,
    UnknownQuestionError,
    get_question,
    get_standard,
    level_for,
    missing_questions,
    opportunities,
    require_complete,
    score,
)

POINTS = {0: "not_in_place", 1: "started", 2: "in_place", 3: "reviewed"}


def _all(option: str = "in_place") -> dict[str, str]:
    answers = {q.id: option for q in QUESTIONS}
    answers["family_strengths.intake_forms"] = {
        "not_in_place": "risks_only",
        "started": "open_strengths",
        "in_place": "some_blocks",
        "reviewed": "all_blocks",
    }[option]
    return answers


def _standard_answers(standard_id: str, points: list[int]) -> dict[str, str]:
    questions = get_standard(standard_id).questions
    assert len(points) == len(questions)
    return {q.id: q.options[p].id for q, p in zip(questions, points, strict=True)}


def test_the_six_standards_in_order() -> None:
    assert STANDARD_IDS == (
        "bridge_to_hope",
        "framework_knowledge",
        "family_strengths",
        "culturally_resonant_care",
        "four_building_blocks",
        "continuing_learning",
    )
    assert [s.order for s in STANDARDS] == [1, 2, 3, 4, 5, 6]


def test_ids_are_unique_and_name_their_standard() -> None:
    ids = [q.id for q in QUESTIONS]
    assert len(ids) == len(set(ids))
    for standard in STANDARDS:
        assert 4 <= len(standard.questions) <= 6
        for question in standard.questions:
            assert question.id.startswith(f"{standard.id}.")
            assert question.standard_id == standard.id
            assert len(set(question.option_ids)) == len(question.options)


def test_every_text_is_in_english_and_spanish() -> None:
    texts = []
    for standard in STANDARDS:
        texts += [standard.name, standard.description]
        for question in standard.questions:
            texts += [question.text, question.opportunity, question.area.label]
            texts += [option.label for option in question.options]
    texts += [level.label for level in Level] + [level.description for level in Level]
    for text in texts:
        assert set(text.languages) == {"en", "es"}, text
        assert text["en"].strip()
        assert text["es"].strip()
        assert text["en"] != text["es"] or len(text["en"]) < 12, text


def test_the_building_blocks_standard_asks_about_each_block() -> None:
    standard = get_standard("four_building_blocks")
    blocks = [q.block_id for q in standard.questions if q.block_id]
    assert blocks == list(BLOCK_IDS)
    assert get_question("four_building_blocks.emotional_growth").block_id == "emotional_growth"


def test_questions_cover_policies_intake_forms_documentation_and_practice() -> None:
    assert {q.area.value for q in QUESTIONS} == {
        "policy",
        "intake_forms",
        "documentation",
        "practice",
    }


def test_every_question_goes_from_0_to_3_points() -> None:
    for question in QUESTIONS:
        assert question.options[0].points == 0
        assert question.max_points == 3


@pytest.mark.parametrize(
    ("points", "level"),
    [
        ([0, 0, 0, 0, 0], Level.EXPLORING),
        ([1, 1, 1, 1, 0], Level.EXPLORING),  # mean 0.8
        ([1, 1, 1, 1, 1], Level.EMERGING),  # mean 1: the threshold itself
        ([2, 2, 2, 2, 1], Level.EMERGING),  # mean 1.8
        ([2, 2, 2, 2, 2], Level.ESTABLISHED),  # mean 2
        ([3, 3, 2, 2, 2], Level.ESTABLISHED),  # mean 2.4
        ([3, 3, 3, 2, 2], Level.EXEMPLARY),  # mean 2.6, every answer in place
        ([3, 3, 3, 3, 1], Level.ESTABLISHED),  # mean 2.6 but one only started
        ([3, 3, 3, 3, 0], Level.ESTABLISHED),  # mean 2.4
        ([3, 3, 3, 3, 3], Level.EXEMPLARY),
        ([3, 2, 3, 2], Level.EXEMPLARY),  # mean 2.5 exactly (four questions)
        ([3, 2, 2, 2], Level.ESTABLISHED),  # mean 2.25
    ],
)
def test_levels_at_the_thresholds(points: list[int], level: Level) -> None:
    assert level_for(points) is level


def test_exemplary_needs_every_answer_in_place() -> None:
    assert EXEMPLARY_FLOOR == 2
    assert level_for([3, 3, 3, 3, 3, 3, 3, 3, 3, 1]) is Level.ESTABLISHED


def test_score_gives_each_standard_its_level_and_points() -> None:
    answers = _all("in_place")
    answers.update(_standard_answers("bridge_to_hope", [3, 3, 3, 2, 2]))
    answers.update(_standard_answers("continuing_learning", [0, 1, 0, 1, 0]))
    results = score(answers)
    assert list(results) == list(STANDARD_IDS)
    bridge = results["bridge_to_hope"]
    assert (bridge.level, bridge.points, bridge.max_points, bridge.answered) == (
        Level.EXEMPLARY,
        13,
        15,
        5,
    )
    assert bridge.complete
    assert results["continuing_learning"].level is Level.EXPLORING
    assert results["family_strengths"].level is Level.ESTABLISHED


def test_a_standard_with_unanswered_questions_has_no_level_yet() -> None:
    answers = _standard_answers("bridge_to_hope", [3, 3, 3, 3, 3])
    del answers["bridge_to_hope.spaces"]
    results = score(answers)
    assert results["bridge_to_hope"].level is None
    assert results["bridge_to_hope"].points == 12
    assert results["bridge_to_hope"].answered == 4
    assert results["bridge_to_hope"].total == 5
    assert not results["bridge_to_hope"].complete
    assert results["framework_knowledge"].answered == 0
    assert results["framework_knowledge"].level is None


def test_blank_answers_count_as_not_answered() -> None:
    answers = _all()
    answers["bridge_to_hope.spaces"] = ""
    assert missing_questions(answers) == ("bridge_to_hope.spaces",)
    assert score(answers)["bridge_to_hope"].level is None


def test_require_complete_names_the_missing_questions() -> None:
    answers = _all()
    del answers["continuing_learning.reassessment"]
    del answers["bridge_to_hope.leadership"]
    with pytest.raises(IncompleteAnswersError) as caught:
        require_complete(answers)
    assert caught.value.missing == ("bridge_to_hope.leadership", "continuing_learning.reassessment")
    assert "2 question(s) not answered" in str(caught.value)
    assert require_complete(_all()) == _all()


def test_an_answer_outside_the_options_is_refused() -> None:
    answers = _all()
    answers["bridge_to_hope.spaces"] = "risks_only"  # an option of another question
    with pytest.raises(InvalidOptionError, match=r"bridge_to_hope\.spaces"):
        score(answers)
    with pytest.raises(InvalidOptionError):
        opportunities({"bridge_to_hope.spaces": 3})


def test_an_answer_to_an_unknown_question_is_refused() -> None:
    with pytest.raises(UnknownQuestionError, match=r"no question 'bridge_to_hope\.nope'"):
        score({"bridge_to_hope.nope": "in_place"})


def test_an_intake_form_asking_only_about_risks_suggests_strengths_prompts() -> None:
    answers = _all("in_place")
    answers["family_strengths.intake_forms"] = "risks_only"
    found = opportunities(answers)
    assert [(o.standard_id, o.question_id) for o in found] == [
        ("family_strengths", "family_strengths.intake_forms")
    ]
    assert found[0].text["en"].startswith("Add strengths prompts to your intake forms")
    assert "Cuatro Pilares" in found[0].text["es"]


@pytest.mark.parametrize(("points", "suggested"), [(0, True), (1, True), (2, False), (3, False)])
def test_suggestions_come_from_answers_below_in_place(points: int, suggested: bool) -> None:
    question = get_question("bridge_to_hope.leadership")
    answers = _all("reviewed")
    answers[question.id] = question.options[points].id
    found = [o.question_id for o in opportunities(answers)]
    assert (question.id in found) is suggested


def test_every_low_answer_suggests_a_change_in_questionnaire_order() -> None:
    found = opportunities(_all("not_in_place"))
    assert [o.question_id for o in found] == [q.id for q in QUESTIONS]
    assert opportunities(_all("reviewed")) == []
    assert opportunities({}) == []


def test_unknown_standard_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="bridge_to_hope"):
        get_standard("nope")
