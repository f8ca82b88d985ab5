"""API tokens: how another system (REDCap, an EHR, a statistics script) reaches one
organization's data through ``/api/v1/`` and ``/fhir/``.

An org admin makes a token per integration, with the scopes it needs and an expiry. The token
is shown once; only its SHA-256 is stored, beside a short prefix that tells tokens apart in
lists and logs. A token belongs to exactly one organization: every query it makes is filtered
by it, so another organization's objects answer 404 as if they did not exist.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from hopeful.web.organizations.models import Organization


class Scope(models.TextChoices):
    """What a token may do. Restricted visit notes are in no scope."""

    READ_AGGREGATES = "aggregates:read", _("Read protected aggregates (the dashboard's numbers)")
    READ_IDENTIFIABLE = (
        "identifiable:read",
        _("Read identifiable records (families, children, answers, goals, strengths maps)"),
    )
    WRITE_SUBMISSIONS = "submissions:write", _("Send questionnaire answers")


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def for_org(self, organization: Organization) -> ApiTokenQuerySet:
        return self.filter(organization=organization)

    def usable(self) -> ApiTokenQuerySet:
        """Not revoked and not expired, now."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(default=list, help_text="Scope values, e.g. ['aggregates:read']")
    prefix = models.CharField(max_length=12, help_text="The token's first characters, shown.")
    token_hash = models.CharField(max_length=64, unique=True)
    rate_limit_per_minute = models.PositiveIntegerField(default=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and moment < self.expires_at

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"
