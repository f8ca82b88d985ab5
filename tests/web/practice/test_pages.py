"""The organization list and an organization's home page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hopeful.web.organizations.models import SupportGrant
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


#: What each role's organization home page links (the dashboard, records, members...).
HOME_LINKS = {
    "org_admin": [
        "insights:dashboard",
        "reports:list",
        "insights:program_sizes",
        "practice:submissions",
        "campaigns:list",
        "practice:export_csv",
        "organizations:members",
        "organizations:member_invite",
        "audit:events",
    ],
    "practitioner": ["practice:submissions", "campaigns:list", "practice:export_csv"],
    "analyst": ["insights:dashboard", "reports:list"],
    "researcher": [],
    "viewer": [],
}


@pytest.mark.parametrize(("role", "linked"), HOME_LINKS.items())
def test_the_home_page_links_exactly_the_pages_the_role_may_open(
    signed_in: Any, two_tenants: dict[str, Any], role: str, linked: list[str]
) -> None:
    org = two_tenants["org_a"]
    body = signed_in(role).get(home_url(org)).content.decode()
    for name in HOME_LINKS["org_admin"]:
        href = f'href="{reverse(name, args=[org.public_id])}"'
        assert (href in body) == (name in linked), (role, name)
    assert ('aria-label="Organization pages"' in body) == bool(linked)


def test_the_home_page_links_are_in_spanish_under_es(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    org = two_tenants["org_a"]
    body = signed_in("org_admin").get(f"/es/orgs/{org.public_id}/").content.decode()
    assert f'<a href="/es/orgs/{org.public_id}/dashboard/">Panel de programas</a>' in body
    assert f'<a href="/es/orgs/{org.public_id}/reports/">Informes</a>' in body
    assert "Números e informes" in body
    assert 'aria-label="Páginas de la organización"' in body


def test_support_staff_are_offered_only_pages_that_let_support_access_in(
    client: Any, two_tenants: dict[str, Any]
) -> None:
    org = two_tenants["org_a"]
    staff = f.make_user("staff@hope.example.org", is_network_staff=True)
    SupportGrant.objects.create(
        staff=staff,
        organization=org,
        granted_by=two_tenants["members_a"]["org_admin"],
        reason="Help with the spring campaign",
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )
    f.login_verified(client, staff)
    body = client.get(home_url(org)).content.decode()
    assert reverse("organizations:members", args=[org.public_id]) in body
    assert reverse("insights:dashboard", args=[org.public_id]) in body
    # these refuse support access: support staff may look, not hand out access or publish
    assert reverse("organizations:member_invite", args=[org.public_id]) not in body
    assert reverse("insights:program_sizes", args=[org.public_id]) not in body


def test_the_organization_list_offers_network_staff_the_network_view(
    client: Any, two_tenants: dict[str, Any]
) -> None:
    staff = f.make_user("staff@hope.example.org", is_network_staff=True)
    client.force_login(staff)
    body = client.get(reverse("practice:organizations")).content.decode()
    assert "Across the network" in body
    assert f'<a href="{reverse("network:dashboard")}">Network view</a>' in body
    client.force_login(two_tenants["members_a"]["org_admin"])
    body = client.get(reverse("practice:organizations")).content.decode()
    assert reverse("network:dashboard") not in body


def test_the_organization_list_shows_support_access_only_while_it_lasts(
    client: Any, two_tenants: dict[str, Any]
) -> None:
    org_a, org_b = two_tenants["org_a"], two_tenants["org_b"]
    staff = f.make_user("staff@hope.example.org", is_network_staff=True)
    now = timezone.now()
    for key, org, expires_at in (
        ("a", org_a, now + dt.timedelta(hours=2)),
        ("b", org_b, now - dt.timedelta(minutes=1)),  # ended
    ):
        SupportGrant.objects.create(
            staff=staff,
            organization=org,
            granted_by=two_tenants[f"members_{key}"]["org_admin"],
            reason="Help with the spring campaign",
            expires_at=expires_at,
        )
    client.force_login(staff)
    body = client.get(reverse("practice:organizations")).content.decode()
    assert "HOPE network support access" in body
    assert f'<a href="{home_url(org_a)}">Sunrise Clinic</a>' in body
    assert "Riverbend Home Visiting" not in body
