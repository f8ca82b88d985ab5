"""The contact form of a listing: CSRF, the honeypot, the time check, the rate limit and the
length limit refuse or drop a post and send nothing; a valid post queues one email to the
holder (never shown to the sender) with the sender's address as its Reply-To."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from hopeful.framework.certification import State
from hopeful.web.audit.models import AuditEvent
from hopeful.web.certification.models import Certification
from hopeful.web.core.models import RateLimitCounter
from hopeful.web.directory import tasks
from hopeful.web.directory.models import ContactMessage
from hopeful.web.organizations.models import Membership, Role
from tests.web import factories as f
from tests.web.directory.helpers import (
    contact_data,
    fixed_time,  # noqa: F401 - autouse: the tests run at NOW
    organization_listing,
    person_listing,
    started,
)
from tests.web.newsletter.helpers import run_queued
from tests.web.trainings.helpers import queued

pytestmark = pytest.mark.django_db


def post(client: Client, listing: Any, capture: Any, **changes: Any) -> Any:
    with capture(execute=True):
        return client.post(f"/trainers/{listing.public_id}/contact/", contact_data(**changes))


def test_a_message_reaches_the_trainer_with_the_sender_as_reply_to(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    listing = person_listing("Ana Rivera", "02139", email="ana.private@example.org")
    response = post(client, listing, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Thank you: your message is on its way" in content
    assert "ana.private@example.org" not in content
    assert len(queued(tasks.send_contact)) == 1
    # The queue carries the kept message's id, never the message; sent, it is deleted.
    assert "present HOPE" not in repr(queued(tasks.send_contact))
    assert ContactMessage.objects.count() == 1
    assert run_queued() == 1
    assert ContactMessage.objects.count() == 0
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["ana.private@example.org"]
    assert email.reply_to == ["dana@school.example.org"]
    assert "Could you present HOPE to our parents in April?" in email.body
    assert "Dana Whitfield (Lincoln Elementary PTA)" in email.body
    assert f"/trainers/{listing.public_id}/" in email.body
    event = AuditEvent.objects.get(verb="directory.contact")
    assert event.object_id == str(listing.public_id)
    assert "present HOPE" not in str(event.extra)
    assert "dana@" not in str(event.extra)


def test_the_email_is_in_the_holders_language(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    listing = person_listing("María", "02139", email="maria@example.org")
    listing.user.preferred_language = "es"
    listing.user.save()
    post(client, listing, django_capture_on_commit_callbacks)
    run_queued()
    html = mail.outbox[0].alternatives[0][0]
    assert '<html lang="es">' in html
    assert f"/es/trainers/{listing.public_id}/" in mail.outbox[0].body


def test_a_message_to_an_organization_goes_to_its_admins(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    listing = organization_listing("Harbor Family Center", "01901")
    org = listing.organization
    f.make_member(org, Role.ORG_ADMIN, "admin1@harbor.example.org")
    f.make_member(org, Role.ORG_ADMIN, "admin2@harbor.example.org")
    f.make_member(org, Role.PRACTITIONER, "pract@harbor.example.org")
    gone = f.make_member(org, Role.ORG_ADMIN, "gone@harbor.example.org")
    gone.is_active = False
    gone.save()
    post(client, listing, django_capture_on_commit_callbacks)
    run_queued()
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["admin1@harbor.example.org", "admin2@harbor.example.org"]
    assert mail.outbox[0].reply_to == ["dana@school.example.org"]
    assert Membership.objects.filter(organization=org).count() == 4


def test_csrf_is_enforced(django_capture_on_commit_callbacks: Any) -> None:
    listing = person_listing("Ana", "02139")
    client = Client(enforce_csrf_checks=True)
    response = post(client, listing, django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert queued(tasks.send_contact) == []
    # with the form's token it goes through
    page = client.get(f"/trainers/{listing.public_id}/")
    token = page.cookies["csrftoken"].value
    response = post(client, listing, django_capture_on_commit_callbacks, csrfmiddlewaretoken=token)
    assert response.status_code == 200
    assert len(queued(tasks.send_contact)) == 1


def test_the_honeypot_gets_thanks_and_sends_nothing(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    listing = person_listing("Ana", "02139")
    response = post(
        client, listing, django_capture_on_commit_callbacks, website="http://spam.example"
    )
    assert response.status_code == 200
    assert "Thank you: your message is on its way" in response.content.decode()
    assert queued(tasks.send_contact) == []
    assert run_queued() == 0
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(verb="directory.contact").exists()


def test_a_form_sent_too_fast_is_refused(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    listing = person_listing("Ana", "02139")
    response = post(client, listing, django_capture_on_commit_callbacks, started=started(0))
    assert response.status_code == 400
    assert "That was very quick" in response.content.decode()
    assert queued(tasks.send_contact) == []


def test_a_tampered_start_time_is_refused(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    listing = person_listing("Ana", "02139")
    response = post(client, listing, django_capture_on_commit_callbacks, started="forged")
    assert response.status_code == 400
    assert queued(tasks.send_contact) == []


def test_the_rate_limit_answers_429_and_sends_nothing(
    client: Client, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.HOPEFUL_PUBLIC_FORM_LIMIT = 2
    listing = person_listing("Ana", "02139")
    for _ in range(2):
        assert post(client, listing, django_capture_on_commit_callbacks).status_code == 200
    response = post(client, listing, django_capture_on_commit_callbacks)
    assert response.status_code == 429
    assert "Too many messages were sent from here just now" in response.content.decode()
    assert len(queued(tasks.send_contact)) == 2
    assert (
        sum(
            RateLimitCounter.objects.filter(scope="form:directory-contact").values_list(
                "count", flat=True
            )
        )
        == 2
    )


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"message": "x" * 3001}, "at most 3000 characters"),
        ({"message": ""}, "This field is required."),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"name": "n" * 151}, "at most 150 characters"),
        ({"organization": "o" * 201}, "at most 200 characters"),
    ],
)
def test_bad_input_is_refused_and_nothing_sent(
    client: Client, django_capture_on_commit_callbacks: Any, changes: dict[str, str], error: str
) -> None:
    listing = person_listing("Ana", "02139")
    response = post(client, listing, django_capture_on_commit_callbacks, **changes)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert queued(tasks.send_contact) == []
    assert not AuditEvent.objects.filter(verb="directory.contact").exists()


def test_an_unlisted_holder_cannot_be_written_to(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    listing = person_listing("Ana", "02139", opted_in=False)
    assert post(client, listing, django_capture_on_commit_callbacks).status_code == 404
    assert queued(tasks.send_contact) == []


def test_nothing_is_sent_when_the_certification_lapsed_before_sending(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    listing = person_listing("Ana", "02139")
    post(client, listing, django_capture_on_commit_callbacks)
    Certification.objects.filter(user=listing.user).update(state=State.SUSPENDED.value)
    assert run_queued() == 1
    assert mail.outbox == []


def test_the_contact_address_only_takes_posts(client: Client) -> None:
    listing = person_listing("Ana", "02139")
    assert client.get(f"/trainers/{listing.public_id}/contact/").status_code == 405
