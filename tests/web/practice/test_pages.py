"""The organization list and an organization's home page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from hopeful.web.organizations.access import access_for
from hopeful.web.organizations.models import SupportGrant
from hopeful.web.practice.selectors import organization_home
from hopeful.web.surveys.models import Submission
from tests.web import factories as f
from tests.web.factories import SITE_MENU_QUERIES
from tests.web.insights.factories import expected_count
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


def _at(year: int, quarter: int, day: int = 0) -> dt.datetime:
    """Noon on a day in the middle of a quarter."""
    return dt.datetime(year, quarter * 3 - 1, 10 + day, 12, tzinfo=dt.UTC)


def _counted(t: dict[str, Any], n: int, at: dt.datetime, name: str) -> list[Submission]:
    """``n`` submissions at ``at`` from families who agreed to be counted in group totals."""
    org, program = t["org_a"], t["program_a"]
    out = []
    for i in range(n):
        family = f.make_family(org, program, f"{name} {i}")
        f.grant_consent(family)
        out.append(make_submission(family, t["campaign_a"], t["link_a"], submitted_at=at))
    return out


def test_an_analyst_sees_quarterly_counts_published_as_the_dashboard_does_and_no_records(
    signed_in: Any, two_tenants: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    t = two_tenants
    org = t["org_a"]
    # 3 submissions in 2025 Q3 (published 1-8: fewer than 11), 16 in 2025 Q2 (published 11-21)
    small = _counted(t, 3, _at(2025, 3), "Counted")
    large = _counted(t, 16, _at(2025, 2), "Also counted")

    client = signed_in("analyst")
    with django_assert_max_num_queries(12 + SITE_MENU_QUERIES):
        response = client.get(home_url(org))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Submissions per quarter, Main site" in body
    assert ">Quarter<" in body
    assert expected_count(small).suppressed
    assert '<th scope="row">2025 Q3</th><td class="num hidden-count">fewer than 11</td>' in body
    shown = expected_count(large)
    assert shown.value is not None
    assert shown.value >= 11
    assert f'<th scope="row">2025 Q2</th><td class="num">{shown.value}</td>' in body
    assert body.index("2025 Q3") < body.index("2025 Q2")  # the most recent first
    assert "Counted 0" not in body
    assert "Family A" not in body
    assert reverse("practice:submissions", args=[org.public_id]) not in body
    assert " families<" not in body
    assert "1 family<" not in body


def test_the_home_page_shows_the_last_eight_quarters_with_submissions(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    # nine quarters with submissions, with a gap (2024 Q2 has none)
    quarters = [(2023, 4), (2024, 1), (2024, 3), (2024, 4)] + [(2025, q) for q in (1, 2, 3, 4)]
    quarters.append((2026, 1))
    for year, quarter in quarters:
        _counted(t, 1, _at(year, quarter), f"{year} Q{quarter}")
    body = signed_in("viewer").get(home_url(t["org_a"])).content.decode()
    shown = [f"{year} Q{quarter}" for year, quarter in quarters[1:]]
    for label in shown:
        assert f'<th scope="row">{label}</th>' in body
    assert "2023 Q4" not in body
    assert "2024 Q2" not in body
    positions = [body.index(f'<th scope="row">{label}</th>') for label in shown]
    assert positions == sorted(positions, reverse=True)  # the most recent first


def test_the_quarters_are_named_in_spanish_on_the_spanish_page(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    _counted(t, 3, _at(2025, 3), "Contada")
    with translation.override("es"):
        url = home_url(t["org_a"])
    body = signed_in("viewer").get(url).content.decode()
    assert "Respuestas por trimestre, Main site" in body
    assert '<th scope="row">T3 2025</th><td class="num hidden-count">menos de 11</td>' in body


def test_the_same_submissions_give_the_same_number_on_the_home_page_and_the_dashboard(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    """Both publish a cell through insights.protection: the count and key sum of exactly the
    counted submissions of the program in the quarter."""
    t = two_tenants
    submissions = _counted(t, 25, _at(2025, 4), "Counted")
    # not counted: no consent to group totals, or another organization
    for i in range(4):
        family = f.make_family(t["org_a"], t["program_a"], f"Care only {i}")
        f.grant_consent(family, "care")
        make_submission(family, t["campaign_a"], t["link_a"], submitted_at=_at(2025, 4))
    make_submission(t["family_b"], t["campaign_b"], t["link_b"], submitted_at=_at(2025, 4))
    access = access_for(t["members_a"]["viewer"], t["org_a"])
    assert access is not None
    home = organization_home(access=access)
    main = next(p for p in home.programs if p.name == "Main site")
    assert [q.label for q in main.quarters] == ["2025 Q4"]
    assert main.quarters[0].count == expected_count(submissions)


def test_quarterly_counts_leave_out_families_who_did_not_agree_to_group_totals(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    org, program = t["org_a"], t["program_a"]
    for i in range(11):
        family = f.make_family(org, program, f"Care only {i}")
        f.grant_consent(family, "care")
        make_submission(family, t["campaign_a"], t["link_a"])
    body = signed_in("viewer").get(home_url(org)).content.decode()
    assert "data-table" not in body
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
        "standards:overview",
        "audit:events",
    ],
    "practitioner": [
        "practice:submissions",
        "campaigns:list",
        "practice:export_csv",
        "standards:overview",
    ],
    "analyst": ["insights:dashboard", "reports:list", "standards:overview"],
    # the six standards self-assessment is the organization's own statements: every member
    "researcher": ["standards:overview"],
    "viewer": ["standards:overview"],
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
    # (the public network's pages under /network/ are in every page's footer)
    assert f'href="{reverse("network:dashboard")}"' not in body


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
