"""Session limits (idle, absolute), rotation, logout, and the production cookie settings."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings

from hopeful.web.accounts.models import User
from tests.web.accounts.helpers import PROBE_URLS

pytestmark = [pytest.mark.django_db, pytest.mark.urls(PROBE_URLS)]

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PAGE = "/probe/private/"


def signed_out(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_session_ends_after_30_idle_minutes(
    client: Client, alice: User, time_machine: Any
) -> None:
    time_machine.move_to(START, tick=False)
    client.force_login(alice)
    assert client.get(PAGE).status_code == 200
    time_machine.shift(dt.timedelta(minutes=29))
    assert client.get(PAGE).status_code == 200
    time_machine.shift(dt.timedelta(minutes=30, seconds=1))
    response = client.get(PAGE)
    assert signed_out(response)
    assert "_auth_user_id" not in client.session
    follow = client.get(response["Location"])
    assert "You were signed out to protect your account" in follow.content.decode()


@override_settings(HOPEFUL_SESSION_IDLE_MINUTES=15)
def test_the_idle_limit_is_a_setting(client: Client, alice: User, time_machine: Any) -> None:
    time_machine.move_to(START, tick=False)
    client.force_login(alice)
    client.get(PAGE)
    time_machine.shift(dt.timedelta(minutes=15, seconds=1))
    assert signed_out(client.get(PAGE))


def test_a_session_ends_12_hours_after_sign_in_however_active(
    client: Client, alice: User, password: str, time_machine: Any
) -> None:
    time_machine.move_to(START, tick=False)
    client.post("/accounts/login/", {"username": alice.email, "password": password})
    for _ in range(12 * 3):
        time_machine.shift(dt.timedelta(minutes=20))
        assert client.get(PAGE).status_code == 200
    time_machine.shift(dt.timedelta(seconds=1))
    assert signed_out(client.get(PAGE))


def test_signing_in_gives_a_new_session_key(client: Client, alice: User, password: str) -> None:
    session = client.session
    session["before"] = "sign-in"
    session.save()
    before = session.session_key
    client.post("/accounts/login/", {"username": alice.email, "password": password})
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_signing_out_deletes_the_session_on_the_server(client: Client, alice: User) -> None:
    client.force_login(alice)
    key = client.session.session_key
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies["sessionid"] = key
    assert signed_out(replay.get(PAGE))


PRINT_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "PASSWORD_HASHERS": settings.PASSWORD_HASHERS,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": settings.SESSION_COOKIE_HTTPONLY,
    "SESSION_COOKIE_SAMESITE": settings.SESSION_COOKIE_SAMESITE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SESSION_COOKIE_AGE": settings.SESSION_COOKIE_AGE,
    "HOPEFUL_SESSION_IDLE_MINUTES": settings.HOPEFUL_SESSION_IDLE_MINUTES,
    "PASSWORD_RESET_TIMEOUT": settings.PASSWORD_RESET_TIMEOUT,
    "MIDDLEWARE": settings.MIDDLEWARE,
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
}))
"""


def production_settings(tmp_path: Path, **env: str) -> dict[str, Any]:
    clean_env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "hopeful.web.config.settings",
        "HOPEFUL_DATA_DIR": str(tmp_path / "data"),
        "HOPEFUL_SECRET_KEY": "a-real-secret-key-for-this-test-only-0123456789abcdefghijklmnop",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        env=clean_env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


@pytest.mark.one_database  # settings read in a subprocess, no database
def test_production_settings_hash_passwords_with_argon2_first(tmp_path: Path) -> None:
    hashers = production_settings(tmp_path)["PASSWORD_HASHERS"]
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.one_database  # settings read in a subprocess, no database
def test_production_settings_have_secure_session_cookies_and_limits(tmp_path: Path) -> None:
    settings = production_settings(tmp_path)
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_AGE"] == 12 * 60 * 60
    assert settings["HOPEFUL_SESSION_IDLE_MINUTES"] == 30
    assert settings["PASSWORD_RESET_TIMEOUT"] <= 60 * 60
    middleware = settings["MIDDLEWARE"]
    timeout = middleware.index("hopeful.web.accounts.middleware.SessionTimeoutMiddleware")
    assert timeout > middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


@pytest.mark.one_database  # settings read in a subprocess, no database
def test_the_idle_minutes_come_from_the_environment(tmp_path: Path) -> None:
    settings = production_settings(tmp_path, HOPEFUL_SESSION_IDLE_MINUTES="15")
    assert settings["HOPEFUL_SESSION_IDLE_MINUTES"] == 15
