"""Who opens which page of the six-standards self-assessment: every member reads, org admins
write, outsiders and network staff without a support grant get 404, support access reads
but writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hopeful.web.organizations.models import Role, SupportGrant
from hopeful.web.standards import services
from hopeful.web.standards.models import Assessment, ImprovementAction
from tests.web import factories as f
from tests.web.standards.conftest import submitted, url

pytestmark = pytest.mark.django_db

READERS = dict.fromkeys(f.ROLES, 200)
ADMIN_ONLY = {role: (200 if role == Role.ORG_ADMIN else 403) for role in f.ROLES}
ADMIN_POST = {role: (302 if role == Role.ORG_ADMIN else 403) for role in f.ROLES}


def _objects(t: dict[str, Any]) -> dict[str, Any]:
    admin = t["members_a"][Role.ORG_ADMIN]
    assessment = submitted(t["org_a"], admin)
    action, _ = services.action_add(
        organization=t["org_a"],
        actor=admin,
        standard_id="bridge_to_hope",
        text="Name a HOPE lead",
        owner=admin,
        due_date=timezone.localdate() + dt.timedelta(days=30),
    )
    return {"assessment_id": assessment.public_id, "action_id": action.public_id}


def _cases(ids: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], dict[str, int]]]:
    """(URL name, method, URL arguments, role -> status)."""
    return [
        ("overview", "get", {}, READERS),
        ("assessment_new", "post", {}, ADMIN_POST),
        ("assessment", "get", {"assessment_id": ids["assessment_id"]}, READERS),
        ("results", "get", {"assessment_id": ids["assessment_id"]}, READERS),
        ("plan", "get", {}, READERS),
        ("action_new", "get", {}, ADMIN_ONLY),
        ("action_edit", "get", {"action_id": ids["action_id"]}, ADMIN_ONLY),
        ("certification_apply", "post", {}, ADMIN_POST),
    ]


@pytest.mark.parametrize("role", f.ROLES)
def test_role_matrix(client: Client, t: dict[str, Any], role: str) -> None:
    ids = _objects(t)
    f.login_verified(client, t["members_a"][role])
    for name, method, kwargs, expected in _cases(ids):
        response = getattr(client, method)(url(name, t["org_a"], **kwargs))
        assert response.status_code == expected[role], (name, role, response.status_code)


def test_a_member_of_another_organization_gets_404_everywhere(
    client: Client, t: dict[str, Any]
) -> None:
    ids = _objects(t)
    f.login_verified(client, t["members_b"][Role.ORG_ADMIN])
    for name, method, kwargs, _expected in _cases(ids):
        response = getattr(client, method)(url(name, t["org_a"], **kwargs))
        assert response.status_code == 404, name


def test_objects_of_another_organization_are_404_under_your_own(
    client: Client, t: dict[str, Any]
) -> None:
    ids = _objects(t)
    f.login_verified(client, t["members_b"][Role.ORG_ADMIN])
    for name, method, kwargs, _expected in _cases(ids):
        if kwargs:
            response = getattr(client, method)(url(name, t["org_b"], **kwargs))
            assert response.status_code == 404, name
    posted = client.post(
        url("assessment", t["org_b"], assessment_id=ids["assessment_id"]), {"action": "save"}
    )
    assert posted.status_code == 404


def test_network_staff_without_a_support_grant_get_404(client: Client, t: dict[str, Any]) -> None:
    ids = _objects(t)
    staff = f.make_user("staff@hope.example.org", is_network_staff=True)
    f.login_verified(client, staff)
    for name, method, kwargs, _expected in _cases(ids):
        assert getattr(client, method)(url(name, t["org_a"], **kwargs)).status_code == 404, name


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, t: dict[str, Any]) -> None:
    response = client.get(url("overview", t["org_a"]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_support_access_reads_but_writes_nothing(client: Client, t: dict[str, Any]) -> None:
    ids = _objects(t)
    staff = f.make_user("support@hope.example.org", is_network_staff=True)
    SupportGrant.objects.create(
        staff=staff,
        organization=t["org_a"],
        granted_by=t["members_a"][Role.ORG_ADMIN],
        reason="help",
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )
    f.login_verified(client, staff)
    before = (Assessment.objects.count(), ImprovementAction.objects.count())
    overview = client.get(url("overview", t["org_a"]))
    assert overview.status_code == 200
    assert url("assessment_new", t["org_a"]) not in overview.content.decode()
    assert client.get(url("plan", t["org_a"])).status_code == 200
    assert (
        client.get(url("results", t["org_a"], assessment_id=ids["assessment_id"])).status_code
        == 200
    )
    assert client.post(url("assessment_new", t["org_a"])).status_code == 403
    assert client.get(url("action_new", t["org_a"])).status_code == 403
    assert client.get(url("action_edit", t["org_a"], action_id=ids["action_id"])).status_code == 403
    assert client.post(url("certification_apply", t["org_a"])).status_code == 403
    assert (Assessment.objects.count(), ImprovementAction.objects.count()) == before
