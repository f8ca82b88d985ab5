"""The quiz a lesson ends with (a Wagtail StreamField of questions). Every question needs at
least one correct choice: a question nobody can answer right would block the course."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError


class ChoiceBlock(blocks.StructBlock):  # type: ignore[misc]  # wagtail ships no type information
    text = blocks.CharBlock(max_length=300, label=_("Answer"))
    correct = blocks.BooleanBlock(required=False, label=_("Correct"))

    class Meta:
        icon = "tick"
        label = _("Choice")


class QuestionBlock(blocks.StructBlock):  # type: ignore[misc]  # wagtail ships no type information
    text = blocks.TextBlock(max_length=600, label=_("Question"))
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2, label=_("Choices"))
    explanation = blocks.TextBlock(
        max_length=1000,
        required=False,
        label=_("Explanation"),
        help_text=_("Shown to a learner who got the question wrong."),
    )

    class Meta:
        icon = "help"
        label = _("Question")

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not any(choice["correct"] for choice in value["choices"]):
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Mark at least one choice as correct."))}
            )
        return value


class QuizBlock(blocks.StreamBlock):  # type: ignore[misc]  # wagtail ships no type information
    question = QuestionBlock()
