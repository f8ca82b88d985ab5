"""Reading the newsletter's sign-ups: by an emailed link's token, and counts for staff."""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from hopeful.web.newsletter import tokens
from hopeful.web.newsletter.models import Subscription, SubscriptionQuerySet, confirm_window


class LinkState(enum.Enum):
    """What an emailed link leads to."""

    PENDING = "pending"
    """A sign-up waiting for confirmation (or, for unsubscribe links, any sign-up)."""
    CONFIRMED = "confirmed"
    EXPIRED = "expired"
    """A genuine link too old to confirm, or a sign-up that is gone (expired, unsubscribed)."""
    INVALID = "invalid"
    """Not a link HOPEful made (mistyped, cut short, forged)."""


@dataclass(frozen=True, slots=True)
class Link:
    state: LinkState
    subscription: Subscription | None = None


def confirm_link(token: str, *, now: dt.datetime | None = None) -> Link:
    """The sign-up a confirmation link is for, and whether it can (still) be confirmed."""
    now = now or timezone.now()
    read = tokens.read_confirm_token(token, max_age=confirm_window())
    if read.state is tokens.TokenState.INVALID:
        return Link(LinkState.INVALID)
    subscription = (
        None
        if read.public_id is None  # an expired token does not say whose it is
        else Subscription.objects.filter(public_id=read.public_id).first()
    )
    if subscription is not None and subscription.is_confirmed:
        return Link(LinkState.CONFIRMED, subscription)
    if (
        read.state is tokens.TokenState.EXPIRED
        or subscription is None
        or subscription.is_expired(now)
    ):
        return Link(LinkState.EXPIRED)
    return Link(LinkState.PENDING, subscription)


def unsubscribe_link(token: str) -> Link:
    """The sign-up an unsubscribe link is for (``EXPIRED`` when it is already gone)."""
    read = tokens.read_unsubscribe_token(token)
    if read.state is not tokens.TokenState.VALID or read.public_id is None:
        return Link(LinkState.INVALID)
    subscription = Subscription.objects.filter(public_id=read.public_id).first()
    if subscription is None:
        return Link(LinkState.EXPIRED)
    return Link(LinkState.PENDING, subscription)


def confirmed_subscriptions() -> SubscriptionQuerySet:
    """The list a mailing service sends to: confirmed sign-ups, oldest first."""
    return Subscription.objects.confirmed().order_by("confirmed_at", "pk")


@dataclass(frozen=True, slots=True)
class Counts:
    pending: int
    confirmed: int
    by_language: dict[str, int]
    """Confirmed sign-ups by newsletter language."""
    by_block: dict[str, int]
    """Confirmed sign-ups interested in each building block (one may choose several)."""
    by_audience: dict[str, int]
    no_interest: int
    """Confirmed sign-ups that chose no building block and no audience (they get everything)."""


def subscriber_counts() -> Counts:
    """How many sign-ups there are, for network staff (no address is read)."""
    by_language: Counter[str] = Counter()
    by_block: Counter[str] = Counter()
    by_audience: Counter[str] = Counter()
    no_interest = 0
    confirmed = 0
    rows = Subscription.objects.confirmed().values_list("language", "building_blocks", "audiences")
    for language, blocks, audiences in rows.iterator():
        confirmed += 1
        by_language[language] += 1
        by_block.update(blocks)
        by_audience.update(audiences)
        no_interest += not blocks and not audiences
    return Counts(
        pending=Subscription.objects.pending().count(),
        confirmed=confirmed,
        by_language=dict(by_language),
        by_block=dict(by_block),
        by_audience=dict(by_audience),
        no_interest=no_interest,
    )
