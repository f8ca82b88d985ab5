"""A learner's profile and continuing-education hours: these belong to a user account, never
to an organization (network staff read them; no family data lives here)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hopeful.web.learning.vocab import US_STATES, Sector

zip_code_validator = RegexValidator(
    r"^[0-9]{5}$", _("Enter a 5-digit ZIP code, for example 30301.")
)


class LearnerProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_profile"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    organization_name = models.CharField(_("organization"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True)
    #: Codes from ``vocab.LANGUAGE_CHOICES`` (a JSON list, so SQLite and PostgreSQL agree).
    languages = models.JSONField(_("languages"), default=list, blank=True)
    state = models.CharField(_("state or territory"), max_length=2, choices=US_STATES, blank=True)
    zip_code = models.CharField(
        _("ZIP code"), max_length=5, blank=True, validators=[zip_code_validator]
    )
    #: Set when the account was made by the learner sign-up and is waiting for its emailed
    #: link; the link activates only such an account (never one staff deactivated).
    join_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    join_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("learner profile")
        ordering: ClassVar[list[str]] = ["full_name", "pk"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["state"]),
            models.Index(fields=["sector"]),
        ]

    def __str__(self) -> str:
        return self.full_name or str(self.public_id)


class CESource(models.TextChoices):
    COURSE = "course", _("Course")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class ContinuingEducationRecord(models.Model):
    """Hours earned by one completion. ``source_ref`` names what earned them (a course page
    id, a training's public id) so recording the same completion twice is a no-op."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ce_records"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    earned_at = models.DateTimeField(_("earned"))
    source = models.CharField(_("source"), max_length=16, choices=CESource.choices)
    source_ref = models.CharField(_("reference"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("continuing-education record")
        ordering: ClassVar[list[str]] = ["-earned_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["user", "source", "source_ref"], name="learning_ce_record_once"
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gte=0), name="learning_ce_hours_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.hours})"
