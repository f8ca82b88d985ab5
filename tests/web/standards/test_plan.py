"""The improvement plan: suggestions of a submitted assessment added with an owner and a date
(once each), steps of the organization's own, owner and date checks, status changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from hopeful.web.audit.models import AuditEvent
from hopeful.web.organizations.models import Role
from hopeful.web.standards import services
from hopeful.web.standards.models import ActionStatus, ImprovementAction
from tests.web import factories as f
from tests.web.standards.conftest import answers, submitted, url

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    with time_machine.travel("2026-06-15 10:00 +00:00", tick=False):
        yield


@pytest.fixture
def admin(client: Client, admin_a: Any) -> Client:
    f.login_verified(client, admin_a)
    return client


@pytest.fixture
def low(t: dict[str, Any], admin_a: Any) -> Any:
    """A submitted assessment whose intake forms ask only about risks and whose leadership
    commitment is only started: two suggestions."""
    values = answers(
        "in_place",
        family_strengths__intake_forms="risks_only",
        bridge_to_hope__leadership="started",
    )
    return submitted(t["org_a"], admin_a, values)


def _suggestion_post(assessment: Any, owner: Any, **overrides: str) -> dict[str, str]:
    data = {
        "text": "Add strengths prompts to our intake forms",
        "standard_id": "family_strengths",
        "owner": str(owner.public_id),
        "due_date": "2026-09-30",
        "assessment": str(assessment.public_id),
        "question_id": "family_strengths.intake_forms",
    }
    data.update(overrides)
    return data


def test_the_results_list_the_suggestions_with_a_form_each(
    admin: Client, t: dict[str, Any], low: Any
) -> None:
    page = admin.get(url("results", t["org_a"], assessment_id=low.public_id))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="suggestion"') == 2
    assert "Add strengths prompts to your intake forms" in html
    assert "Ask leadership to put the commitment to HOPE in writing" in html
    assert html.count(f'action="{url("action_new", t["org_a"])}"') == 2
    # the two forms' fields have different ids
    assert 'id="id_s1_owner"' in html
    assert 'id="id_s2_owner"' in html
    assert "2 · Emerging" in html  # family strengths: 4 x 2 + 0 = 8 of 15


def test_a_suggestion_added_to_the_plan_is_shown_there_and_added_once(
    admin: Client, t: dict[str, Any], low: Any
) -> None:
    owner = t["members_a"][Role.PRACTITIONER]
    response = admin.post(url("action_new", t["org_a"]), _suggestion_post(low, owner))
    assert response.status_code == 302
    assert response["Location"] == url("results", t["org_a"], assessment_id=low.public_id)
    action = ImprovementAction.objects.get()
    assert (action.owner, action.due_date, action.status) == (owner, dt.date(2026, 9, 30), "open")
    assert action.assessment == low
    assert action.question_id == "family_strengths.intake_forms"
    again = admin.post(url("action_new", t["org_a"]), _suggestion_post(low, owner))
    assert again.status_code == 302
    assert ImprovementAction.objects.count() == 1
    assert AuditEvent.objects.filter(verb="standards.action_add").count() == 1
    results = admin.get(url("results", t["org_a"], assessment_id=low.public_id)).content.decode()
    assert "In the plan" in results
    assert results.count(f'action="{url("action_new", t["org_a"])}"') == 1
    plan = admin.get(url("plan", t["org_a"])).content.decode()
    assert "Add strengths prompts to our intake forms" in plan
    assert owner.email in plan


def test_the_owner_must_be_a_member_of_the_organization(
    admin: Client, t: dict[str, Any], low: Any, admin_a: Any
) -> None:
    outsider = t["members_b"][Role.ORG_ADMIN]
    response = admin.post(url("action_new", t["org_a"]), _suggestion_post(low, outsider))
    assert response.status_code == 400
    assert "Choose a member of this organization." in response.content.decode()
    assert not ImprovementAction.objects.exists()
    with pytest.raises(services.StandardsError, match="member of this organization") as caught:
        services.action_add(
            organization=t["org_a"],
            actor=admin_a,
            standard_id="bridge_to_hope",
            text="x",
            owner=outsider,
            due_date=TODAY,
        )
    assert caught.value.field == "owner"
    assert not ImprovementAction.objects.exists()


@pytest.mark.parametrize(
    ("due_date", "message"),
    [
        ("2026-06-14", "Choose today or a later date."),
        ("2031-12-31", "Choose a date within five years."),
        ("31/12/2026", "Enter a valid date."),
        ("", "This field is required."),
    ],
)
def test_a_bad_due_date_is_refused(
    admin: Client, t: dict[str, Any], low: Any, due_date: str, message: str
) -> None:
    response = admin.post(
        url("action_new", t["org_a"]),
        _suggestion_post(low, t["members_a"][Role.VIEWER], due_date=due_date),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImprovementAction.objects.exists()


def test_only_the_assessments_own_suggestions_can_be_added(
    admin: Client, t: dict[str, Any], low: Any
) -> None:
    owner = t["members_a"][Role.ORG_ADMIN]
    not_suggested = _suggestion_post(
        low, owner, question_id="bridge_to_hope.spaces", standard_id="bridge_to_hope"
    )
    response = admin.post(url("action_new", t["org_a"]), not_suggested)
    assert response.status_code == 400
    assert "not one of the self-assessment" in response.content.decode()
    other = submitted(t["org_b"], t["members_b"][Role.ORG_ADMIN], answers("not_in_place"))
    foreign = _suggestion_post(other, owner)
    assert admin.post(url("action_new", t["org_a"]), foreign).status_code == 404
    assert not ImprovementAction.objects.exists()


def test_a_step_of_your_own(admin: Client, t: dict[str, Any]) -> None:
    page = admin.get(url("action_new", t["org_a"]))
    assert page.status_code == 200
    response = admin.post(
        url("action_new", t["org_a"]),
        {
            "text": "Hold a family advisory group",
            "standard_id": "culturally_resonant_care",
            "owner": str(t["members_a"][Role.ANALYST].public_id),
            "due_date": "2026-07-01",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("plan", t["org_a"])
    action = ImprovementAction.objects.get()
    assert action.assessment is None
    assert action.question_id == ""


def test_editing_a_step_changes_status_owner_and_date(
    admin: Client, t: dict[str, Any], admin_a: Any
) -> None:
    action, _ = services.action_add(
        organization=t["org_a"],
        actor=admin_a,
        standard_id="bridge_to_hope",
        text="Name a HOPE lead",
        owner=admin_a,
        due_date=dt.date(2026, 7, 1),
    )
    edit = url("action_edit", t["org_a"], action_id=action.public_id)
    assert admin.get(edit).status_code == 200
    new_owner = t["members_a"][Role.PRACTITIONER]
    data = {
        "text": "Name a HOPE lead and a deputy",
        "standard_id": "bridge_to_hope",
        "owner": str(new_owner.public_id),
        "due_date": "2026-08-01",
        "status": "done",
    }
    assert admin.post(edit, data).status_code == 302
    action.refresh_from_db()
    assert (action.text, action.owner, action.due_date) == (
        "Name a HOPE lead and a deputy",
        new_owner,
        dt.date(2026, 8, 1),
    )
    assert action.status == ActionStatus.DONE
    assert action.done_at is not None
    event = AuditEvent.objects.get(verb="standards.action_update")
    assert set(event.extra["changes"]) == {"text", "owner", "due_date", "status"}
    data["status"] = "in_progress"
    assert admin.post(edit, data).status_code == 302
    action.refresh_from_db()
    assert action.done_at is None


def test_editing_refuses_an_outsider_owner_and_a_past_date(
    admin: Client, t: dict[str, Any], admin_a: Any
) -> None:
    action, _ = services.action_add(
        organization=t["org_a"],
        actor=admin_a,
        standard_id="bridge_to_hope",
        text="Name a HOPE lead",
        owner=admin_a,
        due_date=dt.date(2026, 7, 1),
    )
    edit = url("action_edit", t["org_a"], action_id=action.public_id)
    data = {
        "text": "Name a HOPE lead",
        "standard_id": "bridge_to_hope",
        "owner": str(t["members_b"][Role.VIEWER].public_id),
        "due_date": "2026-07-01",
        "status": "open",
    }
    assert admin.post(edit, data).status_code == 400
    data.update(owner=str(admin_a.public_id), due_date="2026-01-01")
    response = admin.post(edit, data)
    assert response.status_code == 400
    assert "Choose today or a later date." in response.content.decode()
    data.update(status="finished", due_date="2026-07-01")
    assert admin.post(edit, data).status_code == 400
    action.refresh_from_db()
    assert (action.owner, action.due_date, action.status) == (admin_a, dt.date(2026, 7, 1), "open")
    assert not AuditEvent.objects.filter(verb="standards.action_update").exists()


def test_an_overdue_step_keeps_its_past_date_when_closed(t: dict[str, Any], admin_a: Any) -> None:
    action, _ = services.action_add(
        organization=t["org_a"],
        actor=admin_a,
        standard_id="bridge_to_hope",
        text="Name a HOPE lead",
        owner=admin_a,
        due_date=dt.date(2026, 6, 20),
    )
    later = dt.date(2026, 7, 1)
    done = services.action_update(
        action=action,
        actor=admin_a,
        text=action.text,
        owner=admin_a,
        due_date=action.due_date,
        status="done",
        today=later,
    )
    assert done.status == "done"


def test_the_plan_page_marks_overdue_steps(client: Client, t: dict[str, Any], admin_a: Any) -> None:
    action, _ = services.action_add(
        organization=t["org_a"],
        actor=admin_a,
        standard_id="bridge_to_hope",
        text="Name a HOPE lead",
        owner=admin_a,
        due_date=dt.date(2026, 6, 20),
    )
    with time_machine.travel("2026-07-01 10:00 +00:00", tick=False):
        f.login_verified(client, t["members_a"][Role.VIEWER])
        html = client.get(url("plan", t["org_a"])).content.decode()
    assert "past its date" in html
    assert url("action_edit", t["org_a"], action_id=action.public_id) not in html


def test_readers_see_the_suggestions_without_forms(
    client: Client, t: dict[str, Any], low: Any
) -> None:
    f.login_verified(client, t["members_a"][Role.VIEWER])
    html = client.get(url("results", t["org_a"], assessment_id=low.public_id)).content.decode()
    assert html.count('class="suggestion"') == 2
    assert url("action_new", t["org_a"]) not in html
    assert '<form method="post" action=' not in html.split('id="suggestion-list"')[1]


def test_a_drafts_results_show_levels_so_far_and_no_forms(
    admin: Client, t: dict[str, Any], admin_a: Any
) -> None:
    draft, _ = services.assessment_start(organization=t["org_a"], actor=admin_a)
    services.assessment_save(
        assessment=draft,
        actor=admin_a,
        answers={"family_strengths.intake_forms": "risks_only"},
    )
    page = admin.get(url("results", t["org_a"], assessment_id=draft.public_id))
    html = page.content.decode()
    assert page.status_code == 200
    assert "still a draft" in html
    assert "1 of 5" in html
    assert "Add strengths prompts to your intake forms" in html
    assert url("action_new", t["org_a"]) not in html.split('id="suggestion-list"')[1]
