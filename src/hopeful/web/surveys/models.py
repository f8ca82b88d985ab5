"""Survey campaigns, their links, drafts and submissions.

A campaign is composed of registry instruments; their versions are pinned when it opens, so
editing a live campaign never changes what earlier answers mean. Links are public (anyone
with the URL) or personal (bound to one family); their tokens are stored only as SHA-256
hashes. A submission carries the client's UUID under a unique constraint, so a replay stores
nothing new; its scores are computed by :mod:`hopeful.framework` and stored with the
instrument version.

Every submission and every invitation link carries a *record key*: a random number drawn once
when it is stored and never changed. Published counts are perturbed by the sum of their
records' keys (the cell-key method, :mod:`hopeful.stats.perturbation`), so the same records
always give the same published number, however the view that counts them is asked for.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hopeful.stats import new_record_key
from hopeful.web.accounts.models import Language


def draw_record_key() -> int:
    """A new random record key (see the module docstring)."""
    return new_record_key()


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Campaign(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="campaigns"
    )
    program = models.ForeignKey(
        "organizations.Program", on_delete=models.PROTECT, related_name="campaigns"
    )
    name = models.CharField(_("name"), max_length=200)
    instruments = models.JSONField(
        default=list,
        help_text="[{'id': 'pce7', 'version': '1.0'}, ...]; versions are pinned when it opens.",
    )
    languages = models.JSONField(default=list, help_text="['en', 'es']")
    status = models.CharField(max_length=16, choices=CampaignStatus.choices, default="draft")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class LinkKind(models.TextChoices):
    PUBLIC = "public", _("Public link")
    PERSONAL = "personal", _("Personal invitation")
    INTEGRATION = "integration", _("Answers from another system (API or file import)")


class CampaignLink(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="links")
    kind = models.CharField(max_length=16, choices=LinkKind.choices)
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    rate_limit_per_minute = models.PositiveIntegerField(default=60)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    record_key = models.PositiveIntegerField(
        default=draw_record_key, editable=False, help_text="Random; perturbs published counts."
    )

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            # the dashboard's data version: the highest id per organization, at once
            models.Index(fields=["organization", "id"], name="link_org_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.campaign}"

    def is_usable(self, now: Any | None = None) -> bool:
        moment = now or timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or moment < self.expires_at


class Draft(models.Model):
    """Answers saved on the way, resumable with a code (stored hashed)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    link = models.ForeignKey(CampaignLink, on_delete=models.CASCADE, related_name="drafts")
    resume_code_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    state = models.JSONField(default=dict, help_text="consent choices, family name, answers")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"draft {self.public_id}"


class Submission(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client_uuid = models.UUIDField(
        unique=True, help_text="Generated by the client; replays are no-ops."
    )
    payload_hash = models.CharField(max_length=64)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="submissions"
    )
    program = models.ForeignKey("organizations.Program", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="submissions")
    link = models.ForeignKey(CampaignLink, on_delete=models.PROTECT, related_name="submissions")
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="submissions"
    )
    language = models.CharField(max_length=8, choices=Language.choices)
    answers = models.JSONField(help_text="{instrument_id: {item_id: code or null}}")
    demographics = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            "The optional 'About your family' answers as given at submission (codes of "
            "hopeful.web.surveys.demographics; ZIP3 only, never a full ZIP; missing = not "
            "answered)"
        ),
    )
    submitted_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    record_key = models.PositiveIntegerField(
        default=draw_record_key, editable=False, help_text="Random; perturbs published counts."
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["-submitted_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organization", "-submitted_at"], name="submission_org_time"),
            # the dashboard's data version: the highest id per organization, at once
            models.Index(fields=["organization", "id"], name="submission_org_id"),
        ]

    def __str__(self) -> str:
        return f"submission {self.public_id}"


class InstrumentScore(models.Model):
    """One instrument's scores for one submission, under the version it was answered with."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="scores")
    instrument_id = models.CharField(max_length=64)
    instrument_version = models.CharField(max_length=16)
    values = models.JSONField(help_text="output id -> value, as hopeful.framework computes")
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["submission", "instrument_id"], name="score_per_instrument"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.instrument_version}"


class AttemptKind(models.TextChoices):
    RESUME = "resume", _("Resume code")
    CONSENT = "consent", _("Consent code")


class CodeAttempt(models.Model):
    """A failed try of a resume or family code on a link, counted to throttle guessing."""

    link = models.ForeignKey(CampaignLink, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=AttemptKind.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["link", "kind", "created_at"], name="code_attempt_link_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} attempt on link {self.link_id}"


class FamilyCode(models.Model):
    """The family's code (their resume code, kept after submitting, stored hashed) for changing
    consent later through the link they answered on."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    link = models.ForeignKey(CampaignLink, on_delete=models.CASCADE, related_name="family_codes")
    family = models.ForeignKey("families.Family", on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"family code for {self.family_id}"


class LinkFlag(models.Model):
    """A link that took at least ``HOPEFUL_LINK_FLAG_PER_HOUR`` submissions in one clock hour
    (UTC), flagged once per hour to its organization (see :mod:`hopeful.web.surveys.flags`)."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    link = models.ForeignKey(CampaignLink, on_delete=models.CASCADE, related_name="flags")
    hour_start = models.DateTimeField()
    submissions = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["link", "hour_start"], name="link_flag_once_per_hour")
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organization", "-created_at"], name="link_flag_org_time"),
        ]

    def __str__(self) -> str:
        return f"link {self.link_id} flagged for {self.hour_start:%Y-%m-%d %H}:00"
