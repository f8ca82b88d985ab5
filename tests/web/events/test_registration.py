"""Registering for an event on its public page: a place while there is one, then the
waitlist (said plainly), never over capacity; one registration per email address; the
confirmation email (with the calendar for a place); and the public form's guards."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from icalendar import Calendar

from hopeful.web.core.models import RateLimitCounter
from hopeful.web.events.models import EventRegistration, EventStatus, RegistrationStatus
from hopeful.web.events.services import EventError, Outcome, registration_create
from tests.web.events.helpers import form_data, make_event, outbox_for, run_queued

pytestmark = pytest.mark.django_db


def _post(client: Client, event, **changes):  # type: ignore[no-untyped-def]
    return client.post(f"/events/{event.slug}/", form_data(**changes))


def _register(event, n: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        registration_create(event=event, name=f"Person {i}", email=f"p{i}@example.org")


def _answer(response: Any) -> str:
    """The page's main text (what a person reads after registering)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_fill_to_capacity_then_the_waitlist(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    event = make_event(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, event, email="a@example.org")
        second = _post(client, event, email="b@example.org")
        third = _post(client, event, email="c@example.org")
    assert first.status_code == second.status_code == third.status_code == 200
    # the same answer for a place and for the waitlist (the email says which)
    assert "Check your email" in first.content.decode()
    assert _answer(first) == _answer(third)
    statuses = dict(EventRegistration.objects.values_list("email", "status"))
    assert statuses == {
        "a@example.org": RegistrationStatus.REGISTERED,
        "b@example.org": RegistrationStatus.REGISTERED,
        "c@example.org": RegistrationStatus.WAITLISTED,
    }
    # the page now says the event is full and offers the waitlist
    page = client.get(f"/events/{event.slug}/").content.decode()
    assert "Join the waitlist" in page
    assert "hope-secret-room" not in page  # the meeting link is for registered people only
    # emails: a place comes with the calendar and the meeting link; the waitlist without
    assert run_queued() == 3
    placed = outbox_for("a@example.org")[0]
    assert "You are registered" in placed.subject
    assert "https://meet.example.org/hope-secret-room" in placed.body
    assert "/events/registrations/" in placed.body
    (name, content, mimetype) = placed.attachments[0]
    assert name == "event.ics"
    assert mimetype.startswith("text/calendar")
    vevent = next(iter(Calendar.from_ical(content).walk("VEVENT")))
    assert "hope-secret-room" in str(vevent["LOCATION"])
    waiting = outbox_for("c@example.org")[0]
    assert "waitlist" in waiting.subject
    assert waiting.attachments == []
    assert "hope-secret-room" not in waiting.body


def test_never_over_capacity(django_capture_on_commit_callbacks) -> None:
    event = make_event(capacity=5)
    _register(event, 12)
    held = EventRegistration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
    assert held.count() == 5
    assert EventRegistration.objects.filter(status=RegistrationStatus.WAITLISTED).count() == 7


def test_no_capacity_means_no_limit() -> None:
    event = make_event(capacity=None)
    _register(event, 30)
    assert set(EventRegistration.objects.values_list("status", flat=True)) == {"registered"}


