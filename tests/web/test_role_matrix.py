"""Role x URL matrix inside one organization (AZ-01): one table, every tenant URL, every role.

Each member of organization A, signed in with a verified second factor, requests each of
A's tenant URLs; the table says whether the role is let in (200 or a redirect) or refused
(403). Anonymous visitors are sent to sign in. Adding a tenant URL forces a decision here:
the test fails until the URL has a row.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hopeful.web.organizations.models import Role
from tests.web import factories as f
from tests.web.practice.factories import make_submission
from tests.web.test_url_inventory import OUTSIDER_CASES, tenant_urls

OK, DENIED = "ok", "403"

ADMIN, PRACTITIONER = Role.ORG_ADMIN.value, Role.PRACTITIONER.value
AGGREGATE_ROLES = (Role.ANALYST.value, Role.RESEARCHER.value, Role.VIEWER.value)


@pytest.fixture
def two_tenants(shared_two_tenants: dict[str, Any], db: None) -> dict[str, Any]:
    """This module's many tests share one pair of organizations (tests/web/conftest.py), each
    test with its own copy of the objects, as Django's ``setUpTestData`` gives."""
    return copy.deepcopy(shared_two_tenants)


def _allow(*roles: str) -> dict[str, str]:
    return {role: OK if role in roles else DENIED for role in f.ROLES}


EVERYONE = _allow(*f.ROLES)
IDENTIFIABLE = _allow(ADMIN, PRACTITIONER)
ADMIN_ONLY = _allow(ADMIN)
RESEARCH_EXPORTS = _allow(ADMIN, Role.RESEARCHER.value)

