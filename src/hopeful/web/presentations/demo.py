"""Synthetic presentation requests for ``make demo``: fifteen requests across states, in
every status, some assigned to listed trainers (the directory's demo runs first; without
listings they are left new). Idempotent: each request has a fixed id, and a second run adds
nothing. No email is sent."""

from __future__ import annotations

import datetime as dt
import random
import uuid
import zoneinfo
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from hopeful import geo
from hopeful.web.audit.services import audit_record
from hopeful.web.directory.rules import listed
from hopeful.web.presentations.models import (
    Audience,
    EventKind,
    Modality,
    PresentationRequest,
    PresentationRequestEvent,
    Status,
    Topic,
)
from hopeful.web.presentations.selectors import suggestions

NAMESPACE = uuid.UUID("6f1d1c3e-5a0b-4f8e-9a57-2f6a7c1e4d10")
SEED = 16

#: (organization, ZIP code, language) of the demo requests.
REQUESTS = [
    ("Eastside Parents Network", "02111", "es"),
    ("Lakeview Pediatrics", "53703", "en"),
    ("Rio Grande Family Center", "87102", "es"),
    ("Pine Street Elementary", "98101", "en"),
    ("Alamo Child Welfare Office", "78205", "es"),
    ("Peachtree Faith Community", "30303", "en"),
    ("North Loop Library Friends", "55401", "en"),
    ("Bayou Head Start", "70112", "en"),
    ("Desert Bloom Clinic", "85004", "es"),
    ("Hudson Valley Home Visiting", "12601", "en"),
    ("Mile High Educators", "80202", "en"),
    ("Gateway Youth League", "63101", "en"),
    ("Island Keiki Coalition", "96813", "en"),
    ("Cumberland County Health", "04101", "en"),
    ("Capital Area Schools", "20001", "es"),
]

#: The status each demo request ends in (in the order of :data:`REQUESTS`).
STATUSES = [
    Status.NEW,
    Status.NEW,
    Status.NEW,
    Status.ASSIGNED,
    Status.ASSIGNED,
    Status.ASSIGNED,
    Status.SCHEDULED,
    Status.SCHEDULED,
    Status.SCHEDULED,
    Status.DELIVERED,
    Status.DELIVERED,
    Status.DELIVERED,
    Status.DECLINED,
    Status.DECLINED,
    Status.NEW,
]
FIRST_NAMES = ["Alex", "Maria", "Sam", "Lucia", "Jordan", "Ana", "Chris", "Rosa", "Taylor"]
LAST_NAMES = ["Rivera", "Nguyen", "Smith", "Garcia", "Johnson", "Lopez", "Kim", "Brown"]
DECLINE_REASONS = [
    "No certified trainer is near you for an in-person presentation yet; an online "
    "presentation is possible.",
    "The dates you asked for have passed; please send a new request.",
]


def presentations_demo_load(*, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Load the demo requests; returns how many were created (0 on a second run)."""
    rng = random.Random(SEED)  # noqa: S311 - synthetic data, not security
    now = timezone.now()
    created = assigned = 0
    with transaction.atomic():
        for index, (organization, zip_code, language) in enumerate(REQUESTS):
            public_id = uuid.uuid5(NAMESPACE, f"presentation-{index}")
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            modality = rng.choice(
                [Modality.IN_PERSON, Modality.IN_PERSON, Modality.EITHER, Modality.VIRTUAL]
            )
            audience = rng.choice(Audience.values)
            topic = rng.choice(Topic.values)
            size = rng.randint(12, 250)
            # a delivered request is old enough for its steps and its presentation to have
            # happened one after the other, before today
            shortest = 30 if STATUSES[index] == Status.DELIVERED else 2
            age = dt.timedelta(days=rng.randint(shortest, 60), hours=rng.randint(0, 23))
            if PresentationRequest.objects.filter(public_id=public_id).exists():
                continue
            place = geo.zip_place(zip_code)
            item = PresentationRequest.objects.create(
                public_id=public_id,
                requester_name=name,
                requester_email=f"demo.request{index}@example.org",
                organization_name=organization,
                role_title=rng.choice(["", "Program director", "Teacher", "Nurse manager"]),
                requester_language=language,
                audience=audience,
                audience_size=size,
                preferred_dates=rng.choice(
                    ["Any Tuesday in the spring", "A weekday morning next month", "Flexible"]
                ),
                modality=modality,
                language=language,
                topic=topic,
                details="",
                zip_code=place.zip_code,
                city=place.city,
                state=place.state,
                latitude=place.latitude,
                longitude=place.longitude,
                created_at=now - age,
            )
            created += 1
            _event(item, EventKind.SUBMIT, "", Status.NEW, item.created_at)
            assigned += _advance(item, STATUSES[index], rng, now)
    if progress is not None:
        progress(f"presentation requests: {created} created, {assigned} assigned")
    return {"presentation_requests": created, "presentation_requests_assigned": assigned}


def _event(
    item: PresentationRequest, kind: str, before: str, after: str, at: dt.datetime, note: str = ""
) -> None:
    PresentationRequestEvent.objects.create(
        request=item, kind=kind, from_status=before, to_status=after, note=note, at=at
    )
    audit_record(
        verb=f"presentations.{'request' if kind == EventKind.SUBMIT else kind}",
        actor=None,
        organization=None,
        obj=item,
        extra={"from": before, "to": after, "demo": True}
        if before
        else {"to": after, "demo": True},
    )


def _advance(item: PresentationRequest, target: str, rng: random.Random, now: dt.datetime) -> int:
    """Walk ``item`` to ``target`` (as staff would have); returns 1 when it was assigned."""
    at = item.created_at + dt.timedelta(days=1)
    if target == Status.NEW:
        return 0
    if target == Status.DECLINED:
        item.status, item.decline_reason = Status.DECLINED, rng.choice(DECLINE_REASONS)
        item.save(update_fields=["status", "decline_reason", "updated_at"])
        _event(item, EventKind.DECLINE, Status.NEW, Status.DECLINED, at, item.decline_reason)
        return 0
    nearby = suggestions(item)
    listing = nearby[0].listing if nearby else listed().order_by("display_name", "pk").first()
    if listing is None:
        return 0  # no listed trainer in the demo: the request stays new
    item.status, item.assigned_listing = Status.ASSIGNED, listing
    item.save(update_fields=["status", "assigned_listing", "updated_at"])
    _event(item, EventKind.ASSIGN, Status.NEW, Status.ASSIGNED, at)
    if target == Status.ASSIGNED:
        return 1
    zone = "America/Chicago"
    delivered = target == Status.DELIVERED
    # delivered: some days after it was scheduled (and before today); else still ahead
    day = (
        min(now - dt.timedelta(days=1), at + dt.timedelta(days=rng.randint(7, 25)))
        if delivered
        else (now + dt.timedelta(days=rng.randint(10, 60)))
    )
    item.scheduled_for = dt.datetime.combine(
        day.date(), dt.time(10, 0), tzinfo=zoneinfo.ZoneInfo(zone)
    )
    item.time_zone = zone
    item.status = Status.SCHEDULED
    item.save(update_fields=["status", "scheduled_for", "time_zone", "updated_at"])
    _event(item, EventKind.SCHEDULE, Status.ASSIGNED, Status.SCHEDULED, at + dt.timedelta(days=1))
    if delivered:
        item.status = Status.DELIVERED
        item.save(update_fields=["status", "updated_at"])
        _event(
            item,
            EventKind.DELIVER,
            Status.SCHEDULED,
            Status.DELIVERED,
            min(now, item.scheduled_for + dt.timedelta(hours=2)),
        )
    return 1
