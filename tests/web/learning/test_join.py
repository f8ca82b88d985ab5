"""The learner sign-up: an inactive account until the emailed link's button is pressed; the
same answer whatever the address; tampered, superseded and expired links refused clearly."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hopeful.web.accounts.models import User
from hopeful.web.cms.guard import SALT
from hopeful.web.learning.models import LearnerProfile
from tests.web.factories import PASSWORD, make_user
from tests.web.newsletter.helpers import run_queued

pytestmark = pytest.mark.django_db

URL = "/learn/join/"


def started(seconds_ago: float = 60) -> str:
    return signing.dumps(timezone.now().timestamp() - seconds_ago, salt=SALT)


def form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": "Ana  Gómez",
        "email": "Ana.Gomez@Example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "organization_name": "Lakeside Clinic",
        "sector": "health_care",
        "state": "GA",
        "zip_code": "30301",
        "languages": ["en", "es"],
        "website": "",
        "started": started(),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _main(response: Any) -> str:
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


def _link() -> str:
    body = mail.outbox[-1].body
    match = re.search(r"https?://\S+/learn/join/confirm/\S+/", body)
    assert match, body
    return match.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_join_creates_inactive_account_until_confirmed(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form())
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    user = User.objects.get(email="ana.gomez@example.org")
    assert not user.is_active
    profile = LearnerProfile.objects.get(user=user)
    assert (profile.full_name, profile.state, profile.zip_code) == ("Ana Gómez", "GA", "30301")
    assert profile.languages == ["en", "es"]
    assert run_queued() == 1
    link = _link()
    assert not client.login(email="ana.gomez@example.org", password=PASSWORD)
    # GET changes nothing (mail scanners open links)
    response = client.get(link)
    assert response.status_code == 200
    assert "Activate my account" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active
    response = client.post(link)
    assert response.status_code == 200
    assert "Your account is active" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active
    # pressing again is harmless
    assert client.post(link).status_code == 200
    assert client.login(email="ana.gomez@example.org", password=PASSWORD)


def test_existing_address_gets_same_answer_and_a_note(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    make_user("ana.gomez@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        existing = client.post(URL, form())
    with django_capture_on_commit_callbacks(execute=True):
        new = client.post(URL, form(email="new.person@example.org"))
    assert existing.status_code == new.status_code == 200
    strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731
    assert strip(_main(existing)) == strip(_main(new))
    assert User.objects.filter(email="ana.gomez@example.org").count() == 1
    assert not LearnerProfile.objects.filter(user__email="ana.gomez@example.org").exists()
    run_queued()
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["ana.gomez@example.org"] == "You already have a HOPEful account"
    assert subjects["new.person@example.org"] == "Activate your HOPEful learner account"


def test_joining_twice_makes_one_account_and_old_link_stops_working(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form())
    run_queued()
    first_link = _link()
    later = timezone.now() + dt.timedelta(minutes=11)
    with time_machine.travel(later, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                URL,
                form(
                    password1="another long passphrase 7",
                    password2="another long passphrase 7",
                    started=started(),
                ),
            )
        run_queued()
        second_link = _link()
        assert User.objects.filter(email="ana.gomez@example.org").count() == 1
        response = client.post(first_link)
        assert response.status_code == 400
        assert "replaced by a newer one" in response.content.decode()
        assert client.post(second_link).status_code == 200
    assert User.objects.get(email="ana.gomez@example.org").is_active


def test_tampered_and_expired_links_are_refused(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form())
    run_queued()
    link = _link()
    token = link.rstrip("/").rsplit("/", 1)[1]
    tampered = reverse(
        "learning:join_confirm", args=[token[:-2] + ("AA" if token[-2:] != "AA" else "BB")]
    )
    response = client.post(tampered)
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(days=3, minutes=1)):
        response = client.post(link)
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert not User.objects.get(email="ana.gomez@example.org").is_active


def test_deactivated_account_is_not_reactivated_by_joining(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    make_user("ana.gomez@example.org", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form())
    assert response.status_code == 200
    assert run_queued() == 0
    assert not User.objects.get(email="ana.gomez@example.org").is_active


def test_join_validates_password_zip_and_state(client: Client) -> None:
    response = client.post(
        URL, form(password1="short", password2="short", zip_code="3030", state="ZZ")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert "5-digit ZIP code" in html
    assert "Select a valid choice" in html
    assert "too short" in html
    assert not User.objects.filter(email="ana.gomez@example.org").exists()


def test_honeypot_answers_the_same_and_keeps_nothing(client: Client) -> None:
    response = client.post(URL, form(website="http://spam.example"))
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert not User.objects.exists()


def test_signed_in_person_goes_to_their_learning(client: Client) -> None:
    client.force_login(make_user("someone@example.org"))
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:home")
