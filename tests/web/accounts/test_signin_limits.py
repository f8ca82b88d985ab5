"""Per-address limits on the sign-in, two-factor and password-reset POSTs (429 + Retry-After),
on top of the per-account lockout, whose 429 carries Retry-After too; and oversized form posts
answer the 400 page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.web import factories as f

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
WRONG = {"username": "alice@example.org", "password": "not-her-password"}


@override_settings(HOPEFUL_LIMIT_SIGN_IN_IP=2, HOPEFUL_SIGN_IN_IP_MAX_FAILURES=100)
def test_sign_in_posts_per_address_answer_429_with_retry_after() -> None:
    with time_machine.travel(T0, tick=False):
        for n in range(2):
            response = Client().post("/accounts/login/", WRONG | {"username": f"u{n}@example.org"})
            assert response.status_code == 200
        refused = Client().post("/accounts/login/", WRONG)
        elsewhere = Client(REMOTE_ADDR="203.0.113.5").post("/accounts/login/", WRONG)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "901"
    assert "Please wait 16 minutes and try again" in refused.content.decode()
    assert elsewhere.status_code == 200


@override_settings(HOPEFUL_LIMIT_TWO_FACTOR_IP=1)
def test_two_factor_posts_per_address_answer_429_with_retry_after() -> None:
    user = f.make_user("bob@example.org")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.force_login(user)
    with time_machine.travel(T0, tick=False):
        assert client.post("/accounts/two-factor/", {"code": "000000"}).status_code == 200
        refused = client.post("/accounts/two-factor/", {"code": "000000"})
        # the passkey ceremony shares the two-factor limit, and answers JSON
        passkey = client.post("/accounts/passkeys/authentication/begin/", {})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "901"
    assert (passkey.status_code, passkey["Retry-After"]) == (429, "901")
    assert passkey.json()["retry_after"] == 901


@override_settings(HOPEFUL_LIMIT_PASSWORD_RESET_IP=1)
def test_password_reset_posts_per_address_answer_429_with_retry_after() -> None:
    with time_machine.travel(T0, tick=False):
        first = Client().post("/accounts/password-reset/", {"email": "a@example.org"})
        refused = Client().post("/accounts/password-reset/", {"email": "b@example.org"})
    assert first.status_code == 302
    assert (refused.status_code, refused["Retry-After"]) == (429, "3601")


@override_settings(HOPEFUL_SIGN_IN_MAX_FAILURES=1)
def test_the_account_lockout_429_says_when_to_retry() -> None:
    f.make_user("alice@example.org")
    client = Client(REMOTE_ADDR="192.0.2.44")
    assert client.post("/accounts/login/", WRONG).status_code == 200
    locked = client.post("/accounts/login/", WRONG)
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"


def test_too_many_fields_or_too_large_a_body_answer_the_400_page() -> None:
    many = Client().post("/accounts/login/", WRONG | {f"x{i}": "1" for i in range(1100)})
    big = Client().post("/accounts/login/", WRONG | {"note": "x" * 3_000_000})
    for response in (many, big):
        assert response.status_code == 400
        assert "The request could not be read" in response.content.decode()
