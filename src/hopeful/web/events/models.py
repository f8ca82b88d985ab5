"""Network events (the annual HOPE Summit, the Week of HOPE, webinars) and the people who
register for them, by name and email address, without an account.

Capacity is enforced in :mod:`hopeful.web.events.services` under a lock on the event row;
the database keeps one active registration per event and email address (stored lowercased).
The link a registrant manages their registration with is a random token of which only the
SHA-256 is stored.
"""

from __future__ import annotations

import uuid
import zoneinfo
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hopeful.web.trainings.models import validate_time_zone

#: Slugs an event cannot take: they are addresses of the events pages themselves.
RESERVED_SLUGS = frozenset({"registrations", "feed", "new"})


def validate_slug_free(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(value)s” is reserved: choose another web address."),
            code="reserved",
            params={"value": value},
        )


class Kind(models.TextChoices):
    SUMMIT = "summit", _("HOPE Summit")
    WEEK_OF_HOPE = "week_of_hope", _("Week of HOPE")
    WEBINAR = "webinar", _("Webinar")
    OTHER = "other", _("Other event")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Online")
    HYBRID = "hybrid", _("In person and online")


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class Event(models.Model):
    """One event: when (stored in UTC, shown in its own time zone), where, how many places
    (none: no limit), and whether people may register."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(
        _("web address"),
        max_length=80,
        unique=True,
        validators=[validate_slug_free],
        help_text=_("The end of the event's address, e.g. hope-summit-2027."),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="America/New_York",
        validators=[validate_time_zone],
        help_text=_("The time zone of the event's times, e.g. America/Chicago."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=300, blank=True)
    meeting_url = models.URLField(
        _("meeting link"),
        blank=True,
        help_text=_("Sent to registered people only, in their confirmation."),
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit."),
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown on the public events pages.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["starts_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="events_capacity_gte_1",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="events_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(_("The event must end after it starts."), code="ends_before")

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def in_person(self) -> bool:
        return self.mode in (Mode.IN_PERSON, Mode.HYBRID)

    @property
    def online(self) -> bool:
        return self.mode in (Mode.VIRTUAL, Mode.HYBRID)


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")


class EventRegistration(models.Model):
    """A person's place (or place on the waitlist) at an event."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email address"), max_length=254)  # stored lowercased
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=RegistrationStatus.choices)
    # SHA-256 (hex) of the manage link's token; empty until the first email is sent.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    created_at = models.DateTimeField()
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="events_one_active_registration",
            ),
            models.CheckConstraint(
                condition=Q(email=models.functions.Lower("email")),
                name="events_email_lowercase",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["event", "status", "created_at"], name="events_reg_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} → {self.event_id} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.status != RegistrationStatus.CANCELLED

    @property
    def holds_place(self) -> bool:
        return self.status == RegistrationStatus.REGISTERED
