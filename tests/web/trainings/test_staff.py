"""The staff's pages: network staff only (403 for others), the training form with its
sessions (times in the training's zone), the roster and its CSV export (audited), and the
attendance sheet (the trainer or staff; anyone else 404)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from hopeful.framework.certification import Tier
from hopeful.web.audit.models import AuditEvent
from hopeful.web.certification.services import certification_award_from_training
from hopeful.web.trainings import services
from hopeful.web.trainings.models import Attendance, Mode, Track, Training
from hopeful.web.trainings.services import registration_create
from tests.web import factories as f
from tests.web.trainings.helpers import NOW, make_training

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client: Client) -> object:
    user = f.make_user("staff@hope.example.org", is_network_staff=True)
    f.login_verified(client, user)
    return user


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Facilitator training, spring",
        "description": "Three sessions.",
        "track": "facilitator",
        "tier_awarded": "facilitator",
        "trainer_email": "",
        "language": "en",
        "mode": "in_person",
        "time_zone": "America/Denver",
        "state": "CO",
        "location": "Library, Denver",
        "meeting_url": "",
        "capacity": "12",
        "course": "",
        "ce_hours": "9",
        "status": "scheduled",
        "registration_open": "on",
        "sessions-TOTAL_FORMS": "3",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "20",
        "sessions-0-date": "2030-04-02",
        "sessions-0-start": "09:00",
        "sessions-0-end": "12:00",
        "sessions-1-date": "2030-04-09",
        "sessions-1-start": "09:00",
        "sessions-1-end": "12:00",
    }
    data.update(changes)
    return data


STAFF_URLS = [
    "/staff/trainings/",
    "/staff/trainings/new/",
    "/staff/trainings/{id}/",
    "/staff/trainings/{id}/edit/",
    "/staff/trainings/{id}/roster.csv",
]


@pytest.mark.parametrize("url", STAFF_URLS)
def test_staff_pages_are_403_for_others(client: Client, url: str) -> None:
    training = make_training()
    client.force_login(f.make_user("learner@example.org"))
    assert client.get(url.format(id=training.public_id)).status_code == 403


@pytest.mark.parametrize("url", STAFF_URLS[2:])
def test_unknown_trainings_are_404_for_staff(client: Client, staff: object, url: str) -> None:
    assert client.get(url.format(id=uuid.uuid4())).status_code == 404


def test_create_a_training_with_sessions_in_its_zone(client: Client, staff: object) -> None:
    trainer = f.make_user("trainer@example.org")
    response = client.post("/staff/trainings/new/", _form(trainer_email="Trainer@Example.org"))
    assert response.status_code == 302, response.content.decode()[:3000]
    training = Training.objects.get()
    assert training.trainer == trainer
    sessions = list(training.sessions.order_by("starts_at"))
    assert len(sessions) == 2
    denver = zoneinfo.ZoneInfo("America/Denver")
    assert sessions[0].starts_at == dt.datetime(2030, 4, 2, 9, 0, tzinfo=denver)
    assert AuditEvent.objects.filter(verb="training.create").count() == 1
    # the edit form shows the times back in the training's zone
    html = client.get(f"/staff/trainings/{training.public_id}/edit/").content.decode()
    assert 'value="09:00"' in html
    assert 'value="2030-04-02"' in html


def test_bad_input_is_refused_and_changes_nothing(client: Client, staff: object) -> None:
    for bad in (
        {"time_zone": "Mars/Olympus"},
        {"capacity": "0"},
        {"sessions-0-end": "08:00"},
        {"trainer_email": "nobody@example.org"},
        {"mode": "virtual", "meeting_url": ""},
        {"sessions-0-date": "", "sessions-1-date": ""},
    ):
        response = client.post("/staff/trainings/new/", _form(**bad))
        assert response.status_code == 400, bad
        assert "There is a problem" in response.content.decode()
    assert Training.objects.count() == 0


def test_edit_keeps_sessions_and_refuses_removing_attended_ones(
    client: Client, staff: object
) -> None:
    with time_machine.travel(NOW, tick=False):
        training = make_training(capacity=3)
        learner = f.make_user("learner@example.org")
        registration = registration_create(training=training, user=learner)
    session = training.sessions.order_by("starts_at").first()
    assert session is not None
    Attendance.objects.create(
        session=session, registration=registration, present=True, marked_at=NOW
    )
    rows: dict[str, object] = {"time_zone": "America/Chicago", "sessions-TOTAL_FORMS": "3"}
    chicago = zoneinfo.ZoneInfo("America/Chicago")
    for i, each in enumerate(training.sessions.order_by("starts_at")):
        start, end = each.starts_at.astimezone(chicago), each.ends_at.astimezone(chicago)
        rows.update(
            {
                f"sessions-{i}-session_id": str(each.public_id),
                f"sessions-{i}-date": start.date().isoformat(),
                f"sessions-{i}-start": start.strftime("%H:%M"),
                f"sessions-{i}-end": end.strftime("%H:%M"),
            }
        )
    rows["sessions-INITIAL_FORMS"] = "3"
    # first, an edit that keeps the sessions keeps their identity (and the attendance)
    response = client.post(f"/staff/trainings/{training.public_id}/edit/", _form(**rows))
    assert response.status_code == 302
    assert Attendance.objects.filter(session=session).exists()
    data = _form(**rows, **{"sessions-0-DELETE": "on"})
    response = client.post(f"/staff/trainings/{training.public_id}/edit/", data)
    assert response.status_code == 400
    assert "attendance taken cannot be removed" in response.content.decode()
    assert training.sessions.count() == 3


def test_roster_and_csv(client: Client, staff: object, django_assert_max_num_queries) -> None:
    training = make_training(capacity=2)
    for i in range(4):
        registration_create(
            training=training, user=f.make_user(f"p{i}@example.org", display_name=f"=Person {i}")
        )
    with django_assert_max_num_queries(f.SITE_MENU_QUERIES + 12):
        response = client.get(f"/staff/trainings/{training.public_id}/")
    html = response.content.decode()
    assert html.count("On the waitlist") >= 2
    assert "p3@example.org" in html
    with django_assert_max_num_queries(f.SITE_MENU_QUERIES + 12):
        response = client.get("/staff/trainings/")
    assert training.title in response.content.decode()

    response = client.get(f"/staff/trainings/{training.public_id}/roster.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["name", "email", "status"]
    assert len(rows) == 5
    assert rows[1][0] == "'=Person 0"  # not a formula in a spreadsheet
    assert AuditEvent.objects.filter(verb="training.roster_export").count() == 1


@time_machine.travel(NOW + dt.timedelta(days=8), tick=False)
def test_attendance_sheet_trainer_yes_others_404(client: Client) -> None:
    trainer = f.make_user("trainer@example.org")
    with time_machine.travel(NOW, tick=False):
        training = make_training(trainer=trainer, capacity=3)
        people = [f.make_user(f"p{i}@example.org", display_name=f"P{i}") for i in range(2)]
        registrations = [registration_create(training=training, user=p) for p in people]
    session = training.sessions.order_by("starts_at").first()
    assert session is not None
    url = f"/staff/trainings/{training.public_id}/sessions/{session.public_id}/attendance/"

    client.force_login(f.make_user("other@example.org"))
    assert client.get(url).status_code == 404
    assert client.post(url, {"present": [str(registrations[0].public_id)]}).status_code == 404
    client.force_login(people[0])
    assert client.get(url).status_code == 404
    assert Attendance.objects.count() == 0

    client.force_login(trainer)
    assert client.get(url).status_code == 200
    response = client.post(url, {"present": [str(registrations[0].public_id)]})
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("registration_id", "present")) == {
        registrations[0].pk: True,
        registrations[1].pk: False,
    }
    # the trainer's link is on the training's page
    assert url in client.get(f"/trainings/{training.public_id}/").content.decode()
    # an unknown session is 404
    other = f"/staff/trainings/{training.public_id}/sessions/{uuid.uuid4()}/attendance/"
    assert client.get(other).status_code == 404
    # a bad id is a clear error, nothing changed
    response = client.post(url, {"present": ["not-a-uuid"]})
    assert response.status_code == 400


@pytest.mark.django_db
def test_only_a_certified_facilitator_presents_the_introduction() -> None:
    """Presenting Introduction to HOPE is what the Facilitator certification allows: staff
    cannot name anyone else its trainer, and nothing is saved."""
    staff = f.make_user("hub@hope.example.org", is_network_staff=True)
    trainer = f.make_user("not-yet@example.org")
    fields = {
        "title": "Introduction to HOPE",
        "track": Track.INTRODUCTION,
        "mode": Mode.IN_PERSON,
        "location": "Library, Madison",
        "state": "WI",
        "time_zone": "America/Chicago",
        "capacity": 10,
        "trainer": trainer,
    }
    start = timezone.now() + dt.timedelta(days=3)
    session = services.SessionSpec(starts_at=start, ends_at=start + dt.timedelta(hours=2))
    with pytest.raises(services.TrainingError, match="certified HOPE Facilitator"):
        services.training_save(training=None, fields=fields, sessions=[session], actor=staff)
    assert not Training.objects.exists()
    certification_award_from_training(
        user=trainer, tier=Tier.FACILITATOR, evidence={"training": "t"}, actor=staff
    )
    saved = services.training_save(training=None, fields=fields, sessions=[session], actor=staff)
    assert saved.trainer == trainer
