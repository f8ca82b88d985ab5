"""The JSON submission API: idempotent on client_uuid, strict, and nothing stored on rejection."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hopeful.framework import get_instrument, score_response
from hopeful.web.surveys.models import InstrumentScore, Submission
from tests.web.surveys.conftest import row_counts

pytestmark = pytest.mark.django_db


def body(client_uuid: str | None = None, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "client_uuid": client_uuid or str(uuid.uuid4()),
        "language": "es",
        "consent": {"care": True, "program_improvement": True, "research": False},
        "name": "Colibrí",
        "answers": {"pce7": {f"pce{i}": 5 for i in range(1, 8)} | {"pce4": 8, "pce6": None}},
    }
    data.update(overrides)
    return data


def post(client: Client, token: str, data: Any, content_type: str = "application/json") -> Any:
    raw = data if isinstance(data, (bytes, str)) else json.dumps(data)
    return client.post(f"/s/{token}/api/submissions/", raw, content_type=content_type)


def test_it_stores_a_submission_with_scores_and_answers_201(two_tenants: dict) -> None:
    client = Client()
    data = body()
    response = post(client, two_tenants["token_a"], data)
    assert response.status_code == 201
    assert response.json()["created"] is True
    submission = Submission.objects.get(public_id=response.json()["submission"])
    assert submission.organization == two_tenants["org_a"]
    assert submission.language == "es"
    score = InstrumentScore.objects.get(submission=submission, instrument_id="pce7")
    expected = score_response(get_instrument("pce7", "1.0"), data["answers"]["pce7"])
    assert score.values == dict(expected.values)
    assert score.reason == "missing: pce6"


def test_it_answers_an_identical_replay_with_the_original_and_stores_nothing_new(
    two_tenants: dict,
) -> None:
    client = Client()
    data = body()
    first = post(client, two_tenants["token_a"], data)
    before = row_counts()
    for _ in range(3):
        again = post(client, two_tenants["token_a"], data)
        assert again.status_code == 200
        assert again.json() == {"submission": first.json()["submission"], "created": False}
    assert row_counts() == before


def test_it_refuses_a_different_payload_under_a_used_uuid_with_409(two_tenants: dict) -> None:
    client = Client()
    data = body()
    post(client, two_tenants["token_a"], data)
    stored = Submission.objects.get(client_uuid=data["client_uuid"])
    before = row_counts()
    changed = body(data["client_uuid"], name="Someone else")
    response = post(client, two_tenants["token_a"], changed)
    assert response.status_code == 409
    assert row_counts() == before
    stored.refresh_from_db()
    assert stored.payload_hash == Submission.objects.get(pk=stored.pk).payload_hash


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (body(client_uuid="not-a-uuid"), "application/json", 400),
        (body(language="fr"), "application/json", 400),
        (body(consent={"care": "yes"}), "application/json", 400),
        (body(consent={"care": False}), "application/json", 400),
        (body(answers={"pce7": {"pce1": 6}}), "application/json", 400),
        (body(answers={"pce7": {"pce99": 1}}), "application/json", 400),
        (body(answers={"ace_brfss": {"ACEDEPRS": 1}}), "application/json", 400),
        (body(answers={"pce7": {"pce1": True}}), "application/json", 400),
        (body(extra="field"), "application/json", 400),
        ([1, 2, 3], "application/json", 400),
        (body(), "text/plain", 415),
        ({"client_uuid": str(uuid.uuid4()), "padding": "x" * 70_000}, "application/json", 413),
    ],
)
def test_it_rejects_bad_requests_and_stores_nothing(
    two_tenants: dict, data: Any, content_type: str, status: int
) -> None:
    before = row_counts()
    response = post(Client(), two_tenants["token_a"], data, content_type)
    assert response.status_code == status
    assert "error" in response.json()
    assert row_counts() == before


def test_it_answers_404_for_an_unknown_token_and_410_for_a_revoked_link(two_tenants: dict) -> None:
    before = row_counts()
    assert post(Client(), "x" * 43, body()).status_code == 404
    link = two_tenants["link_a"]
    link.revoked_at = timezone.now()
    link.save()
    assert post(Client(), two_tenants["token_a"], body()).status_code == 410
    assert row_counts() == before


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 100) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(["client_uuid", "language", "consent", "name", "answers"]),
    value=json_values,
)
def test_it_never_fails_with_a_5xx_on_fuzzed_fields(
    two_tenants: dict, field: str, value: Any
) -> None:
    data = body()
    data[field] = value
    before = row_counts()
    response = post(Client(), two_tenants["token_a"], data)
    assert response.status_code < 500
    if response.status_code not in (200, 201):
        assert row_counts() == before
