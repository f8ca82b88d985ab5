"""The CMS admin is for network staff only, through HOPEful's own sign-in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.web import factories as f

pytestmark = pytest.mark.django_db


def test_signed_out_people_go_to_hopefuls_sign_in(client: Client) -> None:
    for path in ("/cms/", "/cms/pages/", "/cms/login/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_organization_roles_never_see_the_admin(client: Client) -> None:
    org = f.make_org()
    for role in f.ROLES:
        user = f.make_member(org, role, f"{role}@clinic.example")
        user.groups.add(Group.objects.get(name="Editors"))  # even if someone added them
        client.force_login(user)
        response = client.get("/cms/")
        assert response.status_code == 403, role
        assert b"network staff" in response.content.lower()


def test_network_staff_edit_content(client: Client) -> None:
    staff = f.make_user("network@hope.example", is_network_staff=True)
    staff.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(staff)
    assert client.get("/cms/").status_code == 200
    assert client.get("/cms/pages/").status_code == 200


def test_the_admins_own_password_pages_are_off(client: Client) -> None:
    staff = f.make_user("network@hope.example", is_network_staff=True)
    staff.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(staff)
    assert client.get("/cms/password_reset/").status_code == 404
