"""Two families with one of every record a family can have (synthetic data only).

Family A (organization A) has children, contact details, a consent history, two responses
(one given before it agreed to research, one after), a draft, codes and a code attempt on its
personal link, and every casework record: team, visits (one restricted), strengths map, goal
with progress, celebration, case review, reminder. Family B (organization B) has the same
shape; each record carries a distinctive word (``...TokA``, ``...TokB``) to search for."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.utils import timezone

from hopeful.web.casework import services as s
from hopeful.web.casework.models import Assignment, Reminder
from hopeful.web.families.models import Child, ConsentRecord
from hopeful.web.surveys.models import (
    AttemptKind,
    CodeAttempt,
    Draft,
    FamilyCode,
    LinkKind,
    Submission,
)
from tests.web import factories as f
from tests.web.practice.factories import make_submission

DEMOGRAPHICS = {
    "race_ethnicity": ["hispanic_latino"],
    "income": "25-50k",
    "gender": "woman",
    "child_gender": "girl",
    "disability": "no",
    "zip3": "537",
}


def _family(t: dict[str, Any], key: str) -> dict[str, Any]:
    org, family = t[f"org_{key}"], t[f"family_{key}"]
    tok = key.upper()
    members = t[f"members_{key}"]
    practitioner, admin = members["practitioner"], members["org_admin"]
    practitioner.display_name = f"Pat Practitioner {tok}"
    practitioner.save(update_fields=["display_name"])
    family.display_name = f"FamilyNameTok{tok}"
    family.contact_email = f"family{key}@example.org"
    family.contact_phone = "+1 555 0100"
    family.save()
    Child.objects.create(
        organization=org, family=family, nickname=f"NickTok{tok}", birth_month=dt.date(2023, 4, 1)
    )
    today = timezone.localdate()
    personal, token = f.make_link(
        t[f"campaign_{key}"], admin, kind=LinkKind.PERSONAL, family=family
    )
    # a response from before the family's consent was recorded (so not released for research)
    early = make_submission(
        family,
        t[f"campaign_{key}"],
        personal,
        submitted_at=timezone.now() - dt.timedelta(days=400),
    )
    late = make_submission(family, t[f"campaign_{key}"], personal, language="es")
    Submission.objects.filter(pk=late.pk).update(demographics=DEMOGRAPHICS)
    Draft.objects.create(
        organization=org,
        link=personal,
        resume_code_hash=hashlib.sha256(f"draft{key}".encode()).hexdigest(),
        state={"answers": {"pce7": {"pce1": 5}}, "name": f"DraftNameTok{tok}"},
        expires_at=timezone.now() + dt.timedelta(days=14),
    )
    FamilyCode.objects.create(
        organization=org,
        link=personal,
        family=family,
        code_hash=hashlib.sha256(f"code{key}".encode()).hexdigest(),
    )
    CodeAttempt.objects.create(link=personal, kind=AttemptKind.RESUME)
    membership = org.memberships.get(user=practitioner)
    Assignment.objects.create(
        organization=org, family=family, membership=membership, assigned_by=admin
    )
    s.visit_record(
        family=family,
        actor=practitioner,
        visited_on=today,
        mode="home",
        family_said=f"SaidTok{tok}",
        note=f"OpenNoteTok{tok}",
    )
    s.visit_record(
        family=family,
        actor=practitioner,
        visited_on=today,
        mode="phone",
        note=f"RestrictedTok{tok}",
        family_said=f"RestrictedSaidTok{tok}",
        restricted=True,
    )
    s.strengths_map_save(
        family=family,
        actor=practitioner,
        content={"relationships": {"strengths": f"MapTok{tok}", "barriers": ["transport"]}},
    )
    goal = s.goal_add(
        family=family,
        actor=practitioner,
        block="engagement",
        text=f"GoalTok{tok}",
        next_step=f"StepTok{tok}",
        due_on=today + dt.timedelta(days=30),
    )
    s.goal_progress(goal=goal, actor=practitioner, text=f"ProgressTok{tok}", status="active")
    s.celebration_add(
        family=family,
        actor=practitioner,
        words=f"CelebrateTok{tok}",
        celebrated_on=today,
        goal=goal,
    )
    review = s.case_review_create(
        family=family,
        actor=practitioner,
        reviewed_on=today,
        strengths={"relationships": f"ReviewStrengthTok{tok}"},
        adversity=f"AdversityTok{tok}",
        family_wants=f"WantsTok{tok}",
        plan=f"PlanTok{tok}",
        follow_up_on=today + dt.timedelta(days=14),
    )
    Reminder.objects.create(
        organization=org,
        user=practitioner,
        family=family,
        kind="follow_up_due",
        object_id=review.public_id,
        due_on=today + dt.timedelta(days=14),
    )
    return {"family": family, "link": personal, "token": token, "early": early, "late": late}


@pytest.fixture
def families(two_tenants: dict[str, Any]) -> dict[str, Any]:
    t = two_tenants
    # the consent was recorded yesterday: the early response (400 days ago) came before it
    ConsentRecord.objects.filter(family__in=[t["family_a"], t["family_b"]]).update(
        recorded_at=timezone.now() - dt.timedelta(days=1)
    )
    return {**t, "a": _family(t, "a"), "b": _family(t, "b")}
