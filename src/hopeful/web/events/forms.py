"""Forms of the events: the public registration form (with the public forms' honeypot and
signed start time), the list's filter, and the staff's event form (start and end entered in
the event's own time zone)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hopeful.web.cms.guard import GuardedForm
from hopeful.web.events.models import Event, Kind, Mode
from hopeful.web.events.services import EVENT_FIELDS, places_taken
from hopeful.web.trainings.models import validate_time_zone


class RegistrationForm(GuardedForm):
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We send your confirmation and your private link here, never show it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organization = forms.CharField(
        label=_("Organization (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class KindFilterForm(forms.Form):
    """The list's filter (GET); an unknown kind is ignored."""

    kind = forms.ChoiceField(
        label=_("Kind of event"), required=False, choices=[("", _("Any")), *Kind.choices]
    )

    def kind_value(self) -> str:
        return self.cleaned_data.get("kind", "") if self.is_valid() else ""


LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def _local_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[LOCAL_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT),
        help_text=_("In the event's time zone."),
    )


class EventForm(forms.ModelForm[Event]):
    starts = _local_field(_("Starts"))
    ends = _local_field(_("Ends"))
    meeting_url = forms.URLField(
        label=_("Meeting link"),
        required=False,
        assume_scheme="https",
        help_text=_("Sent to registered people only, in their confirmation."),
    )

    class Meta:
        model = Event
        fields: ClassVar[list[str]] = [
            name for name in EVENT_FIELDS if name not in ("starts_at", "ends_at")
        ]
        widgets: ClassVar[dict[str, Any]] = {
            "summary": forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        order = ["slug", "title", "kind", "summary", "description", "language", "mode"]
        order += ["time_zone", "starts", "ends", "location", "meeting_url", "capacity"]
        self.order_fields(order)
        event = self.instance
        if event.pk and not self.is_bound:
            self.initial["starts"] = _naive(event.starts_at.astimezone(event.zone))
            self.initial["ends"] = _naive(event.ends_at.astimezone(event.zone))

    def _zone(self) -> zoneinfo.ZoneInfo | None:
        name = self.cleaned_data.get("time_zone")
        try:
            validate_time_zone(str(name))
        except ValidationError:  # the field reports it
            return None
        return zoneinfo.ZoneInfo(str(name))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone = self._zone()
        starts, ends = data.get("starts"), data.get("ends")
        if zone is not None and starts and ends:
            # the browser sends wall-clock times: they are the event's, not the server's
            data["starts_at"] = _naive(starts).replace(tzinfo=zone)
            data["ends_at"] = _naive(ends).replace(tzinfo=zone)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("ends", _("The event must end after it starts."))
        mode = data.get("mode")
        if mode in (Mode.VIRTUAL, Mode.HYBRID) and not data.get("meeting_url"):
            self.add_error("meeting_url", _("An online event needs a meeting link."))
        if mode in (Mode.IN_PERSON, Mode.HYBRID) and not data.get("location"):
            self.add_error("location", _("An in-person event needs a place."))
        capacity = data.get("capacity")
        if self.instance.pk and capacity is not None:
            taken = places_taken(self.instance)
            if capacity < taken:
                self.add_error(
                    "capacity",
                    _("%(n)d people hold a place: the capacity cannot be lower.") % {"n": taken},
                )
        return data

    def _post_clean(self) -> None:
        # the model's own checks (ends after starts) see the times in the event's zone
        data = self.cleaned_data
        if "starts_at" in data and data["ends_at"] > data["starts_at"]:
            self.instance.starts_at = self.cleaned_data["starts_at"]
            self.instance.ends_at = self.cleaned_data["ends_at"]
        super()._post_clean()  # type: ignore[misc]  # django-stubs omit this private hook

    def event_fields(self) -> dict[str, Any]:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["starts_at"] = self.cleaned_data["starts_at"]
        fields["ends_at"] = self.cleaned_data["ends_at"]
        return fields


def _naive(value: dt.datetime) -> dt.datetime:
    """The wall-clock time of a datetime (in its own zone), without the zone."""
    return value.replace(tzinfo=None, second=0, microsecond=0)
