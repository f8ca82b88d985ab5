"""The shapes of the six-standards self-assessment: answer options, questions, standards,
levels, results and the errors raised on bad answers.

Everything here is frozen, so the definitions in :mod:`hopeful.framework.standards.content`
can be shared freely. The points, the levels and their thresholds are HOPEful's own rubric
(see :mod:`hopeful.framework.standards`), not an official HOPE National Resource Center one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

from hopeful.framework.errors import HopefulError
from hopeful.framework.text import Text

__all__ = [
    "MAX_OPTION_POINTS",
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
]

#: Every question's best answer is worth this many points, so that means per question are
#: comparable across questions and standards.
MAX_OPTION_POINTS = 3


class StandardsAnswerError(HopefulError, ValueError):
    """Answers to the self-assessment that cannot be scored."""


class UnknownQuestionError(StandardsAnswerError, LookupError):
    """An answer names a question the self-assessment does not have."""

    def __init__(self, question_id: str) -> None:
        self.question_id = question_id
        super().__init__(f"the self-assessment has no question {question_id!r}")


class InvalidOptionError(StandardsAnswerError):
    """An answer is not one of its question's options."""

    def __init__(self, question_id: str, value: object, valid: tuple[str, ...]) -> None:
        self.question_id = question_id
        self.value = value
        self.valid = valid
        super().__init__(
            f"{value!r} is not an answer to question {question_id!r} "
            f"(valid answers: {', '.join(valid)})"
        )


class IncompleteAnswersError(StandardsAnswerError):
    """Some questions are not answered yet (``missing`` lists their ids in order)."""

    def __init__(self, missing: tuple[str, ...]) -> None:
        self.missing = missing
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        super().__init__(f"{len(missing)} question(s) not answered yet: {shown}")


class Area(StrEnum):
    """What a question looks at in the organization."""

    POLICY = "policy"
    INTAKE_FORMS = "intake_forms"
    DOCUMENTATION = "documentation"
    PRACTICE = "practice"

    @property
    def label(self) -> Text:
        return _AREA_LABELS[self]


_AREA_LABELS = {
    Area.POLICY: Text(en="Policy", es="Política"),
    Area.INTAKE_FORMS: Text(en="Intake forms", es="Formularios de admisión"),
    Area.DOCUMENTATION: Text(en="Documentation", es="Documentación"),
    Area.PRACTICE: Text(en="Practice", es="Práctica"),
}


class Level(IntEnum):
    """A standard's level, from the mean points per question (our own rubric)."""

    EXPLORING = 1
    EMERGING = 2
    ESTABLISHED = 3
    EXEMPLARY = 4

    @property
    def label(self) -> Text:
        return _LEVEL_TEXTS[self][0]

    @property
    def description(self) -> Text:
        return _LEVEL_TEXTS[self][1]


_LEVEL_TEXTS = {
    Level.EXPLORING: (
        Text(en="Exploring", es="Explorando"),
        Text(
            en="Few of the practices are in place yet: a good place to start.",
            es="Todavía hay pocas prácticas implementadas: un buen punto de partida.",
        ),
    ),
    Level.EMERGING: (
        Text(en="Emerging", es="En desarrollo"),
        Text(
            en="Several practices are started; some are in place.",
            es="Varias prácticas están iniciadas; algunas ya están implementadas.",
        ),
    ),
    Level.ESTABLISHED: (
        Text(en="Established", es="Establecido"),
        Text(
            en="Most practices are in place.",
            es="La mayoría de las prácticas están implementadas.",
        ),
    ),
    Level.EXEMPLARY: (
        Text(en="Exemplary", es="Ejemplar"),
        Text(
            en="Every practice is in place and most are reviewed every year.",
            es="Todas las prácticas están implementadas y la mayoría se revisan cada año.",
        ),
    ),
}


@dataclass(frozen=True, slots=True)
class Option:
    """One answer to a question and the points it is worth (0 to :data:`MAX_OPTION_POINTS`)."""

    id: str
    points: int
    label: Text


@dataclass(frozen=True, slots=True)
class Question:
    """One question about the organization's policies, forms, documentation or practice.

    ``opportunity`` is the change suggested when the answer is worth fewer than
    ``opportunity_below`` points.
    """

    id: str
    standard_id: str
    area: Area
    text: Text
    options: tuple[Option, ...]
    opportunity: Text
    opportunity_below: int = 2
    block_id: str | None = None

    @property
    def max_points(self) -> int:
        return max(option.points for option in self.options)

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options)

    def option(self, option_id: str) -> Option:
        """The option ``option_id``; :class:`InvalidOptionError` when there is none."""
        for option in self.options:
            if option.id == option_id:
                return option
        raise InvalidOptionError(self.id, option_id, self.option_ids)


@dataclass(frozen=True, slots=True)
class Standard:
    """One of the six standards, its (paraphrased) description and its questions."""

    id: str
    order: int
    name: Text
    description: Text
    questions: tuple[Question, ...]

    @property
    def max_points(self) -> int:
        return sum(question.max_points for question in self.questions)


@dataclass(frozen=True, slots=True)
class StandardResult:
    """A standard's result: ``level`` is None until every one of its questions is answered
    (``answered`` of ``total``); ``points`` and ``max_points`` count the answered ones."""

    standard_id: str
    level: Level | None
    points: int
    max_points: int
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.answered == self.total


@dataclass(frozen=True, slots=True)
class Opportunity:
    """A suggested change, generated from a low answer to one question."""

    standard_id: str
    question_id: str
    text: Text
