from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import override_settings

from hopeful.web.accounts.models import User
from hopeful.web.core.demo import DEMO_EMAIL, DEMO_PASSWORD

pytestmark = pytest.mark.django_db

# pytest-django runs tests with DEBUG off; the demo is a development (DEBUG) feature.
debug_on = override_settings(DEBUG=True)


@debug_on
def test_it_creates_a_demo_staff_account_and_prints_its_password() -> None:
    out = StringIO()
    call_command("load_demo", "--no-families", stdout=out)
    user = User.objects.get(email=DEMO_EMAIL)
    assert user.is_staff
    assert not user.is_superuser
    assert user.check_password(DEMO_PASSWORD)
    assert DEMO_EMAIL in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()
    assert "demo only" in out.getvalue()


@debug_on
def test_it_can_run_again_and_resets_the_demo_account() -> None:
    call_command("load_demo", "--no-families", stdout=StringIO())
    user = User.objects.get(email=DEMO_EMAIL)
    user.set_password("changed-by-someone")
    user.is_staff = False
    user.save()
    out = StringIO()
    call_command("load_demo", "--no-families", stdout=out)
    assert User.objects.filter(email=DEMO_EMAIL).count() == 1
    user.refresh_from_db()
    assert user.is_staff
    assert authenticate(username=DEMO_EMAIL, password=DEMO_PASSWORD) == user
    assert out.getvalue().startswith("Reset")


@override_settings(DEBUG=False)
def test_it_refuses_to_load_the_demo_when_debug_is_off_unless_forced() -> None:
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", "--no-families", stdout=StringIO())
    assert not User.objects.filter(email=DEMO_EMAIL).exists()
    call_command("load_demo", "--force", "--no-families", stdout=StringIO())
    assert User.objects.filter(email=DEMO_EMAIL).exists()


@debug_on
def test_it_loads_two_organizations_with_staff_in_every_role_and_synthetic_families() -> None:
    from django_otp.oath import totp

    from hopeful.web.core.demo import totp_key
    from hopeful.web.organizations.models import Membership, Organization
    from hopeful.web.surveys.models import InstrumentScore, Submission

    out = StringIO()
    call_command("load_demo", stdout=out)
    assert Organization.objects.count() == 2
    for org in Organization.objects.all():
        roles = set(Membership.objects.filter(organization=org).values_list("role", flat=True))
        assert roles == {"org_admin", "practitioner", "analyst", "researcher", "viewer"}
        assert org.programs.count() == 2
    submissions = Submission.objects.all()
    assert submissions.count() == 800
    assert set(submissions.values_list("language", flat=True)) == {"en", "es"}
    assert InstrumentScore.objects.count() == 1600  # two instruments each
    text = out.getvalue()
    assert "org-admin@sunrise.example" in text
    assert "two-factor secret" in text
    # the printed secret is the device's key, so authenticator apps produce valid codes
    assert totp(bytes.fromhex(totp_key("practitioner@riverbend.example"))) >= 0
    call_command("load_demo", stdout=StringIO())  # again: nothing duplicated
    assert Submission.objects.count() == 800
