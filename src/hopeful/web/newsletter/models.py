"""The newsletter's sign-ups: one row per email address, pending until the person opens the
emailed link and confirms (double opt-in), with the consent they gave (its exact text, the
language it was shown in, and when).

Unsubscribing deletes the row: HOPEful keeps no address of someone who left. Signing up again
later starts a fresh pending sign-up with a new ``public_id``, so the old emailed links do not
work for it. Unconfirmed sign-ups are deleted once the confirmation window has passed
(:func:`hopeful.web.newsletter.services.subscriptions_purge_expired`, run daily).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Days a confirmation link works, and a pending sign-up is kept (default).
DEFAULT_CONFIRM_DAYS = 7


def confirm_window() -> dt.timedelta:
    """How long a pending sign-up may be confirmed (``HOPEFUL_NEWSLETTER_CONFIRM_DAYS``)."""
    return dt.timedelta(
        days=getattr(settings, "HOPEFUL_NEWSLETTER_CONFIRM_DAYS", DEFAULT_CONFIRM_DAYS)
    )


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def confirmed(self) -> SubscriptionQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def pending(self) -> SubscriptionQuerySet:
        return self.filter(confirmed_at__isnull=True)

    def expired(self, now: dt.datetime) -> SubscriptionQuerySet:
        """Pending sign-ups whose confirmation window has passed."""
        return self.pending().filter(consent_at__lt=now - confirm_window())


class Subscription(models.Model):
    """A newsletter sign-up. The email address is normalized (trimmed, lowercase) and never
    shown on a public page; the emailed links carry only signed ``public_id`` tokens."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    #: The language the newsletter is sent in (en/es).
    language = models.CharField(_("newsletter language"), max_length=8)
    #: Codes of :data:`hopeful.web.cms.vocab.BLOCKS` and :data:`~hopeful.web.cms.vocab.AUDIENCES`.
    building_blocks = models.JSONField(default=list, blank=True)
    audiences = models.JSONField(default=list, blank=True)
    #: The exact text next to the consent checkbox, in the language it was shown in.
    consent_text = models.TextField()
    consent_language = models.CharField(max_length=8)
    #: When the person last agreed (a sign-up again while pending renews it).
    consent_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    #: When an email to this address was last queued (limits emails to one address).
    email_queued_at = models.DateTimeField(null=True, blank=True)
    #: When the background worker last sent the confirmation email.
    confirm_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        indexes = (models.Index(fields=["confirmed_at", "consent_at"]),)

    def __str__(self) -> str:
        return f"newsletter subscription {self.public_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def is_expired(self, now: dt.datetime) -> bool:
        """Whether this pending sign-up can no longer be confirmed."""
        return not self.is_confirmed and self.consent_at < now - confirm_window()
