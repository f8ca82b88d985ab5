"""Passkeys in chromium with a virtual authenticator (the real WebAuthn ceremony): a
practitioner adds a passkey on the account security page, signs out, and signs in again with
the password and the passkey as the second step. axe-core checks the pages on the way.

The relying party is "localhost", the live server's host: browsers refuse an IP address as
one (docs/accounts.md).
"""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.web.audit.models import AuditEvent
from tests.e2e.axe import assert_accessible
from tests.e2e.test_instrument_page import CHROMIUM_ARGS
from tests.web.factories import PASSWORD


def password_step(page: Page, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#main button[type=submit]").first.click()
    assert "/accounts/two-factor/" in page.url, page.url


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_practitioner_adds_a_passkey_and_signs_in_with_it(
    live_server: LiveServer, two_tenants: dict[str, Any], settings: Any
) -> None:
    base = live_server.url
    assert base.startswith("http://localhost:"), base
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [base]
    practitioner = two_tenants["members_a"]["practitioner"]
    app = TOTPDevice.objects.create(user=practitioner, name="phone", confirmed=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("WebAuthn.enable")
            cdp.send(
                "WebAuthn.addVirtualAuthenticator",
                {
                    "options": {
                        "protocol": "ctap2",
                        "transport": "internal",
                        "hasResidentKey": True,
                        "hasUserVerification": True,
                        "isUserVerified": True,
                    }
                },
            )

            # Signed in with the password and the app's code, the passkey is added.
            password_step(page, base, practitioner.email, "/accounts/security/")
            code = totp(app.bin_key, step=app.step, t0=app.t0, digits=app.digits)
            page.locator("input[name=code]").fill(f"{code:06d}")
            with page.expect_navigation():
                page.locator("#main button[type=submit]").first.click()
            assert page.url == f"{base}/accounts/security/"
            assert_accessible(page)
            with page.expect_navigation():  # the page shows itself again with the passkey
                page.get_by_role("button", name="Add a passkey").click()
            expect(page.locator(".passkey-list")).to_contain_text("Passkey 1")
            expect(page.locator(".messages")).to_contain_text("Added Passkey 1")
            assert WebAuthnCredential.objects.filter(user=practitioner).count() == 1
            assert_accessible(page)

            with page.expect_navigation():
                page.get_by_role("button", name="Sign out").click()

            # Signed in again: the password, then the passkey instead of a code.
            password_step(page, base, practitioner.email, "/accounts/security/")
            assert_accessible(page)
            with page.expect_navigation(url=f"{base}/accounts/security/"):
                page.get_by_role("button", name="Use a passkey").click()
            expect(page.locator("h1")).to_have_text("Account security")
            used = AuditEvent.objects.get(verb="auth.passkey_used")
            assert used.actor == practitioner
            assert AuditEvent.objects.filter(verb="auth.passkey_added").count() == 1
        finally:
            browser.close()
