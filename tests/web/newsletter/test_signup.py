"""The public sign-up form: what it stores, and that it never tells whether an address is
signed up (same page for every address), with the public forms' spam guard."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hopeful.web.newsletter import tasks
from hopeful.web.newsletter.forms import CONSENT_TEXT
from hopeful.web.newsletter.models import Subscription
from tests.web.newsletter.helpers import form_data, make_subscription, started

pytestmark = pytest.mark.django_db

URL = "/newsletter/"


def _main(response: object) -> str:
    """The page's main content (without the CSRF token and the signed start time)."""
    html = response.content.decode()  # type: ignore[attr-defined]
    main = html[html.index('<main id="main"') : html.index("</main>")]
    main = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)
    return re.sub(r'name="started" value="[^"]*"', "", main)


def test_the_form_is_public_with_its_fields_and_honeypot(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("newsletter:signup") == URL
    assert 'name="email"' in html
    assert html.count('name="building_blocks"') == 4
    assert html.count('name="audiences"') == 5
    assert html.count('name="language"') == 2
    assert str(CONSENT_TEXT) in html
    assert "<legend>" in html
    # the honeypot is off-screen with its label, and not aria-hidden
    honeypot = html[html.index('class="hp-field"') :]
    honeypot = honeypot[: honeypot.index("</div>")]
    assert 'name="website"' in honeypot
    assert 'tabindex="-1"' in honeypot
    assert "<label" in honeypot
    assert "aria-hidden" not in honeypot
    # no third-party script: any script is the site's own
    assert not re.search(r"<script[^>]+src=\"(https?:)?//", html)


def test_a_sign_up_stores_a_pending_subscription_with_its_consent(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data())
    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.email == "maria.lopez@example.org"  # normalized
    assert subscription.confirmed_at is None
    assert subscription.building_blocks == ["relationships", "engagement"]
    assert subscription.audiences == ["families"]
    assert subscription.language == "es"
    assert subscription.consent_text == str(CONSENT_TEXT)
    assert subscription.consent_language == "en"
    assert before <= subscription.consent_at <= timezone.now()
    # the email goes out through the worker only, and the queue holds no address
    assert mail.outbox == []
    queued = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert queued.task_path == tasks.send_confirmation.module_path
    assert queued.args_kwargs["args"] == [subscription.pk]
    assert "@" not in json.dumps(queued.args_kwargs)


def test_the_page_is_the_same_for_a_new_and_an_already_subscribed_address(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    make_subscription("known@example.org", confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        new = client.post(URL, form_data(email="new@example.org"))
        known = client.post(URL, form_data(email="Known@example.org"))
        pending = client.post(URL, form_data(email="new@example.org"))
        spam = client.post(URL, form_data(email="bot@example.org", website="http://spam"))
    assert new.status_code == known.status_code == pending.status_code == spam.status_code == 200
    assert new.content == known.content == pending.content == spam.content
    assert _main(new) == _main(known)
    for response in (new, known):
        text = response.content.decode().lower()
        assert "new@example.org" not in text
        assert "known@example.org" not in text
    assert "Check your email" in new.content.decode()
    # the confirmed sign-up is unchanged: no new row, no new consent
    known_row = Subscription.objects.get(email="known@example.org")
    assert known_row.consent_text == "I agree."
    assert known_row.building_blocks == ["relationships"]
    assert not Subscription.objects.filter(email="bot@example.org").exists()
    # one email each for the new and the known address (not two for a pending one at once)
    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == sorted(
        [tasks.send_confirmation.module_path, tasks.send_already_subscribed.module_path]
    )


def test_signing_up_again_while_pending_renews_it_and_mails_again_later(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form_data(audiences=["families"]))
    first = Subscription.objects.get()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(URL, form_data(audiences=["educators"], started=started()))
        again = Subscription.objects.get()
    assert again.pk == first.pk
    assert again.audiences == ["educators"]
    assert again.consent_at > first.consent_at
    assert DBTaskResult.objects.filter(task_path=tasks.send_confirmation.module_path).count() == 2


def test_the_honeypot_answers_as_success_and_stores_nothing(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(website="http://buy.example.com"))
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert not Subscription.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_form_sent_too_fast_is_refused_and_nothing_is_stored(client: Client) -> None:
    response = client.post(URL, form_data(started=started(seconds_ago=1)))
    assert response.status_code == 400
    assert "That was very quick" in response.content.decode()
    assert not Subscription.objects.exists()
    stale = client.post(URL, form_data(started="tampered"))
    assert stale.status_code == 400
    assert "This form is too old" in stale.content.decode()
    assert not Subscription.objects.exists()


@override_settings(HOPEFUL_PUBLIC_FORM_LIMIT=3)
def test_too_many_sign_ups_from_one_address_are_refused_with_429(client: Client) -> None:
    for n in range(3):
        assert client.post(URL, form_data(email=f"p{n}@example.org")).status_code == 200
    response = client.post(URL, form_data(email="p9@example.org"))
    assert response.status_code == 429
    assert "Too many sign-ups" in response.content.decode()
    assert not Subscription.objects.filter(email="p9@example.org").exists()
    assert Subscription.objects.count() == 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("building_blocks", ["relationships", "astrology"], "astrology is not one of"),
        ("audiences", ["aliens"], "aliens is not one of"),
        ("language", "fr", "fr is not one of"),
        ("email", "not-an-address", "valid email"),
        ("consent", None, "Please tick the box"),
    ],
)
def test_bad_input_gets_a_clear_error_and_stores_nothing(
    client: Client, field: str, value: object, message: str
) -> None:
    response = client.post(URL, form_data(**{field: value}))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert message in html
    assert not Subscription.objects.exists()


def test_the_service_refuses_codes_outside_the_vocabularies() -> None:
    from hopeful.web.newsletter.services import subscription_sign_up

    with pytest.raises(ValueError, match="unknown interests"):
        subscription_sign_up(
            email="a@example.org",
            language="en",
            building_blocks=["nope"],
            audiences=[],
            consent_text="I agree.",
            consent_language="en",
        )
    assert not Subscription.objects.exists()


def test_the_spanish_form_is_served_under_es(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    response = client.get("/es/newsletter/")
    assert response.status_code == 200
    assert '<html lang="es">' in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/es/newsletter/", form_data())
    assert done.status_code == 200
    assert '<html lang="es">' in done.content.decode()
    assert Subscription.objects.get().consent_language == "es"