#: URL name -> (method, role -> expected). POST only where the view accepts nothing else.
ROLE_MATRIX: dict[str, tuple[str, dict[str, str]]] = {
    "practice:home": ("get", EVERYONE),
    "practice:submissions": ("get", IDENTIFIABLE),
    "practice:family_detail": ("get", IDENTIFIABLE),
    "casework:caseload": ("get", IDENTIFIABLE),
    "casework:assign": ("get", ADMIN_ONLY),
    "casework:contact": ("get", IDENTIFIABLE),
    "casework:map": ("get", IDENTIFIABLE),
    "casework:visit_new": ("get", IDENTIFIABLE),
    "casework:visit": ("get", IDENTIFIABLE),
    "casework:reminders": ("get", IDENTIFIABLE),
    "casework:summary": ("get", IDENTIFIABLE),
    "casework:summary_pdf": ("get", IDENTIFIABLE),
    "casework:family_goals": ("get", IDENTIFIABLE),
    "casework:goal_new": ("get", IDENTIFIABLE),
    "casework:goal": ("get", IDENTIFIABLE),
    "casework:celebration_new": ("get", IDENTIFIABLE),
    "casework:review_new": ("get", IDENTIFIABLE),
    "casework:review": ("get", IDENTIFIABLE),
    "casework:reviews": ("get", IDENTIFIABLE),
    "practice:export_csv": ("get", IDENTIFIABLE),
    "audit:events": ("get", ADMIN_ONLY),
    "organizations:members": ("get", ADMIN_ONLY),
    "organizations:member_invite": ("get", ADMIN_ONLY),
    "organizations:invitation_revoke": ("post", ADMIN_ONLY),
    "organizations:support_grant": ("get", ADMIN_ONLY),
    "organizations:support_revoke": ("post", ADMIN_ONLY),
    "organizations:member_edit": ("get", ADMIN_ONLY),
    "organizations:member_remove": ("get", ADMIN_ONLY),
    "organizations:member_second_factor_reset": ("get", ADMIN_ONLY),
    "campaigns:list": ("get", IDENTIFIABLE),
    "campaigns:create": ("get", ADMIN_ONLY),
    "campaigns:detail": ("get", IDENTIFIABLE),
    "campaigns:edit": ("get", ADMIN_ONLY),
    "campaigns:open": ("post", ADMIN_ONLY),
    "campaigns:close": ("post", ADMIN_ONLY),
    "campaigns:link_create": ("get", ADMIN_ONLY),
    "campaigns:link_revoke": ("post", ADMIN_ONLY),
    # a download, not a page: the link-created page posts the token it holds once
    "campaigns:link_kit": ("post", ADMIN_ONLY),
    "insights:dashboard": ("get", _allow(ADMIN, Role.ANALYST.value)),
    "insights:program_sizes": ("get", ADMIN_ONLY),
    "brightspots:org": ("get", _allow(ADMIN, Role.ANALYST.value, Role.RESEARCHER.value)),
    "reports:list": ("get", _allow(ADMIN, Role.ANALYST.value)),
    "reports:detail": ("get", _allow(ADMIN, Role.ANALYST.value)),
    "reports:download": ("get", _allow(ADMIN, Role.ANALYST.value)),
    # de-identified record-level exports for research: researchers and org admins only
    "deidentified:list": ("get", RESEARCH_EXPORTS),
    "deidentified:detail": ("get", RESEARCH_EXPORTS),
    "deidentified:download": ("get", RESEARCH_EXPORTS),
    "deidentified:dictionary": ("get", RESEARCH_EXPORTS),
    # labelled SPSS/Stata/SAS files: identifiable rows, for the care team
    "labelled:list": ("get", IDENTIFIABLE),
    "labelled:detail": ("get", IDENTIFIABLE),
    "labelled:download": ("get", IDENTIFIABLE),
    "labelled:formats": ("get", IDENTIFIABLE),
    # webhooks: org admins only
    "webhooks:list": ("get", ADMIN_ONLY),
    "webhooks:detail": ("get", ADMIN_ONLY),
    "webhooks:delete": ("get", ADMIN_ONLY),
    "webhooks:test": ("post", ADMIN_ONLY),
    "webhooks:rotate": ("post", ADMIN_ONLY),
    "webhooks:disable": ("post", ADMIN_ONLY),
    "webhooks:enable": ("post", ADMIN_ONLY),
    "webhooks:redeliver": ("post", ADMIN_ONLY),
    # API tokens for other systems: org admins only
    "api_tokens:list": ("get", ADMIN_ONLY),
    "api_tokens:revoke": ("post", ADMIN_ONLY),
    # imports of ODK/KoboToolbox and REDCap files: the care team (practitioners into the
    # surveys of their programs)
    "imports:list": ("get", IDENTIFIABLE),
    "imports:new": ("get", IDENTIFIABLE),
    "imports:detail": ("get", IDENTIFIABLE),
    "imports:confirm": ("post", IDENTIFIABLE),
    "imports:cancel": ("post", IDENTIFIABLE),
    # the research workspace (uploaded survey files, analyses): researchers and org admins
    "workspace:home": ("get", RESEARCH_EXPORTS),
    "workspace:upload": ("get", RESEARCH_EXPORTS),
    "workspace:example": ("post", RESEARCH_EXPORTS),
    "workspace:file_detail": ("get", RESEARCH_EXPORTS),
    "workspace:file_delete": ("get", RESEARCH_EXPORTS),
    "workspace:analysis_new": ("get", RESEARCH_EXPORTS),
    "workspace:analysis_choose": ("get", RESEARCH_EXPORTS),
    "workspace:analysis_detail": ("get", RESEARCH_EXPORTS),
    "workspace:analysis_download": ("get", RESEARCH_EXPORTS),
    # the six-standards self-assessment: every member reads, org admins write
    "standards:overview": ("get", EVERYONE),
    "standards:assessment_new": ("post", ADMIN_ONLY),
    "standards:assessment": ("get", EVERYONE),
    "standards:results": ("get", EVERYONE),
    "standards:plan": ("get", EVERYONE),
    "standards:action_new": ("get", ADMIN_ONLY),
    "standards:action_edit": ("get", ADMIN_ONLY),
    "standards:certification_apply": ("post", ADMIN_ONLY),
    # the public network: the admin edits the directory listing; every member reads the
    # organization's community strengths, the care team (admin, practitioners) records them
    "directory_org:edit": ("get", ADMIN_ONLY),
    "assets_org:list": ("get", EVERYONE),
    "assets_org:new": ("get", IDENTIFIABLE),
    "assets_org:edit": ("get", IDENTIFIABLE),
    "assets_org:archive": ("post", IDENTIFIABLE),
}

#: POST bodies for rows whose action needs one to succeed (URL name -> builder of the body).
POST_BODIES: dict[str, Callable[[dict[str, Any]], dict[str, str]]] = {
    "campaigns:link_kit": lambda t: {
        "token": t["token_a"],
        "kind": "card",
        "language": "en",
        "paper": "letter",
    },
}

#: Pages with identifiable family records: never for analysts, researchers or viewers.
IDENTIFIABLE_PAGES = (
    "practice:submissions",
    "labelled:list",
    "labelled:detail",
    "labelled:download",
    "labelled:formats",
    "practice:family_detail",
    "practice:export_csv",
    "casework:caseload",
    "casework:assign",
    "casework:contact",
    "casework:map",
    "casework:summary",
    "casework:summary_pdf",
    "casework:family_goals",
    "casework:goal",
    "casework:review",
    "casework:reviews",
    "imports:detail",
)

