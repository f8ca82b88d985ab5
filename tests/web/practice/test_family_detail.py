"""A family's page: consent, children, answers by building block in the reader's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import translation

from hopeful.web.audit.models import AuditEvent
from tests.web import factories as f
from tests.web.practice.factories import make_submission


def family_url(org: Any, family: Any, language: str = "en") -> str:
    with translation.override(language):
        return reverse("practice:family_detail", args=[org.public_id, family.public_id])


def test_the_page_shows_consent_children_outputs_and_answers_by_block(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    f.make_child(t["family_a"], birth_month=dt.date(2022, 3, 1))
    make_submission(t["family_a"], t["campaign_a"], t["link_a"])
    response = signed_in("practitioner").get(family_url(t["org_a"], t["family_a"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Family A" in body
    assert "My care team may see my answers" in body
    assert "Agreed" in body
    assert "1 to 5 years" in body or "6 to 11 years" in body
    # outputs, labelled from the instrument definition
    assert "Positive childhood experiences (0-7)" in body
    assert "3-5" in body
    # answers grouped under the building blocks, with their labels
    for block in ("Relationships", "Environment", "Emotional growth"):
        assert block in body
    assert "Always" in body
    assert "I did not attend high school" in body


def test_answers_are_shown_in_the_readers_language(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    make_submission(t["family_a"], t["campaign_a"], t["link_a"], language="en")
    body = signed_in("org_admin").get(family_url(t["org_a"], t["family_a"], "es")).content.decode()
    assert "Siempre" in body
    assert "Relaciones" in body
    assert "Hablar con la familia sobre los sentimientos" in body


def test_viewing_a_family_is_audited(signed_in: Any, two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    signed_in("practitioner").get(family_url(t["org_a"], t["family_a"]))
    event = AuditEvent.objects.get(verb="family.view")
    assert event.object_id == str(t["family_a"].public_id)
    assert event.actor == t["members_a"]["practitioner"]
    assert event.organization == t["org_a"]


def test_a_family_in_a_program_the_practitioner_does_not_see_is_not_found(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    north = f.make_family(t["org_a"], t["other_program_a"], "North family")
    f.grant_consent(north)
    response = signed_in("practitioner").get(family_url(t["org_a"], north))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb="family.view").exists()
    assert signed_in("org_admin").get(family_url(t["org_a"], north)).status_code == 200


def test_a_family_of_another_organization_is_not_found_even_for_an_org_admin(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    # org A's admin, B's family under A's org id
    response = signed_in("org_admin").get(family_url(t["org_a"], t["family_b"]))
    assert response.status_code == 404


def test_aggregate_roles_are_refused_family_pages(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    for role in ("analyst", "researcher", "viewer"):
        assert signed_in(role).get(family_url(t["org_a"], t["family_a"])).status_code == 403


def test_an_unscored_instrument_says_why(signed_in: Any, two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    partial = {"pce7": {"pce1": 5, "pce2": None}}
    make_submission(t["family_a"], t["campaign_a"], t["link_a"], answers=partial)
    body = signed_in("org_admin").get(family_url(t["org_a"], t["family_a"])).content.decode()
    assert "Not scored: missing" in body
    assert "No answer" in body
