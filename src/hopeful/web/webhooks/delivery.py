"""Messages to webhooks: made when something happens, sent by the worker, tried again.

- :func:`submission_event` runs inside the transaction that stores a submission (from the
  ``post_save`` receiver in :mod:`hopeful.web.webhooks.receivers`): one :class:`Delivery` per
  active webhook of the organization, with the same event id, and their tasks queued when
  the transaction commits. A rolled-back submission leaves no delivery and queues nothing;
  a submission never waits for a receiver.
- :func:`delivery_attempt` is the task's body: one signed POST. A 2xx answer delivers the
  message; a 410 Gone turns the webhook off; anything else is tried again after
  :data:`RETRY_DELAYS` (1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours), then the
  delivery is failed. Each attempt claims the delivery first (a compare-and-set on its
  attempts), so two tasks for one delivery never send it twice at once.
- :func:`sweep` is the safety net, a periodic job: a delivery whose task was lost (the
  process stopped between the commit and the queueing, or the worker died during the last
  attempt) is queued again or failed.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from hopeful.web.audit.services import audit_record
from hopeful.web.webhooks import sender, signing
from hopeful.web.webhooks.models import (
    Delivery,
    DeliveryStatus,
    DisabledReason,
    EventType,
    Webhook,
)

logger = logging.getLogger(__name__)

#: Waits before the second, third ... attempt; after the last one the delivery has failed.
RETRY_DELAYS: tuple[dt.timedelta, ...] = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
#: A test message is sent once: the person who asked for it looks at the answer.
TEST_ATTEMPTS = 1
#: How long an attempt may take before the sweep takes it for lost (the timeout is 10 s).
ATTEMPT_LEASE = dt.timedelta(minutes=10)


def iso(moment: dt.datetime) -> str:
    """A time as ISO 8601 in UTC with a ``Z``."""
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def max_attempts(delivery: Delivery) -> int:
    return TEST_ATTEMPTS if delivery.event_type == EventType.TEST else MAX_ATTEMPTS


def submission_payload(submission: Any) -> dict[str, Any]:
    """The message about a stored submission: ids and its time, nothing the family said."""
    return {
        "type": EventType.SUBMISSION_CREATED.value,
        "timestamp": iso(submission.submitted_at),
        "data": {
            "organization": str(submission.organization.public_id),
            "program": str(submission.program.public_id),
            "campaign": str(submission.campaign.public_id),
            "submission": str(submission.public_id),
            "submitted_at": iso(submission.submitted_at),
        },
    }


def ping_payload(webhook: Webhook, now: dt.datetime) -> dict[str, Any]:
    return {
        "type": EventType.TEST.value,
        "timestamp": iso(now),
        "data": {
            "organization": str(webhook.organization.public_id),
            "webhook": str(webhook.public_id),
        },
    }


def queue_on_commit(deliveries: Sequence[Delivery]) -> None:
    """Queue the deliveries' tasks once the current transaction commits (at once outside
    one). A failure to queue never undoes what committed: the sweep queues them later."""
    ids = [delivery.pk for delivery in deliveries]
    if ids:
        transaction.on_commit(partial(_queue, ids), robust=True)


def _queue(ids: Sequence[int], run_after: dt.datetime | None = None) -> None:
    from hopeful.web.webhooks.tasks import deliver  # the task module imports this one

    task = deliver.using(run_after=run_after) if run_after is not None else deliver
    for pk in ids:
        task.enqueue(delivery_id=pk)


def submission_event(*, submission: Any) -> list[Delivery]:
    """Record the message about a new submission for every active webhook of its
    organization (call inside the submission's transaction), queued on commit."""
    webhooks = list(
        Webhook.objects.filter(organization_id=submission.organization_id, active=True).only(
            "pk", "organization_id"
        )
    )
    if not webhooks:
        return []
    payload = submission_payload(submission)
    event_id = uuid.uuid4()
    now = timezone.now()
    deliveries = [
        Delivery.objects.create(
            organization_id=webhook.organization_id,
            webhook=webhook,
            event_type=EventType.SUBMISSION_CREATED,
            event_id=event_id,
            payload=payload,
            next_attempt_at=now,
        )
        for webhook in webhooks
    ]
    queue_on_commit(deliveries)
    return deliveries


# -- in the worker -----------------------------------------------------------------------------


def _secrets(webhook: Webhook, now: dt.datetime) -> list[str]:
    """The secrets a message is signed with: the current one, and the one before it while
    it is still honoured after a rotation."""
    found = [webhook.secret]
    until = webhook.previous_secret_until
    if webhook.previous_secret and until is not None and until > now:
        found.append(webhook.previous_secret)
    return found


def _close(delivery: Delivery, attempts: int, **fields: Any) -> bool:
    """Record an outcome, only if nothing else changed the delivery since this attempt
    claimed it (a redelivery asked meanwhile starts afresh and keeps its own)."""
    changed = Delivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING, attempts=attempts
    ).update(**fields)
    for name, value in fields.items():
        setattr(delivery, name, value)
    return bool(changed)


