"""Tokens, requests and row counts for the FHIR endpoint's tests."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client
from django.utils import timezone

from hopeful.web.api.tokens import token_create
from hopeful.web.families.models import ConsentRecord, Family
from hopeful.web.organizations.models import Organization, Role
from hopeful.web.surveys.models import CampaignLink, InstrumentScore, Submission

FHIR_JSON = "application/fhir+json"
BASE = "http://testserver"


def make_token(t: dict[str, Any], *scopes: str, key: str = "a", name: str = "EHR bridge") -> str:
    """A token of organization ``key`` with ``scopes`` (plaintext)."""
    org: Organization = t[f"org_{key}"]
    _token, plaintext = token_create(
        organization=org,
        actor=t[f"members_{key}"][Role.ORG_ADMIN],
        name=name,
        scopes=scopes or ["identifiable:read", "submissions:write"],
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    return plaintext


def get(client: Client, path: str, token: str | None = None, **params: Any) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(path, params, **headers)


def post(client: Client, token: str | None, body: Any, content_type: str = FHIR_JSON) -> Any:
    raw = body if isinstance(body, bytes | str) else json.dumps(body)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post("/fhir/QuestionnaireResponse", raw, content_type=content_type, **headers)


def outcome_text(response: Any) -> str:
    """The OperationOutcome's diagnostics, one per line (and checks it is one)."""
    assert response["Content-Type"].startswith(FHIR_JSON), response["Content-Type"]
    data = response.json()
    assert data["resourceType"] == "OperationOutcome", data
    return "\n".join(issue["diagnostics"] for issue in data["issue"])


def row_counts() -> dict[str, int]:
    """What a refused POST must leave unchanged."""
    return {
        "submissions": Submission.objects.count(),
        "families": Family.objects.count(),
        "consents": ConsentRecord.objects.count(),
        "scores": InstrumentScore.objects.count(),
        "links": CampaignLink.objects.count(),
    }
