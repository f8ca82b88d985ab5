"""Scheduled trainings: a training (one or more sessions: the Facilitator training is three),
registrations with a waitlist, attendance per session, and the reminders already sent.

Capacity is enforced in :mod:`hopeful.web.trainings.services` under a lock on the training
row; the database keeps one active registration per person and training, and one attendance
row per person and session.
"""

from __future__ import annotations

import uuid
import zoneinfo
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hopeful.web.learning.vocab import US_STATES


def validate_time_zone(value: str) -> None:
    """Accept IANA time zone names only (e.g. ``America/Chicago``)."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as America/Chicago."),
            code="time_zone",
            params={"value": value},
        ) from None


class Track(models.TextChoices):
    INTRODUCTION = "introduction", _("Introduction to HOPE")
    FACILITATOR = "facilitator", _("HOPE Facilitator training")
    CHAMPION = "champion", _("HOPE Champion training")
    OTHER = "other", _("Other training")


class TierAwarded(models.TextChoices):
    """The certification tier a completed training awards (values of
    :class:`hopeful.framework.certification.Tier`); empty: none."""

    FACILITATOR = "facilitator", _("HOPE Facilitator")
    CHAMPION = "champion", _("HOPE Champion")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Online")


class TrainingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class Training(models.Model):
    """One training: its sessions, who trains, where, how many places, and what completing it
    gives (continuing-education hours, a certification tier)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    # Empty, not NULL, means "no certification" (Django's convention for text fields).
    tier_awarded = models.CharField(
        _("certification awarded on completion"),
        max_length=20,
        choices=TierAwarded.choices,
        blank=True,
        default="",
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainings_led",
        verbose_name=_("trainer"),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="America/New_York",
        validators=[validate_time_zone],
        help_text=_("The time zone of the session times, e.g. America/Chicago."),
    )
    state = models.CharField(
        _("US state"),
        max_length=2,
        choices=US_STATES,
        blank=True,
        help_text=_("Where an in-person training takes place; empty for online trainings."),
    )
    location = models.CharField(_("place"), max_length=300, blank=True)
    meeting_url = models.URLField(
        _("meeting link"),
        blank=True,
        help_text=_("Shown to registered participants only."),
    )
    capacity = models.PositiveIntegerField(
        _("places"), validators=[MinValueValidator(1)], default=20
    )
    course = models.ForeignKey(
        "learning.CoursePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name=_("course and quiz to pass"),
    )
    ce_hours = models.DecimalField(
        _("continuing-education hours"),
        max_digits=4,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TrainingStatus.choices,
        default=TrainingStatus.SCHEDULED,
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="trainings_capacity_gte_1"),
            models.CheckConstraint(condition=Q(ce_hours__gte=0), name="trainings_ce_hours_gte_0"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.tier_awarded = self.tier_awarded or ""  # None (as the contract allows) → none
        super().save(*args, **kwargs)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_cancelled(self) -> bool:
        return self.status == TrainingStatus.CANCELLED


class TrainingSession(models.Model):
    """One meeting of a training. Times are stored in UTC and shown in the training's zone."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="sessions")
    order = models.PositiveSmallIntegerField(default=1)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering: ClassVar[list[str]] = ["starts_at", "order"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="trainings_session_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training} #{self.order}"


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Completed")


#: Registrations that hold a place (counted against the capacity).
HOLDS_PLACE = (RegistrationStatus.REGISTERED, RegistrationStatus.COMPLETED)


class Registration(models.Model):
    """A person's place (or place on the waitlist) in a training."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="training_registrations",
    )
    status = models.CharField(max_length=20, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField()
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Why the certification could not be awarded on completion (retried by the periodic
    # completion check; shown to staff on the roster). Empty when awarded or none is due.
    award_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["training", "user"],
                condition=~Q(status="cancelled"),
                name="trainings_one_active_registration",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["training", "status", "created_at"], name="trainings_reg_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.training} ({self.status})"

    @property
    def holds_place(self) -> bool:
        return self.status in HOLDS_PLACE

    @property
    def is_active(self) -> bool:
        return self.status != RegistrationStatus.CANCELLED


class Attendance(models.Model):
    """Whether a registered person was present at one session, and who said so."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances"
    )
    present = models.BooleanField()
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["session", "registration"], name="trainings_one_attendance"
            ),
        ]

    def __str__(self) -> str:
        return f"{'present' if self.present else 'absent'}: {self.registration_id} at {self.session_id}"


class SessionReminder(models.Model):
    """A reminder email queued for one person and session: the row exists once, so the
    reminder is never sent twice."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    queued_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["session", "registration"], name="trainings_one_reminder"
            ),
        ]

    def __str__(self) -> str:
        return f"reminder: {self.registration_id} for {self.session_id}"
