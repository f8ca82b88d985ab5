"""Forms of the self-assessment and the improvement plan.

The forms check the shape of the input (one of the answers offered, a date, a member); the
services check the rules (a submitted assessment does not change, a date is not past, the
owner belongs to the organization) and raise
:class:`~hopeful.web.standards.services.StandardsError`, which :func:`add_service_error`
shows next to the field it names, in the page's language.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from hopeful.framework import standards as rubric
from hopeful.web.standards.models import ActionStatus
from hopeful.web.standards.selectors import Member
from hopeful.web.standards.services import MAX_TEXT, StandardsError

#: The services' refusals these forms can meet (services.py raises them in English; marking
#: them here puts them in the message catalog).
SERVICE_MESSAGES = (
    gettext_noop("This question is not part of the self-assessment."),
    gettext_noop("Choose one of the answers offered."),
    gettext_noop("This self-assessment is submitted, so it can no longer change."),
    gettext_noop("Answer every question before submitting."),
    gettext_noop("Say what will change."),
    gettext_noop("Choose a member of this organization."),
    gettext_noop("Enter a date."),
    gettext_noop("Choose today or a later date."),
    gettext_noop("Choose a date within five years."),
    gettext_noop("Choose one of the six standards."),
    gettext_noop("This belongs to another organization."),
    gettext_noop("Submit the self-assessment before planning from it."),
    gettext_noop("This suggestion is not one of the self-assessment's."),
    gettext_noop("Choose where the step stands."),
    gettext_noop("Submit a self-assessment before applying."),
    gettext_noop("Add at least one step to the improvement plan before applying."),
)


def field_name(question_id: str) -> str:
    """A question's form field name (ids hold dots, which make awkward HTML ids)."""
    return question_id.replace(".", "__")


def add_service_error(form: forms.Form, error: StandardsError) -> None:
    """Show a service's refusal next to the field it names (at the top when it names none)."""
    name = field_name(error.field) if error.field else ""
    form.add_error(name if name in form.fields else None, gettext(error.message))


class AssessmentForm(forms.Form):
    """Every question of the self-assessment as a group of radio buttons, none required (a
    draft is saved as far as it goes); submitting checks that every one is answered."""

    def __init__(self, *args: Any, language: str, answers: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for question in rubric.QUESTIONS:
            name = field_name(question.id)
            self.fields[name] = forms.ChoiceField(
                label=question.text.get_text(language),
                choices=[(o.id, o.label.get_text(language)) for o in question.options],
                widget=forms.RadioSelect,
                required=False,
                initial=answers.get(question.id),
            )
            self.fields[name].question = question  # type: ignore[attr-defined]  # extra attribute kept on the field

    def answers(self) -> dict[str, str]:
        """The cleaned answers by question id ("" for an unanswered question)."""
        return {q.id: self.cleaned_data.get(field_name(q.id)) or "" for q in rubric.QUESTIONS}

    def mark_missing(self, missing: tuple[str, ...]) -> None:
        for question_id in missing:
            self.add_error(field_name(question_id), gettext("Answer this question."))

    def by_standard(self, language: str) -> list[dict[str, Any]]:
        """The bound fields grouped by standard, for the template's fieldsets."""
        return [
            {
                "id": standard.id,
                "order": standard.order,
                "name": standard.name.get_text(language),
                "description": standard.description.get_text(language),
                "fields": [
                    {
                        "field": self[field_name(q.id)],
                        "area": q.area.label.get_text(language),
                    }
                    for q in standard.questions
                ],
            }
            for standard in rubric.STANDARDS
        ]


def _date(**kwargs: Any) -> forms.DateField:
    # type=date sends and shows ISO dates, whatever the page's language
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return forms.DateField(widget=widget, **kwargs)


class ActionForm(forms.Form):
    """A step of the improvement plan. ``owner`` is a member's public id."""

    text = forms.CharField(
        label=_("What will change"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    standard_id = forms.ChoiceField(label=_("Standard"))
    owner = forms.ChoiceField(
        label=_("Owner"),
        help_text=_("A member of the organization who sees it through."),
        error_messages={"invalid_choice": _("Choose a member of this organization.")},
    )
    due_date = _date(label=_("Due date"))

    def __init__(self, *args: Any, language: str, members: list[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["standard_id"]).choices = [
            (s.id, s.name.get_text(language)) for s in rubric.STANDARDS
        ]
        cast(forms.ChoiceField, self.fields["owner"]).choices = [
            ("", _("Choose a member")),
            *((m.public_id, m.name) for m in members),
        ]
        self.fields["owner"].widget.attrs["aria-describedby"] = f"{self['owner'].auto_id}_hint"


class ActionFromSuggestionForm(ActionForm):
    """A suggestion of a submitted assessment added to the plan: the suggestion's text (which
    may be reworded), an owner and a date. Which assessment and suggestion come as hidden
    fields; the service checks that the suggestion is that assessment's."""

    assessment = forms.UUIDField(widget=forms.HiddenInput, required=False)
    question_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.data.get("question_id") or self.initial.get("question_id"):
            # a suggestion belongs to its standard: nothing to choose
            self.fields["standard_id"].widget = forms.HiddenInput()


class ActionEditForm(ActionForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=ActionStatus.choices, widget=forms.RadioSelect
    )
