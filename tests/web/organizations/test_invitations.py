"""Invitations: an admin invites by email; the person accepts once, within 7 days."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client, TestCase

from hopeful.web.accounts.models import User
from hopeful.web.audit.models import AuditEvent
from hopeful.web.organizations.models import Invitation, Membership, Role
from tests.web import factories as f

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "sunflowers on the clinic windowsill"  # noqa: S105


def members_url(org: Any, rest: str = "") -> str:
    return f"/orgs/{org.public_id}/members/{rest}"


def invite(
    client: Client,
    org: Any,
    email: str = "new.person@example.org",
    role: str = Role.PRACTITIONER,
    programs: list[Any] | None = None,
    **extra: Any,
) -> str:
    """Post the invitation form; return the acceptance path from the email."""
    data = {"email": email, "role": role, **extra}
    if programs:
        data["programs"] = [str(p.pk) for p in programs]
    # The email leaves when the transaction commits (tests run inside one that never does).
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(members_url(org, "invite/"), data)
    assert response.status_code == 302, response.content.decode()
    match = re.search(r"http://testserver(/accounts/invitations/[\w-]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


@pytest.fixture
def admin_client(two_tenants: dict[str, Any]) -> Client:
    client = Client()
    f.login_verified(client, two_tenants["members_a"]["org_admin"])
    return client


def test_an_admin_invites_someone_with_a_role_and_programs(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    org = two_tenants["org_a"]
    program = two_tenants["program_a"]
    page = admin_client.get(members_url(org, "invite/"))
    assert page.status_code == 200
    assert '<label for="id_email">Email address</label>' in page.content.decode()
    path = invite(admin_client, org, "New.Person@Example.org", programs=[program])
    invitation = Invitation.objects.get(organization=org)
    assert invitation.email == "new.person@example.org"
    assert invitation.role == Role.PRACTITIONER
    assert list(invitation.programs.all()) == [program]
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 random bytes
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert dt.timedelta(days=6, hours=23) < invitation.expires_at - invitation.created_at
    assert invitation.expires_at - invitation.created_at <= dt.timedelta(days=7)
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert "Sunrise Clinic" in mail.outbox[0].subject
    event = AuditEvent.objects.get(verb="member.invite")
    assert event.organization == org
    assert event.actor == two_tenants["members_a"]["org_admin"]
    assert event.extra["role"] == "practitioner"
    listing = admin_client.get(members_url(org)).content.decode()
    assert "new.person@example.org" in listing


def test_the_invitation_email_waits_for_the_commit(
    admin_client: Client, two_tenants: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        admin_client.post(
            members_url(two_tenants["org_a"], "invite/"),
            {"email": "x@example.org", "role": "viewer"},
        )
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert mail.outbox[0].to == ["x@example.org"]


def test_an_invitation_ignores_an_organization_posted_in_the_form(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    org_a, org_b = two_tenants["org_a"], two_tenants["org_b"]
    invite(admin_client, org_a, organization=str(org_b.public_id), organization_id=org_b.pk)
    assert Invitation.objects.get().organization == org_a
    assert not Invitation.objects.filter(organization=org_b).exists()


def test_an_invitation_refuses_programs_of_another_organization(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    response = admin_client.post(
        members_url(two_tenants["org_a"], "invite/"),
        {
            "email": "x@example.org",
            "role": "practitioner",
            "programs": [str(two_tenants["program_b"].pk)],
        },
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_invitation_refuses_an_unknown_role(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    response = admin_client.post(
        members_url(two_tenants["org_a"], "invite/"), {"email": "x@example.org", "role": "owner"}
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_inviting_a_member_again_is_refused(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    response = admin_client.post(
        members_url(two_tenants["org_a"], "invite/"),
        {"email": "viewer@a.example.org", "role": "viewer"},
    )
    assert "already a member" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_new_person_accepts_and_gets_an_account_and_a_membership(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    org = two_tenants["org_a"]
    path = invite(admin_client, org, programs=[two_tenants["program_a"]])
    client = Client()
    page = client.get(path)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Join Sunrise Clinic" in content
    assert '<label for="id_display_name">Your name' in content
    response = client.post(
        path,
        {"display_name": "Nadia", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    # A practitioner sees records: the next step is setting up the second factor.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/?next=%2Forgs%2F"
    user = User.objects.get(email="new.person@example.org")
    assert user.display_name == "Nadia"
    assert user.check_password(NEW_PASSWORD)
    membership = Membership.objects.get(user=user)
    assert membership.organization == org
    assert membership.role == Role.PRACTITIONER
    assert list(membership.programs.all()) == [two_tenants["program_a"]]
    assert Invitation.objects.get().accepted_at is not None
    assert AuditEvent.objects.filter(verb="invitation.accept", actor=user).exists()
    assert client.get("/accounts/two-factor/")["Location"].startswith("/accounts/two-factor/setup/")


def test_a_new_password_must_pass_the_validators(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    path = invite(admin_client, two_tenants["org_a"])
    response = Client().post(
        path, {"display_name": "Nadia", "password1": "password", "password2": "password"}
    )
    assert response.status_code == 200
    assert "This password is too common" in response.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_existing_user_signs_in_first_then_accepts(
    admin_client: Client, two_tenants: dict[str, Any], password: str
) -> None:
    org = two_tenants["org_a"]
    someone = f.make_user("someone@example.org")
    path = invite(admin_client, org, "someone@example.org", role=Role.VIEWER)
    client = Client()
    page = client.get(path).content.decode()
    assert f'href="/accounts/login/?next={path.replace("/", "%2F")}"' in page
    client.post("/accounts/login/", {"username": "someone@example.org", "password": password})
    assert "Accept the invitation" in client.get(path).content.decode()
    response = client.post(path)
    assert response["Location"] == "/orgs/"
    assert Membership.objects.get(user=someone).role == Role.VIEWER


def test_an_invitation_cannot_be_accepted_by_another_account(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    path = invite(admin_client, two_tenants["org_a"], "someone@example.org")
    other = Client()
    other.force_login(f.make_user("mallory@example.org"))
    assert other.get(path).status_code == 403
    assert other.post(path).status_code == 403
    assert not Membership.objects.filter(user__email="mallory@example.org").exists()


def test_an_invitation_works_only_once(admin_client: Client, two_tenants: dict[str, Any]) -> None:
    path = invite(admin_client, two_tenants["org_a"])
    Client().post(
        path, {"display_name": "Nadia", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    response = Client().get(path)
    assert response.status_code == 404
    assert "This invitation is not valid" in response.content.decode()


def test_an_invitation_expires_after_7_days(
    admin_client: Client, two_tenants: dict[str, Any], time_machine: Any
) -> None:
    path = invite(admin_client, two_tenants["org_a"])
    time_machine.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(days=7, minutes=1))
    response = Client().post(
        path, {"display_name": "Nadia", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 404
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_a_tampered_token_is_not_an_invitation(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    path = invite(admin_client, two_tenants["org_a"])
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (tampered, "short", "x" * 300):
        response = Client().get(f"/accounts/invitations/{bad}/")
        assert response.status_code == 404
        assert "This invitation is not valid" in response.content.decode()


def test_an_admin_withdraws_an_invitation(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    org = two_tenants["org_a"]
    path = invite(admin_client, org)
    invitation = Invitation.objects.get()
    assert (
        admin_client.get(
            members_url(org, f"invitations/{invitation.public_id}/revoke/")
        ).status_code
        == 405
    )
    response = admin_client.post(members_url(org, f"invitations/{invitation.public_id}/revoke/"))
    assert response["Location"] == members_url(org)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(verb="invitation.revoke", organization=org).exists()
    assert Client().get(path).status_code == 404


def test_a_new_invitation_replaces_the_pending_one(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    first = invite(admin_client, two_tenants["org_a"])
    second = invite(admin_client, two_tenants["org_a"], role=Role.VIEWER)
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
