"""Writing the newsletter's sign-ups: sign up (double opt-in), confirm, unsubscribe, purge
expired sign-ups, and the staff's export for their mailing service.

Emails are never sent here: they are queued (``on_commit``) for the background worker, which
makes the links from the row (:mod:`hopeful.web.newsletter.tasks`).
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from hopeful.web.audit.services import audit_record
from hopeful.web.cms.vocab import AUDIENCES, BLOCKS
from hopeful.web.newsletter import emails, selectors, tasks
from hopeful.web.newsletter.models import Subscription

#: At most one email to one address in this time, however often it is signed up (so the
#: form cannot be used to flood someone's mailbox).
EMAIL_INTERVAL = dt.timedelta(minutes=10)

EXPORT_COLUMNS = (
    "email",
    "language",
    "building_blocks",
    "audiences",
    "confirmed_at",
    "consent_at",
    "consent_text",
    "unsubscribe_url",
)


class SignUp(enum.Enum):
    """What a sign-up did (never shown to the person: every outcome answers the same)."""

    PENDING = "pending"
    """A new or renewed pending sign-up; a confirmation email is queued."""
    ALREADY_CONFIRMED = "already_confirmed"
    """Nothing stored; a "you are already subscribed" email is queued."""
    THROTTLED = "throttled"
    """Nothing emailed: this address was emailed a moment ago."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _check_codes(
    *, language: str, building_blocks: Iterable[str], audiences: Iterable[str]
) -> None:
    languages = {code for code, _name in settings.LANGUAGES}
    if language not in languages:
        raise ValueError(f"unknown newsletter language {language!r}")
    unknown = [c for c in building_blocks if c not in BLOCKS]
    unknown += [c for c in audiences if c not in AUDIENCES]
    if unknown:
        raise ValueError(f"unknown interests {unknown!r}")


def _may_email(subscription: Subscription, now: dt.datetime) -> bool:
    last = subscription.email_queued_at
    return last is None or now - last >= EMAIL_INTERVAL


@transaction.atomic
def subscription_sign_up(
    *,
    email: str,
    language: str,
    building_blocks: list[str],
    audiences: list[str],
    consent_text: str,
    consent_language: str,
    now: dt.datetime | None = None,
) -> SignUp:
    """Sign an address up, pending until it is confirmed from the emailed link.

    A new address, or one still pending (its window renewed), gets the interests and consent
    given now and a confirmation email. An address already confirmed is left as it is and
    gets a short "you are already subscribed" email instead. Raises ``ValueError`` for a
    language or interest code outside the vocabularies.
    """
    now = now or timezone.now()
    _check_codes(language=language, building_blocks=building_blocks, audiences=audiences)
    email = normalize_email(email)
    chosen = {
        "language": language,
        "building_blocks": sorted(set(building_blocks), key=list(BLOCKS).index),
        "audiences": sorted(set(audiences), key=list(AUDIENCES).index),
        "consent_text": consent_text,
        "consent_language": consent_language,
        "consent_at": now,
    }
    subscription = Subscription.objects.select_for_update().filter(email=email).first()
    if subscription is None:
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(email=email, created_at=now, **chosen)
        except IntegrityError:
            # the same address signed up at the same moment: carry on with that row
            subscription = Subscription.objects.select_for_update().get(email=email)

    if subscription.is_confirmed:
        outcome, send = SignUp.ALREADY_CONFIRMED, tasks.send_already_subscribed
    else:
        for field, value in chosen.items():
            setattr(subscription, field, value)
        subscription.save(update_fields=list(chosen))
        outcome, send = SignUp.PENDING, tasks.send_confirmation

    if not _may_email(subscription, now):
        return SignUp.THROTTLED
    subscription.email_queued_at = now
    subscription.save(update_fields=["email_queued_at"])
    subscription_id = subscription.pk
    transaction.on_commit(lambda: send.enqueue(subscription_id))
    return outcome


@transaction.atomic
def subscription_confirm(*, subscription: Subscription, now: dt.datetime | None = None) -> None:
    """Confirm a pending sign-up (from the emailed link's button). Confirming twice is a
    no-op; an expired sign-up is refused with ``ValueError``."""
    now = now or timezone.now()
    locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if locked.is_confirmed:
        return
    if locked.is_expired(now):
        raise ValueError("this sign-up expired before it was confirmed")
    locked.confirmed_at = now
    locked.save(update_fields=["confirmed_at"])
    subscription.confirmed_at = now


@transaction.atomic
def subscription_unsubscribe(*, subscription: Subscription) -> None:
    """Unsubscribe: delete the sign-up, address and all. The audit trail records that someone
    left (and whether they had confirmed), never who."""
    was_confirmed = subscription.is_confirmed
    deleted, _rows = Subscription.objects.filter(pk=subscription.pk).delete()
    if deleted:
        audit_record(
            verb="newsletter.unsubscribe",
            actor=None,
            organization=None,
            extra={"confirmed": was_confirmed},
        )


@transaction.atomic
def subscriptions_purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the pending sign-ups nobody confirmed in time. Returns how many."""
    deleted, _rows = Subscription.objects.expired(now or timezone.now()).delete()
    return deleted


def _cell(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection, OWASP)."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def _when(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds") if value else ""


@transaction.atomic
def subscribers_export_csv(*, actor: Any) -> tuple[str, int]:
    """The confirmed list as CSV for the mailing service, audited (``newsletter.export``).
    Returns the file's text and its number of rows. Each row has its unsubscribe link, for
    the mailing service to put in every message it sends."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    rows = 0
    for subscription in selectors.confirmed_subscriptions().iterator():
        writer.writerow(
            [
                _cell(value)
                for value in (
                    subscription.email,
                    subscription.language,
                    ";".join(subscription.building_blocks),
                    ";".join(subscription.audiences),
                    _when(subscription.confirmed_at),
                    _when(subscription.consent_at),
                    subscription.consent_text,
                    emails.unsubscribe_url(subscription),
                )
            ]
        )
        rows += 1
    audit_record(verb="newsletter.export", actor=actor, organization=None, extra={"rows": rows})
    return out.getvalue(), rows
