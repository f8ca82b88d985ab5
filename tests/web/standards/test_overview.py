"""The overview: current levels, progress over re-assessments as a chart with its table, the
plan's summary, the certification and applying for it (only when ready); its query count;
the Spanish page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from hopeful.framework import standards as rubric
from hopeful.web.audit.models import AuditEvent
from hopeful.web.certification.selectors import organization_certification
from hopeful.web.organizations.models import Role
from hopeful.web.standards import services
from hopeful.web.standards.models import ImprovementAction
from tests.web import factories as f
from tests.web.factories import SITE_MENU_QUERIES
from tests.web.standards.conftest import answers, submitted, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    with time_machine.travel("2026-06-15 10:00 +00:00", tick=False):
        yield


@pytest.fixture
def admin(client: Client, admin_a: Any) -> Client:
    f.login_verified(client, admin_a)
    return client


def _add_step(t: dict[str, Any], actor: Any, text: str = "Name a HOPE lead", days: int = 30) -> Any:
    action, _ = services.action_add(
        organization=t["org_a"],
        actor=actor,
        standard_id="bridge_to_hope",
        text=text,
        owner=actor,
        due_date=dt.date(2026, 6, 15) + dt.timedelta(days=days),
    )
    return action


def _table(html: str, table_id: str) -> str:
    match = re.search(rf'<table class="data-table" id="{table_id}">(.*?)</table>', html, re.S)
    assert match, f"no table {table_id}"
    return match.group(1)


def test_before_any_assessment_the_overview_says_what_comes(
    admin: Client, t: dict[str, Any]
) -> None:
    html = admin.get(url("overview", t["org_a"])).content.decode()
    assert "No self-assessment submitted yet." in html
    assert "Start the first self-assessment" in html
    assert "not an official HOPE rubric" in html
    assert "Not applied yet" in html
    assert "Submit a self-assessment first." in html
    assert 'id="progress-table"' not in html


def test_a_reader_sees_no_buttons(client: Client, t: dict[str, Any], admin_a: Any) -> None:
    submitted(t["org_a"], admin_a)
    _add_step(t, admin_a)
    f.login_verified(client, t["members_a"][Role.ANALYST])
    html = client.get(url("overview", t["org_a"])).content.decode()
    assert url("assessment_new", t["org_a"]) not in html
    assert url("certification_apply", t["org_a"]) not in html
    assert 'id="levels-table"' in html


def test_re_assessment_shows_two_points_per_standard_in_the_charts_table(
    admin: Client, t: dict[str, Any], admin_a: Any
) -> None:
    submitted(t["org_a"], admin_a, answers("started"))
    with time_machine.travel("2026-12-15 10:00 +00:00", tick=False):
        submitted(t["org_a"], admin_a, answers("reviewed"))
    html = admin.get(url("overview", t["org_a"])).content.decode()
    table = _table(html, "progress-table")
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    assert len(rows) == 6
    for _name, cells in rows:
        levels = re.findall(r'<td class="level-cell">(.*?)</td>', cells)
        assert levels == ["2 · Emerging", "4 · Exemplary"]
    assert table.count('<th scope="col">') == 3  # the standard, then two dates
    # one chart per standard, each with two points
    assert html.count('class="chart trend level-chart"') == 6
    assert html.count("<circle") == 12
    assert 'aria-label="Bridge to HOPE: level at each self-assessment"' in html
    current = _table(html, "levels-table")
    assert "4 · Exemplary" in current
    assert "15 of 15" in current


def test_applying_needs_a_submitted_assessment_and_a_plan(
    admin: Client, t: dict[str, Any], admin_a: Any
) -> None:
    apply_url = url("certification_apply", t["org_a"])
    response = admin.post(apply_url, follow=True)
    assert "Submit a self-assessment before applying." in response.content.decode()
    assert organization_certification(organization=t["org_a"]) is None
    assessment = submitted(t["org_a"], admin_a)
    html = admin.get(url("overview", t["org_a"])).content.decode()
    assert "Add at least one step to the improvement plan first." in html
    assert apply_url not in html
    response = admin.post(apply_url, follow=True)
    assert "Add at least one step to the improvement plan before applying." in (
        response.content.decode()
    )
    assert organization_certification(organization=t["org_a"]) is None

    _add_step(t, admin_a)
    html = admin.get(url("overview", t["org_a"])).content.decode()
    assert apply_url in html
    assert "Apply for certification" in html
    response = admin.post(apply_url)
    assert response.status_code == 302
    certification = organization_certification(organization=t["org_a"])
    assert certification is not None
    assert certification.state == "applied"
    assert certification.evidence["assessment_ref"] == str(assessment.public_id)
    assert AuditEvent.objects.filter(verb="standards.certification_apply").count() == 1
    # a second POST is harmless, and the page says the assessment has been sent
    assert admin.post(apply_url).status_code == 302
    assert AuditEvent.objects.filter(verb="standards.certification_apply").count() == 2
    html = admin.get(url("overview", t["org_a"])).content.decode()
    assert "Your latest self-assessment has been sent." in html
    assert apply_url not in html
    assert "Applied" in html
    assert "Waiting for a Champion" in html


def test_the_plan_summary_counts_steps_and_lists_the_next_due(
    admin: Client, t: dict[str, Any], admin_a: Any
) -> None:
    first = _add_step(t, admin_a, "Name a HOPE lead", days=10)
    _add_step(t, admin_a, "Review the intake forms", days=40)
    services.action_update(
        action=first,
        actor=admin_a,
        text=first.text,
        owner=admin_a,
        due_date=first.due_date,
        status="in_progress",
    )
    html = admin.get(url("overview", t["org_a"])).content.decode()
    assert "1 not started, 1 in progress, 0 done." in html
    next_due = re.search(r'<ul class="plain-list" id="next-due">(.*?)</ul>', html, re.S)
    assert next_due
    assert next_due.group(1).index("Name a HOPE lead") < next_due.group(1).index("Review the")


def test_the_overview_costs_the_same_queries_however_much_history(
    admin: Client,
    t: dict[str, Any],
    admin_a: Any,
    django_assert_max_num_queries: Any,
) -> None:
    submitted(t["org_a"], admin_a)
    _add_step(t, admin_a)
    admin.get(url("overview", t["org_a"]))  # warm the site menu's cache
    for option in ("started", "reviewed", "not_in_place", "in_place"):
        submitted(t["org_a"], admin_a, answers(option))
    for number in range(8):
        _add_step(t, admin_a, f"Step {number}", days=number + 1)
    services.assessment_start(organization=t["org_a"], actor=admin_a)
    assert ImprovementAction.objects.count() == 9
    with django_assert_max_num_queries(14 + SITE_MENU_QUERIES):
        response = admin.get(url("overview", t["org_a"]))
    assert response.status_code == 200
    assert response.content.decode().count("<circle") == 5 * len(rubric.STANDARDS)


def test_the_overview_and_results_render_in_spanish(
    admin: Client, t: dict[str, Any], admin_a: Any
) -> None:
    assessment = submitted(
        t["org_a"], admin_a, answers("in_place", family_strengths__intake_forms="risks_only")
    )
    page = admin.get("/es" + url("overview", t["org_a"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="es">' in html
    assert "Puente hacia HOPE" in html
    assert "Establecido" in html
    results = admin.get("/es" + url("results", t["org_a"], assessment_id=assessment.public_id))
    assert results.status_code == 200
    assert "Agregue preguntas sobre fortalezas a sus formularios de admisión" in (
        results.content.decode()
    )
