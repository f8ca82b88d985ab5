"""The organization list and an organization's home page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from tests.web import factories as f
from tests.web.practice.factories import make_submission


def home_url(org: Any) -> str:
    return reverse("practice:home", args=[org.public_id])


def test_the_organization_list_shows_the_users_organizations_and_role_only(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    client = signed_in("practitioner")
    response = client.get(reverse("practice:organizations"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sunrise Clinic" in body
    assert "Practitioner" in body
    assert "Riverbend Home Visiting" not in body


def test_the_organization_list_needs_a_signed_in_user(client: Any, db: None) -> None:
    response = client.get(reverse("practice:organizations"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_practitioner_sees_programs_family_counts_and_links_to_records(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    org = two_tenants["org_a"]
    response = signed_in("practitioner").get(home_url(org))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Main site" in body
    assert "North site" in body
    assert "1 family" in body
    assert reverse("practice:submissions", args=[org.public_id]) in body
    assert reverse("practice:export_csv", args=[org.public_id]) in body
    assert reverse("campaigns:list", args=[org.public_id]) in body
    # the audit log and members are for org admins
    assert reverse("audit:events", args=[org.public_id]) not in body
    assert reverse("organizations:members", args=[org.public_id]) not in body


def test_an_org_admin_home_links_to_the_audit_log(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    org = two_tenants["org_a"]
    body = signed_in("org_admin").get(home_url(org)).content.decode()
    assert reverse("audit:events", args=[org.public_id]) in body
    assert reverse("organizations:members", args=[org.public_id]) in body
    assert reverse("campaigns:list", args=[org.public_id]) in body


def test_an_analyst_sees_monthly_counts_with_small_counts_hidden_and_no_records(
    signed_in: Any, two_tenants: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    t = two_tenants
    org, program, campaign, link = t["org_a"], t["program_a"], t["campaign_a"], t["link_a"]
    this_month = timezone.now().replace(day=15, hour=12)
    last_month = (this_month.replace(day=1) - dt.timedelta(days=1)).replace(day=15)
    # 3 submissions this month (fewer than 11), 12 last month (shown)
    families = [f.make_family(org, program, f"Counted {i}") for i in range(15)]
    for family in families:
        f.grant_consent(family)
    for family in families[:3]:
        make_submission(family, campaign, link, submitted_at=this_month)
    for family in families[3:]:
        make_submission(family, campaign, link, submitted_at=last_month)

    client = signed_in("analyst")
    with django_assert_max_num_queries(12):
        response = client.get(home_url(org))
    assert response.status_code == 200
    body = response.content.decode()
    assert "fewer than 11" in body
    assert ">12<" in body
    assert ">3<" not in body
    assert "Counted 0" not in body
    assert "Family A" not in body
    assert reverse("practice:submissions", args=[org.public_id]) not in body
    assert " families<" not in body
    assert "1 family<" not in body


def test_monthly_counts_leave_out_families_who_did_not_agree_to_group_totals(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    org, program = t["org_a"], t["program_a"]
    for i in range(11):
        family = f.make_family(org, program, f"Care only {i}")
        f.grant_consent(family, "care")
        make_submission(family, t["campaign_a"], t["link_a"])
    body = signed_in("viewer").get(home_url(org)).content.decode()
    assert ">11<" not in body
    assert "No submissions yet." in body
