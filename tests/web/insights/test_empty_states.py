"""A dashboard with no answer yet says what it will show, and offers to create a campaign to
the roles that may (org admins); analysts are told who sends questionnaires."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hopeful.web.organizations.models import SupportGrant
from tests.web import factories as f
from tests.web.empty_states import empty_state, make_empty_org, page_box

pytestmark = pytest.mark.django_db


def test_an_org_admin_with_no_answer_is_offered_to_create_a_campaign(client: Client) -> None:
    quiet = make_empty_org()
    url = reverse("insights:dashboard", args=[quiet.org.public_id])
    box = page_box(quiet.client(client, "org_admin"), url, "dashboard-empty")
    assert box.text.startswith("No questionnaire answers yet.")
    assert "this page will show the strengths they shared" in box.text
    create = reverse("campaigns:create", args=[quiet.org.public_id])
    assert box.hrefs == [create]
    assert client.get(create).status_code == 200


def test_an_analyst_with_no_answer_is_told_who_sends_questionnaires(client: Client) -> None:
    quiet = make_empty_org()
    url = reverse("insights:dashboard", args=[quiet.org.public_id])
    # an org admin's page first: the body is remembered, and must not carry its link over
    admin = Client()
    f.login_verified(admin, quiet.members["org_admin"])
    assert admin.get(url).status_code == 200
    response = quiet.client(client, "analyst").get(url)
    box = empty_state(response.content, "dashboard-empty")
    assert box is not None
    assert box.text.startswith("No questionnaire answers yet.")
    assert "Your organization's admins send questionnaires" in box.text
    assert box.hrefs == []
    create = reverse("campaigns:create", args=[quiet.org.public_id])
    assert create not in response.content.decode()


def test_support_access_is_offered_to_create_a_campaign(client: Client) -> None:
    quiet = make_empty_org()
    url = reverse("insights:dashboard", args=[quiet.org.public_id])
    staff = f.make_user("helper@hope.example.org", is_network_staff=True)
    SupportGrant.objects.create(
        staff=staff,
        organization=quiet.org,
        granted_by=quiet.members["org_admin"],
        reason="Help with the spring survey",
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )
    f.login_verified(client, staff)
    box = page_box(client, url, "dashboard-empty")
    create = reverse("campaigns:create", args=[quiet.org.public_id])
    assert box.hrefs == [create]
    assert client.get(create).status_code == 200


def test_program_sizes_with_no_program_say_who_adds_programs(client: Client) -> None:
    org = f.make_org("Brand New")
    f.login_verified(client, f.make_member(org, "org_admin", "admin@new.example.org"))
    box = page_box(
        client, reverse("insights:program_sizes", args=[org.public_id]), "programs-empty"
    )
    assert box.text.startswith("No programs yet.")
    assert "Programs are added by the people who run this HOPEful site" in box.text
    assert box.hrefs == []
