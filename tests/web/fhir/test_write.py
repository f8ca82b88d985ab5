"""``POST /fhir/QuestionnaireResponse``: the round trip, replays and conflicts, tenancy,
consent, invalid answers and bodies; nothing is stored on any refusal."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.test import Client

from hopeful.web.families.selectors import consent_current
from hopeful.web.organizations.models import Role
from hopeful.web.surveys.models import CampaignStatus, InstrumentScore, Submission
from hopeful.web.surveys.services_integration import external_client_uuid
from tests.web import factories as f
from tests.web.fhir.helpers import BASE, get, make_token, outcome_text, post, row_counts
from tests.web.practice.factories import make_submission

pytestmark = pytest.mark.django_db

LIST = "/fhir/QuestionnaireResponse"
CAMPAIGN = f"{BASE}/fhir/StructureDefinition/hopeful-campaign"


def _campaign(t: dict[str, Any], key: str = "a", **kw: Any) -> Any:
    return f.make_campaign(
        t[f"org_{key}"], t[f"program_{key}"], t[f"members_{key}"][Role.ORG_ADMIN], **kw
    )


def _exported(client: Client, t: dict[str, Any], token: str) -> tuple[Submission, dict[str, Any]]:
    """A submission of A's family and its QuestionnaireResponse as GET gives it."""
    original = make_submission(t["family_a"], t["campaign_a"], t["link_a"])
    response = get(client, f"{LIST}/{original.public_id}-pce7", token)
    assert response.status_code == 200
    return original, response.json()


def _retarget(resource: dict[str, Any], campaign: Any, identifier: str = "enc-1") -> dict[str, Any]:
    """The resource sent to ``campaign`` under the sender's own identifier."""
    sent = copy.deepcopy(resource)
    for extension in sent["extension"]:
        if extension["url"] == CAMPAIGN:
            extension["valueString"] = str(campaign.public_id)
    sent["identifier"] = {"system": "urn:oid:1.2.3.4", "value": identifier}
    return sent


def test_the_round_trip_stores_the_same_scores_in_another_campaign(
    client: Client, two_tenants: dict
) -> None:
    t = two_tenants
    token = make_token(t)
    original, resource = _exported(client, t, token)
    other = _campaign(t)
    response = post(client, token, _retarget(resource, other))
    assert response.status_code == 201, response.content
    stored = Submission.objects.get(campaign=other)
    location = f"{BASE}{LIST}/{stored.public_id}-pce7"
    assert response["Location"] == location
    assert response.json()["id"] == f"{stored.public_id}-pce7"
    assert stored.client_uuid == external_client_uuid(
        organization=t["org_a"], source="fhir", external_id="urn:oid:1.2.3.4|enc-1"
    )
    assert stored.answers == original.answers
    assert stored.submitted_at == original.submitted_at  # authored: when the family answered
    before = InstrumentScore.objects.get(submission=original, instrument_id="pce7")
    after = InstrumentScore.objects.get(submission=stored, instrument_id="pce7")
    assert after.values == before.values
    assert consent_current(stored.family) == consent_current(original.family)
    # the stored response reads back like any other
    assert get(client, location.removeprefix(BASE), token).json()["item"] == resource["item"]


def test_a_replay_is_200_and_the_same_identifier_with_other_answers_409(
    client: Client, two_tenants: dict
) -> None:
    t = two_tenants
    token = make_token(t)
    _original, resource = _exported(client, t, token)
    sent = _retarget(resource, _campaign(t))
    assert post(client, token, sent).status_code == 201
    counts = row_counts()
    replay = post(client, token, sent)
    assert replay.status_code == 200
    assert replay["Content-Location"].startswith(f"{BASE}{LIST}/")
    changed = copy.deepcopy(sent)
    changed["item"][0]["answer"][0]["valueCoding"]["code"] = "1"
    conflict = post(client, token, changed)
    assert conflict.status_code == 409
    assert "different content" in outcome_text(conflict)
    assert row_counts() == counts