def _fail_unsent(delivery: Delivery, error: str) -> None:
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, next_attempt_at=None, last_error=error[:300]
    )


def _turn_off_gone(webhook: Webhook, now: dt.datetime) -> None:
    with transaction.atomic():
        if Webhook.objects.filter(pk=webhook.pk, active=True).update(
            active=False, disabled_at=now, disabled_reason=DisabledReason.GONE
        ):
            audit_record(
                verb="webhook.disable",
                actor=None,
                organization=webhook.organization,
                obj=webhook,
                extra={"reason": "410 Gone"},
            )


def delivery_attempt(*, delivery_id: int) -> str:
    """Send one delivery once, if it is due (the task's body; idempotent). Returns what
    happened, for the task's result: ``delivered``, ``retry``, ``failed`` or ``skipped``."""
    delivery = (
        Delivery.objects.select_related("webhook", "webhook__organization")
        .filter(pk=delivery_id)
        .first()
    )
    now = timezone.now()
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return "skipped"  # deleted with its webhook, or finished by an earlier attempt
    if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
        return "skipped"  # not due: the task queued for its time will send it
    webhook = delivery.webhook
    limit = max_attempts(delivery)
    if not webhook.active:
        _fail_unsent(delivery, "Not sent: the webhook is turned off.")
        return "failed"
    if delivery.attempts >= limit:
        _fail_unsent(delivery, delivery.last_error or "The last attempt did not finish.")
        return "failed"
    attempt = delivery.attempts + 1
    retry_at = now + RETRY_DELAYS[attempt - 1] if attempt < limit else None
    # Claim this attempt: until it ends, the delivery is due again only after the retry
    # time (or, for the last attempt, after the lease, when the sweep fails it).
    claimed = Delivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING, attempts=delivery.attempts
    ).update(attempts=attempt, last_attempt_at=now, next_attempt_at=retry_at or now + ATTEMPT_LEASE)
    if not claimed:
        return "skipped"  # another task claimed it first
    body = signing.body_bytes(delivery.payload)
    timestamp = int(now.timestamp())
    headers = signing.headers(_secrets(webhook, now), str(delivery.event_id), timestamp, body)
    outcome = sender.post(webhook.url, body, headers)
    finished = timezone.now()
    if outcome.ok:
        _close(
            delivery,
            attempt,
            status=DeliveryStatus.DELIVERED,
            delivered_at=finished,
            next_attempt_at=None,
            last_status_code=outcome.status_code,
            last_error="",
        )
        return "delivered"
    if outcome.status_code == 410:
        _close(
            delivery,
            attempt,
            status=DeliveryStatus.FAILED,
            next_attempt_at=None,
            last_status_code=410,
            last_error="410 Gone: the receiver asked for no more messages; the webhook "
            "was turned off.",
        )
        _turn_off_gone(webhook, finished)
        return "failed"
    if retry_at is None:
        _close(
            delivery,
            attempt,
            status=DeliveryStatus.FAILED,
            next_attempt_at=None,
            last_status_code=outcome.status_code,
            last_error=outcome.error[:300],
        )
        return "failed"
    if _close(
        delivery, attempt, last_status_code=outcome.status_code, last_error=outcome.error[:300]
    ):
        _queue([delivery.pk], run_after=retry_at)
    return "retry"


def sweep(*, now: dt.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Queue again the deliveries overdue by more than :data:`ATTEMPT_LEASE` (their task
    was lost), and fail those whose last attempt never finished. Returns the counts."""
    now = now or timezone.now()
    overdue = list(
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now - ATTEMPT_LEASE
        ).order_by("next_attempt_at")[:limit]
    )
    requeued: list[int] = []
    failed = 0
    for delivery in overdue:
        if delivery.attempts >= max_attempts(delivery):
            _fail_unsent(delivery, delivery.last_error or "The last attempt did not finish.")
            failed += 1
        else:
            requeued.append(delivery.pk)
    _queue(requeued)
    return {"webhook_deliveries_requeued": len(requeued), "webhook_deliveries_failed": failed}
