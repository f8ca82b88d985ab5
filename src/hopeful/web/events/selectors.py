"""Reading events: the public list (upcoming, then past), one event's page, a registration by
its manage token, and the staff's list and roster. Querysets come with their counts (no
query per row)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hopeful.web.events.models import Event, EventRegistration, EventStatus, RegistrationStatus
from hopeful.web.events.tokens import token_hash

#: How many past events the public list shows.
PAST_SHOWN = 12


def with_counts(queryset: QuerySet[Event]) -> QuerySet[Event]:
    return queryset.annotate(
        places_taken=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        ),
        waitlisted=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
        ),
    )


def places_left(event: Event) -> int | None:
    """Free places (needs the ``places_taken`` annotation); None when there is no limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - getattr(event, "places_taken", 0), 0)


def availability(event: Event, now: dt.datetime) -> str:
    """What the list and the page say about places: ``cancelled``, ``past``, ``closed``,
    ``open`` (no limit), ``places`` (some left), ``waitlist`` (full, the waitlist takes
    people) or ``full`` (full and closed)."""
    if event.status == EventStatus.CANCELLED:
        return "cancelled"
    if event.ends_at <= now:
        return "past"
    left = places_left(event)
    if not event.registration_open or event.starts_at <= now:
        return "full" if left == 0 else "closed"
    if left is None:
        return "open"
    return "places" if left > 0 else "waitlist"


def public_events(
    *, kind: str = "", now: dt.datetime | None = None
) -> tuple[list[Event], list[Event]]:
    """Published events not yet over (soonest first), and the latest past ones."""
    now = now or timezone.now()
    queryset = with_counts(Event.objects.filter(published=True))
    if kind:
        queryset = queryset.filter(kind=kind)
    upcoming = list(queryset.filter(ends_at__gt=now).order_by("starts_at", "pk"))
    past = list(queryset.filter(ends_at__lte=now).order_by("-starts_at", "-pk")[:PAST_SHOWN])
    return upcoming, past


def upcoming_for_feed(*, now: dt.datetime | None = None, limit: int = 50) -> list[Event]:
    """Published, scheduled events not yet started, soonest first."""
    now = now or timezone.now()
    return list(
        Event.objects.filter(
            published=True, status=EventStatus.SCHEDULED, starts_at__gt=now
        ).order_by("starts_at", "pk")[:limit]
    )


def event_by_slug(slug: str, *, staff: bool = False) -> Event:
    """A published event by its slug (network staff also see unpublished ones), or 404."""
    queryset = with_counts(Event.objects.filter(slug=slug))
    if not staff:
        queryset = queryset.filter(published=True)
    event = queryset.first()
    if event is None:
        raise Http404
    return event


def event_get(public_id: Any) -> Event:
    """Any event by public id (the staff's pages), with its counts, or 404."""
    event = with_counts(Event.objects.filter(public_id=public_id)).first()
    if event is None:
        raise Http404
    return event


def registration_by_token(token: str) -> EventRegistration:
    """The registration a manage link opens, or 404 (for any token that is not current)."""
    if not token or len(token) > 128:
        raise Http404
    registration = (
        EventRegistration.objects.select_related("event")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def waitlist_position(registration: EventRegistration) -> int | None:
    """1 for the first person on the waitlist; None when not waitlisted."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = EventRegistration.objects.filter(
        event=registration.event_id, status=RegistrationStatus.WAITLISTED
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def staff_events() -> QuerySet[Event]:
    """Every event for the staff list, latest first, with counts."""
    return with_counts(Event.objects.all()).order_by("-starts_at", "-pk")


def roster(event: Event) -> QuerySet[EventRegistration]:
    """Everyone who registered (every status), in waitlist order."""
    return EventRegistration.objects.filter(event=event).order_by("created_at", "pk")


def registration_of_event(event: Event, public_id: Any) -> EventRegistration:
    registration = EventRegistration.objects.filter(event=event, public_id=public_id).first()
    if registration is None:
        raise Http404
    return registration
