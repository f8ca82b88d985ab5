"""Password reset: Django's token flow, our pages; it ends every session and keeps 2FA."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from hopeful.web.accounts.models import User
from hopeful.web.audit.models import AuditEvent
from tests.web import factories as f
from tests.web.accounts.helpers import PROBE_URLS

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase for spring"  # noqa: S105


def reset_link(client: Client, email: str) -> str:
    response = client.post("/accounts/password-reset/", {"email": email})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    match = re.search(r"http://testserver(/accounts/reset/[^/]+/[^/]+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def set_new_password(client: Client, link: str) -> Any:
    response = client.get(link)
    assert response.status_code == 302  # Django moves the token out of the URL
    form_url = response["Location"]
    assert client.get(form_url).status_code == 200
    return client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


def test_the_reset_page_is_public_and_accessible(client: Client) -> None:
    response = client.get("/accounts/password-reset/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<label for="id_email">Email address</label>' in content
    assert 'autocomplete="email"' in content


def test_the_sign_in_page_links_to_the_reset(client: Client) -> None:
    assert 'href="/accounts/password-reset/"' in client.get("/accounts/login/").content.decode()


def test_a_person_resets_a_forgotten_password(client: Client, alice: User, password: str) -> None:
    link = reset_link(client, "alice@example.org")
    assert mail.outbox[0].to == ["alice@example.org"]
    assert mail.outbox[0].subject == "Reset your HOPEful password"
    response = set_new_password(client, link)
    assert response["Location"] == "/accounts/reset/done/"
    assert "Password changed" in client.get("/accounts/reset/done/").content.decode()
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert not alice.check_password(password)
    assert AuditEvent.objects.filter(verb="auth.password_reset", actor=alice).exists()
    signed_in = client.post(
        "/accounts/login/", {"username": "alice@example.org", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302


def test_the_answer_does_not_say_whether_the_account_exists(client: Client) -> None:
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_a_reset_link_works_once(client: Client, alice: User) -> None:
    link = reset_link(client, "alice@example.org")
    set_new_password(client, link)
    response = Client().get(link, follow=True)
    assert "This link does not work" in response.content.decode()


def test_a_tampered_reset_link_does_not_work(client: Client, alice: User) -> None:
    link = reset_link(client, "alice@example.org")
    tampered = link[:-3] + ("x" if link[-3] != "x" else "y") + link[-2:]
    response = client.get(tampered, follow=True)
    assert "This link does not work" in response.content.decode()


@pytest.mark.urls(PROBE_URLS)
def test_a_reset_ends_every_other_session(client: Client, alice: User) -> None:
    elsewhere = Client()
    elsewhere.force_login(alice)
    assert elsewhere.get("/probe/private/").status_code == 200
    set_new_password(client, reset_link(client, "alice@example.org"))
    response = elsewhere.get("/probe/private/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.urls(PROBE_URLS)
def test_a_reset_does_not_get_past_the_second_factor(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    admin = two_tenants["members_a"]["org_admin"]
    f.login_verified(Client(), admin)  # has an authenticator
    set_new_password(client, reset_link(client, admin.email))
    # Not signed in by the reset ...
    probe = f"/probe/orgs/{two_tenants['org_a'].public_id}/"
    assert client.get(probe)["Location"].startswith("/accounts/login/")
    # ... and signing in with the new password still asks for the code.
    response = client.post(
        "/accounts/login/", {"username": admin.email, "password": NEW_PASSWORD, "next": probe}
    )
    assert response["Location"].startswith("/accounts/two-factor/?next=")
    assert client.get(probe)["Location"].startswith("/accounts/two-factor/")
