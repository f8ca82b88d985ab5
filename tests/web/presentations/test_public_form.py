"""The public request form: what it stores and emails, and the public forms' guard
(honeypot, time check, per-IP rate limit, CSRF, length limits, a clear error per field)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from hopeful.web.audit.models import AuditEvent
from hopeful.web.presentations import tasks
from hopeful.web.presentations.models import PresentationRequest, Status
from tests.web.newsletter.helpers import run_queued
from tests.web.presentations.helpers import URL, form_data, make_trainer, started

pytestmark = pytest.mark.django_db

#: A fixed "now" (the date checks are relative to the site's date).
NOW = dt.datetime(2027, 2, 1, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_the_urls() -> None:
    assert reverse("presentations:request") == URL
    assert reverse("presentations:thanks") == URL + "thanks/"


def test_the_form_is_public_with_its_fields_and_honeypot(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "requester_name",
        "requester_email",
        "organization_name",
        "audience",
        "audience_size",
        "modality",
        "zip_code",
        "language",
        "preferred_dates",
        "topic",
        "details",
        "website",
        "started",
        "csrfmiddlewaretoken",
    ):
        assert f'name="{name}"' in html, name
    assert 'name="phone"' not in html
    assert "shared only with the trainer assigned to your request" in html
    honeypot = html[html.index('class="hp-field"') :]
    assert 'name="website"' in honeypot[: honeypot.index("</div>")]
    # every text field has a length limit in the page too
    for name, limit in (("requester_name", 150), ("organization_name", 200), ("details", 3000)):
        assert f'maxlength="{limit}"' in html, name
    spanish = client.get("/es" + URL)
    assert spanish.status_code == 200
    assert '<option value="es" selected>' in spanish.content.decode()


def test_a_valid_request_is_stored_once_and_confirmed_by_email(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/es" + URL, form_data())
    assert response.status_code == 302
    assert response["Location"] == "/es" + URL + "thanks/"
    item = PresentationRequest.objects.get()
    assert item.status == Status.NEW
    assert (item.city, item.state, item.zip_code) == ("Boston", "MA", "02111")
    assert item.latitude is not None
    assert item.requester_language == "es"
    assert item.language == "es"
    assert item.events.get().kind == "submit"
    assert AuditEvent.objects.filter(verb="presentations.request").count() == 1
    # one email, queued (no address in the queue), in Spanish
    queued = DBTaskResult.objects.get()
    assert queued.task_path == tasks.send_confirmation.module_path
    assert "@" not in str(queued.args_kwargs)
    assert mail.outbox == []
    assert run_queued() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["marta@example.org"]
    assert 'lang="es"' in message.alternatives[0][0]  # the requester's language
    assert "Eastside Parents Network" in message.body
    assert client.get(response["Location"]).status_code == 200


def test_the_trainer_asked_for_is_shown_and_recorded(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    trainer = make_trainer("Ana Ortiz", "02139")
    html = client.get(URL, {"trainer": str(trainer.public_id)}).content.decode()
    assert "You asked for Ana Ortiz" in html
    assert str(trainer.public_id) in html
    # an unknown or garbage id is ignored
    assert "You asked for" not in client.get(URL, {"trainer": "nope"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form_data(trainer=str(trainer.public_id)))
    item = PresentationRequest.objects.get()
    assert item.wished_listing == trainer
    assert item.status == Status.NEW  # staff still decide
    assert item.assigned_listing is None


def test_the_honeypot_answers_thanks_and_stores_and_sends_nothing(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(website="http://buy.example.com"))
    assert response.status_code == 302
    assert response["Location"] == URL + "thanks/"
    assert not PresentationRequest.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert mail.outbox == []


def test_a_form_sent_too_fast_is_refused_and_nothing_is_stored(client: Client) -> None:
    response = client.post(URL, form_data(started=started(seconds_ago=1)))
    assert response.status_code == 400
    assert "That was very quick" in response.content.decode()
    stale = client.post(URL, form_data(started="tampered"))
    assert stale.status_code == 400
    assert "This form is too old" in stale.content.decode()
    assert not PresentationRequest.objects.exists()


@override_settings(HOPEFUL_PUBLIC_FORM_LIMIT=2)
def test_the_rate_limit_per_address_answers_429_and_stores_nothing(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for _n in range(2):
            assert client.post(URL, form_data()).status_code == 302
        response = client.post(URL, form_data(organization_name="Third one"))
    assert response.status_code == 429
    assert "Too many requests were sent from here" in response.content.decode()
    assert PresentationRequest.objects.count() == 2
    assert not PresentationRequest.objects.filter(organization_name="Third one").exists()
    # another address is not limited
    other = client.post(URL, form_data(), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


def test_the_csrf_token_is_required() -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(URL, form_data())
    assert response.status_code == 403
    assert not PresentationRequest.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"requester_name": "x" * 151}, "requester_name", "at most 150 characters"),
        ({"organization_name": "x" * 201}, "organization_name", "at most 200 characters"),
        ({"role_title": "x" * 151}, "role_title", "at most 150 characters"),
        ({"preferred_dates": "x" * 301}, "preferred_dates", "at most 300 characters"),
        ({"details": "x" * 3001}, "details", "at most 3000 characters"),
        ({"requester_email": "not-an-address"}, "requester_email", "valid email"),
        ({"audience_size": "0"}, "audience_size", "greater than or equal to 1"),
        ({"audience_size": "10001"}, "audience_size", "less than or equal to 10000"),
        ({"zip_code": "1234"}, "zip_code", "Enter a 5-digit ZIP code"),
        ({"zip_code": "00000"}, "zip_code", "know the ZIP code 00000"),
        ({"zip_code": ""}, "zip_code", "Give the ZIP code of the place"),
        ({"audience": "aliens"}, "audience", "Select a valid choice"),
        ({"language": "xx"}, "language", "Select a valid choice"),
        ({"earliest_date": "2027-01-31"}, "earliest_date", "This date has passed"),
        (
            {"earliest_date": "2027-03-10", "latest_date": "2027-03-01"},
            "latest_date",
            "before the “Not before” date",
        ),
        ({"requester_name": ""}, "requester_name", "This field is required"),
    ],
)
def test_bad_input_gets_a_clear_error_and_nothing_is_stored(
    client: Client, changes: dict[str, str], field: str, message: str
) -> None:
    response = client.post(URL, form_data(**changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html, html[html.index("error-summary") :][:600]
    assert f'href="#id_{field}"' in html
    assert not PresentationRequest.objects.exists()


def test_an_online_request_needs_no_zip_code(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(modality="virtual", zip_code=""))
    assert response.status_code == 302
    item = PresentationRequest.objects.get()
    assert (item.zip_code, item.latitude) == ("", None)