def test_another_organizations_campaign_is_404_and_nothing_is_stored(
    client: Client, two_tenants: dict
) -> None:
    t = two_tenants
    token_a = make_token(t)
    _original, resource = _exported(client, t, token_a)
    token_b = make_token(t, key="b")
    counts = row_counts()
    response = post(client, token_b, _retarget(resource, _campaign(t)))
    assert response.status_code == 404
    assert "campaign" in outcome_text(response)
    assert row_counts() == counts


def test_the_scope_is_submissions_write(client: Client, two_tenants: dict) -> None:
    t = two_tenants
    reader = make_token(t, "identifiable:read")
    _original, resource = _exported(client, t, reader)
    counts = row_counts()
    response = post(client, reader, _retarget(resource, _campaign(t)))
    assert response.status_code == 403
    assert "submissions:write" in outcome_text(response)
    assert post(client, None, resource).status_code == 401
    assert row_counts() == counts


def test_consent_missing_is_422_and_nothing_is_stored(client: Client, two_tenants: dict) -> None:
    t = two_tenants
    token = make_token(t)
    _original, resource = _exported(client, t, token)
    sent = _retarget(resource, _campaign(t))
    for extension in sent["extension"]:
        for purpose in extension.get("extension", []):
            purpose["valueBoolean"] = False
    counts = row_counts()
    response = post(client, token, sent)
    assert response.status_code == 422
    assert "consent is required" in outcome_text(response)
    assert response.json()["issue"][0]["expression"] == ["QuestionnaireResponse.extension"]
    assert row_counts() == counts


def test_invalid_codes_are_422_with_their_path_and_nothing_is_stored(
    client: Client, two_tenants: dict
) -> None:
    t = two_tenants
    token = make_token(t)
    _original, resource = _exported(client, t, token)
    sent = _retarget(resource, _campaign(t))
    sent["item"][2]["answer"][0]["valueCoding"]["code"] = "12"
    counts = row_counts()
    response = post(client, token, sent)
    assert response.status_code == 422
    assert outcome_text(response) == "item[2].answer[0]: code 12 is not an answer of pce3"
    assert row_counts() == counts


@pytest.mark.parametrize(
    ("change", "status", "says"),
    [
        ("no_campaign", 422, "the campaign is required"),
        ("closed", 410, "not open"),
        ("bce10_campaign", 422, "does not ask pce7"),
        ("no_identifier", 422, "an identifier (or an id) is required"),
        ("in_progress", 422, "status: must be completed"),
        ("not_fhir", 400, "resourceType"),
        ("authored_in_the_future", 422, "is in the future"),
    ],
)
def test_what_cannot_be_stored_is_refused_and_nothing_is_stored(
    client: Client, two_tenants: dict, change: str, status: int, says: str
) -> None:
    t = two_tenants
    token = make_token(t)
    _original, resource = _exported(client, t, token)
    target = _campaign(
        t,
        status=CampaignStatus.CLOSED if change == "closed" else CampaignStatus.OPEN,
        instruments=[{"id": "bce10", "version": "1.0"}] if change == "bce10_campaign" else None,
    )
    sent = _retarget(resource, target)
    if change == "no_campaign":
        sent["extension"] = [e for e in sent["extension"] if e["url"] != CAMPAIGN]
    elif change == "no_identifier":
        del sent["identifier"], sent["id"]
    elif change == "in_progress":
        sent["status"] = "in-progress"
    elif change == "not_fhir":
        sent = {"hello": "world"}
    elif change == "authored_in_the_future":
        sent["authored"] = "2099-01-01T00:00:00Z"
    counts = row_counts()
    response = post(client, token, sent)
    assert response.status_code == status, response.content
    assert says in outcome_text(response)
    assert row_counts() == counts


def test_bodies_are_fhir_json_of_at_most_64_kb(client: Client, two_tenants: dict) -> None:
    t = two_tenants
    token = make_token(t)
    _original, resource = _exported(client, t, token)
    sent = _retarget(resource, _campaign(t))
    counts = row_counts()
    assert post(client, token, sent, content_type="text/plain").status_code == 415
    assert post(client, token, b"{not json").status_code == 400
    huge = {**sent, "text": {"status": "generated", "div": "<div>" + "x" * 70_000 + "</div>"}}
    assert post(client, token, huge).status_code == 413
    assert row_counts() == counts
    assert post(client, token, sent, content_type="application/json").status_code == 201
