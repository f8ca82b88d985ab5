"""The settings module, run for real in a subprocess with a clean environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hopeful.web.config.settings import INSECURE_DEV_SECRET_KEY

PRINT_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "OPTIONS": db.get("OPTIONS", {}),
    "CONN_MAX_AGE": db.get("CONN_MAX_AGE"),
    "SECRET_KEY": settings.SECRET_KEY,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "X_FRAME_OPTIONS": settings.X_FRAME_OPTIONS,
    "HOPEFUL_SESSION_IDLE_MINUTES": settings.HOPEFUL_SESSION_IDLE_MINUTES,
}))
"""

REAL_KEY = "a-real-secret-key-for-this-test-only-0123456789abcdefghijklmnop"


def run_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean_env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "hopeful.web.config.settings",
        "HOPEFUL_DATA_DIR": str(tmp_path / "data"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        env=clean_env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_of(tmp_path: Path, **env: str) -> dict[str, object]:
    result = run_settings(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = json.loads(result.stdout)
    return loaded


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path: Path) -> None:
    result = run_settings(tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "HOPEFUL_SECRET_KEY is missing" in result.stderr


def test_it_refuses_the_development_secret_key_when_debug_is_off(tmp_path: Path) -> None:
    result = run_settings(
        tmp_path, HOPEFUL_DEBUG="false", HOPEFUL_SECRET_KEY=INSECURE_DEV_SECRET_KEY
    )
    assert result.returncode != 0
    assert "insecure development key" in result.stderr


def test_it_refuses_an_unknown_spelling_of_debug(tmp_path: Path) -> None:
    result = run_settings(tmp_path, HOPEFUL_DEBUG="ture", HOPEFUL_SECRET_KEY=REAL_KEY)
    assert result.returncode != 0
    assert "HOPEFUL_DEBUG='ture' is not a boolean" in result.stderr


def test_it_starts_in_debug_with_the_development_key(tmp_path: Path) -> None:
    settings = settings_of(tmp_path, HOPEFUL_DEBUG="true")
    assert settings["DEBUG"] is True
    assert settings["SECRET_KEY"] == INSECURE_DEV_SECRET_KEY
    assert settings["SESSION_COOKIE_SECURE"] is False
    assert settings["SECURE_SSL_REDIRECT"] is False


def test_it_secures_cookies_and_https_when_debug_is_off(tmp_path: Path) -> None:
    settings = settings_of(tmp_path, HOPEFUL_SECRET_KEY=REAL_KEY)
    assert settings["DEBUG"] is False
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SECURE_HSTS_SECONDS"] == 3600
    assert settings["X_FRAME_OPTIONS"] == "DENY"


def test_it_reads_the_secret_key_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "secret_key"
    key_file.write_text(REAL_KEY + "\n", encoding="utf-8")
    settings = settings_of(tmp_path, HOPEFUL_SECRET_KEY_FILE=str(key_file))
    assert settings["SECRET_KEY"] == REAL_KEY


def test_it_defaults_to_sqlite_in_the_data_dir_with_wal_and_immediate_writes(
    tmp_path: Path,
) -> None:
    settings = settings_of(tmp_path, HOPEFUL_DEBUG="true")
    assert settings["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["NAME"] == str(tmp_path / "data" / "hopeful.sqlite3")
    assert (tmp_path / "data").is_dir()
    options = settings["OPTIONS"]
    assert isinstance(options, dict)
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert "busy_timeout" in options["init_command"]


def test_it_defaults_the_data_dir_to_var_in_the_working_directory(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "hopeful.web.config.settings",
            "HOPEFUL_DEBUG": "true",
        },
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["NAME"] == str(tmp_path / "var" / "hopeful.sqlite3")


def test_it_uses_postgresql_when_database_url_is_set(tmp_path: Path) -> None:
    settings = settings_of(
        tmp_path,
        HOPEFUL_DEBUG="true",
        DATABASE_URL="postgres://hope:pw@db.internal:5432/hopeful",
    )
    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert settings["NAME"] == "hopeful"
    assert settings["CONN_MAX_AGE"] == 60


def test_it_reads_hosts_and_the_session_idle_timeout(tmp_path: Path) -> None:
    settings = settings_of(
        tmp_path,
        HOPEFUL_DEBUG="true",
        HOPEFUL_ALLOWED_HOSTS="hope.example.org, www.hope.example.org",
        HOPEFUL_SESSION_IDLE_MINUTES="15",
    )
    assert settings["ALLOWED_HOSTS"] == ["hope.example.org", "www.hope.example.org"]
    assert settings["HOPEFUL_SESSION_IDLE_MINUTES"] == 15


@pytest.mark.parametrize("minutes", ["0", "half an hour"])
def test_it_refuses_a_bad_session_idle_timeout(tmp_path: Path, minutes: str) -> None:
    result = run_settings(tmp_path, HOPEFUL_DEBUG="true", HOPEFUL_SESSION_IDLE_MINUTES=minutes)
    assert result.returncode != 0
    assert "HOPEFUL_SESSION_IDLE_MINUTES" in result.stderr
