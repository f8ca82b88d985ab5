"""Synthetic events for ``make demo``: the annual HOPE Summit in Boston (about 120 people
registered), a hybrid Week of HOPE, three webinars (one in Spanish, one full with a waitlist,
one past) and a cancelled one. Registrants are synthetic (``people.hopeful.example``).
Idempotent: events are found by their slug, and an event that already has registrations gets
no more. Rows are written directly, so no email is queued."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from hopeful.web.events.models import (
    Event,
    EventRegistration,
    EventStatus,
    Kind,
    Mode,
    RegistrationStatus,
)

FIRST = ["Ana", "Ben", "Carmen", "Dev", "Elena", "Farah", "Gabe", "Hana", "Iris", "Jamal"]
FIRST += ["Kim", "Luis", "Maya", "Noor", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tomás"]
LAST = ["Alvarez", "Brooks", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ito"]
LAST += ["Johnson", "Kaur", "Lopez", "Martin", "Nguyen", "Okafor", "Patel", "Reyes", "Smith"]
ORGS = ["Sunrise Clinic", "Riverbend Home Visiting", "Lakeside School District", ""]
ORGS += ["Hope Family Center", "County Public Health", ""]


def _at(now: dt.datetime, days: int, zone: str, hour: int, minute: int = 0) -> dt.datetime:
    day = (now + dt.timedelta(days=days)).astimezone(zoneinfo.ZoneInfo(zone)).date()
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))


def _specs(now: dt.datetime) -> list[dict[str, Any]]:
    """(event fields, registrations wanted) of each demo event."""
    year = (now + dt.timedelta(days=120)).year
    return [
        {
            "slug": f"hope-summit-{year}",
            "title": f"HOPE Summit {year}",
            "kind": Kind.SUMMIT,
            "summary": "Two days with the HOPE network: research, practice and community "
            "leaders on positive childhood experiences.",
            "description": "Keynotes, workshops by building block, and the network's awards.",
            "mode": Mode.IN_PERSON,
            "time_zone": "America/New_York",
            "starts_at": _at(now, 120, "America/New_York", 9),
            "ends_at": _at(now, 121, "America/New_York", 17),
            "location": "Hynes Convention Center, 900 Boylston St, Boston, MA",
            "capacity": 400,
            "_registrations": 120,
        },
        {
            "slug": f"week-of-hope-{year}",
            "title": f"Week of HOPE {year}",
            "kind": Kind.WEEK_OF_HOPE,
            "summary": "A week of local events and online sessions celebrating the positive "
            "experiences communities give their children.",
            "mode": Mode.HYBRID,
            "time_zone": "America/Chicago",
            "starts_at": _at(now, 60, "America/Chicago", 8),
            "ends_at": _at(now, 66, "America/Chicago", 18),
            "location": "Community events across the network (see the program)",
            "meeting_url": "https://meet.example.org/week-of-hope",
            "capacity": None,
            "_registrations": 45,
        },
        {
            "slug": "webinar-experiencias-positivas",
            "title": "Webinar: Experiencias positivas en la infancia en la consulta",
            "kind": Kind.WEBINAR,
            "language": "es",
            "summary": "Cómo conversar con las familias sobre sus fortalezas en una visita.",
            "mode": Mode.VIRTUAL,
            "time_zone": "America/Los_Angeles",
            "starts_at": _at(now, 14, "America/Los_Angeles", 12),
            "ends_at": _at(now, 14, "America/Los_Angeles", 13),
            "meeting_url": "https://meet.example.org/webinar-es",
            "capacity": 100,
            "_registrations": 38,
        },
        {
            "slug": "webinar-hope-informed-organizations",
            "title": "Webinar: Becoming a HOPE-informed organization",
            "kind": Kind.WEBINAR,
            "summary": "The six standards and how an organization assesses its policies.",
            "mode": Mode.VIRTUAL,
            "time_zone": "America/New_York",
            "starts_at": _at(now, 21, "America/New_York", 14),
            "ends_at": _at(now, 21, "America/New_York", 15, 30),
            "meeting_url": "https://meet.example.org/webinar-standards",
            "capacity": 30,
            "_registrations": 34,  # full, four on the waitlist
        },
        {
            "slug": "webinar-four-building-blocks",
            "title": "Webinar: The Four Building Blocks of HOPE",
            "kind": Kind.WEBINAR,
            "summary": "An introduction to relationships, environment, engagement and "
            "emotional growth.",
            "mode": Mode.VIRTUAL,
            "time_zone": "America/Denver",
            "starts_at": _at(now, -30, "America/Denver", 11),
            "ends_at": _at(now, -30, "America/Denver", 12),
            "meeting_url": "https://meet.example.org/webinar-blocks",
            "capacity": 200,
            "_registrations": 64,
        },
        {
            "slug": "webinar-hope-in-schools",
            "title": "Webinar: HOPE in schools",
            "kind": Kind.WEBINAR,
            "summary": "Positive experiences at school: what teachers and counselors do.",
            "mode": Mode.VIRTUAL,
            "time_zone": "America/New_York",
            "starts_at": _at(now, 45, "America/New_York", 15),
            "ends_at": _at(now, 45, "America/New_York", 16),
            "meeting_url": "https://meet.example.org/webinar-schools",
            "capacity": 150,
            "status": EventStatus.CANCELLED,
            "registration_open": False,
            "_registrations": 12,
        },
    ]


def _people(rng: random.Random, count: int, slug: str) -> list[tuple[str, str, str]]:
    people = []
    for n in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first}.{last}.{slug[:12]}.{n}@people.hopeful.example".lower()
        email = email.replace("á", "a").replace("é", "e").replace("í", "i").replace("ó", "o")
        people.append((f"{first} {last}", email, rng.choice(ORGS)))
    return people


def events_demo_load(
    *, now: dt.datetime | None = None, progress: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Make the demo events and their registrations (again: nothing new). Returns counts."""
    now = now or timezone.now()
    say = progress or (lambda line: None)
    rng = random.Random(20261207)  # noqa: S311 - synthetic data
    made = registrations = 0
    with transaction.atomic():
        for spec in _specs(now):
            wanted = spec.pop("_registrations")
            spec.setdefault("published", True)
            event, created = Event.objects.get_or_create(slug=spec["slug"], defaults=spec)
            made += created
            people = _people(rng, wanted, event.slug)  # drawn every time: same sequence
            if event.registrations.exists():
                continue
            rows = []
            for n, (name, email, organization) in enumerate(people):
                holds = event.capacity is None or n < event.capacity
                rows.append(
                    EventRegistration(
                        event=event,
                        name=name,
                        email=email,
                        organization=organization,
                        status=RegistrationStatus.REGISTERED
                        if holds
                        else RegistrationStatus.WAITLISTED,
                        language=event.language,
                        created_at=min(now, event.starts_at) - dt.timedelta(hours=wanted - n),
                    )
                )
            EventRegistration.objects.bulk_create(rows)
            registrations += len(rows)
    say(f"  events: {made} events, {registrations} registrations")
    return {"events": made, "registrations": registrations}
