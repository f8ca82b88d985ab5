"""The organization self-assessment on the six standards of HOPE-informed organizations.

The **six standards** are the HOPE National Resource Center's (verified: HOPE Summit 2024, the
self-assessment that starts the HOPE-Informed Organizational Certification): Bridge to HOPE;
knowledge of the HOPE framework; supporting family strengths and resilience; culturally
resonant care; amplifying the Four Building Blocks of HOPE; continuing learning and
improvement. HOPE has not published a scoring rubric for them, so **everything else here is
HOPEful's own design**, not an official HOPE rubric: the descriptions, the questions about
policies, intake forms, documentation and practice, the answers and their points, the levels
and the suggested changes.

Our rubric
----------
Each question is answered with one option worth 0 to 3 points (usually *not in place* 0,
*started or planned* 1, *in place* 2, *in place and reviewed in the last year* 3). A standard
gets a level once every one of its questions is answered, from the **mean points per
question**:

==============  ====================================================================
Level           Rule
==============  ====================================================================
1 Exploring     mean below 1
2 Emerging      mean 1 or more
3 Established   mean 2 or more
4 Exemplary     mean 2.5 or more **and** every answer at least 2 (*in place*)
==============  ====================================================================

A standard with a mean of 2.5 or more but an answer below 2 is *Established*: a practice not
yet in place is never exemplary. Means are compared exactly (fractions, not floats).

An answer worth fewer points than its question's ``opportunity_below`` (2 for every question:
*not in place* or *started*) suggests the question's **opportunity**, a concrete change
("Add strengths prompts to your intake forms ..."); unanswered questions suggest nothing.

>>> answers = {q.id: "in_place" for q in QUESTIONS if q.id != "family_strengths.intake_forms"}
>>> answers["family_strengths.intake_forms"] = "risks_only"
>>> result = score(answers)["family_strengths"]
>>> result.level.name, result.points, result.max_points
('EMERGING', 8, 15)
>>> [o.question_id for o in opportunities(answers)]
['family_strengths.intake_forms']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from hopeful.framework.errors import DefinitionError
from hopeful.framework.standards.content_1 import STANDARDS_1_TO_3
from hopeful.framework.standards.content_2 import STANDARDS_4_TO_6
from hopeful.framework.standards.model import (
    MAX_OPTION_POINTS,
    Area,
    IncompleteAnswersError,
    InvalidOptionError,
    Level,
    Opportunity,
    Option,
    Question,
    Standard,
    StandardResult,
    StandardsAnswerError,
    UnknownQuestionError,
)
from hopeful.framework.standards.scale import INTAKE_OPTIONS, SCALE

__all__ = [
    "EXEMPLARY_FLOOR",
    "INTAKE_OPTIONS",
    "LEVEL_THRESHOLDS",
    "MAX_OPTION_POINTS",
    "QUESTIONS",
    "SCALE",
    "STANDARDS",
    "STANDARD_IDS",
    "VERSION",
    "Area",
    "IncompleteAnswersError",
    "InvalidOptionError",
    "Level",
    "Opportunity",
    "Option",
    "Question",
    "Standard",
    "StandardResult",
    "StandardsAnswerError",
    "UnknownQuestionError",
    "clean_answers",
    "get_question",
    "get_standard",
    "level_for",
    "missing_questions",
    "opportunities",
    "require_complete",
    "score",
]

#: The version of the questions and rubric; stored with each submitted assessment, so a
#: later change of wording or thresholds never rewrites a past result silently.
VERSION = "2026.1"

#: (level, lowest mean points per question), highest level first. Our own rubric.
LEVEL_THRESHOLDS: tuple[tuple[Level, Fraction], ...] = (
    (Level.EXEMPLARY, Fraction(5, 2)),
    (Level.ESTABLISHED, Fraction(2)),
    (Level.EMERGING, Fraction(1)),
)

#: Exemplary also needs every answer to be worth at least this much (*in place*).
EXEMPLARY_FLOOR = 2

STANDARDS: tuple[Standard, ...] = (*STANDARDS_1_TO_3, *STANDARDS_4_TO_6)
STANDARD_IDS: tuple[str, ...] = tuple(s.id for s in STANDARDS)
QUESTIONS: tuple[Question, ...] = tuple(q for s in STANDARDS for q in s.questions)

_STANDARDS_BY_ID = {s.id: s for s in STANDARDS}
_QUESTIONS_BY_ID = {q.id: q for q in QUESTIONS}


def _check_definitions() -> None:
    """Refuse an inconsistent definition at import time, naming what is wrong."""
    if len(_STANDARDS_BY_ID) != len(STANDARDS):
        raise DefinitionError("two standards share an id")
    if len(_QUESTIONS_BY_ID) != len(QUESTIONS):
        raise DefinitionError("two questions share an id")
    for standard in STANDARDS:
        for question in standard.questions:
            if question.standard_id != standard.id:
                raise DefinitionError(f"question {question.id!r} is filed under {standard.id!r}")
            points = [option.points for option in question.options]
            if len(set(question.option_ids)) != len(question.options):
                raise DefinitionError(f"question {question.id!r}: two options share an id")
            if min(points) != 0 or max(points) != MAX_OPTION_POINTS or points != sorted(points):
                raise DefinitionError(
                    f"question {question.id!r}: options must go from 0 to "
                    f"{MAX_OPTION_POINTS} points, lowest first"
                )


_check_definitions()


def get_standard(standard_id: str) -> Standard:
    """The standard ``standard_id``; :class:`KeyError` naming the known ids otherwise."""
    try:
        return _STANDARDS_BY_ID[standard_id]
    except KeyError:
        raise KeyError(
            f"unknown standard {standard_id!r} (known: {', '.join(STANDARD_IDS)})"
        ) from None


def get_question(question_id: str) -> Question:
    """The question ``question_id``; :class:`UnknownQuestionError` otherwise."""
    try:
        return _QUESTIONS_BY_ID[question_id]
    except KeyError:
        raise UnknownQuestionError(question_id) from None


def clean_answers(answers: Mapping[str, object]) -> dict[str, str]:
    """The answers in question order, blanks (``""`` or None) left out as unanswered.

    Raises :class:`UnknownQuestionError` for an answer to no question and
    :class:`InvalidOptionError` for an answer that is not one of its question's options.
    """
    for question_id in answers:
        get_question(question_id)
    cleaned: dict[str, str] = {}
    for question in QUESTIONS:
        value = answers.get(question.id)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise InvalidOptionError(question.id, value, question.option_ids)
        question.option(value)
        cleaned[question.id] = value
    return cleaned


def missing_questions(answers: Mapping[str, object]) -> tuple[str, ...]:
    """The ids of the questions not answered yet, in questionnaire order."""
    cleaned = clean_answers(answers)
    return tuple(q.id for q in QUESTIONS if q.id not in cleaned)


def require_complete(answers: Mapping[str, object]) -> dict[str, str]:
    """The cleaned answers; :class:`IncompleteAnswersError` unless every question is
    answered."""
    cleaned = clean_answers(answers)
    missing = tuple(q.id for q in QUESTIONS if q.id not in cleaned)
    if missing:
        raise IncompleteAnswersError(missing)
    return cleaned


def level_for(points: Sequence[int]) -> Level:
    """The level of a standard whose questions' answers are worth ``points`` (our rubric)."""
    if not points:
        raise ValueError("a level needs at least one answer")
    total, count = sum(points), len(points)
    for level, lowest_mean in LEVEL_THRESHOLDS:
        if Fraction(total, count) >= lowest_mean:
            if level is Level.EXEMPLARY and min(points) < EXEMPLARY_FLOOR:
                continue
            return level
    return Level.EXPLORING


