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
    call_command("load_demo", stdout=out)
    user = User.objects.get(email=DEMO_EMAIL)
    assert user.is_staff
    assert not user.is_superuser
    assert user.check_password(DEMO_PASSWORD)
    assert DEMO_EMAIL in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()
    assert "demo only" in out.getvalue()


@debug_on
def test_it_can_run_again_and_resets_the_demo_account() -> None:
    call_command("load_demo", stdout=StringIO())
    user = User.objects.get(email=DEMO_EMAIL)
    user.set_password("changed-by-someone")
    user.is_staff = False
    user.save()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert User.objects.filter(email=DEMO_EMAIL).count() == 1
    user.refresh_from_db()
    assert user.is_staff
    assert authenticate(username=DEMO_EMAIL, password=DEMO_PASSWORD) == user
    assert out.getvalue().startswith("Reset")


@override_settings(DEBUG=False)
def test_it_refuses_to_load_the_demo_when_debug_is_off_unless_forced() -> None:
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.filter(email=DEMO_EMAIL).exists()
    call_command("load_demo", "--force", stdout=StringIO())
    assert User.objects.filter(email=DEMO_EMAIL).exists()
