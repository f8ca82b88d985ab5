"""Passkeys on the account security page (listed, renamed, removed with an audit event) and
as the second step (offered only to people who have one; never a sign-in on its own). The
WebAuthn ceremony itself runs in chromium: tests/e2e/test_passkeys.py."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from hopeful.web.audit.models import AuditEvent
from tests.web import factories as f

pytestmark = pytest.mark.django_db


def passkey(user: Any, name: str = "Passkey 1") -> WebAuthnCredential:
    return WebAuthnCredential.objects.create(
        user=user, name=name, credential_id=name.encode(), public_key=b"key", aaguid="0" * 36
    )


def test_passkeys_are_listed_renamed_and_removed(client: Client, alice: Any) -> None:
    f.login_verified(client, alice)
    key = passkey(alice)
    page = client.get("/accounts/security/").content.decode()
    assert "Passkey 1" in page
    # Only our own static scripts: no inline script may run under the site's CSP.
    scripts = re.findall(r"<script(?P<attrs>[^>]*)>", page)
    assert scripts
    assert all("src=" in a or 'type="application/json"' in a for a in scripts)
    client.post(f"/accounts/security/passkeys/{key.pk}/rename/", {f"p{key.pk}-name": "Work laptop"})
    key.refresh_from_db()
    assert key.name == "Work laptop"
    client.post(f"/accounts/security/passkeys/{key.pk}/remove/")
    assert not WebAuthnCredential.objects.filter(pk=key.pk).exists()
    event = AuditEvent.objects.get(verb="auth.passkey_removed")
    assert (event.actor, event.extra) == (alice, {"passkey": "Work laptop"})


def test_an_empty_name_is_refused(client: Client, alice: Any) -> None:
    f.login_verified(client, alice)
    key = passkey(alice)
    client.post(f"/accounts/security/passkeys/{key.pk}/rename/", {f"p{key.pk}-name": "  "})
    key.refresh_from_db()
    assert key.name == "Passkey 1"


def test_someone_elses_passkey_is_404(client: Client, alice: Any, password: str) -> None:
    bob = f.make_user("bob@example.org")
    theirs = passkey(bob)
    f.login_verified(client, alice)
    assert client.post(f"/accounts/security/passkeys/{theirs.pk}/remove/").status_code == 404
    assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()


def test_adding_a_passkey_needs_the_second_step_first(client: Client, alice: Any) -> None:
    TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    client.force_login(alice)
    refused = client.post("/accounts/passkeys/registration/begin/")
    assert refused.status_code == 403
    f.login_verified(client, alice)
    options = client.post("/accounts/passkeys/registration/begin/").json()
    assert options["rp"] == {"name": "HOPEful", "id": "localhost"}


def test_a_passkey_is_never_a_sign_in_on_its_own(client: Client) -> None:
    response = client.post("/accounts/passkeys/authentication/begin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_second_step_offers_a_passkey_to_people_who_have_one(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    member = two_tenants["members_a"]["practitioner"]
    client.force_login(member)
    passkey(member)
    page = client.get("/accounts/two-factor/?next=/instruments/")
    assert page.status_code == 200  # a passkey alone is a second factor: no setup asked
    text = page.content.decode()
    assert 'id="passkey-verification-button"' in text
    assert "django_otp_webauthn/otp_webauthn_auth.js" in text
    options = client.post("/accounts/passkeys/authentication/begin/").json()
    assert [c["id"] for c in options["allowCredentials"]] == ["UGFzc2tleSAx"]
