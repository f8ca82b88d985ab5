"""The audit log page: org admins only, this organization's events only, filters, pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hopeful.web.audit.services import audit_record
from tests.web.factories import SITE_MENU_QUERIES, login_verified


def log_url(org: Any) -> str:
    return reverse("audit:events", args=[org.public_id])


@pytest.fixture
def admin_client(client: Client, two_tenants: dict[str, Any]) -> Client:
    login_verified(client, two_tenants["members_a"]["org_admin"])
    return client


def test_the_log_shows_time_actor_verb_object_and_request_id(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    audit_record(
        verb="family.view",
        actor=t["members_a"]["practitioner"],
        organization=t["org_a"],
        obj=t["family_a"],
    )
    response = admin_client.get(log_url(t["org_a"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "family.view" in body
    assert "practitioner@a.example.org" in body
    assert str(t["family_a"].public_id) in body
    assert "families.family" in body


def test_the_log_never_shows_another_organizations_events(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    audit_record(
        verb="family.view",
        actor=t["members_b"]["practitioner"],
        organization=t["org_b"],
        obj=t["family_b"],
    )
    audit_record(verb="platform.thing", actor=None, organization=None, object_id="global")
    body = admin_client.get(log_url(t["org_a"])).content.decode()
    assert str(t["family_b"].public_id) not in body
    assert "practitioner@b.example.org" not in body
    assert "platform.thing" not in body


def test_filters_by_verb_actor_object_and_dates(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    org = t["org_a"]
    with time_machine.travel(dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC), tick=False):
        audit_record(verb="old.event", actor=t["members_a"]["org_admin"], organization=org)
    audit_record(
        verb="family.view", actor=t["members_a"]["practitioner"], organization=org, object_id="f1"
    )
    audit_record(verb="export.csv", actor=t["members_a"]["org_admin"], organization=org)

    def events(**params: str) -> str:
        response = admin_client.get(log_url(org), params)
        assert response.status_code == 200
        return response.content.decode()

    body = events(verb="family.view")
    assert "<dd>family.view</dd>" in body
    assert "<dd>export.csv</dd>" not in body

    body = events(actor_email="PRACTITIONER@a.example.org")
    assert "<dd>family.view</dd>" in body
    assert "<dd>export.csv</dd>" not in body

    body = events(object_id="f1")
    assert "<dd>family.view</dd>" in body
    assert "<dd>old.event</dd>" not in body

    body = events(date_to="2026-01-31")
    assert "<dd>old.event</dd>" in body
    assert "<dd>family.view</dd>" not in body

    today = timezone.now().date().isoformat()
    body = events(date_from=today)
    assert "<dd>old.event</dd>" not in body
    assert "<dd>export.csv</dd>" in body


def test_an_invalid_filter_is_reported_and_the_others_still_apply(
    admin_client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    audit_record(verb="family.view", actor=None, organization=t["org_a"], object_id="f1")
    audit_record(verb="export.csv", actor=None, organization=t["org_a"])
    body = admin_client.get(log_url(t["org_a"]), {"date_from": "not a date", "object_id": "f1"})
    text = body.content.decode()
    assert "were not understood" in text
    assert "<dd>family.view</dd>" in text
    assert "<dd>export.csv</dd>" not in text


def test_the_log_is_newest_first_50_a_page_with_a_bounded_number_of_queries(
    admin_client: Client, two_tenants: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    t = two_tenants
    start = timezone.now() - dt.timedelta(hours=2)
    for i in range(60):
        with time_machine.travel(start + dt.timedelta(minutes=i), tick=False):
            audit_record(
                verb="test.event",
                actor=t["members_a"]["practitioner"],
                organization=t["org_a"],
                object_id=f"obj-{i:02d}",
            )
    with django_assert_max_num_queries(12 + SITE_MENU_QUERIES):
        body = admin_client.get(log_url(t["org_a"])).content.decode()
    assert body.count('<li class="card">') == 50
    assert body.index("obj-59") < body.index("obj-58")
    assert "obj-09" not in body
    with django_assert_max_num_queries(12 + SITE_MENU_QUERIES):
        second = admin_client.get(log_url(t["org_a"]), {"page": 2, "verb": "test.event"})
    text = second.content.decode()
    assert "obj-09" in text
    assert "obj-10" not in text


@pytest.mark.parametrize("role", ["practitioner", "analyst", "researcher", "viewer"])
def test_only_org_admins_read_the_audit_log(
    client: Client, two_tenants: dict[str, Any], role: str
) -> None:
    login_verified(client, two_tenants["members_a"][role])
    assert client.get(log_url(two_tenants["org_a"])).status_code == 403
