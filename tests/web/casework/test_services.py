"""Casework services: each write stores with an audit event; bad input gets a clear error and
stores nothing. Who reads restricted notes (casework.access) is tested here too."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hopeful.web.audit.models import AuditEvent
from hopeful.web.casework import services as s
from hopeful.web.casework.access import exportable_visits, supervises, visible_visits
from hopeful.web.casework.models import (
    Assignment,
    CaseReview,
    Celebration,
    Goal,
    GoalStatus,
    StrengthsMap,
    Visit,
)
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.models import Membership, Role, SupportGrant
from tests.web import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


def membership(user: Any, org: Any) -> Membership:
    return Membership.objects.get(user=user, organization=org)


def access_of(user: Any, org: Any) -> Access:
    m = membership(user, org)
    return Access(organization=org, role=m.role, membership=m)


@pytest.fixture
def t(two_tenants: dict[str, Any]) -> dict[str, Any]:
    return two_tenants


def unchanged(model: Any, before: int) -> None:
    assert model.objects.count() == before


# -- caseload -----------------------------------------------------------------------------------


def test_assignments_are_set_exactly_and_audited(t: dict[str, Any]) -> None:
    org, family = t["org_a"], t["family_a"]
    admin = t["members_a"]["org_admin"]
    practitioner = membership(t["members_a"]["practitioner"], org)
    s.assignments_set(family=family, memberships=[practitioner], actor=admin)
    assert list(family.assignments.values_list("membership", flat=True)) == [practitioner.pk]
    assert AuditEvent.objects.filter(verb="caseload.assign", object_id=str(family.public_id))
    s.assignments_set(family=family, memberships=[], actor=admin)
    assert not family.assignments.exists()


@pytest.mark.parametrize("who", ["analyst", "other_org", "other_program"])
def test_assignments_refuse_who_cannot_have_this_family(t: dict[str, Any], who: str) -> None:
    org, family = t["org_a"], t["family_a"]
    if who == "analyst":
        chosen = membership(t["members_a"]["analyst"], org)
    elif who == "other_org":
        chosen = membership(t["members_b"]["practitioner"], t["org_b"])
    else:
        chosen = membership(t["members_a"]["practitioner"], org)
        chosen.programs.set([t["other_program_a"]])
    before = Assignment.objects.count()
    with pytest.raises(s.CaseworkError):
        s.assignments_set(family=family, memberships=[chosen], actor=t["members_a"]["org_admin"])
    unchanged(Assignment, before)


# -- visits and restricted notes ----------------------------------------------------------------


def visit(t: dict[str, Any], author: Any, **kw: Any) -> Visit:
    values: dict[str, Any] = {
        "family": t["family_a"],
        "actor": author,
        "visited_on": TODAY,
        "mode": "home",
        "note": "Talked about the park on Saturdays.",
        "today": TODAY,
    }
    values.update(kw)
    return s.visit_record(**values)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"visited_on": TODAY + dt.timedelta(days=1)}, "visited_on"),
        ({"mode": "carrier pigeon"}, "mode"),
        ({"prompts": {"rel-u1-99": "yes"}, "known_prompts": ["rel-u1-1"]}, "prompts"),
        ({"note": "  ", "family_said": ""}, "note"),
        ({"note": "x" * (s.MAX_TEXT + 1)}, "note"),
    ],
)
def test_a_bad_visit_is_refused_and_nothing_is_stored(
    t: dict[str, Any], changes: dict[str, Any], field: str
) -> None:
    before, events = Visit.objects.count(), AuditEvent.objects.count()
    with pytest.raises(s.CaseworkError) as refused:
        visit(t, t["members_a"]["practitioner"], **changes)
    assert refused.value.field == field
    assert refused.value.message
    unchanged(Visit, before)
    unchanged(AuditEvent, events)


def test_a_visit_keeps_the_prompts_used_and_is_audited(t: dict[str, Any]) -> None:
    stored = visit(
        t,
        t["members_a"]["practitioner"],
        prompts={"rel-u1-1": "Grandma sings to her every night", "rel-u1-2": ""},
        known_prompts=["rel-u1-1", "rel-u1-2", "rel-u1-3"],
        guide_version="2026.1",
    )
    assert stored.prompts == {"rel-u1-1": "Grandma sings to her every night", "rel-u1-2": ""}
    assert stored.guide_version == "2026.1"
    event = AuditEvent.objects.get(verb="visit.create")
    assert event.object_id == str(stored.public_id)
    assert "Grandma" not in str(event.extra)  # the audit trail holds no note text


def test_restricted_notes_are_read_by_their_author_and_supervisors_only(
    t: dict[str, Any],
) -> None:
    org, family = t["org_a"], t["family_a"]
    author = t["members_a"]["practitioner"]
    restricted = visit(t, author, restricted=True, note="A hard week at home.")
    open_note = visit(t, author, note="Reading together.")

    colleague = f.make_member(org, Role.PRACTITIONER, "colleague@a.example.org")
    membership(colleague, org).programs.set([t["program_a"]])
    supervisor = f.make_member(org, Role.PRACTITIONER, "supervisor@a.example.org")
    membership(supervisor, org).programs.set([t["program_a"]])
    Membership.objects.filter(user=supervisor).update(is_supervisor=True)
    far_supervisor = f.make_member(org, Role.PRACTITIONER, "far@a.example.org")
    membership(far_supervisor, org).programs.set([t["other_program_a"]])
    Membership.objects.filter(user=far_supervisor).update(is_supervisor=True)

    def seen(user: Any) -> set[int]:
        found = visible_visits(access=access_of(user, org), user=user, family=family)
        return set(found.values_list("pk", flat=True))

    both, only_open = {restricted.pk, open_note.pk}, {open_note.pk}
    assert seen(author) == both
    assert seen(supervisor) == both
    assert seen(colleague) == only_open
    assert seen(far_supervisor) == only_open  # supervises another program
    assert seen(t["members_a"]["org_admin"]) == only_open  # an admin who does not supervise
    grant = SupportGrant(organization=org, staff=colleague, granted_by=t["members_a"]["org_admin"])
    support = Access(organization=org, role=Role.ORG_ADMIN, support_grant=grant)
    found = visible_visits(access=support, user=supervisor, family=family)
    assert set(found.values_list("pk", flat=True)) == only_open
    assert set(exportable_visits(Visit.objects.all()).values_list("pk", flat=True)) == only_open


# -- strengths maps -----------------------------------------------------------------------------


def test_every_save_of_a_map_is_a_new_version_and_earlier_ones_stay(t: dict[str, Any]) -> None:
    family, actor = t["family_a"], t["members_a"]["practitioner"]
    first = s.strengths_map_save(
        family=family,
        content={"relationships": {"strengths": "Big sister reads to him", "barriers": []}},
        actor=actor,
    )
    second = s.strengths_map_save(
        family=family,
        content={
            "relationships": {"strengths": "Big sister reads to him; dad's Sunday walks"},
            "environment": {"barriers": ["transport", "safe_play"], "next_steps": "Library bus"},
        },
        actor=actor,
    )
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.content["relationships"]["strengths"] == "Big sister reads to him"
    assert second.content["environment"]["barriers"] == ["transport", "safe_play"]
    assert set(second.content) == {"relationships", "environment", "engagement", "emotional_growth"}
    assert AuditEvent.objects.filter(verb="strengths_map.create").count() == 2


@pytest.mark.parametrize(
    "content",
    [
        {},
        {"relationships": {"strengths": "   "}},
        {"friendship": {"strengths": "x"}},
        {"relationships": {"barriers": ["dragons"]}},
        {"relationships": {"mood": "x"}},
    ],
)
def test_an_empty_or_malformed_map_is_refused(t: dict[str, Any], content: Any) -> None:
    before = StrengthsMap.objects.count()
    with pytest.raises(s.CaseworkError):
        s.strengths_map_save(
            family=t["family_a"], content=content, actor=t["members_a"]["org_admin"]
        )
    unchanged(StrengthsMap, before)


# -- goals and celebrations ---------------------------------------------------------------------


def goal(t: dict[str, Any], **kw: Any) -> Goal:
    values: dict[str, Any] = {
        "family": t["family_a"],
        "actor": t["members_a"]["practitioner"],
        "block": "engagement",
        "text": "Go to the library story hour together",
        "next_step": "Find the times for Saturday",
        "due_on": TODAY + dt.timedelta(days=14),
        "today": TODAY,
    }
    values.update(kw)
    return s.goal_add(**values)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"due_on": TODAY - dt.timedelta(days=1)}, "due_on"),
        ({"block": "luck"}, "block"),
        ({"text": ""}, "text"),
        ({"next_step": " "}, "next_step"),
    ],
)
def test_a_bad_goal_is_refused(t: dict[str, Any], changes: dict[str, Any], field: str) -> None:
    before = Goal.objects.count()
    with pytest.raises(s.CaseworkError) as refused:
        goal(t, **changes)
    assert refused.value.field == field
    unchanged(Goal, before)


def test_goal_progress_moves_the_goal_and_keeps_its_history(t: dict[str, Any]) -> None:
    chosen = goal(t)
    later = TODAY + dt.timedelta(days=30)
    s.goal_progress(
        goal=chosen,
        actor=t["members_a"]["practitioner"],
        text="Went once; loved the songs",
        status=GoalStatus.ACTIVE,
        next_step="Go every Saturday in July",
        due_on=later,
        today=TODAY,
    )
    s.goal_progress(
        goal=chosen,
        actor=t["members_a"]["practitioner"],
        text="Goes every week now",
        status=GoalStatus.REACHED,
        today=TODAY,
    )
    chosen.refresh_from_db()
    assert (chosen.status, chosen.next_step, chosen.due_on) == (
        GoalStatus.REACHED,
        "Go every Saturday in July",
        later,
    )
    assert [u.text for u in chosen.updates.all()] == [
        "Goes every week now",
        "Went once; loved the songs",
    ]
    with pytest.raises(s.CaseworkError):
        s.goal_progress(goal=chosen, actor=None, text="x", status="maybe", today=TODAY)


def test_celebrations_happened_and_belong_to_the_family(t: dict[str, Any]) -> None:
    actor = t["members_a"]["practitioner"]
    chosen = goal(t)
    done = s.celebration_add(
        family=t["family_a"],
        actor=actor,
        words="We went to story hour three Saturdays in a row!",
        celebrated_on=TODAY,
        block="engagement",
        goal=chosen,
        today=TODAY,
    )
    assert done.goal == chosen
    before = Celebration.objects.count()
    with pytest.raises(s.CaseworkError):
        s.celebration_add(
            family=t["family_a"],
            actor=actor,
            words="x",
            celebrated_on=TODAY + dt.timedelta(1),
            today=TODAY,
        )
    other_family = f.make_family(t["org_a"], t["program_a"], "Other")
    with pytest.raises(s.CaseworkError):
        s.celebration_add(
            family=other_family,
            actor=actor,
            words="x",
            celebrated_on=TODAY,
            goal=chosen,
            today=TODAY,
        )
    unchanged(Celebration, before)


# -- case reviews -------------------------------------------------------------------------------


def review(t: dict[str, Any], **kw: Any) -> CaseReview:
    values: dict[str, Any] = {
        "family": t["family_a"],
        "actor": t["members_a"]["practitioner"],
        "reviewed_on": TODAY,
        "strengths": {"relationships": "Warm bond with grandmother"},
        "family_wants": "More time outdoors together",
        "plan": "Map parks on the bus line at the next visit",
        "follow_up_on": TODAY + dt.timedelta(days=28),
        "distress": "Mother reports poor sleep",
        "today": TODAY,
    }
    values.update(kw)
    return s.case_review_create(**values)


@pytest.mark.parametrize(
    "changes",
    [
        {"strengths": {}},
        {"strengths": {"relationships": " "}},
        {"strengths": {"luck": "x"}},
        {"follow_up_on": TODAY},
        {"reviewed_on": TODAY + dt.timedelta(days=1)},
        {"plan": ""},
        {"family_wants": ""},
    ],
)
def test_a_review_needs_strengths_a_plan_and_a_later_follow_up(
    t: dict[str, Any], changes: dict[str, Any]
) -> None:
    before = CaseReview.objects.count()
    with pytest.raises(s.CaseworkError):
        review(t, **changes)
    unchanged(CaseReview, before)


def test_a_supervisor_of_the_program_signs_off_once_and_not_their_own(t: dict[str, Any]) -> None:
    org = t["org_a"]
    written = review(t)
    practitioner = membership(t["members_a"]["practitioner"], org)
    admin = membership(t["members_a"]["org_admin"], org)
    with pytest.raises(s.CaseworkError):  # not a supervisor
        s.case_review_sign_off(review=written, supervisor=admin)
    Membership.objects.filter(pk__in=[practitioner.pk, admin.pk]).update(is_supervisor=True)
    practitioner.refresh_from_db()
    admin.refresh_from_db()
    assert supervises(admin, t["family_a"])
    with pytest.raises(s.CaseworkError):  # the author
        s.case_review_sign_off(review=written, supervisor=practitioner)
    s.case_review_sign_off(review=written, supervisor=admin)
    written.refresh_from_db()
    assert written.signed_off_by == admin.user
    assert written.signed_off_at is not None
    with pytest.raises(s.CaseworkError):  # once
        s.case_review_sign_off(review=written, supervisor=admin)
    other = membership(t["members_b"]["org_admin"], t["org_b"])
    Membership.objects.filter(pk=other.pk).update(is_supervisor=True)
    other.refresh_from_db()
    with pytest.raises(s.CaseworkError):  # another organization
        s.case_review_sign_off(review=review(t), supervisor=other)
    assert AuditEvent.objects.filter(verb="case_review.sign_off").count() == 1
