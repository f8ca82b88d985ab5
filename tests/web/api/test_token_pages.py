"""The organization's API tokens page: org admins make and revoke tokens; the token is shown
once; other roles 403; other organizations 404; bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hopeful.web.api.models import ApiToken
from hopeful.web.audit.models import AuditEvent
from tests.web import factories as f

pytestmark = pytest.mark.django_db


def _url(org: Any) -> str:
    return f"/orgs/{org.public_id}/api-tokens/"


GOOD = {
    "name": "REDCap nightly",
    "scopes": ["identifiable:read", "submissions:write"],
    "lifetime": "90",
    "rate_limit_per_minute": "120",
}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("org_admin", 200),
        ("practitioner", 403),
        ("analyst", 403),
        ("researcher", 403),
        ("viewer", 403),
    ],
)
def test_roles(client: Client, two_tenants: Any, role: str, status: int) -> None:
    f.login_verified(client, two_tenants["members_a"][role])
    assert client.get(_url(two_tenants["org_a"])).status_code == status


def test_make_shows_the_token_once_and_audits(client: Client, two_tenants: Any) -> None:
    org = two_tenants["org_a"]
    f.login_verified(client, two_tenants["members_a"]["org_admin"])
    response = client.post(_url(org), GOOD)
    assert response.status_code == 200
    token = ApiToken.objects.get(organization=org)
    page = response.content.decode()
    assert token.prefix in page
    assert "hpf_" in page
    assert response["Cache-Control"] == "no-store"
    assert sorted(token.scopes) == sorted(GOOD["scopes"])
    listed = client.get(_url(org)).content.decode()
    assert token.prefix in listed
    # only the prefix is ever shown again
    full = [line for line in page.split('"') if line.startswith("hpf_") and len(line) > 40]
    assert full
    assert full[0] not in listed
    event = AuditEvent.objects.get(verb="api_token.create")
    assert event.extra["token"] == "REDCap nightly"  # noqa: S105 - a token's name
    assert full[0] not in str(event.extra)


@pytest.mark.parametrize(
    "change",
    [
        {"name": ""},
        {"scopes": []},
        {"scopes": ["everything"]},
        {"lifetime": "9999"},
        {"rate_limit_per_minute": "0"},
    ],
)
def test_bad_input_makes_nothing(client: Client, two_tenants: Any, change: dict[str, Any]) -> None:
    f.login_verified(client, two_tenants["members_a"]["org_admin"])
    response = client.post(_url(two_tenants["org_a"]), {**GOOD, **change})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_other_organizations_get_404(client: Client, two_tenants: Any) -> None:
    f.login_verified(client, two_tenants["members_a"]["org_admin"])
    client.post(_url(two_tenants["org_a"]), GOOD)
    token = ApiToken.objects.get()
    f.login_verified(client, two_tenants["members_b"]["org_admin"])
    assert client.get(_url(two_tenants["org_a"])).status_code == 404
    revoke = f"{_url(two_tenants['org_a'])}{token.public_id}/revoke/"
    assert client.post(revoke).status_code == 404
    # org B's own page cannot revoke org A's token either
    assert client.post(f"{_url(two_tenants['org_b'])}{token.public_id}/revoke/").status_code == 404
    assert ApiToken.objects.get().revoked_at is None