def score(answers: Mapping[str, object]) -> dict[str, StandardResult]:
    """Each standard's result, in standard order. A standard with unanswered questions has
    ``level=None`` (not answered yet) and counts the points of the answered ones. Bad answers
    raise as :func:`clean_answers` does."""
    cleaned = clean_answers(answers)
    results: dict[str, StandardResult] = {}
    for standard in STANDARDS:
        points = [q.option(cleaned[q.id]).points for q in standard.questions if q.id in cleaned]
        answered_max = sum(q.max_points for q in standard.questions if q.id in cleaned)
        complete = len(points) == len(standard.questions)
        results[standard.id] = StandardResult(
            standard_id=standard.id,
            level=level_for(points) if complete else None,
            points=sum(points),
            max_points=answered_max,
            answered=len(points),
            total=len(standard.questions),
        )
    return results


def opportunities(answers: Mapping[str, object]) -> list[Opportunity]:
    """The changes suggested by low answers, in questionnaire order (unanswered questions
    suggest nothing). Bad answers raise as :func:`clean_answers` does."""
    cleaned = clean_answers(answers)
    found: list[Opportunity] = []
    for question in QUESTIONS:
        option_id = cleaned.get(question.id)
        if option_id is None:
            continue
        if question.option(option_id).points < question.opportunity_below:
            found.append(Opportunity(question.standard_id, question.id, question.opportunity))
    return found
