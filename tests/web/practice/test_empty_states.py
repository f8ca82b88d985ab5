"""Empty practitioner pages (the organization list, an organization's home, the submissions
and a family's answers) say what they will show and offer the next step the role may take:
answers come in through campaigns, which only org admins create."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hopeful.web.organizations.models import Membership, Program
from tests.web import factories as f
from tests.web.empty_states import EmptyOrg, empty_state, make_empty_org, page_box

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet() -> EmptyOrg:
    return make_empty_org()


def urls(quiet: EmptyOrg) -> dict[str, str]:
    org_id = quiet.org.public_id
    return {
        "home": reverse("practice:home", args=[org_id]),
        "submissions": reverse("practice:submissions", args=[org_id]),
        "create": reverse("campaigns:create", args=[org_id]),
        "campaigns": reverse("campaigns:list", args=[org_id]),
    }


# -- /orgs/: the person's organizations -------------------------------------------------------


def test_a_person_with_no_organization_is_told_how_to_be_invited(client: Client) -> None:
    client.force_login(f.make_user("newcomer@example.org"))
    box = page_box(client, reverse("practice:organizations"), "organizations-empty")
    assert box.text.startswith("You are not a member of any organization yet.")
    assert "will be listed here, with your role in each" in box.text
    assert "ask one of its organization admins to invite you at newcomer@example.org" in box.text
    assert box.hrefs == []  # nothing to click: an invitation comes by email


def test_a_member_sees_organizations_not_the_empty_state(client: Client, quiet: EmptyOrg) -> None:
    response = quiet.client(client, "viewer").get(reverse("practice:organizations"))
    assert empty_state(response.content, "organizations-empty") is None
    assert b"Quiet Clinic" in response.content


# -- /orgs/<org_id>/: programs and families ----------------------------------------------------


def test_an_org_admin_home_with_no_family_offers_to_create_a_campaign(
    client: Client, quiet: EmptyOrg
) -> None:
    u = urls(quiet)
    box = page_box(quiet.client(client, "org_admin"), u["home"], "families-empty")
    assert box.text.startswith("No families yet.")
    assert "A family is added when it first answers a questionnaire" in box.text
    assert box.hrefs == [u["create"], u["campaigns"]]
    assert client.get(u["create"]).status_code == 200


def test_a_practitioner_home_with_no_family_points_to_the_campaigns_and_the_admins(
    client: Client, quiet: EmptyOrg
) -> None:
    u = urls(quiet)
    box = page_box(quiet.client(client, "practitioner"), u["home"], "families-empty")
    assert box.text.startswith("No families yet.")
    assert "Your organization's admins create campaigns and their links" in box.text
    assert box.hrefs == [u["campaigns"]]
    assert client.get(u["campaigns"]).status_code == 200


@pytest.mark.parametrize("role", ["analyst", "researcher", "viewer"])
def test_a_group_totals_role_is_told_what_will_show_and_offered_no_campaign_page(
    client: Client, quiet: EmptyOrg, role: str
) -> None:
    u = urls(quiet)
    response = quiet.client(client, role).get(u["home"])
    box = empty_state(response.content, "families-empty")
    assert box is not None
    assert box.text.startswith("No submissions counted yet.")
    assert "Your organization's admins send questionnaires to families" in box.text
    assert box.hrefs == []
    body = response.content.decode()
    assert f'href="{u["campaigns"]}"' not in body
    assert f'href="{u["create"]}"' not in body


def test_a_practitioner_given_no_program_is_told_to_ask_for_one(
    client: Client, quiet: EmptyOrg
) -> None:
    Membership.objects.get(user=quiet.members["practitioner"]).programs.clear()
    u = urls(quiet)
    box = page_box(quiet.client(client, "practitioner"), u["home"], "families-empty")
    assert box.text.startswith("No programs given to you yet.")
    assert "Ask one of your organization's admins to give you your programs." in box.text
    assert box.hrefs == []
    box = page_box(client, u["submissions"], "submissions-empty")
    assert "you have none yet: ask one of them to give you your programs" in box.text


def test_a_home_with_a_family_has_no_families_empty_state(client: Client, quiet: EmptyOrg) -> None:
    f.make_family(quiet.org, quiet.program, "Rivera")
    response = quiet.client(client, "org_admin").get(urls(quiet)["home"])
    assert empty_state(response.content, "families-empty") is None
    assert b"1 family" in response.content


def test_an_organization_with_no_program_says_who_adds_programs(client: Client) -> None:
    org = f.make_org("Brand New")
    f.login_verified(client, f.make_member(org, "org_admin", "admin@new.example.org"))
    response = client.get(reverse("practice:home", args=[org.public_id]))
    box = empty_state(response.content, "programs-empty")
    assert box is not None
    assert box.text.startswith("No programs yet.")
    assert "Programs are added by the people who run this HOPEful site" in box.text
    assert box.hrefs == []
    assert empty_state(response.content, "families-empty") is None
    assert not Program.objects.filter(organization=org).exists()


# -- /orgs/<org_id>/submissions/ ---------------------------------------------------------------


def test_an_org_admin_with_no_submission_is_offered_to_create_a_campaign(
    client: Client, quiet: EmptyOrg
) -> None:
    u = urls(quiet)
    box = page_box(quiet.client(client, "org_admin"), u["submissions"], "submissions-empty")
    assert box.text.startswith("No submissions to show yet.")
    assert "The latest answers of the families you see will be listed here" in box.text
    assert box.hrefs == [u["create"], u["campaigns"]]


def test_a_practitioner_with_no_submission_is_not_offered_to_create_a_campaign(
    client: Client, quiet: EmptyOrg
) -> None:
    u = urls(quiet)
    response = quiet.client(client, "practitioner").get(u["submissions"])
    box = empty_state(response.content, "submissions-empty")
    assert box is not None
    assert box.text.startswith("No submissions to show yet.")
    assert "Your organization's admins create campaigns and their links" in box.text
    assert box.hrefs == [u["campaigns"]]
    assert u["create"] not in response.content.decode()


# -- /orgs/<org_id>/families/<family_id>/ ------------------------------------------------------


def family_url(quiet: EmptyOrg) -> str:
    family = f.make_family(quiet.org, quiet.program, "Rivera")
    f.grant_consent(family)
    return reverse("practice:family_detail", args=[quiet.org.public_id, family.public_id])


def test_an_org_admin_sees_a_family_with_no_answer_and_how_to_invite_it(
    client: Client, quiet: EmptyOrg
) -> None:
    u = urls(quiet)
    box = page_box(quiet.client(client, "org_admin"), family_url(quiet), "answers-empty")
    assert box.text.startswith("No answers yet.")
    assert "its answers will be shown here, newest first" in box.text
    assert "a personal link made for them" in box.text
    assert box.hrefs == [u["create"], u["campaigns"]]


def test_a_practitioner_sees_a_family_with_no_answer_and_who_makes_links(
    client: Client, quiet: EmptyOrg
) -> None:
    u = urls(quiet)
    url = family_url(quiet)
    response = quiet.client(client, "practitioner").get(url)
    box = empty_state(response.content, "answers-empty")
    assert box is not None
    assert "Your organization's admins create campaigns and their links" in box.text
    assert box.hrefs == [u["campaigns"]]
    assert u["create"] not in response.content.decode()
