"""The calendar file (parsed back with icalendar), the emails (in the person's language,
plain text and HTML), and the reminders the day before each session (sent once)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from icalendar import Calendar

from hopeful.web.trainings import jobs, tasks
from hopeful.web.trainings.models import Mode, SessionReminder
from hopeful.web.trainings.services import registration_cancel, registration_create
from tests.web import factories as f
from tests.web.trainings.helpers import NOW, make_training, queued, run_queued

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def _events(content: bytes) -> list:
    return list(Calendar.from_ical(content).walk("VEVENT"))


def test_the_calendar_has_one_event_per_session_in_the_training_zone(client: Client) -> None:
    training = make_training(
        first=dt.datetime(2030, 1, 8, 9, 0, tzinfo=CHICAGO), description="Bring a notebook."
    )
    response = client.get(f"/trainings/{training.public_id}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    events = _events(response.content)
    sessions = list(training.sessions.order_by("starts_at"))
    assert len(events) == 3
    for event, session in zip(events, sessions, strict=True):
        start = event.decoded("DTSTART")
        assert start == session.starts_at
        assert str(start.tzinfo) == "America/Chicago"
        assert event.decoded("DTEND") == session.ends_at
        assert str(session.public_id) in str(event["UID"])
        assert str(event["LOCATION"]) == training.location
        assert "Bring a notebook." in str(event["DESCRIPTION"])
        assert training.title in str(event["SUMMARY"])
    assert events[0].decoded("DTSTART").hour == 9  # 9:00 in Chicago
    assert next(iter(calendar.walk("VTIMEZONE")))["TZID"] == "America/Chicago"
    # the UIDs stay the same in the next download
    again = _events(client.get(f"/trainings/{training.public_id}/calendar.ics").content)
    assert [str(e["UID"]) for e in again] == [str(e["UID"]) for e in events]


def test_the_meeting_link_is_for_people_holding_a_place(client: Client) -> None:
    training = make_training(
        mode=Mode.VIRTUAL, location="", meeting_url="https://meet.example.org/hope-123"
    )
    url = f"/trainings/{training.public_id}/calendar.ics"
    assert b"meet.example.org" not in client.get(url).content
    learner = f.make_user("learner@example.org")
    registration_create(training=training, user=learner)
    client.force_login(learner)
    events = _events(client.get(url).content)
    assert str(events[0]["LOCATION"]) == "https://meet.example.org/hope-123"


def test_confirmation_in_the_persons_language_with_the_calendar(
    django_capture_on_commit_callbacks,
) -> None:
    training = make_training(capacity=1)
    maria = f.make_user("maria@example.org", display_name="María", preferred_language="es")
    sam = f.make_user("sam@example.org", display_name="Sam")
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(training=training, user=maria)
        registration_create(training=training, user=sam)
    assert run_queued() == 2
    to_maria, to_sam = mail.outbox
    assert to_maria.to == ["maria@example.org"]
    assert "María" in to_maria.body
    html = to_maria.alternatives[0][0]  # type: ignore[attr-defined]
    assert '<html lang="es">' in html
    ics = [a for a in to_maria.attachments if a[0] == "training.ics"]  # type: ignore[index]
    assert len(_events(ics[0][1])) == 3  # type: ignore[index]
    # Sam is on the waitlist: no calendar for a place he does not have
    assert "waitlist" in to_sam.subject
    assert to_sam.attachments == []


def test_no_confirmation_once_cancelled(django_capture_on_commit_callbacks) -> None:
    training = make_training()
    learner = f.make_user("learner@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        registration = registration_create(training=training, user=learner)
        registration_cancel(registration=registration, actor=learner)
    run_queued()
    assert mail.outbox == []


def test_reminders_go_out_once_the_day_before_each_session(
    django_capture_on_commit_callbacks,
) -> None:
    with time_machine.travel(NOW, tick=False):
        training = make_training(capacity=1)
        learner = f.make_user("learner@example.org", display_name="Lee")
        waiting = f.make_user("waiting@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            registration_create(training=training, user=learner)
            registration_create(training=training, user=waiting)
        run_queued()
        mail.outbox.clear()
        # nothing is due a week ahead
        assert jobs.run_now() == (0, 0)

    first = training.sessions.order_by("starts_at").first()
    assert first is not None
    with time_machine.travel(first.starts_at - dt.timedelta(hours=20), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert jobs.run_now() == (0, 1)
            assert jobs.run_now() == (0, 0)  # the next run sends nothing again
        assert len(queued(tasks.send_reminder)) == 1
        run_queued()
    assert [m.to for m in mail.outbox] == [["learner@example.org"]]  # not the waitlisted
    assert "Reminder" in mail.outbox[0].subject
    assert SessionReminder.objects.count() == 1


def test_schedule_queues_one_periodic_run() -> None:
    assert jobs.schedule() is True
    assert jobs.schedule() is False
    assert len(queued(jobs.run_periodic)) == 1
