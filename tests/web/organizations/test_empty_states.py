"""The members page with no invitation (or no member) says what it will list and offers to
invite someone, to the organization's own admins only: support access may not invite."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hopeful.web.organizations.models import Organization, SupportGrant
from tests.web import factories as f
from tests.web.empty_states import EmptyOrg, empty_state, make_empty_org, page_box

pytestmark = pytest.mark.django_db


def members_url(org: Organization) -> str:
    return reverse("organizations:members", args=[org.public_id])


def invite_url(org: Organization) -> str:
    return reverse("organizations:member_invite", args=[org.public_id])


def support_client(client: Client, org: Organization) -> Client:
    """The client signed in as network staff holding a support grant to ``org``."""
    staff = f.make_user("helper@hope.example.org", is_network_staff=True)
    SupportGrant.objects.create(
        staff=staff,
        organization=org,
        granted_by=f.make_user("granter@example.org"),
        reason="Help with the spring survey",
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )
    f.login_verified(client, staff)
    return client


def test_an_org_admin_with_no_invitation_is_offered_to_invite_someone(client: Client) -> None:
    quiet: EmptyOrg = make_empty_org()
    box = page_box(quiet.client(client, "org_admin"), members_url(quiet.org), "invitations-empty")
    assert box.text.startswith("No invitations waiting for an answer.")
    assert "the invitation will be listed here with its role and programs" in box.text
    assert box.hrefs == [invite_url(quiet.org)]
    assert client.get(invite_url(quiet.org)).status_code == 200


def test_an_invitation_waiting_is_listed_instead(client: Client) -> None:
    quiet = make_empty_org()
    admin = quiet.client(client, "org_admin")
    response = admin.post(
        invite_url(quiet.org),
        {"email": "new@example.org", "role": "viewer", "programs": []},
    )
    assert response.status_code == 302
    response = admin.get(members_url(quiet.org))
    assert empty_state(response.content, "invitations-empty") is None
    assert b"new@example.org" in response.content


def test_support_access_is_not_offered_to_invite(client: Client) -> None:
    quiet = make_empty_org()
    response = support_client(client, quiet.org).get(members_url(quiet.org))
    assert response.status_code == 200
    box = empty_state(response.content, "invitations-empty")
    assert box is not None
    assert "Only the organization's own admins can invite people" in box.text
    assert box.hrefs == []
    assert invite_url(quiet.org) not in response.content.decode()
    assert client.get(invite_url(quiet.org)).status_code == 403  # why it is not offered


def test_an_organization_with_no_member_says_how_people_join(client: Client) -> None:
    org = f.make_org("Nobody Yet")
    response = support_client(client, org).get(members_url(org))
    box = empty_state(response.content, "members-empty")
    assert box is not None
    assert box.text.startswith("No members yet.")
    assert "People join by accepting an emailed invitation." in box.text
    assert box.hrefs == []
