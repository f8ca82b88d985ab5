"""Two people take the last place at the same moment: exactly one gets it, the other is
waitlisted. Needs PostgreSQL (real row locks and concurrent connections): run with
``DATABASE_URL=postgres://...``. On SQLite the database's single write lock serializes the
writes anyway, and concurrent connections to an in-memory test database are not possible."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from hopeful.web.trainings.models import Registration, RegistrationStatus
from hopeful.web.trainings.services import registration_create
from tests.web import factories as f
from tests.web.trainings.helpers import make_training

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the concurrent last-place test needs PostgreSQL (set DATABASE_URL)",
    ),
]


@pytest.mark.parametrize("attempt", range(5))
def test_two_registrations_for_the_last_place_one_wins(attempt: int) -> None:
    training = make_training(capacity=2)
    holder = f.make_user(f"holder{attempt}@example.org")
    registration_create(training=training, user=holder)  # one place left
    racers = [f.make_user(f"racer{attempt}-{i}@example.org") for i in range(2)]
    barrier = threading.Barrier(len(racers))
    errors: list[BaseException] = []

    def register(user: object) -> None:
        try:
            barrier.wait(timeout=10)
            registration_create(training=training, user=user)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(u,)) for u in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    statuses = sorted(Registration.objects.filter(user__in=racers).values_list("status", flat=True))
    assert statuses == [RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]
    assert (
        Registration.objects.filter(training=training, status=RegistrationStatus.REGISTERED).count()
        == training.capacity
    )
