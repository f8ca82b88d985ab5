"""Recovery codes: shown once, stored as keyed digests, single use, throttled like app codes,
replaced as a set, audited."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from hopeful.web.accounts import recovery
from hopeful.web.accounts.models import RecoveryCode, RecoveryCodeDevice
from hopeful.web.accounts.services import recovery_codes_generate
from hopeful.web.audit.models import AuditEvent
from tests.web import factories as f
from tests.web.accounts.helpers import code_for

pytestmark = pytest.mark.django_db

CODE = re.compile(r"<code>([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})</code>")


@pytest.fixture
def member(two_tenants: dict[str, Any]) -> Any:
    return two_tenants["members_a"]["practitioner"]


def signed_in_with_codes(client: Client, user: Any) -> list[str]:
    """``user`` with an authenticator app and a set of codes, signed in with the password."""
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    codes = recovery_codes_generate(user=user)
    client.force_login(user)
    return codes


def use_code(client: Client, code: str) -> Any:
    return client.post(
        "/accounts/two-factor/", {"method": "recovery", "code": code, "next": "/instruments/"}
    )


def test_setting_up_two_factor_shows_ten_codes_once_and_stores_only_digests(
    client: Client, member: Any
) -> None:
    client.force_login(member)
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=member)
    response = client.post(
        "/accounts/two-factor/setup/", {"code": code_for(device), "next": "/instruments/"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    codes = CODE.findall(page)
    assert len(codes) == len(set(codes)) == 10
    stored = list(RecoveryCode.objects.filter(device__user=member).values_list("digest", flat=True))
    assert len(stored) == 10
    for code in codes:
        compact = code.replace("-", "")
        assert all(compact not in digest for digest in stored)
        assert recovery.digest(user_public_id=str(member.public_id), code=compact) in stored
    # Never shown again: the security page tells how many are left, not which.
    security = client.get("/accounts/security/").content.decode()
    assert "You have 10 unused recovery codes." in security
    assert not CODE.findall(security)
    assert AuditEvent.objects.filter(verb="auth.recovery_codes_generated").count() == 1


def test_a_recovery_code_passes_the_second_step_once(client: Client, member: Any) -> None:
    codes = signed_in_with_codes(client, member)
    page = client.get("/accounts/two-factor/?next=/instruments/").content.decode()
    assert "Use a recovery code instead" in page
    form = client.get("/accounts/two-factor/?next=/instruments/&method=recovery")
    assert "You have 10 unused codes." in form.content.decode()
    # Typed loosely: capitals, spaces instead of dashes.
    response = use_code(client, codes[0].upper().replace("-", " "))
    assert response.status_code == 302
    assert response["Location"] == "/instruments/"
    device = RecoveryCodeDevice.objects.get(user=member)
    assert client.session["otp_device_id"] == device.persistent_id
    event = AuditEvent.objects.get(verb="auth.recovery_code_used")
    assert event.actor == member
    assert event.extra == {"remaining": 9}
    assert "You have 9 codes left." in client.get("/instruments/").content.decode()

    other = Client()
    other.force_login(member)
    again = use_code(other, codes[0])
    assert again.status_code == 200
    assert "That recovery code did not work" in again.content.decode()
    assert "otp_device_id" not in other.session


def test_few_codes_left_come_with_a_warning(client: Client, member: Any) -> None:
    codes = signed_in_with_codes(client, member)
    first = recovery.digest(user_public_id=str(member.public_id), code=codes[0].replace("-", ""))
    others = RecoveryCode.objects.filter(device__user=member).exclude(digest=first)
    # Seven of the nine others used: three unused in all, one of them codes[0].
    RecoveryCode.objects.filter(pk__in=list(others.values_list("pk", flat=True))[:7]).update(
        used_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    unused = RecoveryCode.objects.filter(device__user=member, used_at__isnull=True).count()
    assert unused == 3
    use_code(client, codes[0])
    text = client.get("/instruments/").content.decode()
    assert "You have 2 codes left." in text
    assert "Make new recovery codes on your account security page soon." in text


def test_wrong_recovery_codes_count_toward_the_sign_in_lock(client: Client, member: Any) -> None:
    codes = signed_in_with_codes(client, member)
    for _ in range(5):
        assert use_code(client, "aaaa-aaaa-aaaa").status_code == 200
    locked = use_code(client, codes[0])
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert AuditEvent.objects.filter(verb="auth.locked_out").exists()
    # A malformed code is refused with a clear message and uses nothing.
    assert RecoveryCode.objects.filter(used_at__isnull=False).count() == 0


def test_a_malformed_code_gets_a_clear_error(client: Client, member: Any) -> None:
    signed_in_with_codes(client, member)
    response = use_code(client, "12345")
    assert response.status_code == 200
    assert "A recovery code has 12 letters and digits" in response.content.decode()


def test_making_new_codes_replaces_the_old_set(client: Client, member: Any) -> None:
    old = recovery_codes_generate(user=member)
    f.login_verified(client, member)
    response = client.post("/accounts/security/recovery-codes/")
    new = CODE.findall(response.content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)
    assert RecoveryCode.objects.filter(device__user=member).count() == 10
    event = AuditEvent.objects.filter(verb="auth.recovery_codes_generated").latest("pk")
    assert event.extra == {"count": 10, "replaced": 10}

    other = Client()
    other.force_login(member)
    assert use_code(other, old[0]).status_code == 200
    assert "otp_device_id" not in other.session
    assert use_code(other, new[0]).status_code == 302


def test_making_codes_needs_the_second_step_first(client: Client, member: Any) -> None:
    signed_in_with_codes(client, member)
    response = client.post("/accounts/security/recovery-codes/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/?next=")
    assert RecoveryCode.objects.filter(device__user=member).count() == 10


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ABCD-EFGH-JKMN", "abcdefghjkmn"),
        ("abcd efgh jkmn", "abcdefghjkmn"),
        ("0O1I-L000-0000", "001110000000"),
        ("abcd-efgh-jkm", None),
        ("abcd-efgh-jkmu", None),
    ],
)
def test_codes_are_read_as_typed(typed: str, expected: str | None) -> None:
    assert recovery.normalize(typed) == expected
