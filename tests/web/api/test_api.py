"""The REST API: tokens (scope, expiry, revocation, hashing, rate limit, audit), tenancy,
consent, paging, answers in, aggregates out, and problem details on every refusal."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hopeful.framework import get_instrument, score_response
from hopeful.web.api.models import ApiToken, Scope
from hopeful.web.api.tokens import token_create
from hopeful.web.audit.models import AuditEvent
from hopeful.web.families.models import ConsentRecord, Family
from hopeful.web.surveys.models import Submission
from tests.web import factories as f

pytestmark = pytest.mark.django_db

ANSWERS = {"pce7": {"pce1": 5, "pce2": 4, "pce3": 2, "pce4": 4, "pce5": 4, "pce6": 3, "pce7": 5}}


def _token(t: dict[str, Any], key: str = "a", *scopes: str, **kw: Any) -> tuple[ApiToken, str]:
    return token_create(
        organization=t[f"org_{key}"],
        actor=t[f"members_{key}"]["org_admin"],
        name=kw.pop("name", f"integration {key}"),
        scopes=scopes or list(Scope.values),
        expires_at=kw.pop("expires_at", timezone.now() + dt.timedelta(days=30)),
        **kw,
    )


def _get(client: Client, url: str, plaintext: str | None) -> Any:
    headers = {"Authorization": f"Bearer {plaintext}"} if plaintext else {}
    return client.get(url, headers=headers)


def _post(client: Client, url: str, plaintext: str, body: dict[str, Any]) -> Any:
    return client.post(
        url,
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {plaintext}"},
    )


def _body(campaign: Any, **kw: Any) -> dict[str, Any]:
    body = {
        "campaign": str(campaign.public_id),
        "client_uuid": str(uuid.uuid4()),
        "language": "en",
        "consent": {"care": True, "program_improvement": True, "research": False},
        "answers": ANSWERS,
    }
    body.update(kw)
    return body


def test_instruments_are_public(client: Client) -> None:
    response = client.get("/api/v1/instruments")
    assert response.status_code == 200
    ids = {i["id"] for i in response.json()}
    assert "pce7" in ids
    pce7 = client.get("/api/v1/instruments/pce7").json()
    assert pce7["items"][0]["options"][0]["code"] in (0, 1)
    assert pce7["title"]["es"]
    missing = client.get("/api/v1/instruments/nope")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json()["status"] == 404


def test_openapi_is_3_1_and_documents_every_route(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert {"/api/v1/submissions", "/api/v1/aggregates", "/api/v1/goals"} <= set(schema["paths"])
    assert client.get("/api/v1/docs").status_code == 200


def test_token_is_shown_once_and_stored_hashed(two_tenants: dict[str, Any]) -> None:
    token, plaintext = _token(two_tenants)
    assert plaintext.startswith("hpf_")
    assert len(plaintext) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert plaintext not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert plaintext not in json.dumps(list(AuditEvent.objects.values("extra")), default=str)
    assert stored.prefix == plaintext[:10]


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer hpf_nope", "Basic abc"])
def test_missing_or_unknown_token_is_401(client: Client, two_tenants: Any, header: str) -> None:
    response = client.get("/api/v1/families", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert "Bearer" in response["WWW-Authenticate"]


def test_scope_expiry_and_revocation(client: Client, two_tenants: Any) -> None:
    t = two_tenants
    _, aggregates_only = _token(t, "a", Scope.READ_AGGREGATES)
    refused = _get(client, "/api/v1/families", aggregates_only)
    assert refused.status_code == 403
    assert "identifiable:read" in refused.json()["detail"]
    assert _get(client, "/api/v1/campaigns", aggregates_only).status_code == 200

    token, plaintext = _token(t, "a", Scope.READ_IDENTIFIABLE)
    assert _get(client, "/api/v1/families", plaintext).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _get(client, "/api/v1/families", plaintext).status_code == 401

    token, plaintext = _token(t, "a", Scope.READ_IDENTIFIABLE)
    f.login_verified(client, t["members_a"]["org_admin"])
    revoked = client.post(f"/orgs/{t['org_a'].public_id}/api-tokens/{token.public_id}/revoke/")
    assert revoked.status_code == 302
    client.logout()
    assert _get(client, "/api/v1/families", plaintext).status_code == 401
    assert AuditEvent.objects.filter(verb="api_token.revoke", object_id=str(token.public_id))


def test_every_use_is_audited_with_the_token_name(client: Client, two_tenants: Any) -> None:
    token, plaintext = _token(two_tenants, "a", Scope.READ_IDENTIFIABLE, name="REDCap sync")
    assert _get(client, "/api/v1/submissions", plaintext).status_code == 200
    event = AuditEvent.objects.filter(verb="api.use").latest("id")
    assert event.extra["token"] == "REDCap sync"  # noqa: S105 - a token's name
    assert event.extra["path"] == "/api/v1/submissions"
    assert event.organization == two_tenants["org_a"]
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_rate_limit_answers_429_with_retry_after(client: Client, two_tenants: Any) -> None:
    _, plaintext = _token(two_tenants, "a", Scope.READ_AGGREGATES, rate_limit_per_minute=3)
    codes = [_get(client, "/api/v1/campaigns", plaintext).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = _get(client, "/api/v1/campaigns", plaintext)
    assert int(response["Retry-After"]) >= 1
    assert response.json()["status"] == 429


def test_a_token_never_reaches_another_organization(client: Client, two_tenants: Any) -> None:
    t = two_tenants
    _, plaintext_b = _token(t, "b")
    family_a, campaign_a = t["family_a"], t["campaign_a"]
    for url in (
        f"/api/v1/families/{family_a.public_id}",
        f"/api/v1/campaigns/{campaign_a.public_id}",
    ):
        assert _get(client, url, plaintext_b).status_code == 404
    listed = _get(client, "/api/v1/families", plaintext_b).json()["items"]
    assert {i["id"] for i in listed} == {str(t["family_b"].public_id)}
    # writing into A's campaign, or for A's family, is 404 too, and stores nothing
    before = Submission.objects.count()
    assert _post(client, "/api/v1/submissions", plaintext_b, _body(campaign_a)).status_code == 404
    body = _body(t["campaign_b"], family=str(family_a.public_id))
    assert _post(client, "/api/v1/submissions", plaintext_b, body).status_code == 404
    assert Submission.objects.count() == before


def test_families_without_care_consent_are_not_in_the_api(client: Client, two_tenants: Any) -> None:
    t = two_tenants
    hidden = f.make_family(t["org_a"], t["program_a"], "No care consent")
    f.grant_consent(hidden, "research")
    _, plaintext = _token(t, "a", Scope.READ_IDENTIFIABLE)
    ids = {i["id"] for i in _get(client, "/api/v1/families", plaintext).json()["items"]}
    assert str(t["family_a"].public_id) in ids
    assert str(hidden.public_id) not in ids
    assert _get(client, f"/api/v1/families/{hidden.public_id}", plaintext).status_code == 404


def test_submissions_in_idempotent_and_out_with_scores(client: Client, two_tenants: Any) -> None:
    t = two_tenants
    _, plaintext = _token(t, "a")
    body = _body(t["campaign_a"], name="Okafor")
    created = _post(client, "/api/v1/submissions", plaintext, body)
    assert created.status_code == 201, created.content
    stored = created.json()
    expected = score_response(get_instrument("pce7", "1.0"), ANSWERS["pce7"]).values
    assert stored["scores"][0]["values"] == dict(expected)
    assert _post(client, "/api/v1/submissions", plaintext, body).status_code == 200
    assert Submission.objects.filter(client_uuid=body["client_uuid"]).count() == 1
    changed = dict(body, answers={"pce7": dict(ANSWERS["pce7"], pce1=1)})
    conflict = _post(client, "/api/v1/submissions", plaintext, changed)
    assert conflict.status_code == 409
    got = _get(client, f"/api/v1/submissions/{stored['id']}", plaintext).json()
    assert got["answers"]["pce7"]["pce1"] == 5
    # an existing family of the program
    family = t["family_a"]
    again = _post(
        client,
        "/api/v1/submissions",
        plaintext,
        _body(t["campaign_a"], family=str(family.public_id)),
    )
    assert again.status_code == 201
    assert again.json()["family"] == str(family.public_id)


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"consent": {"care": False, "program_improvement": False, "research": False}}, 422),
        ({"answers": {"pce7": {"pce1": 12}}}, 422),
        ({"answers": {"ace10": {"ace1": 1}}}, 422),
        ({"language": "fr"}, 422),
        ({"unknown": 1}, 422),
        ({"client_uuid": "not-a-uuid"}, 422),
        ({"answered_at": "2025-03-31T10:00:00"}, 422),  # no time zone
        ({"answered_at": "2099-01-01T00:00:00Z"}, 422),
        ({"answered_at": 1700000000}, 422),  # seconds are not ISO 8601
    ],
)
def test_bad_submissions_change_nothing(
    client: Client, two_tenants: Any, change: dict[str, Any], status: int
) -> None:
    _, plaintext = _token(two_tenants, "a", Scope.WRITE_SUBMISSIONS)
    counts = (Submission.objects.count(), Family.objects.count(), ConsentRecord.objects.count())
    response = _post(
        client, "/api/v1/submissions", plaintext, _body(two_tenants["campaign_a"], **change)
    )
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"]
    after = (Submission.objects.count(), Family.objects.count(), ConsentRecord.objects.count())
    assert after == counts


def test_answers_given_earlier_are_dated_when_they_were_given(
    client: Client, two_tenants: Any
) -> None:
    _, plaintext = _token(two_tenants, "a")
    body = _body(two_tenants["campaign_a"], answered_at="2025-03-31T23:30:00-06:00")
    created = _post(client, "/api/v1/submissions", plaintext, body)
    assert created.status_code == 201, created.content
    assert created.json()["submitted_at"].startswith("2025-04-01T05:30:00")
    stored = Submission.objects.get(client_uuid=body["client_uuid"])
    assert stored.submitted_at == dt.datetime(2025, 4, 1, 5, 30, tzinfo=dt.UTC)
    assert _post(client, "/api/v1/submissions", plaintext, body).status_code == 200
    # `since` filters by when the family answered
    listed = _get(client, "/api/v1/submissions?until=2025-12-31T00:00:00Z", plaintext).json()
    assert [row["id"] for row in listed["items"]] == [created.json()["id"]]


def test_a_missing_field_is_named_where_it_is(client: Client, two_tenants: Any) -> None:
    _, plaintext = _token(two_tenants, "a", Scope.WRITE_SUBMISSIONS)
    body = _body(two_tenants["campaign_a"])
    del body["consent"]
    problem = _post(client, "/api/v1/submissions", plaintext, body).json()
    assert problem["errors"] == [{"where": "body.consent", "message": "Field required"}]


def test_closed_campaign_takes_no_answers(client: Client, two_tenants: Any) -> None:
    campaign = two_tenants["campaign_a"]
    campaign.status = "closed"
    campaign.save()
    _, plaintext = _token(two_tenants, "a", Scope.WRITE_SUBMISSIONS)
    assert _post(client, "/api/v1/submissions", plaintext, _body(campaign)).status_code == 410


def test_cursor_paging_walks_every_row_once(client: Client, two_tenants: Any) -> None:
    t = two_tenants
    for i in range(7):
        family = f.make_family(t["org_a"], t["program_a"], f"Family {i}")
        f.grant_consent(family)
    _, plaintext = _token(t, "a", Scope.READ_IDENTIFIABLE)
    seen: list[str] = []
    url: str | None = "/api/v1/families?limit=3"
    while url:
        body = _get(client, url, plaintext).json()
        seen += [i["id"] for i in body["items"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 8
    bad = _get(client, "/api/v1/families?cursor=%%%", plaintext)
    assert bad.status_code == 400


def test_aggregates_are_the_dashboards_published_cells(client: Client, two_tenants: Any) -> None:
    t = two_tenants
    _, plaintext = _token(t, "a", Scope.READ_AGGREGATES)
    response = _get(client, "/api/v1/aggregates?period=all", plaintext)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["organization"] == str(t["org_a"].public_id)
    assert body["rows"]
    assert set(body["rows"][0]) >= {"section", "n", "shown", "reason"}
    other = t["program_b"].public_id
    assert _get(client, f"/api/v1/aggregates?program={other}", plaintext).status_code == 404
    assert _get(client, "/api/v1/aggregates?period=nonsense", plaintext).status_code == 400
