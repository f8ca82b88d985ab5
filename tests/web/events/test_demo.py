"""The demo events: the summit, the Week of HOPE, the webinars (Spanish, full with a
waitlist, past) and a cancelled one; loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.core import mail

from hopeful.web.events.demo import events_demo_load
from hopeful.web.events.models import Event, EventRegistration
from tests.web.events.helpers import NOW, run_queued

pytestmark = pytest.mark.django_db


def test_the_demo_is_complete_and_idempotent() -> None:
    counts = events_demo_load(now=NOW)
    assert counts["events"] == 6
    summit = Event.objects.get(kind="summit")
    assert summit.capacity == 400
    assert summit.registrations.count() == 120
    assert Event.objects.filter(kind="week_of_hope", mode="hybrid").count() == 1
    assert Event.objects.filter(language="es").count() == 1
    assert Event.objects.filter(status="cancelled").count() == 1
    assert Event.objects.filter(ends_at__lt=NOW).count() == 1
    full = Event.objects.get(slug="webinar-hope-informed-organizations")
    assert full.registrations.filter(status="registered").count() == full.capacity
    assert full.registrations.filter(status="waitlisted").count() == 4
    emails = set(EventRegistration.objects.values_list("email", flat=True))
    assert all(e.endswith("@people.hopeful.example") for e in emails)
    assert events_demo_load(now=NOW) == {"events": 0, "registrations": 0}
    assert run_queued() == 0
    assert mail.outbox == []