#: The only tenant pages aggregate roles may open. Widening this is a privacy decision.
AGGREGATE_PAGES = frozenset(
    {
        "practice:home",
        "insights:dashboard",
        # which programs do better than expected for the families they serve: a model of
        # the dashboard's rows, published with the same protection (never a family's row)
        "brightspots:org",
        # the dashboard's numbers as a PDF or a file, with the same protection
        "reports:list",
        "reports:detail",
        "reports:download",
        # de-identified exports for research (researchers): every family has research
        # consent, Safe Harbor identifiers are removed and k >= 11 holds (docs/research.md)
        "deidentified:list",
        "deidentified:detail",
        "deidentified:download",
        "deidentified:dictionary",
        # the research workspace: survey files the organization's researchers upload
        # themselves (BRFSS, NSCH, their own studies) and analyses of them; never the
        # platform's family records
        "workspace:home",
        "workspace:upload",
        "workspace:example",
        "workspace:file_detail",
        "workspace:file_delete",
        "workspace:analysis_new",
        "workspace:analysis_choose",
        "workspace:analysis_detail",
        "workspace:analysis_download",
        # the organization's own statements about its policies and practices (no family
        # records): the six-standards self-assessment, its results and the improvement plan
        "standards:overview",
        "standards:assessment",
        "standards:results",
        "standards:plan",
        # the public places and programs the organization put on the community strengths
        # map (parks, libraries, youth programs: never a family)
        "assets_org:list",
    }
)


def test_every_tenant_url_has_a_row_in_the_role_matrix() -> None:
    missing = sorted({e.name for e in tenant_urls()} - set(ROLE_MATRIX) - {None})
    assert not missing, (
        f"tenant URLs without a ROLE_MATRIX row in tests/web/test_role_matrix.py: {missing}. "
        "Decide which roles may use each one."
    )


def test_the_role_matrix_names_only_tenant_urls_that_exist() -> None:
    assert set(ROLE_MATRIX) <= {e.name for e in tenant_urls()}


def test_aggregate_roles_never_reach_identifiable_pages() -> None:
    for name in IDENTIFIABLE_PAGES:
        _method, expected = ROLE_MATRIX[name]
        for role in AGGREGATE_ROLES:
            assert expected[role] == DENIED, (name, role)
    reachable = {
        name
        for name, (_method, expected) in ROLE_MATRIX.items()
        if any(expected[role] == OK for role in AGGREGATE_ROLES)
    }
    assert reachable <= AGGREGATE_PAGES, reachable - AGGREGATE_PAGES


def _cases() -> list[Any]:
    names = sorted(e.name for e in tenant_urls() if e.name in ROLE_MATRIX)
    return [
        pytest.param(name, role, id=f"{name}-{role}")
        for name in names
        for role in [*f.ROLES, "anonymous"]
    ]


@pytest.mark.parametrize(("name", "role"), _cases())
def test_role_matrix(client: Client, two_tenants: dict[str, Any], name: str, role: str) -> None:
    t = two_tenants
    # something to show on the record pages
    make_submission(t["family_a"], t["campaign_a"], t["link_a"])
    method, expected = ROLE_MATRIX[name]
    url = reverse(name, kwargs=OUTSIDER_CASES[name](t))
    if role != "anonymous":
        f.login_verified(client, t["members_a"][role])

    body = POST_BODIES[name](t) if name in POST_BODIES else None
    response = getattr(client, method)(url, body)

    if role == "anonymous":
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(reverse("accounts:login"))
    elif expected[role] == OK:
        assert response.status_code in (200, 302), (name, role, response.status_code)
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == 403, (name, role, response.status_code)


@pytest.mark.parametrize("role", AGGREGATE_ROLES)
def test_an_aggregate_role_without_a_second_factor_still_sees_aggregates(
    client: Client, two_tenants: dict[str, Any], role: str
) -> None:
    # roles that never see records are not sent to the two-factor step
    client.force_login(two_tenants["members_a"][role])
    url = reverse("practice:home", args=[two_tenants["org_a"].public_id])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", [ADMIN, PRACTITIONER])
def test_an_identifiable_role_without_a_second_factor_is_sent_to_it_first(
    client: Client, two_tenants: dict[str, Any], role: str
) -> None:
    client.force_login(two_tenants["members_a"][role])
    url = reverse("practice:submissions", args=[two_tenants["org_a"].public_id])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))
