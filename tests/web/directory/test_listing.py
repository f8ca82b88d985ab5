"""Holders keep their own listing: a certified person at /trainers/me/ (others are told to
get certified), an organization's admins at /orgs/<org_id>/directory/ (outsiders 404, other
members 403). The place comes from the ZIP code; a bad one saves nothing; every change is
audited; opting out takes the listing off the directory at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hopeful.framework.certification import State, Tier
from hopeful.web.audit.models import AuditEvent
from hopeful.web.directory.models import Listing
from hopeful.web.learning.models import LearnerProfile
from hopeful.web.organizations.models import Role
from tests.web import factories as f
from tests.web.directory.helpers import (
    NOW,
    certify,
    fixed_time,  # noqa: F401 - autouse: the tests run at NOW
)
from tests.web.directory.test_search import names

pytestmark = pytest.mark.django_db


def listing_post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "display_name": "Rosa Díaz",
        "about": "Workshops for parents and teachers.",
        "zip_code": "02139",
        "languages": ["en", "es"],
        "sectors": ["education", "community"],
        "in_person": "on",
        "virtual": "on",
        "opted_in": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def rosa() -> Any:
    user = f.make_user("rosa@example.org", display_name="Rosa")
    LearnerProfile.objects.create(
        user=user,
        full_name="Rosa Díaz",
        state="MA",
        zip_code="02139",
        sector="education",
        languages=["en", "es"],
    )
    return user


def test_signing_in_is_needed(client: Client) -> None:
    response = client.get("/trainers/me/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("state", [None, State.EXPIRED, State.SUSPENDED, State.REVOKED])
def test_only_certified_people_may_be_listed(client: Client, rosa: Any, state: Any) -> None:
    if state is not None:
        certify(user=rosa, state=state)
    client.force_login(rosa)
    response = client.get("/trainers/me/")
    assert response.status_code == 403
    content = response.content.decode()
    assert 'href="/trainings/"' in content
    assert "Once you are certified" in content
    response = client.post("/trainers/me/", listing_post())
    assert response.status_code == 403
    assert not Listing.objects.exists()


def test_the_form_is_prefilled_from_the_learner_profile(client: Client, rosa: Any) -> None:
    certify(user=rosa)
    client.force_login(rosa)
    response = client.get("/trainers/me/")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Rosa Díaz"' in content
    assert 'value="02139"' in content
    assert "never your email address or phone" in content


def test_saving_places_the_listing_and_lists_it(client: Client, rosa: Any) -> None:
    certify(user=rosa, tier=Tier.CHAMPION)
    client.force_login(rosa)
    response = client.post("/trainers/me/", listing_post())
    assert response.status_code == 302
    listing = Listing.objects.get(user=rosa)
    assert (listing.city, listing.state, listing.zip_code) == ("Cambridge", "MA", "02139")
    assert (listing.latitude, listing.longitude) == (42.3647, -71.1042)
    assert listing.opted_in
    assert listing.opted_in_at is not None
    assert listing.opted_in_at >= NOW
    assert listing.languages == ["en", "es"]
    event = AuditEvent.objects.get(verb="directory.listing_update")
    assert event.actor == rosa
    assert event.extra["opted_in"] is True
    assert names(client.get("/trainers/?zip=02111").content.decode()) == ["Rosa Díaz"]
    assert "You are listed in the public directory." in client.get("/trainers/me/").content.decode()


@pytest.mark.parametrize(
    ("zip_code", "message"),
    [
        ("2139", "Enter a 5-digit ZIP code, for example 02111."),
        ("00000", "We don&#x27;t know the ZIP code 00000. Check it and try again."),
        ("", "This field is required."),
    ],
)
def test_a_bad_zip_code_saves_nothing(
    client: Client, rosa: Any, zip_code: str, message: str
) -> None:
    certify(user=rosa)
    client.force_login(rosa)
    response = client.post("/trainers/me/", listing_post(zip_code=zip_code))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Listing.objects.exists()
    assert not AuditEvent.objects.filter(verb="directory.listing_update").exists()


def test_unknown_languages_and_over_long_text_are_refused(client: Client, rosa: Any) -> None:
    certify(user=rosa)
    client.force_login(rosa)
    for changes in ({"languages": ["xx"]}, {"about": "a" * 1501}, {"display_name": ""}):
        response = client.post("/trainers/me/", listing_post(**changes))
        assert response.status_code == 400, changes
    assert not Listing.objects.exists()


def test_removing_oneself_takes_the_listing_off_at_once(client: Client, rosa: Any) -> None:
    certify(user=rosa)
    client.force_login(rosa)
    client.post("/trainers/me/", listing_post())
    assert names(client.get("/trainers/?zip=02111").content.decode()) == ["Rosa Díaz"]
    response = client.post("/trainers/me/", {"remove": "1"})
    assert response.status_code == 302
    listing = Listing.objects.get(user=rosa)
    assert not listing.opted_in
    assert listing.opted_in_at is None
    assert names(client.get("/trainers/?zip=02111").content.decode()) == []
    assert client.get(f"/trainers/{listing.public_id}/").status_code == 404
    assert AuditEvent.objects.filter(verb="directory.listing_update").count() == 2


def test_saving_without_the_box_ticked_keeps_one_off_the_directory(
    client: Client, rosa: Any
) -> None:
    certify(user=rosa)
    client.force_login(rosa)
    client.post("/trainers/me/", listing_post(opted_in=None))
    assert not Listing.objects.get(user=rosa).opted_in
    assert names(client.get("/trainers/?zip=02111").content.decode()) == []


# --- an organization's listing ------------------------------------------------------------


@pytest.fixture
def org() -> Any:
    return f.make_org("Harbor Family Center", state="MA", kind="community")


def org_post(**changes: Any) -> dict[str, Any]:
    data = listing_post(
        display_name="Harbor Family Center",
        zip_code="01901",
        implements="HOPE-informed intake and home visits.",
        website="https://harbor.example.org",
    )
    data.update(changes)
    return data


def test_an_outsider_gets_404_and_a_member_403(client: Client, org: Any) -> None:
    other = f.make_org("Other Clinic")
    outsider = f.make_member(other, Role.ORG_ADMIN, "admin@other.example.org")
    f.login_verified(client, outsider)
    assert client.get(f"/orgs/{org.public_id}/directory/").status_code == 404
    assert client.post(f"/orgs/{org.public_id}/directory/", org_post()).status_code == 404
    for role in (Role.VIEWER, Role.PRACTITIONER, Role.ANALYST):
        member = f.make_member(org, role, f"{role}@harbor.example.org")
        member_client = Client()
        f.login_verified(member_client, member)
        assert member_client.get(f"/orgs/{org.public_id}/directory/").status_code == 403
        assert (
            member_client.post(f"/orgs/{org.public_id}/directory/", org_post()).status_code == 403
        )
    assert not Listing.objects.exists()


def test_an_uncertified_organization_is_told_it_is_not_shown(client: Client, org: Any) -> None:
    admin = f.make_member(org, Role.ORG_ADMIN, "admin@harbor.example.org")
    f.login_verified(client, admin)
    content = client.get(f"/orgs/{org.public_id}/directory/").content.decode()
    assert 'value="Harbor Family Center"' in content
    assert "does not hold a valid HOPE-informed organization certification" in content
    assert client.post(f"/orgs/{org.public_id}/directory/", org_post()).status_code == 302
    assert Listing.objects.get(organization=org).opted_in
    assert names(client.get("/trainers/?zip=01901").content.decode()) == []


def test_a_certified_organization_is_listed_and_may_leave(client: Client, org: Any) -> None:
    certify(organization=org)
    admin = f.make_member(org, Role.ORG_ADMIN, "admin@harbor.example.org")
    f.login_verified(client, admin)
    assert "certified until" in client.get(f"/orgs/{org.public_id}/directory/").content.decode()
    response = client.post(f"/orgs/{org.public_id}/directory/", org_post())
    assert response.status_code == 302
    listing = Listing.objects.get(organization=org)
    assert listing.implements == "HOPE-informed intake and home visits."
    assert (listing.city, listing.state) == ("Lynn", "MA")
    event = AuditEvent.objects.get(verb="directory.listing_update")
    assert event.organization == org
    assert event.actor == admin
    assert names(client.get("/trainers/?zip=01901").content.decode()) == ["Harbor Family Center"]
    detail = client.get(f"/trainers/{listing.public_id}/").content.decode()
    assert "HOPE-informed intake and home visits." in detail
    client.post(f"/orgs/{org.public_id}/directory/", {"remove": "1"})
    assert names(client.get("/trainers/?zip=01901").content.decode()) == []


def test_the_organization_form_refuses_a_bad_zip_code(client: Client, org: Any) -> None:
    admin = f.make_member(org, Role.ORG_ADMIN, "admin@harbor.example.org")
    f.login_verified(client, admin)
    response = client.post(f"/orgs/{org.public_id}/directory/", org_post(zip_code="abc"))
    assert response.status_code == 400
    assert "Enter a 5-digit ZIP code, for example 02111." in response.content.decode()
    response = client.post(f"/orgs/{org.public_id}/directory/", org_post(website="not a url!"))
    assert response.status_code == 400
    assert not Listing.objects.exists()
