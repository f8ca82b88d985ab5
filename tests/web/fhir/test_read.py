"""``/fhir/``: the public capability statement and Questionnaires, and the organization's
QuestionnaireResponses behind a token (consent, tenancy, paging, filters, audit)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from hopeful.framework import list_instruments
from hopeful.web.api.models import ApiToken
from hopeful.web.api.tokens import token_create
from hopeful.web.audit.models import AuditEvent
from hopeful.web.families.models import ConsentRecord
from tests.web import factories as f
from tests.web.fhir.helpers import BASE, FHIR_JSON, get, make_token, outcome_text
from tests.web.practice.factories import make_submission

pytestmark = pytest.mark.django_db

LIST = "/fhir/QuestionnaireResponse"


def _ids(response: Any) -> list[str]:
    return [entry["resource"]["id"] for entry in response.json().get("entry", [])]


def _link(response: Any, relation: str) -> str | None:
    links = {link["relation"]: link["url"] for link in response.json()["link"]}
    return links.get(relation)


# -- public ----------------------------------------------------------------------------------------


def test_metadata_is_a_valid_public_capability_statement(client: Client) -> None:
    response = client.get("/fhir/metadata")
    assert response.status_code == 200
    assert response["Content-Type"] == f"{FHIR_JSON}; charset=utf-8"
    data = response.json()
    CapabilityStatement.model_validate(data)
    assert data["fhirVersion"] == "4.0.1"
    resources = {r["type"]: r for r in data["rest"][0]["resource"]}
    assert {i["code"] for i in resources["QuestionnaireResponse"]["interaction"]} == {
        "read",
        "search-type",
        "create",
    }
    assert "submissions:write" in data["rest"][0]["security"]["description"]


def test_every_questionnaire_is_listed_valid_and_readable_without_a_token(client: Client) -> None:
    response = client.get("/fhir/Questionnaire")
    assert response.status_code == 200
    bundle = response.json()
    Bundle.model_validate(bundle)
    assert bundle["total"] == len(list_instruments(all_versions=True))
    for entry in bundle["entry"]:
        Questionnaire.model_validate(entry["resource"])
        one = client.get(f"/fhir/Questionnaire/{entry['resource']['id']}")
        assert one.status_code == 200
        assert one.json() == entry["resource"]
        assert entry["fullUrl"] == f"{BASE}/fhir/Questionnaire/{entry['resource']['id']}"


def test_questionnaires_are_searched_by_url_and_name(client: Client) -> None:
    url = f"{BASE}/fhir/Questionnaire/pce7"
    assert _ids(client.get("/fhir/Questionnaire", {"url": url})) == ["pce7"]
    assert _ids(client.get("/fhir/Questionnaire", {"url": f"{url}|1.0"})) == ["pce7"]
    assert _ids(client.get("/fhir/Questionnaire", {"url": f"{url}|0.1"})) == []
    names = _ids(client.get("/fhir/Questionnaire", {"name": "nsch_flour"}))
    assert names == ["nsch-flourishing-0-5", "nsch-flourishing-6-17"]
    assert _ids(client.get("/fhir/Questionnaire", {"name:exact": "BCE10"})) == ["bce10"]
    refused = client.get("/fhir/Questionnaire", {"title": "x"})
    assert refused.status_code == 400
    assert "title" in outcome_text(refused)


def test_an_unknown_questionnaire_is_a_404_operation_outcome(client: Client) -> None:
    response = client.get("/fhir/Questionnaire/nope")
    assert response.status_code == 404
    assert "Questionnaire/nope" in outcome_text(response)
    assert client.delete("/fhir/Questionnaire/pce7").status_code == 405


# -- tokens --------------------------------------------------------------------------------------


def test_responses_need_a_token_with_identifiable_read(client: Client, two_tenants: dict) -> None:
    t = two_tenants
    missing = client.get(LIST)
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"].startswith("Bearer")
    assert "token" in outcome_text(missing)
    aggregates = make_token(t, "aggregates:read")
    assert get(client, LIST, aggregates).status_code == 403
    writer = make_token(t, "submissions:write")
    refused = get(client, LIST, writer)
    assert refused.status_code == 403
    assert "identifiable:read" in outcome_text(refused)


@pytest.mark.parametrize("how", ["revoked", "expired"])
def test_a_revoked_or_expired_token_is_401(client: Client, two_tenants: dict, how: str) -> None:
    token = make_token(two_tenants)
    assert get(client, LIST, token).status_code == 200
    now = dt.datetime.now(dt.UTC)
    change = {"revoked_at": now} if how == "revoked" else {"expires_at": now}
    ApiToken.objects.filter(organization=two_tenants["org_a"]).update(**change)
    response = get(client, LIST, token)
    assert response.status_code == 401
    assert "revoked or expired" in outcome_text(response)


def test_every_use_is_audited_with_the_token_name(client: Client, two_tenants: dict) -> None:
    token = make_token(two_tenants, name="Epic interface")
    get(client, LIST, token)
    event = AuditEvent.objects.filter(verb="api.use").latest("id")
    assert event.organization == two_tenants["org_a"]
    assert event.extra["token"] == "Epic interface"  # noqa: S105 - a token name
    assert event.extra["scope"] == "identifiable:read"
    assert event.extra["path"] == LIST


# -- reading responses ---------------------------------------------------------------------------


def test_a_submission_is_one_valid_response_per_questionnaire(
    client: Client, two_tenants: dict
) -> None:
    t = two_tenants
    submission = make_submission(t["family_a"], t["campaign_a"], t["link_a"])
    token = make_token(t)
    listed = get(client, LIST, token)
    assert listed.status_code == 200
    Bundle.model_validate(listed.json())
    assert _ids(listed) == [f"{submission.public_id}-pce7"]
    resource = get(client, f"{LIST}/{submission.public_id}-pce7", token).json()
    QuestionnaireResponse.model_validate(resource)
    assert resource == listed.json()["entry"][0]["resource"]
    assert resource["identifier"]["value"] == str(submission.public_id)
    assert resource["questionnaire"] == f"{BASE}/fhir/Questionnaire/pce7|1.0"
    assert {e["url"].rsplit("/", 1)[1] for e in resource["extension"]} == {
        "hopeful-consent",
        "hopeful-campaign",
    }


def test_another_organizations_response_is_404(client: Client, two_tenants: dict) -> None:
    t = two_tenants
    submission = make_submission(t["family_a"], t["campaign_a"], t["link_a"])
    token_b = make_token(t, key="b")
    response = get(client, f"{LIST}/{submission.public_id}-pce7", token_b)
    assert response.status_code == 404
    assert "QuestionnaireResponse/" in outcome_text(response)
    assert _ids(get(client, LIST, token_b)) == []
    assert get(client, f"{LIST}/nonsense", token_b).status_code == 404


def test_a_family_without_current_care_consent_is_not_listed(
    client: Client, two_tenants: dict
) -> None:
    t = two_tenants
    kept = make_submission(t["family_a"], t["campaign_a"], t["link_a"])
    family = f.make_family(t["org_a"], t["program_a"], "Research only")
    f.grant_consent(family, "research")
    research_only = make_submission(family, t["campaign_a"], t["link_a"])
    withdrawn = f.make_family(t["org_a"], t["program_a"], "Withdrew care")
    f.grant_consent(withdrawn)
    gone = make_submission(withdrawn, t["campaign_a"], t["link_a"])
    ConsentRecord.objects.create(
        organization=t["org_a"],
        family=withdrawn,
        purpose="care",
        granted=False,
        text_version="2026-1",
        language="en",
    )
    token = make_token(t)
    assert _ids(get(client, LIST, token)) == [f"{kept.public_id}-pce7"]
    for hidden in (research_only, gone):
        assert get(client, f"{LIST}/{hidden.public_id}-pce7", token).status_code == 404


def _three(t: dict[str, Any]) -> list[Any]:
    days = [dt.datetime(2026, 1, d, 12, tzinfo=dt.UTC) for d in (5, 6, 7)]
    return [
        make_submission(t["family_a"], t["campaign_a"], t["link_a"], submitted_at=day)
        for day in days
    ]


def test_pages_follow_an_opaque_cursor_newest_first(client: Client, two_tenants: dict) -> None:
    subs = _three(two_tenants)
    token = make_token(two_tenants)
    first = get(client, LIST, token, _count="2")
    assert first.json()["total"] == 3
    assert _ids(first) == [f"{s.public_id}-pce7" for s in (subs[2], subs[1])]
    following = _link(first, "next")
    assert following is not None
    assert following.startswith(f"{BASE}{LIST}?_count=2&_cursor=")
    second = get(client, following.removeprefix(BASE), token)
    assert _ids(second) == [f"{subs[0].public_id}-pce7"]
    assert _link(second, "next") is None
    bad = get(client, LIST, token, _cursor="forged")
    assert bad.status_code == 400
    assert "cursor" in outcome_text(bad)
    assert get(client, LIST, token, _count="101").status_code == 400


def test_authored_and_questionnaire_filter(client: Client, two_tenants: dict) -> None:
    subs = _three(two_tenants)
    token = make_token(two_tenants)

    def ids(**params: str) -> list[str]:
        response = get(client, LIST, token, **params)
        assert response.status_code == 200, response.content
        return _ids(response)

    assert ids(authored="ge2026-01-06") == [f"{s.public_id}-pce7" for s in (subs[2], subs[1])]
    assert ids(authored="lt2026-01-06") == [f"{subs[0].public_id}-pce7"]
    assert ids(authored="2026-01-06") == [f"{subs[1].public_id}-pce7"]
    assert ids(authored="gt2026-01") == []
    assert len(ids(questionnaire=f"{BASE}/fhir/Questionnaire/pce7|1.0")) == 3
    assert ids(questionnaire="bce10") == []
    for bad in ({"authored": "ge2026-13"}, {"questionnaire": "nope"}, {"patient": "x"}):
        assert get(client, LIST, token, **bad).status_code == 400


def test_paging_is_exact_when_submissions_share_a_time(client: Client, two_tenants: dict) -> None:
    t = two_tenants
    moment = dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)
    subs = [
        make_submission(t["family_a"], t["campaign_a"], t["link_a"], submitted_at=moment)
        for _ in range(5)
    ]
    made = {f"{s.public_id}-pce7" for s in subs}
    token = make_token(t)
    seen: list[str] = []
    path: str | None = f"{LIST}?_count=2"
    while path is not None:
        response = get(client, path.removeprefix(BASE), token)
        seen += _ids(response)
        path = _link(response, "next")
    assert sorted(seen) == sorted(made)
    assert len(seen) == len(made)


def test_the_list_makes_the_same_queries_for_more_responses(
    client: Client, two_tenants: dict, django_assert_max_num_queries: Any
) -> None:
    t = two_tenants
    token = make_token(t)
    make_submission(t["family_a"], t["campaign_a"], t["link_a"])
    with django_assert_max_num_queries(20) as few:
        assert get(client, LIST, token).status_code == 200
    for _ in range(6):
        family = f.make_family(t["org_a"], t["program_a"], "Another")
        f.grant_consent(family)
        make_submission(family, t["campaign_a"], t["link_a"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_ids(get(client, LIST, token))) == 7


def test_a_token_over_its_rate_is_429_with_retry_after(client: Client, two_tenants: dict) -> None:
    t = two_tenants
    _token, plaintext = token_create(
        organization=t["org_a"],
        actor=t["members_a"]["org_admin"],
        name="Slow bridge",
        scopes=["identifiable:read"],
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
        rate_limit_per_minute=1,
    )
    assert get(client, LIST, plaintext).status_code == 200
    refused = get(client, LIST, plaintext)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "a minute" in outcome_text(refused)
