"""The visit guide page: the prompts for the family's children's ages in the family's
language, ticked and answered, saved as a visit; restricted notes are read only by their
author and the program's supervisors (anyone else: 404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hopeful.framework.visit_guide import get_visit_guide
from hopeful.web.audit.models import AuditEvent
from hopeful.web.casework.models import Visit
from hopeful.web.families.models import Family
from hopeful.web.organizations.models import Membership, Role
from tests.web import factories as f

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    f.login_verified(client, user)
    return client


def new_url(t: dict[str, Any], prefix: str = "", query: str = "") -> str:
    family = t["family_a"]
    return f"{prefix}/orgs/{t['org_a'].public_id}/families/{family.public_id}/visits/new/{query}"


def test_the_guide_shows_the_childs_age_band_in_the_familys_language(
    two_tenants: dict[str, Any],
) -> None:
    t = two_tenants
    Family.objects.filter(pk=t["family_a"].pk).update(preferred_language="es")
    today = timezone.localdate()
    f.make_child(t["family_a"], dt.date(today.year - 3, today.month, 1))  # 3 years old
    text = signed_in(t["members_a"]["practitioner"]).get(new_url(t)).content.decode()
    guide = get_visit_guide()
    first = guide.section("relationships", "age_1_4").prompts[0]
    assert first.text.get_text("es") in text  # the family's language
    assert first.text.get_text("en") in text  # and the reader's, as a hint
    assert guide.section("relationships", "under_1").prompts[0].text.get_text("es") not in text
    caregiver = signed_in(t["members_a"]["practitioner"]).get(new_url(t, query="?band=caregiver"))
    assert guide.section("relationships", "caregiver").prompts[0].text.get_text("es") in (
        caregiver.content.decode()
    )


def test_a_visit_is_saved_with_the_prompts_used_and_shown_again(
    two_tenants: dict[str, Any],
) -> None:
    t = two_tenants
    guide = get_visit_guide()
    section = guide.section("relationships", "caregiver")
    asked, shared = section.prompts[0], section.ideas[0]
    client = signed_in(t["members_a"]["practitioner"])
    response = client.post(
        new_url(t),
        {
            "band": "caregiver",
            "visited_on": timezone.localdate().isoformat(),
            "mode": "home",
            f"used-{asked.id}": "on",
            f"said-{asked.id}": "My aunt taught me to cook",
            f"used-{shared.id}": "on",
            "note": "Warm visit.",
        },
        follow=True,
    )
    assert response.status_code == 200
    visit = Visit.objects.get()
    assert visit.prompts == {asked.id: "My aunt taught me to cook", shared.id: ""}
    assert visit.guide_version == guide.version
    text = response.content.decode()
    assert "My aunt taught me to cook" in text
    assert asked.text.get_text("en") in text
    assert AuditEvent.objects.filter(verb="visit.create").count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"visited_on": "2999-01-01", "mode": "home", "note": "x"},
        {"visited_on": "2026-01-01", "mode": "", "note": "x"},
        {"visited_on": "2026-01-01", "mode": "home"},
        {"visited_on": "2026-01-01", "mode": "home", "used-rel-u1-p99": "on", "note": ""},
    ],
)
def test_a_bad_visit_shows_an_error_and_stores_nothing(
    two_tenants: dict[str, Any], data: dict[str, str]
) -> None:
    t = two_tenants
    response = signed_in(t["members_a"]["practitioner"]).post(new_url(t), data)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_restricted_note_is_not_found_for_other_readers(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    org = t["org_a"]
    author = t["members_a"]["practitioner"]
    signed_in(author).post(
        new_url(t),
        {
            "band": "caregiver",
            "visited_on": timezone.localdate().isoformat(),
            "mode": "phone",
            "note": "Private worry about the landlord",
            "restricted": "on",
        },
    )
    visit = Visit.objects.get()
    assert visit.restricted
    url = f"/orgs/{org.public_id}/visits/{visit.public_id}/"
    assert "Private worry" in signed_in(author).get(url).content.decode()
    colleague = f.make_member(org, Role.PRACTITIONER, "colleague@a.example.org")
    Membership.objects.get(user=colleague).programs.set([t["program_a"]])
    assert signed_in(colleague).get(url).status_code == 404
    assert signed_in(t["members_a"]["org_admin"]).get(url).status_code == 404
    Membership.objects.filter(user=t["members_a"]["org_admin"]).update(is_supervisor=True)
    assert "Private worry" in signed_in(t["members_a"]["org_admin"]).get(url).content.decode()
