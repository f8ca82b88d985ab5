"""Who may open the bright-spots pages: the organization page for org admins, analysts and
researchers (others 403, members of another organization 404, anonymous visitors sent to sign
in); the network page for network staff only (everyone else 403, as the network view)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hopeful.web.organizations.models import Role
from tests.web import factories as f

from .factories import network_url, url

ALLOWED = {Role.ORG_ADMIN, Role.ANALYST, Role.RESEARCHER}


@pytest.mark.django_db
@pytest.mark.parametrize("role", f.ROLES)
def test_the_org_page_by_role(client: Client, two_tenants: dict[str, Any], role: str) -> None:
    t = two_tenants
    f.login_verified(client, t["members_a"][role])
    response = client.get(url(t["org_a"]))
    assert response.status_code == (200 if role in ALLOWED else 403)


@pytest.mark.django_db
@pytest.mark.parametrize("role", f.ROLES)
def test_a_member_of_another_organization_gets_404(
    client: Client, two_tenants: dict[str, Any], role: str
) -> None:
    t = two_tenants
    f.login_verified(client, t["members_b"][role])
    assert client.get(url(t["org_a"])).status_code == 404
    assert client.get(url(t["org_a"], "?outcome=nonsense")).status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    response = client.get(url(two_tenants["org_a"]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    response = client.get(network_url())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_only_get(client: Client, two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    f.login_verified(client, t["members_a"][Role.ANALYST])
    assert client.post(url(t["org_a"])).status_code == 405


@pytest.mark.django_db
def test_the_network_page_is_for_network_staff_only(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    for user in (
        t["members_a"][Role.ORG_ADMIN],
        t["members_a"][Role.ANALYST],
        t["members_a"][Role.RESEARCHER],
        f.make_user("root@hope.example.org", is_superuser=True, is_staff=True),
    ):
        client.logout()
        f.login_verified(client, user)
        assert client.get(network_url()).status_code == 403, user.email
    client.logout()
    f.login_verified(client, f.make_user("net@hope.example.org", is_network_staff=True))
    response = client.get(network_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
