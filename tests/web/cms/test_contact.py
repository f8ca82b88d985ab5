"""The contact page's form: kept and forwarded, with the public forms' spam protection and
rate limit; bad input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from hopeful.web.cms import contact as contact_module
from hopeful.web.cms.models import ContactMessage, ContactPage
from tests.web.cms import site

pytestmark = pytest.mark.django_db


@pytest.fixture
def page() -> ContactPage:
    return site.add(
        site.home(),
        ContactPage(title="Contact", slug="contact", intro="Write to us.", thanks="Thank you!"),
    )


def started(seconds_ago: float = 60) -> str:
    stamp = (timezone.now() - dt.timedelta(seconds=seconds_ago)).timestamp()
    return signing.dumps(stamp, salt="hopeful.public-form")


def message(**kw: str) -> dict[str, str]:
    return {
        "name": "Ana",
        "email": "ana@example.org",
        "message": "Hello",
        "website": "",
        "started": started(),
        **kw,
    }


def test_the_form_shows_and_a_message_is_kept_and_forwarded(
    client: Client, page: ContactPage, django_capture_on_commit_callbacks: object
) -> None:
    assert b'name="started"' in client.get("/contact/").content
    with django_capture_on_commit_callbacks(execute=False):  # type: ignore[operator]
        response = client.post("/contact/", message())
    assert response.status_code == 200
    assert b"Thank you!" in response.content
    kept = ContactMessage.objects.get()
    assert (kept.name, kept.email, kept.language) == ("Ana", "ana@example.org", "en")
    contact_module.contact_forward.call(kept.pk)
    assert len(mail.outbox) == 1
    assert "Hello" in mail.outbox[0].body


def test_the_honeypot_keeps_nothing_but_says_thanks(client: Client, page: ContactPage) -> None:
    response = client.post("/contact/", message(website="http://spam.example"))
    assert b"Thank you!" in response.content
    assert ContactMessage.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"started": "now"}, "very quick"),
        ({"started": "tampered"}, "too old"),
        ({"email": "not-an-address"}, "valid email"),
        ({"message": ""}, "required"),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(
    client: Client, page: ContactPage, fields: dict[str, str], text: str
) -> None:
    if fields.get("started") == "now":
        fields = {"started": started(0)}
    response = client.post("/contact/", message(**fields))
    assert response.status_code == 400
    assert text in response.content.decode()
    assert ContactMessage.objects.count() == 0


def test_the_rate_limit(client: Client, page: ContactPage, settings: object) -> None:
    settings.HOPEFUL_PUBLIC_FORM_LIMIT = 2  # type: ignore[attr-defined]
    for _ in range(2):
        assert client.post("/contact/", message()).status_code == 200
    response = client.post("/contact/", message())
    assert response.status_code == 429
    assert "Too many messages" in response.content.decode()
    assert ContactMessage.objects.count() == 2
