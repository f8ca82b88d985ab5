"""Registration: places, the waitlist, automatic promotion, and what is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from hopeful.web.audit.models import AuditEvent
from hopeful.web.trainings import services, tasks
from hopeful.web.trainings.models import Registration, RegistrationStatus, TrainingStatus
from hopeful.web.trainings.services import TrainingError, registration_cancel, registration_create
from tests.web import factories as f
from tests.web.trainings.helpers import make_training, queued, run_queued

pytestmark = pytest.mark.django_db

REGISTERED = RegistrationStatus.REGISTERED
WAITLISTED = RegistrationStatus.WAITLISTED


def _people(n: int) -> list:
    return [f.make_user(f"learner{i}@example.org", display_name=f"Learner {i}") for i in range(n)]


def test_places_then_waitlist_never_over_capacity(django_capture_on_commit_callbacks) -> None:
    training = make_training(capacity=2)
    people = _people(4)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [registration_create(training=training, user=p).status for p in people]
    assert statuses == [REGISTERED, REGISTERED, WAITLISTED, WAITLISTED]
    assert Registration.objects.filter(status=REGISTERED).count() == 2
    # each got a confirmation email, queued for the worker (row ids only)
    assert len(queued(tasks.send_confirmation)) == 4
    assert AuditEvent.objects.filter(verb="training.register").count() == 4


def test_registering_twice_returns_the_same_registration() -> None:
    training = make_training(capacity=1)
    learner = _people(1)[0]
    first = registration_create(training=training, user=learner)
    again = registration_create(training=training, user=learner)
    assert again.pk == first.pk
    assert Registration.objects.count() == 1


def test_one_active_registration_per_person_in_the_database() -> None:
    training = make_training()
    learner = _people(1)[0]
    registration_create(training=training, user=learner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            training=training, user=learner, status=WAITLISTED, created_at=timezone.now()
        )


def test_cancel_promotes_the_first_waitlisted_and_emails_them(
    django_capture_on_commit_callbacks,
) -> None:
    training = make_training(capacity=1)
    holder, first, second = _people(3)
    mine = registration_create(training=training, user=holder)
    registration_create(training=training, user=first)
    registration_create(training=training, user=second)
    run_queued()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=mine, actor=holder)
    promoted = Registration.objects.get(user=first)
    assert promoted.status == REGISTERED
    assert promoted.promoted_at is not None
    assert Registration.objects.get(user=second).status == WAITLISTED
    assert queued(tasks.send_promotion) == [[promoted.pk]]
    run_queued()
    assert [m.to for m in mail.outbox] == [[first.email]]
    message = mail.outbox[0]
    assert training.title in message.subject
    assert message.alternatives[0].mimetype == "text/html"  # type: ignore[union-attr]
    assert any(a[0] == "training.ics" for a in message.attachments)  # type: ignore[index]

    # cancelling twice changes nothing and promotes nobody else
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=mine, actor=holder)
    assert Registration.objects.get(user=second).status == WAITLISTED
    assert queued(tasks.send_promotion) == []


def test_cancelling_a_waitlisted_place_promotes_nobody() -> None:
    training = make_training(capacity=1)
    holder, waiting = _people(2)
    registration_create(training=training, user=holder)
    place = registration_create(training=training, user=waiting)
    registration_cancel(registration=place, actor=waiting)
    assert Registration.objects.get(user=holder).status == REGISTERED
    assert Registration.objects.filter(status=WAITLISTED).count() == 0


def test_register_again_after_cancelling_goes_to_the_back() -> None:
    training = make_training(capacity=1)
    holder, waiting = _people(2)
    first = registration_create(training=training, user=holder)
    registration_cancel(registration=first, actor=holder)
    registration_create(training=training, user=waiting)
    again = registration_create(training=training, user=holder)
    assert again.pk != first.pk
    assert again.status == WAITLISTED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": TrainingStatus.CANCELLED}, "cancelled"),
        ({"registration_open": False}, "closed"),
    ],
)
def test_cancelled_or_closed_trainings_are_refused(change: dict, message: str) -> None:
    training = make_training(**change)
    with pytest.raises(TrainingError, match=message):
        registration_create(training=training, user=_people(1)[0])
    assert Registration.objects.count() == 0


def test_started_or_past_trainings_are_refused() -> None:
    training = make_training(first=timezone.now() - dt.timedelta(hours=1))
    learner = _people(1)[0]
    with pytest.raises(TrainingError, match="already started"):
        registration_create(training=training, user=learner)
    empty = make_training(sessions=0)
    with pytest.raises(TrainingError, match="no sessions"):
        registration_create(training=empty, user=learner)
    assert Registration.objects.count() == 0


def test_nobody_is_promoted_once_the_training_started() -> None:
    now = timezone.now()
    training = make_training(capacity=1)
    holder, waiting = _people(2)
    place = registration_create(training=training, user=holder, now=now)
    registration_create(training=training, user=waiting, now=now)
    registration_cancel(registration=place, actor=holder, now=now + dt.timedelta(days=8))
    assert Registration.objects.get(user=waiting).status == WAITLISTED


def test_more_capacity_promotes_from_the_waitlist() -> None:
    training = make_training(capacity=1)
    staff = f.make_user("staff@example.org", is_network_staff=True)
    people = _people(3)
    for person in people:
        registration_create(training=training, user=person)
    sessions = [
        services.SessionSpec(starts_at=s.starts_at, ends_at=s.ends_at, public_id=s.public_id)
        for s in training.sessions.all()
    ]
    services.training_save(
        training=training, fields={"capacity": 2}, sessions=sessions, actor=staff
    )
    assert list(Registration.objects.order_by("created_at").values_list("status", flat=True)) == [
        REGISTERED,
        REGISTERED,
        WAITLISTED,
    ]


def test_a_completed_registration_cannot_be_cancelled() -> None:
    training = make_training()
    learner = _people(1)[0]
    registration = registration_create(training=training, user=learner)
    Registration.objects.filter(pk=registration.pk).update(status=RegistrationStatus.COMPLETED)
    with pytest.raises(TrainingError):
        registration_cancel(registration=registration, actor=learner)
    assert Registration.objects.get().status == RegistrationStatus.COMPLETED
