"""Forms of the presentation requests: the public request form (with the public forms' spam
guard), the staff queue's filter and the staff's step forms."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hopeful import geo
from hopeful.web.cms.guard import GuardedForm
from hopeful.web.core.places import zip_error_message
from hopeful.web.learning.vocab import LANGUAGE_CHOICES
from hopeful.web.presentations.models import (
    MAX_AUDIENCE,
    Audience,
    Modality,
    Status,
    Topic,
)

#: The time zones a presentation's time may be given in (US states and territories).
TIME_ZONES = [
    ("America/New_York", _("Eastern time")),
    ("America/Chicago", _("Central time")),
    ("America/Denver", _("Mountain time")),
    ("America/Phoenix", _("Arizona time")),
    ("America/Los_Angeles", _("Pacific time")),
    ("America/Anchorage", _("Alaska time")),
    ("Pacific/Honolulu", _("Hawaii time")),
    ("America/Puerto_Rico", _("Atlantic time (Puerto Rico)")),
    ("Pacific/Guam", _("Chamorro time (Guam)")),
]

#: Modalities that need the ZIP code (a trainer may travel there).
NEEDS_ZIP = (Modality.IN_PERSON, Modality.EITHER)


def _choose(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Choose…")), *list(choices)]


class RequestForm(GuardedForm):
    """The public form: who asks, for whom, when, how and where."""

    requester_name = forms.CharField(label=_("Your name"), max_length=150)
    requester_email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We email you at each step of your request."),
    )
    organization_name = forms.CharField(label=_("Organization"), max_length=200)
    role_title = forms.CharField(label=_("Your role or title"), max_length=150, required=False)
    audience = forms.ChoiceField(label=_("Audience"), choices=_choose(Audience.choices))
    audience_size = forms.IntegerField(
        label=_("About how many people?"),
        min_value=1,
        max_value=MAX_AUDIENCE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=_choose(Topic.choices))
    modality = forms.ChoiceField(
        label=_("In person or online?"), choices=Modality.choices, widget=forms.RadioSelect
    )
    zip_code = forms.CharField(
        label=_("ZIP code of the place"),
        max_length=10,
        required=False,
        help_text=_("Needed for a presentation in person: we look for a trainer near it."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    language = forms.ChoiceField(label=_("Language of the presentation"), choices=LANGUAGE_CHOICES)
    preferred_dates = forms.CharField(
        label=_("Preferred dates"),
        max_length=300,
        help_text=_("For example: any Tuesday in March, mornings."),
    )
    earliest_date = forms.DateField(
        label=_("Not before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    latest_date = forms.DateField(
        label=_("Not after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    details = forms.CharField(
        label=_("Anything else we should know"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    trainer = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.place: geo.Place | None = None

    def clean_zip_code(self) -> str:
        value = (self.cleaned_data.get("zip_code") or "").strip()
        if not value:
            return ""
        try:
            self.place = geo.zip_place(value)
        except geo.ZipError as error:
            raise forms.ValidationError(zip_error_message(error), code="zip") from None
        return self.place.zip_code

    def _not_past(self, name: str) -> dt.date | None:
        value = self.cleaned_data.get(name)
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("This date has passed."), code="past")
        return value

    def clean_earliest_date(self) -> dt.date | None:
        return self._not_past("earliest_date")

    def clean_latest_date(self) -> dt.date | None:
        return self._not_past("latest_date")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("modality") in NEEDS_ZIP
            and not data.get("zip_code")
            and ("zip_code" not in self.errors)
        ):
            self.add_error(
                "zip_code", _("Give the ZIP code of the place for a presentation in person.")
            )
        earliest, latest = data.get("earliest_date"), data.get("latest_date")
        if earliest and latest and earliest > latest:
            self.add_error("latest_date", _("This date is before the “Not before” date."))
        if data.get("modality") == Modality.VIRTUAL and self.place is None:
            data["zip_code"] = ""
        return data


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *Status.choices]
    )

    def status_value(self) -> str:
        return self.cleaned_data.get("status", "") if self.is_valid() else ""


class AssignForm(forms.Form):
    listing = forms.UUIDField(
        label=_("Trainer"),
        error_messages={"required": _("Choose a trainer."), "invalid": _("Choose a trainer.")},
    )


class ScheduleForm(forms.Form):
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONES)

    def when(self) -> dt.datetime:
        data = self.cleaned_data
        return dt.datetime.combine(
            data["date"], data["time"], tzinfo=zoneinfo.ZoneInfo(data["time_zone"])
        )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the requester is told it)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason: the requester is told it.")},
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Staff note (never shown to the requester)"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the note.")},
    )
