"""Families, children and consent, with minimal identifiers.

A family is known by a display name or code it chooses; a child by birth year and month (the
age band follows). Contact details are optional and shown only to roles that need them.
Consent is recorded per purpose as an append-only history of grants and revocations, with the
text version and language the family saw; the latest record per purpose is what counts.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hopeful.web.accounts.models import Language


class Family(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="families"
    )
    program = models.ForeignKey(
        "organizations.Program", on_delete=models.PROTECT, related_name="families"
    )
    display_name = models.CharField(
        _("name or code"),
        max_length=80,
        help_text=_("A name or code the family chooses; it need not be their real name."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    contact_email = models.EmailField(_("email (optional)"), blank=True)
    contact_phone = models.CharField(_("phone (optional)"), max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organization", "program"], name="family_org_program"),
        ]

    def __str__(self) -> str:
        return self.display_name


class AgeBand(models.TextChoices):
    UNDER_1 = "0", _("Under 1 year")
    ONE_TO_5 = "1-5", _("1 to 5 years")
    SIX_TO_11 = "6-11", _("6 to 11 years")
    TWELVE_TO_17 = "12-17", _("12 to 17 years")
    ADULT = "18+", _("18 or older")


def age_band(birth_month: dt.date, today: dt.date) -> str:
    """The age band of a child born in ``birth_month`` (first day of the month) on ``today``."""
    months = (today.year - birth_month.year) * 12 + (today.month - birth_month.month)
    years = months // 12
    if years < 1:
        return AgeBand.UNDER_1
    if years <= 5:
        return AgeBand.ONE_TO_5
    if years <= 11:
        return AgeBand.SIX_TO_11
    if years <= 17:
        return AgeBand.TWELVE_TO_17
    return AgeBand.ADULT


class Child(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="children")
    nickname = models.CharField(_("nickname (optional)"), max_length=40, blank=True)
    birth_month = models.DateField(_("birth year and month"), help_text=_("Stored as the 1st."))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            # the dashboard's data version: the highest id per organization, at once
            models.Index(fields=["organization", "id"], name="child_org_id"),
        ]

    def __str__(self) -> str:
        return self.nickname or f"child born {self.birth_month:%Y-%m}"

    def age_band(self, today: dt.date | None = None) -> str:
        return age_band(self.birth_month, today or timezone.localdate())


class ConsentPurpose(models.TextChoices):
    CARE = "care", _("My care team may see my answers")
    PROGRAM_IMPROVEMENT = "program_improvement", _("My answers may be counted in group totals")
    RESEARCH = "research", _("My answers may be used for research without my name")


class ConsentRecord(models.Model):
    """One grant or revocation of one purpose (append-only history)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=32, choices=ConsentPurpose.choices)
    granted = models.BooleanField()
    text_version = models.CharField(max_length=32)
    language = models.CharField(max_length=8, choices=Language.choices)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["recorded_at", "id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organization", "id"], name="consent_org_id"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose}: {'granted' if self.granted else 'revoked'}"


# -- a family's deletion at its own request (see docs/family-data.md) ---------------------------


class FamilyErasure(models.Model):
    """That a family of this program was deleted at its own request, and when: nothing else
    (no name, no id of the family). Its organization sees a neutral line; dashboards read its
    highest id to know that counts must be made again (:mod:`hopeful.web.insights.data`)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    program = models.ForeignKey("organizations.Program", on_delete=models.PROTECT, related_name="+")
    erased_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-erased_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organization", "id"], name="erasure_org_id"),
        ]

    def __str__(self) -> str:
        return f"family deleted at its request {self.erased_at:%Y-%m-%d}"


class ErasedLink(models.Model):
    """The SHA-256 of a deleted family's personal link token, so the link answers "your data
    was deleted" (and a repeated request changes nothing) instead of an unknown-link page."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    erasure = models.ForeignKey(FamilyErasure, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"erased link {self.pk}"


class ResearchRecord(models.Model):
    """One questionnaire response a deleted family had released for de-identified research,
    kept without any link to the family: no name, no contact, no child, no link, no exact
    time (the month only), the adult "About your family" answers with the ZIP3 only. Made only
    by :func:`hopeful.web.families.rights.family_erase`; the rule is in docs/family-data.md."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    program = models.ForeignKey("organizations.Program", on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=8, choices=Language.choices)
    month = models.DateField(help_text="The month answered (its first day, local time).")
    answers = models.JSONField(help_text="{instrument_id: {item_id: code or null}}")
    scores = models.JSONField(help_text="{instrument_id: {'version': ..., 'values': {...}}}")
    demographics = models.JSONField(default=dict, blank=True)
    consent_text_version = models.CharField(max_length=32)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organization", "id"], name="research_org_id"),
        ]

    def __str__(self) -> str:
        return f"research record {self.public_id}"
