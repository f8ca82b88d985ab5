"""Sign-in and password-reset throttling: per account and per address, in the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings

from hopeful.web.accounts.models import SignInAttempt, User
from hopeful.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LOCKED = "Too many attempts. Please try again in 15 minutes."


def sign_in(client: Client, email: str, password: str, ip: str = "203.0.113.7") -> Any:
    return client.post(
        "/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=ip
    )


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(
    client: Client, alice: User, password: str
) -> None:
    for _ in range(5):
        response = sign_in(client, "alice@example.org", "wrong password")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
    response = sign_in(client, "alice@example.org", password)
    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKED in content
    assert 'role="alert"' in content
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(verb="auth.locked_out")
    assert event.extra["email"] == "alice@example.org"


def test_an_unknown_email_gets_the_same_lock_and_message(client: Client, alice: User) -> None:
    for _ in range(5):
        sign_in(client, "nobody@example.org", "wrong password")
    response = sign_in(client, "nobody@example.org", "wrong password")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_the_lock_is_per_account_whatever_the_address(client: Client, alice: User) -> None:
    for number in range(5):
        sign_in(client, "alice@example.org", "wrong password", ip=f"198.51.100.{number}")
    response = sign_in(client, "alice@example.org", "wrong password", ip="192.0.2.99")
    assert response.status_code == 429


def test_the_lock_is_per_address_whatever_the_account(
    client: Client, alice: User, password: str
) -> None:
    for number in range(5):
        sign_in(client, f"guess{number}@example.org", "wrong password", ip="198.51.100.1")
    assert sign_in(client, "alice@example.org", password, ip="198.51.100.1").status_code == 429
    assert sign_in(client, "alice@example.org", password, ip="198.51.100.2").status_code == 302


def test_the_lock_ends_after_15_minutes(
    client: Client, alice: User, password: str, time_machine: Any
) -> None:
    time_machine.move_to(START, tick=False)
    for _ in range(5):
        sign_in(client, "alice@example.org", "wrong password")
    time_machine.shift(dt.timedelta(minutes=14))
    response = sign_in(client, "alice@example.org", password)
    assert response.status_code == 429
    assert "Please try again in 1 minute." in response.content.decode()
    time_machine.shift(dt.timedelta(minutes=1, seconds=1))
    assert sign_in(client, "alice@example.org", password).status_code == 302


def test_a_successful_sign_in_resets_the_account_counter(
    client: Client, alice: User, password: str
) -> None:
    for _ in range(4):
        sign_in(client, "alice@example.org", "wrong password")
    assert sign_in(client, "alice@example.org", password).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        sign_in(client, "alice@example.org", "wrong password")
    assert sign_in(client, "alice@example.org", password).status_code == 302


def test_the_counters_live_in_the_database_so_every_process_shares_them(
    alice: User, password: str
) -> None:
    # Two clients stand for two web processes: they share nothing but the database.
    for _ in range(3):
        sign_in(Client(), "alice@example.org", "wrong password")
    for _ in range(2):
        sign_in(Client(), "alice@example.org", "wrong password")
    assert SignInAttempt.objects.filter(email="alice@example.org").count() == 5
    assert sign_in(Client(), "alice@example.org", password).status_code == 429


def test_the_email_is_matched_whatever_its_case(client: Client, alice: User) -> None:
    for _ in range(5):
        sign_in(client, "Alice@Example.org", "wrong password")
    assert sign_in(client, "alice@example.org", "wrong password").status_code == 429


@override_settings(HOPEFUL_SIGN_IN_IP_MAX_FAILURES=50)
def test_the_limits_are_settings(client: Client, alice: User, password: str) -> None:
    for number in range(10):
        sign_in(client, f"guess{number}@example.org", "wrong password")
    assert sign_in(client, "alice@example.org", password).status_code == 302


def test_password_reset_requests_are_throttled_too(client: Client, alice: User) -> None:
    for _ in range(5):
        response = client.post("/accounts/password-reset/", {"email": "alice@example.org"})
        assert response.status_code == 302
    assert len(mail.outbox) == 5
    response = client.post("/accounts/password-reset/", {"email": "alice@example.org"})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert len(mail.outbox) == 5


def test_password_reset_throttling_says_the_same_for_unknown_emails(client: Client) -> None:
    for _ in range(5):
        client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert mail.outbox == []


@override_settings(HOPEFUL_TRUST_X_FORWARDED_FOR=True)
def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_saw(
    client: Client, alice: User, password: str
) -> None:
    for number in range(5):
        client.post(
            "/accounts/login/",
            {"username": f"guess{number}@example.org", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1",
        )
    response = client.post(
        "/accounts/login/",
        {"username": "alice@example.org", "password": password},
        HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.2",
    )
    assert response.status_code == 302
    assert SignInAttempt.objects.filter(ip_address="198.51.100.1").count() == 5
