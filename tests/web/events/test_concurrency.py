"""Two people take the last place at the same moment: exactly one gets it, the other is
waitlisted. Needs PostgreSQL (real row locks and concurrent connections): run with
``DATABASE_URL=postgres://...``. On SQLite the single write lock serializes the writes."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from hopeful.web.events.models import EventRegistration, RegistrationStatus
from hopeful.web.events.services import registration_create
from tests.web.events.helpers import make_event

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the concurrent last-place test needs PostgreSQL (set DATABASE_URL)",
    ),
]


@pytest.mark.parametrize("attempt", range(3))
def test_two_registrations_for_the_last_place_one_wins(attempt: int) -> None:
    event = make_event(capacity=2, slug=f"race-{attempt}")
    registration_create(event=event, name="Holder", email="holder@example.org")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def register(email: str) -> None:
        try:
            barrier.wait(timeout=10)
            registration_create(event=event, name="Racer", email=email)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(f"racer{i}@example.org",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    statuses = sorted(
        EventRegistration.objects.filter(email__startswith="racer").values_list("status", flat=True)
    )
    assert statuses == [RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]
