"""Support grants: an org admin lets one network staff member in, for a while, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from hopeful.web.audit.models import AuditEvent
from hopeful.web.organizations.models import SupportGrant
from tests.web import factories as f

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def members_url(org: Any, rest: str = "") -> str:
    return f"/orgs/{org.public_id}/members/{rest}"


@pytest.fixture
def staff(db: None) -> Any:
    return f.make_user("helper@hope.example.org", is_network_staff=True, display_name="Hana")


@pytest.fixture
def admin_client(two_tenants: dict[str, Any]) -> Client:
    client = Client()
    f.login_verified(client, two_tenants["members_a"]["org_admin"])
    return client


def grant(admin_client: Client, org: Any, email: str, hours: int = 4) -> Any:
    return admin_client.post(
        members_url(org, "support/"),
        {"email": email, "hours": str(hours), "reason": "Help with the spring survey"},
    )


def test_network_staff_without_a_grant_get_404(two_tenants: dict[str, Any], staff: Any) -> None:
    client = Client()
    f.login_verified(client, staff)
    assert client.get(members_url(two_tenants["org_a"])).status_code == 404


def test_a_grant_gives_time_limited_audited_access(
    admin_client: Client, two_tenants: dict[str, Any], staff: Any, time_machine: Any
) -> None:
    time_machine.move_to(START, tick=False)
    org = two_tenants["org_a"]
    page = admin_client.get(members_url(org, "support/"))
    assert page.status_code == 200
    assert '<label for="id_hours">For how many hours (1 to 72)</label>' in page.content.decode()
    response = grant(admin_client, org, "Helper@Hope.example.org", hours=2)
    assert response["Location"] == members_url(org)
    support = SupportGrant.objects.get()
    assert support.staff == staff
    assert support.expires_at == START + dt.timedelta(hours=2)
    event = AuditEvent.objects.get(verb="support.grant")
    assert event.actor == two_tenants["members_a"]["org_admin"]
    assert event.organization == org
    assert event.extra["reason"] == "Help with the spring survey"
    assert "Hana" in admin_client.get(members_url(org)).content.decode()

    client = Client()
    f.login_verified(client, staff)
    assert client.get(members_url(org)).status_code == 200
    access = AuditEvent.objects.get(verb="support.access")
    assert access.actor == staff
    assert access.organization == org
    assert access.extra == {"path": members_url(org), "method": "GET"}
    client.get(members_url(org))
    assert AuditEvent.objects.filter(verb="support.access").count() == 2
    # Another organization stays closed.
    assert client.get(members_url(two_tenants["org_b"])).status_code == 404

    # Active all along (under the idle limit), until the grant runs out at 2 hours.
    for _ in range(5):
        time_machine.shift(dt.timedelta(minutes=20))
        assert client.get(members_url(org)).status_code == 200
    assert AuditEvent.objects.filter(verb="support.access").count() == 7
    time_machine.shift(dt.timedelta(minutes=20))
    assert client.get(members_url(org)).status_code == 404
    assert AuditEvent.objects.filter(verb="support.access").count() == 7


def test_support_staff_must_pass_the_second_factor(
    admin_client: Client, two_tenants: dict[str, Any], staff: Any, password: str
) -> None:
    org = two_tenants["org_a"]
    grant(admin_client, org, staff.email)
    client = Client()
    response = client.post("/accounts/login/", {"username": staff.email, "password": password})
    assert response["Location"].startswith("/accounts/two-factor/")
    response = client.get(members_url(org))
    assert response["Location"].startswith("/accounts/two-factor/")
    assert not AuditEvent.objects.filter(verb="support.access").exists()


def test_an_admin_ends_support_access(
    admin_client: Client, two_tenants: dict[str, Any], staff: Any
) -> None:
    org = two_tenants["org_a"]
    grant(admin_client, org, staff.email)
    support = SupportGrant.objects.get()
    client = Client()
    f.login_verified(client, staff)
    assert client.get(members_url(org)).status_code == 200
    response = admin_client.post(members_url(org, f"support/{support.public_id}/revoke/"))
    assert response["Location"] == members_url(org)
    support.refresh_from_db()
    assert support.revoked_at is not None
    assert AuditEvent.objects.filter(verb="support.revoke", organization=org).exists()
    assert client.get(members_url(org)).status_code == 404


@pytest.mark.parametrize("hours", [0, 73, -1])
def test_a_grant_lasts_1_to_72_hours(
    admin_client: Client, two_tenants: dict[str, Any], staff: Any, hours: int
) -> None:
    response = grant(admin_client, two_tenants["org_a"], staff.email, hours=hours)
    assert response.status_code == 200
    assert not SupportGrant.objects.exists()


def test_a_grant_needs_a_reason(
    admin_client: Client, two_tenants: dict[str, Any], staff: Any
) -> None:
    response = admin_client.post(
        members_url(two_tenants["org_a"], "support/"),
        {"email": staff.email, "hours": "4", "reason": "  "},
    )
    assert response.status_code == 200
    assert not SupportGrant.objects.exists()


def test_a_grant_goes_to_network_staff_only(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    f.make_user("friend@example.org")
    response = grant(admin_client, two_tenants["org_a"], "friend@example.org")
    assert response.status_code == 200
    assert "No HOPE network staff account has this email address" in response.content.decode()
    assert not SupportGrant.objects.exists()


def test_support_staff_cannot_hand_out_access_themselves(
    admin_client: Client, two_tenants: dict[str, Any], staff: Any
) -> None:
    org = two_tenants["org_a"]
    grant(admin_client, org, staff.email)
    other_staff = f.make_user("other@hope.example.org", is_network_staff=True)
    client = Client()
    f.login_verified(client, staff)
    assert grant(client, org, other_staff.email).status_code == 403
    support = SupportGrant.objects.get()
    assert client.post(members_url(org, f"support/{support.public_id}/revoke/")).status_code == 403
    assert (
        client.post(
            members_url(org, "invite/"), {"email": "x@example.org", "role": "org_admin"}
        ).status_code
        == 403
    )
    assert SupportGrant.objects.count() == 1
    listing = client.get(members_url(org)).content.decode()
    assert "Invite someone" not in listing
