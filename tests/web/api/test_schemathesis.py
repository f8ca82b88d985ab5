"""Property tests of the REST API against its own OpenAPI schema (schemathesis): for requests
generated from the schema, valid and invalid, with a token of every scope, the API never
answers 5xx, answers only the statuses each operation declares, and every answer's body
conforms to the declared schema. Derandomized by the test profile (the same cases every
time); ``make test-wide`` runs a long random search with many more examples."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from hopeful.web.api.models import Scope
from hopeful.web.api.tokens import token_create
from tests.web.conftest import build_two_tenants

#: Examples per operation: a few in `make test`, many in `make test-wide`.
EXAMPLES = int(os.environ.get("HOPEFUL_API_FUZZ_EXAMPLES", "12"))


@pytest.fixture
def _connection_kept() -> Iterator[None]:
    """Requests go straight to Django's WSGI handler, which closes the database connection
    when a request finishes; the test's transaction lives on that connection (on PostgreSQL
    closing it ends the test). Django's test client keeps it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db: None, _connection_kept: None) -> str:
    made = build_two_tenants()
    _, plaintext = token_create(
        organization=made["org_a"],
        actor=made["members_a"]["org_admin"],
        name="schemathesis",
        scopes=list(Scope.values),
        expires_at=timezone.now() + dt.timedelta(days=1),
        rate_limit_per_minute=6000,
    )
    return plaintext


def _schema() -> Any:
    from hopeful.web.api.main import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = WSGIHandler()  # requests go through Django in this thread, on the test database
    return loaded


schema = _schema()


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_api_conforms_to_its_schema(case: Any, bearer: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {bearer}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            response_schema_conformance,
            negative_data_rejection,
        ],
    )
