"""The private manage link: only its hash is stored, a wrong token is 404, cancelling works
once, a freed place goes to the first person waiting (emailed, with the calendar)."""

from __future__ import annotations

import hashlib

import pytest
from django.core import mail
from django.test import Client

from hopeful.web.audit.models import AuditEvent
from hopeful.web.events.models import EventRegistration, RegistrationStatus
from hopeful.web.events.services import registration_create
from hopeful.web.events.tokens import manage_token_issue
from tests.web.events.helpers import make_event, manage_path, outbox_for, run_queued

pytestmark = pytest.mark.django_db


def _full_event_with_waitlist(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    event = make_event(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("held@example.org", "first@example.org", "second@example.org"):
            registration_create(event=event, name=email.split("@")[0].title(), email=email)
    run_queued()
    return event


def test_the_link_opens_the_registration_and_cancels_once(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    _full_event_with_waitlist(django_capture_on_commit_callbacks)
    path = manage_path(outbox_for("held@example.org")[0])
    token = path.rstrip("/").rsplit("/", 1)[1]
    held = EventRegistration.objects.get(email="held@example.org")
    assert held.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(EventRegistration.objects.values_list())

    page = client.get(path)
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert page["X-Robots-Tag"] == "noindex"
    html = page.content.decode()
    assert "Held" in html
    assert "Registered" in html
    assert "hope-secret-room" in html  # the meeting link, for a person holding a place
    assert "Cancel my registration" in html

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)
    assert response.status_code == 302
    statuses = dict(EventRegistration.objects.values_list("email", "status"))
    assert statuses == {
        "held@example.org": RegistrationStatus.CANCELLED,
        "first@example.org": RegistrationStatus.REGISTERED,
        "second@example.org": RegistrationStatus.WAITLISTED,
    }
    assert EventRegistration.objects.get(email="first@example.org").promoted_at is not None
    assert AuditEvent.objects.filter(verb="events.registration_cancel").count() == 1
    assert AuditEvent.objects.filter(verb="events.promote").count() == 1

    # cancelling again changes nothing and promotes nobody else
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path)
    assert EventRegistration.objects.get(email="second@example.org").status == "waitlisted"
    assert AuditEvent.objects.filter(verb="events.registration_cancel").count() == 1
    assert "This registration is cancelled." in client.get(path).content.decode()

    # the promoted person is emailed, with the calendar and their own link
    assert run_queued() == 1
    (promoted,) = mail.outbox
    assert promoted.to == ["first@example.org"]
    assert "A place is yours" in promoted.subject
    assert promoted.attachments
    assert promoted.attachments[0][0] == "event.ics"
    assert client.get(manage_path(promoted)).status_code == 200


def test_a_waitlisted_person_sees_their_position_and_no_link(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    _full_event_with_waitlist(django_capture_on_commit_callbacks)
    html = client.get(manage_path(outbox_for("second@example.org")[0])).content.decode()
    assert "On the waitlist, in position 2" in html
    assert "hope-secret-room" not in html
    assert "Leave the waitlist" in html


@pytest.mark.parametrize("token", ["A" * 43, "not-a-token-at-all-but-long", "x" * 128])
def test_a_wrong_token_is_404(client: Client, token: str) -> None:
    event = make_event()
    registration, _outcome = registration_create(event=event, name="A", email="a@example.org")
    assert registration is not None
    manage_token_issue(registration)
    assert client.get(f"/events/registrations/{token}/").status_code == 404
    assert client.post(f"/events/registrations/{token}/").status_code == 404
    assert EventRegistration.objects.get().status == RegistrationStatus.REGISTERED


def test_a_new_email_link_replaces_the_old_one(client: Client) -> None:
    event = make_event()
    registration, _outcome = registration_create(event=event, name="A", email="a@example.org")
    assert registration is not None
    old = manage_token_issue(registration)
    new = manage_token_issue(registration)
    assert client.get(f"/events/registrations/{old}/").status_code == 404
    assert client.get(f"/events/registrations/{new}/").status_code == 200
    assert client.get(f"/es/events/registrations/{new}/").status_code == 200
