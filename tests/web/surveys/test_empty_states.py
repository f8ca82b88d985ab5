"""Empty campaign pages say what they will list and offer the next step the role may take."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hopeful.web.surveys.models import CampaignStatus
from tests.web import factories as f
from tests.web.empty_states import EmptyOrg, empty_state, make_empty_org, page_box

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet() -> EmptyOrg:
    return make_empty_org()


def list_url(quiet: EmptyOrg) -> str:
    return reverse("campaigns:list", args=[quiet.org.public_id])


def test_an_org_admin_with_no_campaign_is_offered_to_create_one(
    client: Client, quiet: EmptyOrg
) -> None:
    box = page_box(quiet.client(client, "org_admin"), list_url(quiet), "campaigns-empty")
    assert box.text.startswith("No campaigns yet.")
    assert "Campaigns send questionnaires to the families of a program by link." in box.text
    create = reverse("campaigns:create", args=[quiet.org.public_id])
    assert box.hrefs == [create]
    assert "Create a campaign" in box.text
    assert client.get(create).status_code == 200  # the offered step opens


def test_a_practitioner_with_no_campaign_is_told_who_creates_them(
    client: Client, quiet: EmptyOrg
) -> None:
    response = quiet.client(client, "practitioner").get(list_url(quiet))
    box = empty_state(response.content, "campaigns-empty")
    assert box is not None
    assert box.text.startswith("No campaigns yet.")
    assert "Your organization's admins create campaigns" in box.text
    assert box.hrefs == []
    # not offered anywhere on the page: the create page refuses practitioners
    assert reverse("campaigns:create", args=[quiet.org.public_id]) not in response.content.decode()


def test_the_list_has_no_empty_state_once_there_is_a_campaign(
    client: Client, quiet: EmptyOrg
) -> None:
    f.make_campaign(quiet.org, quiet.program, quiet.members["org_admin"])
    response = quiet.client(client, "org_admin").get(list_url(quiet))
    assert empty_state(response.content, "campaigns-empty") is None
    assert b"Family strengths 2026" in response.content
    assert reverse("campaigns:create", args=[quiet.org.public_id]).encode() in response.content


@pytest.mark.parametrize("status", [CampaignStatus.DRAFT, CampaignStatus.OPEN])
def test_an_org_admin_with_no_link_is_offered_to_create_one(
    client: Client, quiet: EmptyOrg, status: str
) -> None:
    campaign = f.make_campaign(quiet.org, quiet.program, quiet.members["org_admin"], status=status)
    url = reverse("campaigns:detail", args=[quiet.org.public_id, campaign.public_id])
    box = page_box(quiet.client(client, "org_admin"), url, "links-empty")
    assert box.text.startswith("No links yet.")
    assert "a public link to share with many families, or a personal link" in box.text
    assert ("Links take answers only while the campaign is open." in box.text) == (
        status != CampaignStatus.OPEN
    )
    create = reverse("campaigns:link_create", args=[quiet.org.public_id, campaign.public_id])
    assert box.hrefs == [create]
    assert client.get(create).status_code == 200


def test_a_practitioner_with_no_link_is_told_who_creates_them(
    client: Client, quiet: EmptyOrg
) -> None:
    campaign = f.make_campaign(quiet.org, quiet.program, quiet.members["org_admin"])
    url = reverse("campaigns:detail", args=[quiet.org.public_id, campaign.public_id])
    response = quiet.client(client, "practitioner").get(url)
    box = empty_state(response.content, "links-empty")
    assert box is not None
    assert box.text.startswith("No links yet.")
    assert "Your organization's admins create links" in box.text
    assert box.hrefs == []
    create = reverse("campaigns:link_create", args=[quiet.org.public_id, campaign.public_id])
    assert create not in response.content.decode()


def test_a_campaign_with_a_link_lists_it_instead(client: Client, quiet: EmptyOrg) -> None:
    campaign = f.make_campaign(quiet.org, quiet.program, quiet.members["org_admin"])
    f.make_link(campaign, quiet.members["org_admin"])
    url = reverse("campaigns:detail", args=[quiet.org.public_id, campaign.public_id])
    response = quiet.client(client, "org_admin").get(url)
    assert empty_state(response.content, "links-empty") is None
    assert b"Revoke" in response.content
