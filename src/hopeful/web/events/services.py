"""Writing events: registration by name and email (a place, else the waitlist), cancelling
(a freed place goes to the first person waiting, in the same transaction), and the network
staff's edits and cancellations, each audited.

This is the events' own small version of the trainings' capacity rule: trainings register
accounts, events register email addresses (no account), and an event may have no limit.
Capacity is never exceeded: every change to who holds a place locks the event row
(``select_for_update``) and counts inside the lock (on SQLite the single write lock
serializes the same way).

Emails are never sent here: they are queued ``on_commit`` for the background worker
(:mod:`hopeful.web.events.tasks`), which reads the rows again.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hopeful.web.audit.services import audit_record
from hopeful.web.events import tasks
from hopeful.web.events.models import Event, EventRegistration, EventStatus, RegistrationStatus
from hopeful.web.organizations.access import is_network_staff
from hopeful.web.trainings import places


class EventError(ValueError):
    """A refused request, with a message to show the person as it is."""


class Outcome(enum.Enum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    ALREADY = "already"  # this address already holds a place or waits for one


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _queue(send: Any, registration_id: int) -> None:
    transaction.on_commit(lambda: send.enqueue(registration_id))


def places_taken(event: Event) -> int:
    return EventRegistration.objects.filter(
        event=event, status=RegistrationStatus.REGISTERED
    ).count()


def registration_refusal(event: Event, now: dt.datetime) -> str | None:
    """Why a new registration for ``event`` is refused now, or None when it is open."""
    if event.status == EventStatus.CANCELLED:
        return _("This event was cancelled.")
    if not event.published:
        return _("This event is not published.")
    if not event.registration_open:
        return _("Registration for this event is closed.")
    if event.starts_at <= now:
        return _("This event has already started: registration is closed.")
    return None


@transaction.atomic
def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    organization: str = "",
    language: str = "en",
    now: dt.datetime | None = None,
) -> tuple[EventRegistration | None, Outcome]:
    """Register ``email`` for ``event``: a place when one is free, else the waitlist; never
    over capacity. An address already registered (or waiting) gets its confirmation again
    and nothing new is stored: ``(None, Outcome.ALREADY)``. Raises :class:`EventError` when
    the event is cancelled, closed or has started."""
    now = now or timezone.now()
    email = email.strip().lower()
    locked = _lock(event)
    refusal = registration_refusal(locked, now)
    if refusal is not None:
        raise EventError(refusal)
    existing = (
        EventRegistration.objects.filter(event=locked, email=email)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )
    if existing is not None:
        _queue(tasks.send_confirmation, existing.pk)
        return None, Outcome.ALREADY
    status = RegistrationStatus(places.new_status(locked.capacity, places_taken(locked)))
    try:
        with transaction.atomic():
            registration = EventRegistration.objects.create(
                event=locked,
                name=name.strip(),
                email=email,
                organization=organization.strip(),
                status=status,
                language=language,
                created_at=now,
            )
    except IntegrityError:  # the same address at the same moment: the other one won
        return None, Outcome.ALREADY
    audit_record(
        verb="events.register",
        actor=None,
        organization=None,
        obj=registration,
        extra={"event": str(locked.public_id), "status": status},
    )
    _queue(tasks.send_confirmation, registration.pk)
    return registration, Outcome(status)


def _promote(event: Event, now: dt.datetime) -> list[EventRegistration]:
    """Give free places to the waitlist, first come first served (the event is locked).
    Nobody is promoted once the event has started or when it is cancelled."""
    if event.status == EventStatus.CANCELLED or event.starts_at <= now:
        return []
    return places.promote(
        EventRegistration.objects.filter(
            event=event, status=RegistrationStatus.WAITLISTED
        ).order_by("created_at", "pk"),
        free=places.free_places(event.capacity, places_taken(event)),
        now=now,
        verb="events.promote",
        extra={"event": str(event.public_id)},
        send=lambda registration_id: _queue(tasks.send_promotion, registration_id),
    )


@transaction.atomic
def registration_cancel(
    *, registration: EventRegistration, actor: Any = None, now: dt.datetime | None = None
) -> tuple[EventRegistration, bool]:
    """Cancel a registration or a place on the waitlist (by its manage link, ``actor``
    None, or by network staff). A freed place goes at once to the first person waiting,
    who is emailed. Returns the registration and whether it was cancelled now (cancelling
    twice changes nothing)."""
    now = now or timezone.now()
    if actor is not None and not is_network_staff(actor):
        raise PermissionDenied
    event = _lock(registration.event)
    current = EventRegistration.objects.get(pk=registration.pk)
    if current.status == RegistrationStatus.CANCELLED:
        return current, False
    held = current.holds_place
    current.status = RegistrationStatus.CANCELLED
    current.cancelled_at = now
    current.save(update_fields=["status", "cancelled_at"])
    audit_record(
        verb="events.registration_cancel",
        actor=actor,
        organization=None,
        obj=current,
        extra={"event": str(event.public_id), "by": "staff" if actor else "registrant"},
    )
    if held:
        _promote(event, now)
    return current, True


# -- the staff's edits --------------------------------------------------------------------------

EVENT_FIELDS = (
    "slug",
    "title",
    "kind",
    "summary",
    "description",
    "language",
    "mode",
    "time_zone",
    "starts_at",
    "ends_at",
    "location",
    "meeting_url",
    "capacity",
    "registration_open",
    "published",
)


def _staff_only(actor: Any) -> None:
    if not is_network_staff(actor):
        raise PermissionDenied


@transaction.atomic
def event_save(
    *, event: Event | None, fields: dict[str, Any], actor: Any, now: dt.datetime | None = None
) -> Event:
    """Create or update an event (network staff only). The capacity cannot go below the
    places already taken; a larger one (or none) promotes people from the waitlist at once."""
    now = now or timezone.now()
    _staff_only(actor)
    creating = event is None
    event = Event() if event is None else _lock(event)
    changed = sorted(
        name for name in EVENT_FIELDS if name in fields and getattr(event, name) != fields[name]
    )
    for name in EVENT_FIELDS:
        if name in fields:
            setattr(event, name, fields[name])
    if not creating and event.capacity is not None:
        taken = places_taken(event)
        if event.capacity < taken:
            raise EventError(
                _("%(n)d people hold a place: the capacity cannot be lower.") % {"n": taken}
            )
    event.full_clean()
    event.save()
    audit_record(
        verb="events.create" if creating else "events.update",
        actor=actor,
        organization=None,
        obj=event,
        extra={"fields": changed},
    )
    _promote(event, now)
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor: Any, now: dt.datetime | None = None) -> int:
    """Cancel an event (network staff only): registration closes and everyone registered or
    waiting is emailed. Returns how many were told; cancelling twice changes nothing."""
    _staff_only(actor)
    locked = _lock(event)
    if locked.status == EventStatus.CANCELLED:
        return 0
    locked.status = EventStatus.CANCELLED
    locked.registration_open = False
    locked.save(update_fields=["status", "registration_open", "updated_at"])
    told = list(
        EventRegistration.objects.filter(event=locked)
        .exclude(status=RegistrationStatus.CANCELLED)
        .values_list("pk", flat=True)
    )
    audit_record(
        verb="events.cancel",
        actor=actor,
        organization=None,
        obj=locked,
        extra={"told": len(told)},
    )
    for registration_id in told:
        _queue(tasks.send_event_cancelled, registration_id)
    return len(told)


@transaction.atomic
def roster_export_audit(*, event: Event, actor: Any, rows: int) -> None:
    """Record a download of an event's roster (names and email addresses)."""
    audit_record(
        verb="events.roster_export", actor=actor, organization=None, obj=event, extra={"rows": rows}
    )
