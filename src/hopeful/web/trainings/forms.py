"""Forms of the trainings: the catalogue's filters, and the staff's training form with its
sessions formset (dates and times entered in the training's own time zone)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any, ClassVar, cast

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _

from hopeful.web.learning.models import CoursePage
from hopeful.web.learning.vocab import US_STATES
from hopeful.web.trainings.models import Mode, Track, Training
from hopeful.web.trainings.services import TRAINING_FIELDS, SessionSpec


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Any")), *list(choices)]


class CatalogueFilterForm(forms.Form):
    """The public catalogue's filters (GET); unknown values are ignored, not errors."""

    track = forms.ChoiceField(label=_("Track"), required=False, choices=_any(Track.choices))
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=_any(settings.LANGUAGES)
    )
    mode = forms.ChoiceField(label=_("Mode"), required=False, choices=_any(Mode.choices))
    state = forms.ChoiceField(label=_("US state"), required=False, choices=_any(US_STATES))

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {
                name: value
                for name, value in self.data.items()
                if name in self.fields and name not in self.errors and value
            }
        return {name: value for name, value in self.cleaned_data.items() if value}


class TrainingForm(forms.ModelForm[Training]):
    trainer_email = forms.EmailField(
        label=_("Trainer's email address"),
        required=False,
        help_text=_(
            "The trainer's account on this site; they take attendance. Only their name is "
            "shown publicly."
        ),
    )
    meeting_url = forms.URLField(
        label=_("Meeting link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown to registered participants only."),
    )
    course = forms.ModelChoiceField(
        label=_("Course and quiz to pass"),
        queryset=CoursePage.objects.order_by("title"),
        required=False,
        empty_label=_("None"),
    )

    class Meta:
        model = Training
        # what training_save writes, but the trainer: chosen by email (clean_trainer_email)
        fields: ClassVar[list[str]] = [name for name in TRAINING_FIELDS if name != "trainer"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.trainer_id and not self.is_bound:
            trainer = self.instance.trainer
            if trainer is not None:
                self.initial["trainer_email"] = trainer.email

    def clean_trainer_email(self) -> Any:
        email = (self.cleaned_data.get("trainer_email") or "").strip().lower()
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No account has this email address."))
        return user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == Mode.VIRTUAL and not data.get("meeting_url"):
            self.add_error("meeting_url", _("An online training needs a meeting link."))
        if data.get("mode") == Mode.IN_PERSON and not data.get("location"):
            self.add_error("location", _("An in-person training needs a place."))
        return data

    def training_fields(self) -> dict[str, Any]:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["trainer"] = self.cleaned_data.get("trainer_email")
        return fields


class SessionForm(forms.Form):
    session_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    start = forms.TimeField(
        label=_("Starts"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    end = forms.TimeField(
        label=_("Ends"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.cleaned_data.get("DELETE"):
            return data
        given = [data.get(n) is not None for n in ("date", "start", "end")]
        if any(given) and not all(given):
            raise forms.ValidationError(_("Give the date, the start time and the end time."))
        if all(given) and data["end"] <= data["start"]:
            self.add_error("end", _("The session must end after it starts."))
        return data

    def spec(self, zone: zoneinfo.ZoneInfo) -> SessionSpec:
        data = self.cleaned_data
        starts = ends = None
        if data.get("date") and data.get("start") and data.get("end"):
            starts = dt.datetime.combine(data["date"], data["start"], tzinfo=zone)
            ends = dt.datetime.combine(data["date"], data["end"], tzinfo=zone)
        return SessionSpec(
            starts_at=starts,
            ends_at=ends,
            public_id=data.get("session_id"),
            delete=bool(data.get("DELETE")),
        )


class BaseSessionFormSet(forms.BaseFormSet[SessionForm]):
    #: Django's own (set by ``full_clean``; django-stubs do not declare it).
    _non_form_errors: ErrorList | None

    def set_non_form_error(self, message: str) -> None:
        """Replace the formset's own errors by ``message`` (after validation)."""
        self._non_form_errors = self.error_class([message])


# formset_factory returns a subclass of the formset class it is given
SessionFormSet = cast(
    type[BaseSessionFormSet],
    forms.formset_factory(
        SessionForm, formset=BaseSessionFormSet, extra=3, can_delete=True, max_num=20
    ),
)


def session_initial(training: Training) -> list[dict[str, Any]]:
    """The formset's rows for a training's sessions, in the training's time zone."""
    rows = []
    for session in training.sessions.order_by("starts_at"):
        start = session.starts_at.astimezone(training.zone)
        end = session.ends_at.astimezone(training.zone)
        rows.append(
            {
                "session_id": session.public_id,
                "date": start.date(),
                "start": start.time().replace(second=0, microsecond=0),
                "end": end.time().replace(second=0, microsecond=0),
            }
        )
    return rows
