"""Recent submissions: scoped to the user's programs, consented families only, audited."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from hopeful.web.audit.models import AuditEvent
from tests.web import factories as f
from tests.web.factories import SITE_MENU_QUERIES
from tests.web.practice.factories import make_submission, now_minus


def list_url(org: Any) -> str:
    return reverse("practice:submissions", args=[org.public_id])


def test_the_list_shows_family_program_date_language_and_score_per_instrument(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    make_submission(t["family_a"], t["campaign_a"], t["link_a"], language="es")
    response = signed_in("practitioner").get(list_url(t["org_a"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Family A" in body
    assert "Main site" in body
    assert "Spanish" in body
    assert "Positive childhood experiences" in body
    assert "Score 4" in body
    assert "group 3-5" in body
    family_url = reverse(
        "practice:family_detail", args=[t["org_a"].public_id, t["family_a"].public_id]
    )
    assert family_url in body
    assert "withdraws that consent" in body


def test_the_newest_submission_comes_first(signed_in: Any, two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    older = f.make_family(t["org_a"], t["program_a"], "Older family")
    f.grant_consent(older)
    make_submission(older, t["campaign_a"], t["link_a"], submitted_at=now_minus(days=3))
    make_submission(t["family_a"], t["campaign_a"], t["link_a"], submitted_at=now_minus(days=1))
    body = signed_in("org_admin").get(list_url(t["org_a"])).content.decode()
    assert body.index("Family A") < body.index("Older family")


def test_a_practitioner_sees_only_the_programs_they_work_in(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    north = f.make_family(t["org_a"], t["other_program_a"], "North family")
    f.grant_consent(north)
    north_campaign = f.make_campaign(t["org_a"], t["other_program_a"], t["members_a"]["org_admin"])
    north_link, _token = f.make_link(north_campaign, t["members_a"]["org_admin"])
    make_submission(north, north_campaign, north_link)
    make_submission(t["family_a"], t["campaign_a"], t["link_a"])

    practitioner_body = signed_in("practitioner").get(list_url(t["org_a"])).content.decode()
    assert "Family A" in practitioner_body
    assert "North family" not in practitioner_body

    admin_body = signed_in("org_admin").get(list_url(t["org_a"])).content.decode()
    assert "North family" in admin_body


def test_another_organizations_submissions_never_appear(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    make_submission(t["family_b"], t["campaign_b"], t["link_b"])
    body = signed_in("org_admin").get(list_url(t["org_a"])).content.decode()
    assert "Family B" not in body


def test_the_list_is_paginated_by_25_with_a_bounded_number_of_queries(
    signed_in: Any, two_tenants: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    t = two_tenants
    for i in range(30):
        family = f.make_family(t["org_a"], t["program_a"], f"Paged {i:02d}")
        f.grant_consent(family, "care")
        make_submission(family, t["campaign_a"], t["link_a"], submitted_at=now_minus(minutes=i))
    client = signed_in("org_admin")
    with django_assert_max_num_queries(16 + SITE_MENU_QUERIES):
        first = client.get(list_url(t["org_a"]))
    body = first.content.decode()
    assert body.count('<li class="card">') == 25
    assert "Page 1 of 2" in body
    assert "Paged 00" in body
    assert "Paged 29" not in body
    with django_assert_max_num_queries(16 + SITE_MENU_QUERIES):
        second = client.get(list_url(t["org_a"]), {"page": 2})
    assert "Paged 29" in second.content.decode()


def test_every_page_view_writes_one_list_view_audit_event(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    make_submission(t["family_a"], t["campaign_a"], t["link_a"])
    client = signed_in("practitioner")
    client.get(list_url(t["org_a"]))
    events = AuditEvent.objects.filter(verb="submission.list_view")
    assert events.count() == 1
    event = events.get()
    assert event.actor == t["members_a"]["practitioner"]
    assert event.organization == t["org_a"]
    assert event.extra["count"] == 1
    assert event.request_id


def test_a_family_without_care_consent_is_not_listed(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    counted_only = f.make_family(t["org_a"], t["program_a"], "Counted only")
    f.grant_consent(counted_only, "program_improvement", "research")
    make_submission(counted_only, t["campaign_a"], t["link_a"])
    body = signed_in("org_admin").get(list_url(t["org_a"])).content.decode()
    assert "Counted only" not in body


def test_aggregate_roles_are_refused_the_list(signed_in: Any, two_tenants: dict[str, Any]) -> None:
    for role in ("analyst", "researcher", "viewer"):
        response = signed_in(role).get(list_url(two_tenants["org_a"]))
        assert response.status_code == 403, role
