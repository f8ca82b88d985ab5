"""Starting, answering, saving and submitting a self-assessment: one draft at a time, answers
kept on save, submission refused until every question is answered, a submitted assessment
read-only, bad answers refused with nothing changed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from hopeful.framework import standards as rubric
from hopeful.web.audit.models import AuditEvent
from hopeful.web.organizations.models import Role
from hopeful.web.standards import services
from hopeful.web.standards.models import Assessment, AssessmentStatus
from tests.web import factories as f
from tests.web.standards.conftest import answers, form_data, submitted, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client: Client, admin_a: Any) -> Client:
    f.login_verified(client, admin_a)
    return client


def _start(client: Client, t: dict[str, Any]) -> Assessment:
    response = client.post(url("assessment_new", t["org_a"]))
    assert response.status_code == 302
    return Assessment.objects.get(organization=t["org_a"], status=AssessmentStatus.DRAFT)


def test_starting_makes_one_draft_and_a_second_post_returns_to_it(
    admin: Client, t: dict[str, Any]
) -> None:
    draft = _start(admin, t)
    again = admin.post(url("assessment_new", t["org_a"]))
    assert again["Location"] == url("assessment", t["org_a"], assessment_id=draft.public_id)
    assert Assessment.objects.filter(organization=t["org_a"]).count() == 1
    assert AuditEvent.objects.filter(verb="standards.assessment_start").count() == 1
    assert admin.get(url("assessment_new", t["org_a"])).status_code == 405


def test_the_questionnaire_has_a_fieldset_per_standard_and_every_question(
    admin: Client, t: dict[str, Any]
) -> None:
    draft = _start(admin, t)
    page = admin.get(url("assessment", t["org_a"], assessment_id=draft.public_id))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="standard-group"') == 6
    assert html.count('<fieldset class="question') == len(rubric.QUESTIONS)
    assert "Add strengths" not in html  # suggestions come with the results, not here
    assert "not an official HOPE rubric" in html
    assert 'value="risks_only"' in html


def test_saving_keeps_the_answers_given_so_far(admin: Client, t: dict[str, Any]) -> None:
    draft = _start(admin, t)
    some = {"bridge_to_hope.leadership": "started", "family_strengths.intake_forms": "risks_only"}
    response = admin.post(
        url("assessment", t["org_a"], assessment_id=draft.public_id), form_data(some)
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers == some
    assert draft.status == AssessmentStatus.DRAFT
    page = admin.get(url("assessment", t["org_a"], assessment_id=draft.public_id))
    assert re.search(
        r'name="family_strengths__intake_forms" value="risks_only" id="[^"]+" checked',
        page.content.decode(),
    )
    assert AuditEvent.objects.filter(verb="standards.assessment_save").count() == 1


def test_submit_refuses_incomplete_answers_and_changes_nothing(
    admin: Client, t: dict[str, Any]
) -> None:
    draft = _start(admin, t)
    incomplete = answers()
    del incomplete["continuing_learning.reassessment"]
    del incomplete["bridge_to_hope.spaces"]
    response = admin.post(
        url("assessment", t["org_a"], assessment_id=draft.public_id),
        form_data(incomplete, "submit"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Answer every question before submitting." in html
    assert html.count("Answer this question.") >= 2
    assert 'href="#id_bridge_to_hope__spaces"' in html
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.DRAFT
    assert draft.answers == {}
    assert not AuditEvent.objects.filter(verb="standards.assessment_submit").exists()


def test_submit_with_every_answer_keeps_the_levels(admin: Client, t: dict[str, Any]) -> None:
    draft = _start(admin, t)
    response = admin.post(
        url("assessment", t["org_a"], assessment_id=draft.public_id),
        form_data(answers("reviewed", bridge_to_hope__leadership="not_in_place"), "submit"),
    )
    assert response.status_code == 302
    assert response["Location"] == url("results", t["org_a"], assessment_id=draft.public_id)
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.SUBMITTED
    assert draft.submitted_at is not None
    assert draft.rubric_version == rubric.VERSION
    assert draft.results["bridge_to_hope"] == {"level": 3, "points": 12, "max_points": 15}
    assert draft.results["continuing_learning"]["level"] == 4
    event = AuditEvent.objects.get(verb="standards.assessment_submit")
    assert event.organization == t["org_a"]
    assert event.object_id == str(draft.public_id)


def test_a_submitted_assessment_is_read_only(
    admin: Client, t: dict[str, Any], admin_a: Any
) -> None:
    done = submitted(t["org_a"], admin_a)
    page = admin.get(url("assessment", t["org_a"], assessment_id=done.public_id))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<form method="post" class="form"' not in html
    assert "Submit the self-assessment" not in html
    response = admin.post(
        url("assessment", t["org_a"], assessment_id=done.public_id),
        form_data(answers("not_in_place"), "save"),
    )
    assert response.status_code == 302
    done.refresh_from_db()
    assert done.answers == answers()
    with pytest.raises(services.StandardsError, match="no longer change"):
        services.assessment_save(assessment=done, actor=admin_a, answers={})
    with pytest.raises(services.StandardsError, match="no longer change"):
        services.assessment_submit(assessment=done, actor=admin_a)


def test_a_draft_reads_as_answers_for_members_who_cannot_edit(
    client: Client, t: dict[str, Any], admin_a: Any
) -> None:
    draft, _ = services.assessment_start(organization=t["org_a"], actor=admin_a)
    services.assessment_save(
        assessment=draft, actor=admin_a, answers={"bridge_to_hope.leadership": "started"}
    )
    f.login_verified(client, t["members_a"][Role.VIEWER])
    page = client.get(url("assessment", t["org_a"], assessment_id=draft.public_id))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Started or planned" in html
    assert 'type="radio"' not in html
    assert (
        client.post(
            url("assessment", t["org_a"], assessment_id=draft.public_id), form_data({})
        ).status_code
        == 403
    )


def test_an_answer_outside_the_options_is_refused_and_nothing_changes(
    admin: Client, t: dict[str, Any], admin_a: Any
) -> None:
    draft = _start(admin, t)
    services.assessment_save(
        assessment=draft, actor=admin_a, answers={"bridge_to_hope.leadership": "started"}
    )
    bad = {"bridge_to_hope.leadership": "in_place", "bridge_to_hope.spaces": "risks_only"}
    response = admin.post(
        url("assessment", t["org_a"], assessment_id=draft.public_id), form_data(bad)
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    draft.refresh_from_db()
    assert draft.answers == {"bridge_to_hope.leadership": "started"}
    with pytest.raises(services.StandardsError, match="Choose one of the answers"):
        services.assessment_save(assessment=draft, actor=admin_a, answers=bad)
    with pytest.raises(services.StandardsError, match="not part of"):
        services.assessment_save(assessment=draft, actor=admin_a, answers={"nope": "x"})


def test_a_blank_answer_clears_an_earlier_one(admin_a: Any, t: dict[str, Any]) -> None:
    draft, _ = services.assessment_start(organization=t["org_a"], actor=admin_a)
    services.assessment_save(
        assessment=draft, actor=admin_a, answers={"bridge_to_hope.leadership": "started"}
    )
    saved = services.assessment_save(
        assessment=draft, actor=admin_a, answers={"bridge_to_hope.leadership": ""}
    )
    assert saved.answers == {}


def test_a_new_draft_can_start_once_the_last_is_submitted(admin_a: Any, t: dict[str, Any]) -> None:
    first = submitted(t["org_a"], admin_a)
    second, created = services.assessment_start(organization=t["org_a"], actor=admin_a)
    assert created
    assert second.pk != first.pk
    _same, created_again = services.assessment_start(organization=t["org_a"], actor=admin_a)
    assert not created_again


def test_the_questionnaire_renders_in_spanish(admin: Client, t: dict[str, Any]) -> None:
    draft = _start(admin, t)
    page = admin.get("/es" + url("assessment", t["org_a"], assessment_id=draft.public_id))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="es">' in html
    assert "Puente hacia HOPE" in html
    assert "Solo riesgos y necesidades" in html
    assert "Implementado y revisado en el último año" in html
