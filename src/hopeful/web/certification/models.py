"""Certifications, their audit trail and the credentials issued for them.

The lifecycle rules live in :mod:`hopeful.framework.certification` (pure Python); these
models only store where each certification is. Every change goes through
:mod:`hopeful.web.certification.services`, which writes a :class:`CertificationEvent` (the
certification's own trail, shown to staff) and an audit event in the same transaction.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hopeful.framework.certification import Action, State, Tier

#: Size of each status list (W3C Bitstring Status List: at least 131,072 entries, so that one
#: credential's index says little about who holds it).
STATUS_LIST_SIZE = 131072


class TierChoices(models.TextChoices):
    FACILITATOR = Tier.FACILITATOR.value, _("HOPE Facilitator")
    CHAMPION = Tier.CHAMPION.value, _("HOPE Champion")
    ORGANIZATION = Tier.ORGANIZATION.value, _("HOPE-informed organization")


class StateChoices(models.TextChoices):
    APPLIED = State.APPLIED.value, pgettext_lazy("certification state", "Applied")
    IN_PROGRESS = State.IN_PROGRESS.value, pgettext_lazy("certification state", "In progress")
    CERTIFIED = State.CERTIFIED.value, pgettext_lazy("certification state", "Certified")
    EXPIRING = State.EXPIRING.value, pgettext_lazy("certification state", "Expiring")
    EXPIRED = State.EXPIRED.value, pgettext_lazy("certification state", "Expired")
    SUSPENDED = State.SUSPENDED.value, pgettext_lazy("certification state", "Suspended")
    REVOKED = State.REVOKED.value, pgettext_lazy("certification state", "Revoked")


class EventKind(models.TextChoices):
    """What a :class:`CertificationEvent` records: an action of the state machine, or one of
    the steps around it that do not change the state."""

    APPLY = "apply", _("Applied")
    START = Action.START.value, _("Started")
    CERTIFY = Action.CERTIFY.value, _("Certified")
    MARK_EXPIRING = Action.MARK_EXPIRING.value, _("Marked as expiring")
    EXPIRE = Action.EXPIRE.value, _("Expired")
    RENEW = Action.RENEW.value, _("Renewed")
    SUSPEND = Action.SUSPEND.value, _("Suspended")
    REINSTATE = Action.REINSTATE.value, _("Reinstated")
    REVOKE = Action.REVOKE.value, _("Revoked")
    ASSESSMENT = "assessment", _("Self-assessment submitted")
    REVIEW_APPROVED = "review_approved", _("Review: approved")
    REVIEW_CHANGES = "review_changes", _("Review: changes requested")


class ReviewStatus(models.TextChoices):
    """Where an organization's Champion review stands (empty for people's certifications)."""

    NONE = "", _("No review needed")
    PENDING = "pending", _("Waiting for a Champion's review")
    APPROVED = "approved", _("Approved by a Champion")
    CHANGES = "changes_requested", _("Changes requested")


class Certification(models.Model):
    """One certification of one holder (a person, or an organization for the organization
    tier) in one tier. A holder has at most one certification per tier that is not revoked;
    after a revocation they may apply again."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tier = models.CharField(_("tier"), max_length=16, choices=TierChoices.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=StateChoices.choices, default=State.APPLIED.value
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certifications",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certifications",
    )
    applied_at = models.DateTimeField(_("applied"), default=timezone.now)
    #: First certification (kept across renewals).
    certified_at = models.DateTimeField(_("first certified"), null=True, blank=True)
    #: Start of the current validity period (the last certify or renew): renewal hours count
    #: from here.
    period_started_at = models.DateTimeField(null=True, blank=True)
    #: The last valid day (inclusive).
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    #: Why it was last suspended or revoked (shown to staff and the holder, never on /verify/).
    reason = models.TextField(_("reason"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    #: What the certification rests on: the training completed, the self-assessment, ...
    evidence = models.JSONField(default=dict, blank=True)
    review_status = models.CharField(
        max_length=24, choices=ReviewStatus.choices, default=ReviewStatus.NONE, blank=True
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-applied_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=(
                    Q(tier=Tier.ORGANIZATION.value, user__isnull=True, organization__isnull=False)
                    | (
                        ~Q(tier=Tier.ORGANIZATION.value)
                        & Q(user__isnull=False, organization__isnull=True)
                    )
                ),
                name="certification_one_holder_of_the_right_kind",
            ),
            models.UniqueConstraint(
                fields=["user", "tier"],
                condition=Q(user__isnull=False) & ~Q(state=State.REVOKED.value),
                name="certification_one_open_per_person_and_tier",
            ),
            models.UniqueConstraint(
                fields=["organization", "tier"],
                condition=Q(organization__isnull=False) & ~Q(state=State.REVOKED.value),
                name="certification_one_open_per_organization",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["state", "valid_until"], name="certification_state_until"),
            models.Index(fields=["tier", "state"], name="certification_tier_state"),
        ]

    def __str__(self) -> str:
        return f"{self.tier} {self.state} {self.public_id}"

    @property
    def tier_enum(self) -> Tier:
        return Tier(self.tier)

    @property
    def state_enum(self) -> State:
        return State(self.state)


class CertificationEvent(models.Model):
    """One step in a certification's life, newest last. Never changed or deleted."""

    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(max_length=24, choices=EventKind.choices)
    from_state = models.CharField(max_length=16, choices=StateChoices.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=StateChoices.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the daily job.",
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.action} {self.from_state}->{self.to_state}"


def new_code() -> str:
    """A public verification code: 80 random bits as 16 base32 letters and digits."""
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii")


class Credential(models.Model):
    """One signed Open Badges 3.0 credential (a VC-JWT) issued for a certification. Each
    certify or renew issues a new one; whether it is still good is decided by the
    certification's state (through the status lists) and its own validity dates."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="credentials"
    )
    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    jwt = models.TextField()
    kid = models.CharField(max_length=128)
    subject_name = models.CharField(max_length=300)
    issued_at = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField()
    revocation_index = models.PositiveIntegerField(unique=True)
    suspension_index = models.PositiveIntegerField(unique=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.code


class StatusPurpose(models.TextChoices):
    REVOCATION = "revocation", _("Revocation")
    SUSPENSION = "suspension", _("Suspension")


class StatusIndex(models.Model):
    """An allocated position in one status list. Positions are random (so that neighbouring
    positions say nothing about the order of issue) and never given out twice, even if the
    credential were deleted: a reused position would carry a revoked bit to a new holder."""

    purpose = models.CharField(max_length=16, choices=StatusPurpose.choices)
    index = models.PositiveIntegerField()
    allocated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["purpose", "index"], name="status_index_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose}:{self.index}"
