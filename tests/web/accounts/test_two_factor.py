"""Two-factor sign-in (TOTP): who needs it, setting it up, using it, and its limits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from hopeful.web.audit.models import AuditEvent
from tests.web import factories as f
from tests.web.accounts.helpers import PROBE_URLS, code_for, probe_url

pytestmark = [pytest.mark.django_db, pytest.mark.urls(PROBE_URLS)]

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def confirmed_device(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


@pytest.mark.parametrize("role", ["org_admin", "practitioner"])
def test_people_who_see_records_pass_the_second_factor_before_any_tenant_page(
    client: Client, two_tenants: dict[str, Any], role: str
) -> None:
    org = two_tenants["org_a"]
    client.force_login(two_tenants["members_a"][role])
    response = client.get(probe_url(org))
    assert response.status_code == 302
    assert response["Location"] == (
        f"/accounts/two-factor/?next=%2Fprobe%2Forgs%2F{org.public_id}%2F"
    )


@pytest.mark.parametrize("role", ["viewer", "analyst", "researcher"])
def test_roles_without_identifiable_records_reach_tenant_pages_with_a_password_only(
    client: Client, two_tenants: dict[str, Any], role: str
) -> None:
    client.force_login(two_tenants["members_a"][role])
    response = client.get(probe_url(two_tenants["org_a"]))
    assert response.status_code == 200
    assert response.content.decode() == f"tenant page as {role}"


def test_a_verified_org_admin_reaches_tenant_pages(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    f.login_verified(client, two_tenants["members_a"]["org_admin"])
    assert client.get(probe_url(two_tenants["org_a"])).status_code == 200


def test_signing_in_sends_people_who_see_records_straight_to_the_second_factor(
    client: Client, two_tenants: dict[str, Any], password: str
) -> None:
    response = client.post(
        "/accounts/login/",
        {"username": "practitioner@a.example.org", "password": password, "next": "/instruments/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/?next=%2Finstruments%2F"


def test_signing_in_does_not_ask_a_viewer_for_a_second_factor(
    client: Client, two_tenants: dict[str, Any], password: str
) -> None:
    response = client.post(
        "/accounts/login/", {"username": "viewer@a.example.org", "password": password}
    )
    assert response["Location"] == "/orgs/"


def test_the_second_factor_sends_someone_without_an_authenticator_to_setup(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    client.force_login(two_tenants["members_a"]["org_admin"])
    response = client.get("/accounts/two-factor/?next=/instruments/")
    assert response["Location"] == "/accounts/two-factor/setup/?next=%2Finstruments%2F"


def test_setup_shows_a_qr_code_and_the_key_then_confirms_with_a_code(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    admin = two_tenants["members_a"]["org_admin"]
    org = two_tenants["org_a"]
    client.force_login(admin)
    response = client.get("/accounts/two-factor/setup/")
    assert response.status_code == 200
    content = response.content.decode()
    device = TOTPDevice.objects.get(user=admin)
    assert not device.confirmed
    assert "<svg" in content
    assert 'aria-label="QR code for your authenticator app"' in content
    assert response.context["secret"].replace(" ", "") in device.config_url
    assert '<label for="id_code">6-digit code from your authenticator app' in content
    assert 'autocomplete="one-time-code"' in content
    assert 'inputmode="numeric"' in content
    # A second visit shows the same key (a reload does not break a half-done set-up).
    client.get("/accounts/two-factor/setup/")
    assert TOTPDevice.objects.filter(user=admin).count() == 1

    response = client.post(
        "/accounts/two-factor/setup/", {"code": code_for(device), "next": probe_url(org)}
    )
    # The first set-up shows the recovery codes once (test_recovery_codes.py), then goes on.
    assert response.status_code == 200
    assert f'href="{probe_url(org)}"' in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(probe_url(org)).status_code == 200
    event = AuditEvent.objects.get(verb="auth.two_factor_enabled")
    assert event.actor == admin


def test_setup_refuses_a_wrong_code(client: Client, two_tenants: dict[str, Any]) -> None:
    admin = two_tenants["members_a"]["org_admin"]
    client.force_login(admin)
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=admin)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/two-factor/setup/", {"code": wrong})
    assert response.status_code == 200
    assert "That code did not work" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not AuditEvent.objects.filter(verb="auth.two_factor_enabled").exists()


def test_setup_cannot_replace_an_authenticator_without_passing_the_second_factor(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    admin = two_tenants["members_a"]["org_admin"]
    confirmed_device(admin)
    client.force_login(admin)
    response = client.get("/accounts/two-factor/setup/")
    assert response["Location"].startswith("/accounts/two-factor/?")
    assert TOTPDevice.objects.filter(user=admin).count() == 1


def test_a_correct_code_completes_sign_in_and_rotates_the_session(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    admin = two_tenants["members_a"]["org_admin"]
    org = two_tenants["org_a"]
    device = confirmed_device(admin)
    client.force_login(admin)
    before = client.session.session_key
    response = client.post(
        "/accounts/two-factor/", {"code": code_for(device), "next": probe_url(org)}
    )
    assert response["Location"] == probe_url(org)
    assert client.session.session_key != before
    assert client.get(probe_url(org)).status_code == 200


def test_a_code_cannot_be_used_twice(two_tenants: dict[str, Any], time_machine: Any) -> None:
    time_machine.move_to(START, tick=False)
    admin = two_tenants["members_a"]["org_admin"]
    device = confirmed_device(admin)
    code = code_for(device)
    first, second = Client(), Client()
    first.force_login(admin)
    second.force_login(admin)
    assert first.post("/accounts/two-factor/", {"code": code}).status_code == 302
    response = second.post("/accounts/two-factor/", {"code": code})
    assert response.status_code == 200
    assert "That code did not work" in response.content.decode()
    assert second.get(probe_url(two_tenants["org_a"])).status_code == 302
    # The next time step brings a new code, which works.
    time_machine.shift(dt.timedelta(seconds=30))
    assert second.post("/accounts/two-factor/", {"code": code_for(device)}).status_code == 302


def test_five_wrong_codes_lock_the_second_factor_for_15_minutes(
    client: Client, two_tenants: dict[str, Any], time_machine: Any
) -> None:
    time_machine.move_to(START, tick=False)
    admin = two_tenants["members_a"]["org_admin"]
    device = confirmed_device(admin)
    client.force_login(admin)
    for _ in range(5):
        time_machine.shift(dt.timedelta(seconds=40))  # past django-otp's own short delays
        wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
        assert client.post("/accounts/two-factor/", {"code": wrong}).status_code == 200
    response = client.post("/accounts/two-factor/", {"code": code_for(device)})
    assert response.status_code == 429
    assert "Too many attempts. Please try again in 13 minutes." in response.content.decode()
    assert AuditEvent.objects.filter(verb="auth.locked_out").exists()

    time_machine.shift(dt.timedelta(minutes=13))
    response = client.post("/accounts/two-factor/", {"code": code_for(device)})
    assert response.status_code == 302


def test_the_second_factor_only_returns_to_pages_of_this_site(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    admin = two_tenants["members_a"]["org_admin"]
    device = confirmed_device(admin)
    client.force_login(admin)
    response = client.post(
        "/accounts/two-factor/", {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/orgs/"


def test_the_second_factor_page_is_accessible_without_javascript(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    admin = two_tenants["members_a"]["org_admin"]
    confirmed_device(admin)
    client.force_login(admin)
    content = client.get("/accounts/two-factor/").content.decode()
    assert '<form method="post" action="/accounts/two-factor/"' in content
    assert '<label for="id_code">' in content
    assert "<script" not in content
