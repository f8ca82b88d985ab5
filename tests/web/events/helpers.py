"""Shared helpers of the events tests: an event, a filled registration form, running the
queued emails, and the manage link out of an email."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core import mail
from django.utils import timezone

from hopeful.web.events.models import Event, Kind, Mode
from tests.web.newsletter.helpers import run_queued as run_queued
from tests.web.newsletter.helpers import started as started

#: A fixed "now" for the tests that move the clock.
NOW = dt.datetime(2027, 3, 1, 15, 0, tzinfo=dt.UTC)


def make_event(*, capacity: int | None = 2, slug: str = "hope-webinar", **kw: Any) -> Event:
    """A published, scheduled online webinar a week from now, one hour long."""
    start = kw.pop("starts_at", None) or timezone.now() + dt.timedelta(days=7)
    kw.setdefault("title", "Webinar: the Four Building Blocks")
    kw.setdefault("kind", Kind.WEBINAR)
    kw.setdefault("summary", "An hour on positive childhood experiences.")
    kw.setdefault("mode", Mode.VIRTUAL)
    kw.setdefault("meeting_url", "https://meet.example.org/hope-secret-room")
    kw.setdefault("time_zone", "America/Chicago")
    kw.setdefault("published", True)
    return Event.objects.create(
        slug=slug,
        capacity=capacity,
        starts_at=start,
        ends_at=kw.pop("ends_at", None) or start + dt.timedelta(hours=1),
        **kw,
    )


def form_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Rosa Díaz",
        "email": "Rosa.Diaz@Example.org",
        "organization": "Sunrise Clinic",
        "website": "",
        "started": started(),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def manage_path(message: Any) -> str:
    """The manage link's path in an email."""
    found = re.search(
        r"https?://[^/\s]+(/(?:es/)?events/registrations/[A-Za-z0-9_-]+/)", message.body
    )
    assert found, message.body
    return found.group(1)


def outbox_for(email: str) -> list[Any]:
    return [m for m in mail.outbox if m.to == [email]]
