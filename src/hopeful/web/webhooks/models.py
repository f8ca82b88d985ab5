"""Webhooks: an organization's receivers of signed messages, and the log of every message.

A :class:`Webhook` is a URL the organization's own systems listen at, with the secret its
messages are signed with. Its secret must be kept (it signs every message), and is shown in
full only on the page that answers its creation or a new secret; pages show its first
characters afterwards (:func:`hopeful.web.webhooks.signing.secret_hint`).

A :class:`Delivery` is one message to one webhook: made in the transaction of what it tells
(a rolled-back submission leaves none), sent by the worker and tried again with backoff. Its
payload holds ids only (organization, program, campaign, submission and the time): never
answers, names, scores or demographics. The receiver reads what it may through the API.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hopeful.web.webhooks.signing import secret_hint

if TYPE_CHECKING:
    from hopeful.web.organizations.models import Organization

#: Webhooks one organization may have.
MAX_WEBHOOKS = 10


class EventType(models.TextChoices):
    SUBMISSION_CREATED = "submission.created", _("Answers stored")
    TEST = "webhook.test", _("Test message")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class DisabledReason(models.TextChoices):
    BY_PERSON = "person", _("Turned off by an organization admin")
    GONE = "gone", _("Turned off because the receiver answered 410 Gone")


class WebhookQuerySet(models.QuerySet["Webhook"]):
    def for_org(self, organization: Organization) -> WebhookQuerySet:
        return self.filter(organization=organization)

    def active(self) -> WebhookQuerySet:
        return self.filter(active=True)


class Webhook(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True, default="")
    # Kept to sign: a signature needs the secret itself, a hash would not do.
    secret = models.CharField(max_length=100, editable=False)
    # The secret before the last rotation, still signed with until ``previous_secret_until``
    # so the receiver can switch without losing a message.
    previous_secret = models.CharField(max_length=100, blank=True, default="", editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(
        max_length=8, choices=DisabledReason.choices, blank=True, default=""
    )

    objects = WebhookQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organization", "active"], name="webhook_org_active"),
        ]

    def __str__(self) -> str:
        return f"webhook {self.public_id}"

    @property
    def secret_hint(self) -> str:
        """What pages show of the secret once it was created."""
        return secret_hint(self.secret)


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def for_org(self, organization: Organization) -> DeliveryQuerySet:
        return self.filter(organization=organization)


class Delivery(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    event_id = models.UUIDField(
        default=uuid.uuid4,
        editable=False,
        help_text="The message's webhook-id: the same on every attempt, for the receiver to "
        "recognize a message it already has.",
    )
    payload = models.JSONField(help_text="type, timestamp and data: ids and times only.")
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["webhook", "-created_at"], name="delivery_webhook_time"),
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["webhook", "event_id"], name="delivery_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"

    @property
    def finished(self) -> bool:
        return self.status != DeliveryStatus.PENDING