def test_the_same_email_twice_is_refused_and_nothing_new_is_stored(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    event = make_event(capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, event, name="Rosa Díaz", organization="Sunrise Clinic")
        again = _post(client, event, name="Someone Else", email="ROSA.diaz@example.org ")
    assert again.status_code == 200
    html = again.content.decode()
    # nobody learns from the page whether an address is registered: the same answer
    assert _answer(again) == _answer(first)
    assert "Rosa Díaz" not in html
    assert "Sunrise Clinic" not in html
    registration = EventRegistration.objects.get()
    assert registration.name == "Rosa Díaz"
    assert registration.email == "rosa.diaz@example.org"
    # the confirmation (and its private link) goes again to the address itself only
    run_queued()
    assert len(outbox_for("rosa.diaz@example.org")) == 2
    assert len(mail.outbox) == 2


def test_the_database_keeps_one_active_registration_per_address() -> None:
    from django.db import IntegrityError, transaction

    event = make_event()
    registration_create(event=event, name="A", email="a@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        EventRegistration.objects.create(
            event=event,
            name="B",
            email="A@example.org",
            status="waitlisted",
            created_at=event.starts_at,
        )


def test_a_cancelled_address_may_register_again() -> None:
    from hopeful.web.events.services import registration_cancel

    event = make_event()
    first, _outcome = registration_create(event=event, name="A", email="a@example.org")
    assert first is not None
    registration_cancel(registration=first)
    again, outcome = registration_create(event=event, name="A", email="a@example.org")
    assert outcome is Outcome.REGISTERED
    assert again is not None
    assert again.pk != first.pk


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": EventStatus.CANCELLED}, "This event was cancelled."),
        ({"registration_open": False}, "Registration for this event is closed."),
    ],
)
def test_a_cancelled_or_closed_event_refuses(client: Client, changes, message) -> None:  # type: ignore[no-untyped-def]
    event = make_event(**changes)
    page = client.get(f"/events/{event.slug}/").content.decode()
    assert message in page
    assert 'name="email"' not in page
    response = _post(client, event)
    assert response.status_code == 400
    assert not EventRegistration.objects.exists()
    with pytest.raises(EventError):
        registration_create(event=event, name="A", email="a@example.org")


def test_a_started_event_refuses() -> None:
    event = make_event(starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(EventError, match="already started"):
        registration_create(event=event, name="A", email="a@example.org")


def test_an_unpublished_event_is_404_for_the_public(client: Client) -> None:
    event = make_event(published=False)
    assert client.get(f"/events/{event.slug}/").status_code == 404
    assert client.get(f"/events/{event.slug}/calendar.ics").status_code == 404
    assert client.get("/events/nothing-here/").status_code == 404


def test_the_honeypot_answers_success_and_stores_nothing(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    event = make_event()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, event, website="http://spam.example")
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert not EventRegistration.objects.exists()
    assert run_queued() == 0


def test_too_fast_is_refused(client: Client) -> None:
    from tests.web.events.helpers import started

    event = make_event()
    response = _post(client, event, started=started(seconds_ago=0.5))
    assert response.status_code == 400
    assert "very quick" in response.content.decode()
    assert not EventRegistration.objects.exists()


def test_bad_input_gets_clear_errors_and_stores_nothing(client: Client) -> None:
    event = make_event()
    response = _post(client, event, name="x" * 151, email="not-an-address", organization="o" * 201)
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert "Enter a valid email address." in html
    assert "at most 150 characters" in html
    assert "at most 200 characters" in html
    assert not EventRegistration.objects.exists()
    assert 'maxlength="150"' in client.get(f"/events/{event.slug}/").content.decode()


def test_the_rate_limit_answers_429(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HOPEFUL_PUBLIC_FORM_LIMIT = 2
    event = make_event(capacity=None)
    assert _post(client, event, email="a@example.org").status_code == 200
    assert _post(client, event, email="b@example.org").status_code == 200
    blocked = _post(client, event, email="c@example.org")
    assert blocked.status_code == 429
    assert "Too many registrations" in blocked.content.decode()
    assert EventRegistration.objects.count() == 2
    assert (
        sum(
            RateLimitCounter.objects.filter(scope="form:event-registration").values_list(
                "count", flat=True
            )
        )
        == 2
    )


def test_csrf_is_required() -> None:
    event = make_event()
    client = Client(enforce_csrf_checks=True)
    assert client.post(f"/events/{event.slug}/", form_data()).status_code == 403
    assert not EventRegistration.objects.exists()


def test_the_spanish_page_and_email(client: Client, django_capture_on_commit_callbacks) -> None:
    event = make_event(title="Webinar: experiencias positivas", language="es")
    page = client.get(f"/es/events/{event.slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'lang="es"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/es/events/{event.slug}/", form_data())
    assert response.status_code == 200
    assert EventRegistration.objects.get().language == "es"
    run_queued()
    assert "/es/events/registrations/" in mail.outbox[0].body
