"""Attendance (trainer or network staff only) and completion: present at every session and
the course passed → completed, continuing-education hours, and the certification the
training awards (through the certification service)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from hopeful.framework.certification import State, Tier
from hopeful.web.audit.models import AuditEvent
from hopeful.web.certification.models import Certification
from hopeful.web.learning.models import ContinuingEducationRecord, CourseCompletion
from hopeful.web.trainings import jobs, services
from hopeful.web.trainings.models import Attendance, RegistrationStatus, TierAwarded
from hopeful.web.trainings.services import (
    TrainingError,
    attendance_mark,
    attendance_take,
    registration_create,
    training_completion_check,
)
from tests.web import factories as f
from tests.web.learning.helpers import course
from tests.web.trainings.helpers import NOW, make_training

pytestmark = pytest.mark.django_db

LATER = NOW + dt.timedelta(days=40)  # after the three sessions


@pytest.fixture(autouse=True)
def _keys(settings: object, tmp_path: Path) -> None:
    settings.HOPEFUL_CREDENTIAL_KEYS_FILE = tmp_path / "credentials.jwks"  # type: ignore[attr-defined]


@pytest.fixture
def cast() -> dict:
    with time_machine.travel(NOW, tick=False):
        trainer = f.make_user("trainer@example.org", display_name="Terry Trainer")
        training = make_training(
            capacity=5, trainer=trainer, tier_awarded=TierAwarded.FACILITATOR, ce_hours="9.00"
        )
        learner = f.make_user("learner@example.org", display_name="Lee Learner")
        registration = registration_create(training=training, user=learner)
    return {
        "trainer": trainer,
        "training": training,
        "learner": learner,
        "registration": registration,
        "sessions": list(training.sessions.order_by("starts_at")),
        "staff": f.make_user("staff@example.org", is_network_staff=True),
    }


def _attend(cast: dict, sessions: list, actor: object) -> None:
    for session in sessions:
        attendance_mark(
            session=session, registration=cast["registration"], present=True, actor=actor
        )


@time_machine.travel(LATER, tick=False)
def test_trainer_and_staff_take_attendance_nobody_else(cast: dict) -> None:
    first, second, _third = cast["sessions"]
    attendance_mark(
        session=first, registration=cast["registration"], present=True, actor=cast["trainer"]
    )
    attendance_mark(
        session=second, registration=cast["registration"], present=False, actor=cast["staff"]
    )
    other = f.make_user("other@example.org")
    with pytest.raises(PermissionDenied):
        attendance_mark(
            session=first, registration=cast["registration"], present=False, actor=other
        )
    with pytest.raises(PermissionDenied):
        attendance_mark(
            session=first,
            registration=cast["registration"],
            present=False,
            actor=cast["learner"],
        )
    assert dict(Attendance.objects.values_list("session_id", "present")) == {
        first.pk: True,
        second.pk: False,
    }
    assert AuditEvent.objects.filter(verb="training.attendance").count() == 2


def test_attendance_waits_for_the_session(cast: dict) -> None:
    with time_machine.travel(NOW, tick=False), pytest.raises(TrainingError, match="started"):
        attendance_mark(
            session=cast["sessions"][0],
            registration=cast["registration"],
            present=True,
            actor=cast["trainer"],
        )
    assert Attendance.objects.count() == 0


@time_machine.travel(LATER, tick=False)
def test_completion_needs_every_session(cast: dict) -> None:
    _attend(cast, cast["sessions"][:2], cast["trainer"])
    cast["registration"].refresh_from_db()
    assert cast["registration"].status == RegistrationStatus.REGISTERED
    assert not Certification.objects.exists()

    _attend(cast, cast["sessions"][2:], cast["trainer"])
    cast["registration"].refresh_from_db()
    assert cast["registration"].status == RegistrationStatus.COMPLETED
    assert cast["registration"].award_error == ""
    record = ContinuingEducationRecord.objects.get(user=cast["learner"])
    assert record.hours == Decimal("9.00")
    assert record.source == "training"
    assert record.source_ref == str(cast["training"].public_id)
    certification = Certification.objects.get(user=cast["learner"])
    assert certification.tier == Tier.FACILITATOR
    assert certification.state == State.CERTIFIED
    # marking again changes nothing more (idempotent)
    _attend(cast, cast["sessions"][2:], cast["trainer"])
    assert Certification.objects.count() == 1
    assert ContinuingEducationRecord.objects.count() == 1


@time_machine.travel(LATER, tick=False)
def test_completion_needs_the_course_too(cast: dict) -> None:
    training = cast["training"]
    training.course = course("HOPE Facilitator course")
    training.save()
    _attend(cast, cast["sessions"], cast["trainer"])
    cast["registration"].refresh_from_db()
    assert cast["registration"].status == RegistrationStatus.REGISTERED
    assert training_completion_check(user=cast["learner"]) == []

    # the learner passes the quiz: the next check (their page, or the periodic job) completes
    CourseCompletion.objects.create(
        user=cast["learner"], course=training.course, completed_at=timezone.now()
    )
    assert jobs.run_now() == (1, 0)
    cast["registration"].refresh_from_db()
    assert cast["registration"].status == RegistrationStatus.COMPLETED
    assert Certification.objects.get(user=cast["learner"]).state == State.CERTIFIED
    assert training_completion_check(user=cast["learner"]) == []


@time_machine.travel(LATER, tick=False)
def test_a_refused_award_keeps_the_completion_and_says_why(cast: dict) -> None:
    training = cast["training"]
    training.tier_awarded = TierAwarded.CHAMPION  # needs a valid Facilitator certification
    training.save()
    _attend(cast, cast["sessions"], cast["trainer"])
    registration = cast["registration"]
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.COMPLETED
    assert registration.award_error
    assert not Certification.objects.filter(tier=Tier.CHAMPION, state=State.CERTIFIED).exists()


@time_machine.travel(LATER, tick=False)
def test_the_attendance_sheet_in_one_go(cast: dict) -> None:
    other = f.make_user("other.learner@example.org")
    with time_machine.travel(NOW, tick=False):
        second = registration_create(training=cast["training"], user=other)
    session = cast["sessions"][0]
    assert (
        attendance_take(
            session=session, present=[cast["registration"].public_id], actor=cast["trainer"]
        )
        == 1
    )
    assert Attendance.objects.get(registration=second).present is False
    with pytest.raises(TrainingError):
        attendance_take(session=session, present=[uuid.uuid4()], actor=cast["trainer"])
    assert Attendance.objects.get(registration=cast["registration"]).present is True


@time_machine.travel(LATER, tick=False)
def test_waitlisted_people_get_no_attendance(cast: dict) -> None:
    registration = cast["registration"]
    registration.status = RegistrationStatus.WAITLISTED
    registration.save()
    with pytest.raises(TrainingError):
        attendance_mark(
            session=cast["sessions"][0],
            registration=registration,
            present=True,
            actor=cast["trainer"],
        )
    assert services.completions_check_all() == 0


@time_machine.travel(LATER, tick=False)
def test_the_learners_pages_complete_after_the_quiz(cast: dict, client: Client) -> None:
    training = cast["training"]
    training.course = course("HOPE Facilitator course")
    training.save()
    _attend(cast, cast["sessions"], cast["trainer"])
    client.force_login(cast["learner"])
    page = f"/trainings/{training.public_id}/"
    html = client.get(page).content.decode()
    assert "Take the course and its quiz" in html
    assert training.course.url in html
    assert html.count("Present") >= 3

    CourseCompletion.objects.create(
        user=cast["learner"], course=training.course, completed_at=timezone.now()
    )
    response = client.get("/trainings/mine/")
    assert "You completed the training" in response.content.decode()
    cast["registration"].refresh_from_db()
    assert cast["registration"].status == RegistrationStatus.COMPLETED
    assert Certification.objects.get(user=cast["learner"]).state == State.CERTIFIED
    assert "You completed this training." in client.get(page).content.decode()


def test_the_demo_trainings(settings: object) -> None:
    from hopeful.web.trainings.demo import demo_trainings

    trainers = [f.make_user(f"trainer{i}@example.org") for i in range(2)]
    learners = [f.make_user(f"demo{i}@example.org") for i in range(25)]
    made = demo_trainings(trainers=trainers, learners=learners, upcoming=3, past=1)
    assert len(made) == 4
    first = made[0]
    assert first.registrations.filter(status=RegistrationStatus.WAITLISTED).count() == 3
    assert (
        first.registrations.filter(status=RegistrationStatus.REGISTERED).count() == first.capacity
    )
    past = made[-1]
    assert past.registrations.filter(status=RegistrationStatus.COMPLETED).count() > 0
    assert Certification.objects.filter(tier=Tier.FACILITATOR, state=State.CERTIFIED).exists()
