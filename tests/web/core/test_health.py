from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

import hopeful

pytestmark = pytest.mark.django_db


def test_it_reports_ok_with_the_version_when_the_database_answers(client: Client) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "version": hopeful.__version__}
    assert "no-cache" in response["Cache-Control"]


def test_it_reports_503_when_the_database_query_fails(client: Client) -> None:
    broken = mock.MagicMock()
    broken.cursor.side_effect = OperationalError("connection refused")
    with mock.patch("hopeful.web.core.selectors.connection", broken):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "error",
        "version": hopeful.__version__,
    }


def test_it_needs_no_sign_in_and_no_language_prefix(client: Client) -> None:
    assert client.get("/health/").status_code == 200
    assert client.get("/es/health/").status_code == 404
