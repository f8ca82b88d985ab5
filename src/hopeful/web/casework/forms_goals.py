"""Forms for goals, progress, celebrations and case reviews.

The forms check the shape of the input (required, length, one of the choices, a date); the
services check the rules about the data (a goal's date is today or later, a celebration has
happened, a follow-up comes after the review) and raise
:class:`~hopeful.web.casework.services.CaseworkError`, which :func:`add_service_error` shows
next to the field it names.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms.boundfield import BoundField
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from hopeful.framework import BUILDING_BLOCKS
from hopeful.web.casework.blocks import block_names
from hopeful.web.casework.models import Goal, GoalStatus
from hopeful.web.casework.services import MAX_TEXT, CaseworkError

#: The services' refusals these forms can meet. services.py raises them in English; marking
#: them here puts them in the message catalog, so :func:`add_service_error` shows them in the
#: page's language.
SERVICE_MESSAGES = (
    gettext_noop("This is needed."),
    gettext_noop("Choose one of the four building blocks."),
    gettext_noop("This date is in the future."),
    gettext_noop("Choose today or a later date."),
    gettext_noop("This belongs to another organization."),
    gettext_noop("Choose where the goal stands."),
    gettext_noop("This goal is another family's."),
    gettext_noop("Name the family's strengths in at least one building block."),
    gettext_noop("The follow-up comes after the review."),
    gettext_noop("Only a supervisor of this family's program can sign it off."),
    gettext_noop("Someone other than the review's author signs it off."),
    gettext_noop("This review is already signed off."),
)


def service_message(error: CaseworkError) -> str:
    """The service's refusal in the page's language."""
    return gettext(error.message)


def add_service_error(form: forms.Form, error: CaseworkError) -> None:
    """Show a service's refusal next to the field it names (at the top when it names none)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, service_message(error))


def _date(**kwargs: Any) -> forms.DateField:
    # type=date sends and shows ISO dates, whatever the page's language
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return forms.DateField(widget=widget, **kwargs)


def _text(rows: int, **kwargs: Any) -> forms.CharField:
    return forms.CharField(widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class _HintedForm(forms.Form):
    """Text inputs name their hint (``aria-describedby``), so screen readers read it with the
    field; radio groups get it on their fieldset (accounts/_fields.html)."""

    def _describe_hints(self) -> None:
        for name, field in self.fields.items():
            if field.help_text and not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}_hint"


class GoalForm(_HintedForm):
    block = forms.ChoiceField(
        label=_("Building block"),
        widget=forms.RadioSelect,
        help_text=_("The kind of positive experience this goal grows."),
    )
    text = _text(
        2,
        label=_("The goal, in the family's words"),
        max_length=500,
        help_text=_("Write it the way the family says it."),
    )
    next_step = forms.CharField(
        label=_("Next step"),
        max_length=500,
        help_text=_("The first small thing the family will do."),
    )
    due_on = _date(label=_("By when"), help_text=_("Today or a later date."))

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["block"]).choices = list(block_names(language).items())
        self._describe_hints()


class GoalProgressForm(_HintedForm):
    text = _text(3, label=_("What happened"), max_length=1000)
    status = forms.ChoiceField(
        label=_("Where the goal stands now"),
        choices=GoalStatus.choices,
        widget=forms.RadioSelect,
    )
    next_step = forms.CharField(
        label=_("New next step"),
        max_length=500,
        required=False,
        help_text=_("Leave it empty to keep the current next step."),
    )
    due_on = _date(
        label=_("New date"),
        required=False,
        help_text=_("Leave it empty to keep the current date."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._describe_hints()


class _GoalChoice(forms.ModelChoiceField[Goal]):
    def label_from_instance(self, obj: Goal) -> str:
        return obj.text


class CelebrationForm(_HintedForm):
    words = _text(
        3,
        label=_("In the family's words"),
        max_length=1000,
        help_text=_("What the family is proud of, the way they say it."),
    )
    celebrated_on = _date(label=_("Date"), help_text=_("Today or an earlier day."))
    block = forms.ChoiceField(
        label=_("Building block (optional)"), required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, language: str, goals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["block"]).choices = [
            ("", _("Not one in particular")),
            *block_names(language).items(),
        ]
        listed = list(goals)
        if listed:
            self.fields["goal"] = _GoalChoice(
                label=_("The goal it celebrates (optional)"),
                queryset=goals,
                required=False,
                to_field_name="public_id",
                empty_label=_("Not linked to a goal"),
            )
            # opened from a goal: its building block is chosen to start with
            linked = str(self.initial.get("goal") or "")
            for goal in listed:
                if str(goal.public_id) == linked:
                    self.initial.setdefault("block", goal.block)
        self._describe_hints()


def strengths_field(block: str) -> str:
    """The form field of a block's strengths (the name the services' errors use)."""
    return f"strengths-{block}"


class CaseReviewForm(_HintedForm):
    """Strengths first: the family's strengths in each building block, then what is hard,
    what the family wants and the plan. Fields of our own design (see docs), in neutral words
    that describe rather than label."""

    reviewed_on = _date(label=_("Date of the review"))
    adversity = _text(
        3,
        label=_("Adversity noted (optional)"),
        max_length=MAX_TEXT,
        required=False,
        help_text=_(
            "Hard events or conditions the family is living with, such as housing, money, "
            "loss or unsafe places: what happened, in plain words and the family's own, "
            "without labels."
        ),
    )
    distress = _text(
        3,
        label=_("Distress noted (optional)"),
        max_length=MAX_TEXT,
        required=False,
        help_text=_(
            "How stress is showing up for the child or the family now, such as sleep, worry "
            "or behaviour: what you and the family notice, not a diagnosis."
        ),
    )
    family_wants = _text(
        3,
        label=_("What the family wants"),
        max_length=MAX_TEXT,
        help_text=_("In the family's own words: what matters most to them now."),
    )
    plan = _text(
        4,
        label=_("Plan"),
        max_length=MAX_TEXT,
        help_text=_("Next steps that build on the strengths above, and who does what."),
    )
    follow_up_on = _date(
        label=_("Follow up by"),
        help_text=_("A date after the review, to look at this again together."),
    )

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for block in sorted(BUILDING_BLOCKS, key=lambda b: b.order):
            self.fields[strengths_field(block.id)] = _text(
                3,
                label=block.name.get_text(language),
                max_length=MAX_TEXT,
                required=False,
                help_text=block.description.get_text(language),
            )
        self.blocks = list(block_names(language))
        # the page's order: the date, the strengths, then the rest
        self.order_fields(["reviewed_on", *(strengths_field(b) for b in self.blocks)])
        self._describe_hints()

    def groups(self) -> dict[str, list[BoundField]]:
        """The bound fields in the page's three groups, for the template."""
        strengths = {strengths_field(b) for b in self.blocks}
        return {
            "date": [self["reviewed_on"]],
            "strengths": [self[name] for name in self.fields if name in strengths],
            "rest": [self[name] for name in self.fields if name not in strengths | {"reviewed_on"}],
        }

    def review_values(self) -> dict[str, Any]:
        """The cleaned values as :func:`~hopeful.web.casework.services.case_review_create`
        takes them (strengths: block id -> text)."""
        values = {k: v for k, v in self.cleaned_data.items() if not k.startswith("strengths-")}
        values["strengths"] = {b: self.cleaned_data[strengths_field(b)] for b in self.blocks}
        return values
