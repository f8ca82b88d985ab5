"""A request for a HOPE presentation, sent by anyone from the public form, and its history
as the network staff triage it (new → assigned → scheduled → delivered, or declined).

The requester's name and email address are shown to network staff and, once assigned, to
the assigned trainer only; they are never published. Staff notes are kept as events of the
history (kind ``note``) and are never put in an email to the requester.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hopeful.web.learning.models.profile import zip_code_validator
from hopeful.web.learning.vocab import LANGUAGE_CHOICES, US_STATES

#: The largest audience the form accepts.
MAX_AUDIENCE = 10000


class Audience(models.TextChoices):
    FAMILIES = "families", _("Parents and families")
    CLINICIANS = "clinicians", _("Clinicians and health care staff")
    EDUCATORS = "educators", _("Educators")
    CHILD_WELFARE = "child_welfare", _("Child welfare staff")
    COMMUNITY = "community", _("Community members")
    LEADERS = "leaders", _("Organization leaders")
    MIXED = "mixed", _("A mixed audience, or another audience")


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Online")
    EITHER = "either", _("Either in person or online")


class Topic(models.TextChoices):
    INTRODUCTION = "introduction", _("Introduction to HOPE")
    BUILDING_BLOCKS = "building_blocks", _("The Four Building Blocks of HOPE")
    HEALTH_CARE = "health_care", _("HOPE in health care")
    SCHOOLS = "schools", _("HOPE in schools")
    FAMILIES = "families", _("HOPE for families")
    OTHER = "other", _("Another topic")


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("presentation request", "New")
    ASSIGNED = "assigned", pgettext_lazy("presentation request", "Assigned")
    SCHEDULED = "scheduled", pgettext_lazy("presentation request", "Scheduled")
    DELIVERED = "delivered", pgettext_lazy("presentation request", "Delivered")
    DECLINED = "declined", pgettext_lazy("presentation request", "Declined")


class PresentationRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # -- who asks
    requester_name = models.CharField(_("your name"), max_length=150)
    requester_email = models.EmailField(_("your email address"), max_length=254)
    organization_name = models.CharField(_("organization"), max_length=200)
    role_title = models.CharField(_("your role or title"), max_length=150, blank=True)
    #: The site's language the form was sent in: the requester's emails are in it.
    requester_language = models.CharField(max_length=8, default="en")
    # -- what they ask for
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    audience_size = models.PositiveIntegerField(
        _("audience size"), validators=[MinValueValidator(1), MaxValueValidator(MAX_AUDIENCE)]
    )
    preferred_dates = models.CharField(_("preferred dates"), max_length=300)
    earliest_date = models.DateField(_("earliest date"), null=True, blank=True)
    latest_date = models.DateField(_("latest date"), null=True, blank=True)
    modality = models.CharField(_("in person or online"), max_length=16, choices=Modality.choices)
    language = models.CharField(
        _("language of the presentation"), max_length=8, choices=LANGUAGE_CHOICES
    )
    topic = models.CharField(_("topic"), max_length=24, choices=Topic.choices)
    details = models.TextField(_("anything else we should know"), max_length=3000, blank=True)
    zip_code = models.CharField(
        _("ZIP code"), max_length=5, blank=True, validators=[zip_code_validator]
    )
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, choices=US_STATES, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    #: The trainer the requester asked for (from a trainer's directory page); staff decide.
    wished_listing = models.ForeignKey(
        "directory.Listing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # -- the triage
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    assigned_listing = models.ForeignKey(
        "directory.Listing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="presentation_requests",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    scheduled_for = models.DateTimeField(null=True, blank=True)
    #: The IANA time zone the presentation's time is given in (see ``forms.TIME_ZONES``).
    time_zone = models.CharField(max_length=64, blank=True)
    #: Told to the requester when the request is declined.
    decline_reason = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "created_at"], name="presentation_status"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_name} ({self.get_status_display()})"

    @property
    def point(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    @property
    def scheduled_local(self) -> dt.datetime | None:
        """The presentation's date and time in its own time zone."""
        if self.scheduled_for is None:
            return None
        try:
            zone = zoneinfo.ZoneInfo(self.time_zone or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = zoneinfo.ZoneInfo("UTC")
        return self.scheduled_for.astimezone(zone)


class EventKind(models.TextChoices):
    SUBMIT = "submit", _("Request sent")
    ASSIGN = "assign", _("Assigned")
    SCHEDULE = "schedule", _("Scheduled")
    DELIVER = "deliver", _("Delivered")
    DECLINE = "decline", _("Declined")
    NOTE = "note", _("Staff note")


class PresentationRequestEvent(models.Model):
    """One step of a request's history (a staff note is one too: ``from == to``)."""

    request = models.ForeignKey(
        PresentationRequest, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: Staff only (a note, or what changed); never emailed to the requester.
    note = models.TextField(max_length=3000, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering: ClassVar[list[str]] = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.from_status}→{self.to_status}"
