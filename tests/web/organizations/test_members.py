"""The members pages: who may use them, role and program changes, removal, the last admin."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hopeful.web.audit.models import AuditEvent
from hopeful.web.organizations.models import Invitation, Membership, Role, SupportGrant
from tests.web import factories as f
from tests.web.factories import SITE_MENU_QUERIES

pytestmark = pytest.mark.django_db


def members_url(org: Any, rest: str = "") -> str:
    return f"/orgs/{org.public_id}/members/{rest}"


def membership_of(user: Any, org: Any) -> Membership:
    return Membership.objects.get(user=user, organization=org)


@pytest.fixture
def admin_client(two_tenants: dict[str, Any]) -> Client:
    client = Client()
    f.login_verified(client, two_tenants["members_a"]["org_admin"])
    return client


def _objects(t: dict[str, Any]) -> dict[str, Any]:
    """One object of each kind in organization A, for URLs that name one."""
    org = t["org_a"]
    admin = t["members_a"]["org_admin"]
    invitation = Invitation.objects.create(
        organization=org,
        email="pending@example.org",
        role=Role.VIEWER,
        token_hash=uuid.uuid4().hex,
        invited_by=admin,
        expires_at=org.created_at.replace(year=org.created_at.year + 1),
    )
    staff = f.make_user("helper@hope.example.org", is_network_staff=True)
    grant = SupportGrant.objects.create(
        staff=staff,
        organization=org,
        granted_by=admin,
        reason="set-up help",
        expires_at=org.created_at.replace(year=org.created_at.year + 1),
    )
    return {
        "member": membership_of(t["members_a"]["viewer"], org),
        "invitation": invitation,
        "grant": grant,
    }


# (method, path under /members/) for every members URL; the state must not change on refusal.
MEMBER_URLS: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("get", lambda o: ""),
    ("get", lambda o: "invite/"),
    ("post", lambda o: "invite/"),
    ("post", lambda o: f"invitations/{o['invitation'].public_id}/revoke/"),
    ("get", lambda o: "support/"),
    ("post", lambda o: "support/"),
    ("post", lambda o: f"support/{o['grant'].public_id}/revoke/"),
    ("get", lambda o: f"{o['member'].public_id}/"),
    ("post", lambda o: f"{o['member'].public_id}/"),
    ("get", lambda o: f"{o['member'].public_id}/remove/"),
    ("post", lambda o: f"{o['member'].public_id}/remove/"),
]
POST_DATA = {"email": "x@example.org", "role": "org_admin", "hours": "72", "reason": "because"}


def state() -> tuple[Any, ...]:
    return (
        sorted(Membership.objects.values_list("id", "role")),
        Invitation.objects.filter(revoked_at__isnull=True).count(),
        SupportGrant.objects.filter(revoked_at__isnull=True).count(),
        Invitation.objects.count(),
        SupportGrant.objects.count(),
    )


@pytest.mark.parametrize(("method", "rest"), MEMBER_URLS)
def test_every_members_url_is_404_for_a_member_of_another_organization(
    two_tenants: dict[str, Any], method: str, rest: Callable[[dict[str, Any]], str]
) -> None:
    objects = _objects(two_tenants)
    outsider = Client()
    f.login_verified(outsider, two_tenants["members_b"]["org_admin"])
    before = state()
    response = getattr(outsider, method)(
        members_url(two_tenants["org_a"], rest(objects)), POST_DATA
    )
    assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize(("method", "rest"), MEMBER_URLS)
@pytest.mark.parametrize("role", ["practitioner", "viewer", "analyst", "researcher"])
def test_every_members_url_is_403_for_members_who_are_not_admins(
    two_tenants: dict[str, Any], method: str, rest: Callable[[dict[str, Any]], str], role: str
) -> None:
    objects = _objects(two_tenants)
    client = Client()
    f.login_verified(client, two_tenants["members_a"][role])
    before = state()
    response = getattr(client, method)(members_url(two_tenants["org_a"], rest(objects)), POST_DATA)
    assert response.status_code == 403
    assert state() == before


@pytest.mark.parametrize(("method", "rest"), MEMBER_URLS)
def test_every_members_url_asks_an_anonymous_visitor_to_sign_in(
    client: Client, two_tenants: dict[str, Any], method: str, rest: Callable[[dict[str, Any]], str]
) -> None:
    objects = _objects(two_tenants)
    response = getattr(client, method)(members_url(two_tenants["org_a"], rest(objects)), POST_DATA)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_objects_of_another_organization_are_404_even_for_an_admin(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    other = membership_of(two_tenants["members_b"]["viewer"], two_tenants["org_b"])
    org_a = two_tenants["org_a"]
    assert admin_client.get(members_url(org_a, f"{other.public_id}/")).status_code == 404
    assert admin_client.post(members_url(org_a, f"{other.public_id}/remove/")).status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


def test_the_list_shows_each_members_name_email_role_and_programs(
    admin_client: Client, two_tenants: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    org = two_tenants["org_a"]
    with django_assert_max_num_queries(15 + SITE_MENU_QUERIES):
        response = admin_client.get(members_url(org))
    assert response.status_code == 200
    content = response.content.decode()
    assert "practitioner@a.example.org" in content
    assert "Practitioner" in content
    assert "Main site" in content
    assert "All programs" in content
    assert "b.example.org" not in content
    assert "<script" not in content


def test_the_list_does_not_grow_in_queries_with_more_members(
    admin_client: Client, two_tenants: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    org = two_tenants["org_a"]
    for number in range(20):
        f.make_member(
            org, Role.PRACTITIONER, f"p{number}@a.example.org", [two_tenants["program_a"]]
        )
    with django_assert_max_num_queries(15 + SITE_MENU_QUERIES):
        assert admin_client.get(members_url(org)).status_code == 200


def test_an_admin_changes_a_members_role_and_programs(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    org = two_tenants["org_a"]
    membership = membership_of(two_tenants["members_a"]["viewer"], org)
    page = admin_client.get(members_url(org, f"{membership.public_id}/"))
    assert page.status_code == 200
    assert "<legend>Role" in page.content.decode()
    response = admin_client.post(
        members_url(org, f"{membership.public_id}/"),
        {"role": "practitioner", "programs": [str(two_tenants["other_program_a"].pk)]},
    )
    assert response["Location"] == members_url(org)
    membership.refresh_from_db()
    assert membership.role == Role.PRACTITIONER
    assert list(membership.programs.all()) == [two_tenants["other_program_a"]]
    assert not membership.all_programs
    event = AuditEvent.objects.get(verb="member.role_change")
    assert event.organization == org
    assert event.extra["before"]["role"] == "viewer"
    assert event.extra["after"]["role"] == "practitioner"


def test_a_role_change_refuses_programs_of_another_organization(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    org = two_tenants["org_a"]
    membership = membership_of(two_tenants["members_a"]["practitioner"], org)
    response = admin_client.post(
        members_url(org, f"{membership.public_id}/"),
        {"role": "practitioner", "programs": [str(two_tenants["program_b"].pk)]},
    )
    assert response.status_code == 200
    assert list(membership.programs.all()) == [two_tenants["program_a"]]
    assert not AuditEvent.objects.filter(verb="member.role_change").exists()


def test_a_role_change_ignores_an_organization_posted_in_the_form(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    org_a, org_b = two_tenants["org_a"], two_tenants["org_b"]
    membership = membership_of(two_tenants["members_a"]["viewer"], org_a)
    admin_client.post(
        members_url(org_a, f"{membership.public_id}/"),
        {"role": "analyst", "organization": str(org_b.public_id), "user": "1"},
    )
    membership.refresh_from_db()
    assert membership.organization == org_a
    assert membership.user == two_tenants["members_a"]["viewer"]
    assert membership.role == Role.ANALYST


def test_the_last_admin_cannot_demote_themselves(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    org = two_tenants["org_a"]
    membership = membership_of(two_tenants["members_a"]["org_admin"], org)
    response = admin_client.post(members_url(org, f"{membership.public_id}/"), {"role": "viewer"})
    assert response.status_code == 200
    assert "at least one admin" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.ORG_ADMIN


def test_the_last_admin_cannot_remove_themselves(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    org = two_tenants["org_a"]
    membership = membership_of(two_tenants["members_a"]["org_admin"], org)
    response = admin_client.post(members_url(org, f"{membership.public_id}/remove/"))
    assert response.status_code == 409
    assert "at least one admin" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not AuditEvent.objects.filter(verb="member.remove").exists()


def test_an_admin_may_step_down_when_another_admin_remains(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    org = two_tenants["org_a"]
    f.make_member(org, Role.ORG_ADMIN, "second.admin@a.example.org")
    membership = membership_of(two_tenants["members_a"]["org_admin"], org)
    response = admin_client.post(members_url(org, f"{membership.public_id}/"), {"role": "viewer"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER
    # No longer an admin: the members pages are closed to them from the next request.
    assert admin_client.get(members_url(org)).status_code == 403


def test_an_admin_removes_a_member(admin_client: Client, two_tenants: dict[str, Any]) -> None:
    org = two_tenants["org_a"]
    practitioner = two_tenants["members_a"]["practitioner"]
    membership = membership_of(practitioner, org)
    page = admin_client.get(members_url(org, f"{membership.public_id}/remove/"))
    assert page.status_code == 200
    assert Membership.objects.filter(pk=membership.pk).exists()  # a GET changes nothing
    response = admin_client.post(members_url(org, f"{membership.public_id}/remove/"))
    assert response["Location"] == members_url(org)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = AuditEvent.objects.get(verb="member.remove")
    assert event.extra == {"user": str(practitioner.public_id), "role": "practitioner"}
    # The removed person now gets 404 on the organization, as any outsider.
    removed = Client()
    f.login_verified(removed, practitioner)
    assert removed.get(members_url(org)).status_code == 404


def test_an_unverified_admin_is_sent_to_the_second_factor(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    client.force_login(two_tenants["members_a"]["org_admin"])
    response = client.get(members_url(two_tenants["org_a"]))
    assert response["Location"].startswith("/accounts/two-factor/?next=")
