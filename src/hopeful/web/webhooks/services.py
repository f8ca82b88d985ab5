"""Writes for webhooks from their pages (org admins): add one, a new secret, turn off and on,
delete, send a test message, send a failed message again. Each is audited in its own
transaction, never with the secret; support access may look, not change
(:meth:`~hopeful.web.organizations.access.Access.require_own_access`, in the views)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hopeful.web.audit.services import audit_record
from hopeful.web.organizations.access import Access
from hopeful.web.webhooks import delivery as messages
from hopeful.web.webhooks import guard, signing
from hopeful.web.webhooks.models import (
    MAX_WEBHOOKS,
    Delivery,
    DeliveryStatus,
    DisabledReason,
    EventType,
    Webhook,
)

#: How long the secret before a rotation still signs messages (beside the new one), so the
#: receiver can change its secret without losing a message.
ROTATION_GRACE = dt.timedelta(hours=24)


class WebhookError(Exception):
    """A change that cannot be made, with the reason in plain language."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


def _host(url: str) -> str:
    """The URL's host (and port) for the audit trail: never its path or query, which may
    carry a receiver's own token."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        return f"{host}:{parts.port}" if parts.port else host
    except ValueError:
        return ""


def _audit(verb: str, actor: Any, webhook: Webhook, **extra: Any) -> None:
    audit_record(
        verb=verb,
        actor=actor,
        organization=webhook.organization,
        obj=webhook,
        extra={"host": _host(webhook.url), **extra},
    )


def webhook_create(
    *, access: Access, actor: Any, url: str, description: str = ""
) -> tuple[Webhook, str]:
    """A new webhook and its secret (returned once to be shown once). The URL must be a
    public ``https://`` address (:mod:`hopeful.web.webhooks.guard`)."""
    try:
        guard.check(url)
    except guard.AddressRefused as refused:
        raise WebhookError(refused.message) from None
    secret = signing.new_secret()
    with transaction.atomic():
        if Webhook.objects.for_org(access.organization).count() >= MAX_WEBHOOKS:
            raise WebhookError(
                _("An organization may have at most %(n)d webhooks. Delete one first.")
                % {"n": MAX_WEBHOOKS}
            )
        webhook = Webhook.objects.create(
            organization=access.organization,
            url=url.strip(),
            description=description.strip(),
            secret=secret,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _audit("webhook.create", actor, webhook)
    return webhook, secret


def webhook_rotate_secret(*, actor: Any, webhook: Webhook) -> str:
    """A new secret (returned once to be shown once). The old one still signs beside it for
    :data:`ROTATION_GRACE`."""
    secret = signing.new_secret()
    with transaction.atomic():
        webhook.previous_secret = webhook.secret
        webhook.previous_secret_until = timezone.now() + ROTATION_GRACE
        webhook.secret = secret
        webhook.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
        _audit("webhook.rotate_secret", actor, webhook)
    return secret


def webhook_disable(*, actor: Any, webhook: Webhook) -> Webhook:
    """Turn the webhook off: nothing more is sent (messages waiting fail, marked so)."""
    with transaction.atomic():
        if webhook.active:
            webhook.active = False
            webhook.disabled_at = timezone.now()
            webhook.disabled_reason = DisabledReason.BY_PERSON
            webhook.save(update_fields=["active", "disabled_at", "disabled_reason"])
            _audit("webhook.disable", actor, webhook)
    return webhook


def webhook_enable(*, actor: Any, webhook: Webhook) -> Webhook:
    """Turn the webhook on again, after checking its address again."""
    if webhook.active:
        return webhook
    try:
        guard.check(webhook.url)
    except guard.AddressRefused as refused:
        raise WebhookError(refused.message) from None
    with transaction.atomic():
        webhook.active = True
        webhook.disabled_at = None
        webhook.disabled_reason = ""
        webhook.save(update_fields=["active", "disabled_at", "disabled_reason"])
        _audit("webhook.enable", actor, webhook)
    return webhook


def webhook_delete(*, actor: Any, webhook: Webhook) -> None:
    """Delete the webhook with its delivery log (the audit trail keeps what was done)."""
    with transaction.atomic():
        _audit("webhook.delete", actor, webhook, deliveries=webhook.deliveries.count())
        webhook.delete()


def webhook_test(*, actor: Any, webhook: Webhook) -> Delivery:
    """Queue a ``webhook.test`` message (ids only), sent once by the worker."""
    if not webhook.active:
        raise WebhookError(_("The webhook is turned off. Turn it on to send a test message."))
    now = timezone.now()
    with transaction.atomic():
        sent = Delivery.objects.create(
            organization=webhook.organization,
            webhook=webhook,
            event_type=EventType.TEST,
            payload=messages.ping_payload(webhook, now),
            next_attempt_at=now,
        )
        _audit("webhook.test", actor, webhook, delivery=str(sent.public_id))
        messages.queue_on_commit([sent])
    return sent


def delivery_redeliver(*, actor: Any, delivery: Delivery) -> Delivery:
    """Send a failed message again: the same message (same webhook-id, so the receiver can
    tell it already has it), with its attempts counted afresh."""
    if delivery.status != DeliveryStatus.FAILED:
        raise WebhookError(_("Only a failed message can be sent again."))
    if not delivery.webhook.active:
        raise WebhookError(_("The webhook is turned off. Turn it on to send messages again."))
    with transaction.atomic():
        changed = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            last_status_code=None,
            last_error="",
        )
        if not changed:
            raise WebhookError(_("Only a failed message can be sent again."))
        delivery.refresh_from_db()
        _audit(
            "webhook.redeliver",
            actor,
            delivery.webhook,
            delivery=str(delivery.public_id),
            event=str(delivery.event_id),
        )
        messages.queue_on_commit([delivery])
    return delivery
