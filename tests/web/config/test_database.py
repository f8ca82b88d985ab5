"""The suite runs on the database the environment names (CI runs it on SQLite and PostgreSQL)."""

from __future__ import annotations

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_it_runs_on_postgresql_when_database_url_is_set() -> None:
    expected = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    if expected == "postgresql":
        assert connection.pg_version >= 150000  # PostgreSQL 15 or newer
