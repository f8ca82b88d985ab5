"""An org admin resets a member's second factor: confirmed, audited, every factor and session
gone; never their own, never outside their organization."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from hopeful.web.accounts.models import RecoveryCodeDevice, UserSession
from hopeful.web.accounts.services import recovery_codes_generate
from hopeful.web.audit.models import AuditEvent
from hopeful.web.organizations.models import Membership
from tests.web import factories as f

pytestmark = pytest.mark.django_db


def reset_url(org: Any, user: Any) -> str:
    membership = Membership.objects.get(organization=org, user=user)
    return f"/orgs/{org.public_id}/members/{membership.public_id}/second-factor/reset/"


def edit_url(org: Any, user: Any) -> str:
    membership = Membership.objects.get(organization=org, user=user)
    return f"/orgs/{org.public_id}/members/{membership.public_id}/"


def with_every_factor(user: Any) -> Client:
    """The member signed in and verified, with an app, a passkey and recovery codes."""
    member_client = Client()
    f.login_verified(member_client, user)
    WebAuthnCredential.objects.create(
        user=user, name="Passkey 1", credential_id=b"cred-1", public_key=b"key", aaguid="0" * 36
    )
    recovery_codes_generate(user=user)
    return member_client


def test_an_org_admin_resets_a_members_second_factor(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    org = two_tenants["org_a"]
    admin = two_tenants["members_a"]["org_admin"]
    member = two_tenants["members_a"]["practitioner"]
    member_client = with_every_factor(member)
    member_client.get("/accounts/security/")
    assert UserSession.objects.filter(user=member).exists()
    f.login_verified(client, admin)

    edit = client.get(edit_url(org, member)).content.decode()
    assert reset_url(org, member) in edit
    confirm = client.get(reset_url(org, member))
    assert confirm.status_code == 200
    assert "Reset two-step sign-in" in confirm.content.decode()
    assert TOTPDevice.objects.filter(user=member).exists()  # a GET changes nothing

    response = client.post(reset_url(org, member))
    assert response.status_code == 302
    assert response["Location"] == edit_url(org, member)
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert not WebAuthnCredential.objects.filter(user=member).exists()
    assert not RecoveryCodeDevice.objects.filter(user=member).exists()
    assert not UserSession.objects.filter(user=member).exists()
    # Their browser is signed out; at the next sign-in they set up two-step sign-in again.
    out = member_client.get("/accounts/security/")
    assert out.status_code == 302
    assert out["Location"].startswith("/accounts/login/")
    event = AuditEvent.objects.get(verb="auth.second_factor_reset")
    assert event.actor == admin
    assert event.organization == org
    assert event.object_id == str(member.public_id)
    assert event.extra["member"] == member.email
    assert event.extra["passkeys"] == 1
    assert event.extra["recovery_codes"] == 10
    assert event.extra["sessions"] >= 1
    member_client.force_login(member)
    assert member_client.get("/accounts/two-factor/")["Location"].startswith(
        "/accounts/two-factor/setup/"
    )


def test_nobody_resets_their_own_second_factor(client: Client, two_tenants: dict[str, Any]) -> None:
    org = two_tenants["org_a"]
    admin = two_tenants["members_a"]["org_admin"]
    f.login_verified(client, admin)
    assert reset_url(org, admin) not in client.get(edit_url(org, admin)).content.decode()
    assert client.post(reset_url(org, admin)).status_code == 403
    assert TOTPDevice.objects.filter(user=admin).exists()
    assert not AuditEvent.objects.filter(verb="auth.second_factor_reset").exists()


def test_other_organizations_admins_get_404_and_members_403(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    org = two_tenants["org_a"]
    member = two_tenants["members_a"]["practitioner"]
    TOTPDevice.objects.create(user=member, name="phone", confirmed=True)
    f.login_verified(client, two_tenants["members_b"]["org_admin"])
    assert client.post(reset_url(org, member)).status_code == 404
    colleague = Client()
    f.login_verified(colleague, two_tenants["members_a"]["practitioner"])
    viewer = two_tenants["members_a"]["viewer"]
    assert colleague.post(reset_url(org, viewer)).status_code == 403
    assert TOTPDevice.objects.filter(user=member, confirmed=True).exists()
    assert not AuditEvent.objects.filter(verb="auth.second_factor_reset").exists()
