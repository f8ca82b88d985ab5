"""Structured logs (hopeful.web.core.logs): one JSON object per line, a request id, the URL
pattern instead of the path, and never a survey link's token or a query string."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from hopeful.web.core.logs import FIELDS, JsonFormatter, RedactPaths, RequestContext

REAL_KEY = "a-real-secret-key-for-this-test-only-0123456789abcdefghijklmnop"


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the request and Django loggers write, through the JSON formatter and filters
    the settings configure."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContext())
    handler.addFilter(RedactPaths())
    loggers = [logging.getLogger(name) for name in ("hopeful.request", "django.request")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield stream
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def records(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_record_is_one_json_object_with_the_known_fields_only() -> None:
    record = logging.LogRecord("hopeful.x", logging.WARNING, __file__, 1, "hi %s", ("there",), None)
    record.request = object()  # Django attaches the whole request: never written
    record.password = "hunter2"  # noqa: S105 - an unexpected extra is dropped too
    line = JsonFormatter().format(record)
    data = json.loads(line)
    assert "\n" not in line
    assert data["message"] == "hi there"
    assert data["level"] == "WARNING"
    assert data["logger"] == "hopeful.x"
    assert data["time"].endswith("+00:00")
    assert set(data) <= set(FIELDS)


@pytest.mark.django_db
def test_a_survey_request_is_logged_by_its_pattern_without_token_or_query(
    client: Client, two_tenants: dict[str, Any], json_lines: io.StringIO
) -> None:
    token = two_tenants["token_a"]
    response = client.get(f"/s/{token}/?ref=email-42", HTTP_X_REQUEST_ID="req-0123456789")
    assert response.status_code == 200

    text = json_lines.getvalue()
    assert token not in text
    assert "email-42" not in text
    (line,) = [r for r in records(json_lines) if r["logger"] == "hopeful.request"]
    assert line["request_id"] == response["X-Request-ID"] == "req-0123456789"
    assert line["method"] == "GET"
    assert line["route"] == "/s/<survey_token:token>/"
    assert line["view"] == "survey:start"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0


@pytest.mark.django_db
def test_djangos_not_found_warning_names_the_pattern_not_the_token(
    client: Client, json_lines: io.StringIO
) -> None:
    token = "Zz" * 20  # a well-formed token that names no link
    assert client.get(f"/s/{token}/").status_code == 404

    text = json_lines.getvalue()
    assert token not in text
    warnings = [r for r in records(json_lines) if r["logger"] == "django.request"]
    assert warnings, text
    assert warnings[0]["message"] == "Not Found: /s/<survey_token:token>/"
    assert warnings[0]["status"] == 404
    assert warnings[0]["request_id"]


def test_waitress_and_the_development_server_lose_the_path() -> None:
    waitress = logging.LogRecord(
        "waitress", logging.ERROR, __file__, 1, "Exception while serving /s/secret-token/", (), None
    )
    dev = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /s/t?x=1 HTTP/1.1", 200, 5),
        None,
    )
    for record in (waitress, dev):
        RedactPaths().filter(record)
    assert waitress.getMessage() == "Exception while serving [path not logged]"
    assert dev.getMessage() == '"GET" 200 5'


def run_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Load the real settings with ``env`` (and DEBUG off), configure logging from them as
    ``django.setup()`` does (without loading every app) and log one line."""
    script = (
        "import logging\n"
        "from django.conf import settings\n"
        "from django.utils.log import configure_logging\n"
        "configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)\n"
        "logging.getLogger('hopeful.test').info('started %s', 'ok')\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "hopeful.web.config.settings",
            "HOPEFUL_DATA_DIR": str(tmp_path / "data"),
            "HOPEFUL_SECRET_KEY": REAL_KEY,
            **env,
        },
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_logs_json_by_default_and_a_bad_format_stops_start_up(tmp_path: Path) -> None:
    result = run_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    (line,) = result.stderr.splitlines()
    data = json.loads(line)
    assert data["message"] == "started ok"
    assert data["logger"] == "hopeful.test"

    bad = run_settings(tmp_path, HOPEFUL_LOG_FORMAT="xml")
    assert bad.returncode != 0
    assert "HOPEFUL_LOG_FORMAT='xml'" in bad.stderr
