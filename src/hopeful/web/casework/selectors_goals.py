"""Reads for a family's goals and celebrations: the family's goals page and one goal's page.

Everything is reached through the family's scope (:mod:`hopeful.web.organizations.access`):
a family, goal or review of another organization or of a program the access does not see is
404. The selectors prepare what the templates show: building-block names in the page's
language, links (``""`` when this person may not open the page), whether a date has passed.
Reading a family's casework is audited, like the family's own page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse

from hopeful.web.audit.services import audit_record
from hopeful.web.casework.blocks import block_names
from hopeful.web.casework.models import CaseReview, Celebration, Goal, GoalStatus
from hopeful.web.families.models import Family
from hopeful.web.organizations.access import Access, get_object_in_scope
from hopeful.web.organizations.selectors import page_url

# -- finding objects in scope (else 404) --------------------------------------------------------


def family_get(access: Access, family_id: Any) -> Family:
    """A family of a program the access sees, else 404."""
    family: Family = get_object_in_scope(
        Family.objects.select_related("program"), access, family_id
    )
    return family


def goal_get(access: Access, goal_id: Any) -> Goal:
    """A goal of a family the access sees, else 404."""
    goals = Goal.objects.select_related("family__program", "created_by")
    goal: Goal = get_object_in_scope(goals, access, goal_id, field="family__program")
    return goal


def review_get(access: Access, review_id: Any) -> CaseReview:
    """A case review of a family the access sees, else 404."""
    reviews = CaseReview.objects.select_related("family__program", "practitioner", "signed_off_by")
    review: CaseReview = get_object_in_scope(reviews, access, review_id, field="family__program")
    return review


# -- links --------------------------------------------------------------------------------------


def _org(access: Access) -> str:
    return str(access.organization.public_id)


def family_goals_url(access: Access, family: Family) -> str:
    return reverse("casework:family_goals", args=[_org(access), family.public_id])


def goal_url(access: Access, goal: Goal) -> str:
    return reverse("casework:goal", args=[_org(access), goal.public_id])


def review_url(access: Access, review: CaseReview) -> str:
    return reverse("casework:review", args=[_org(access), review.public_id])


def person_name(user: Any) -> str:
    """How a page names a member (their display name, else their email address)."""
    return str(user.get_short_name()) if user is not None else ""


# -- what the pages show ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FamilyHead:
    """The family a casework page is about, and the ways back to it."""

    name: str
    program: str
    family_url: str
    """The family's own page (consent, children, answers)."""
    goals_url: str
    """The family's goals, celebrations and case reviews."""


def family_head(access: Access, family: Family) -> FamilyHead:
    return FamilyHead(
        name=family.display_name,
        program=family.program.name,
        family_url=reverse("practice:family_detail", args=[_org(access), family.public_id]),
        goals_url=family_goals_url(access, family),
    )


@dataclass(frozen=True, slots=True)
class GoalRow:
    url: str
    block_id: str
    block: str
    text: str
    next_step: str
    due_on: dt.date
    status: str
    status_label: str
    past_due: bool
    """Still being worked on and its date has passed."""


def _goal_row(access: Access, goal: Goal, names: dict[str, str], today: dt.date) -> GoalRow:
    return GoalRow(
        url=goal_url(access, goal),
        block_id=goal.block,
        block=names.get(goal.block, goal.block),
        text=goal.text,
        next_step=goal.next_step,
        due_on=goal.due_on,
        status=goal.status,
        status_label=str(GoalStatus(goal.status).label),
        past_due=goal.status == GoalStatus.ACTIVE and goal.due_on < today,
    )


@dataclass(frozen=True, slots=True)
class CelebrationRow:
    words: str
    celebrated_on: dt.date
    block_id: str
    block: str
    goal_text: str
    goal_url: str


def _celebration_row(
    access: Access, celebration: Celebration, names: dict[str, str]
) -> CelebrationRow:
    goal = celebration.goal
    return CelebrationRow(
        words=celebration.words,
        celebrated_on=celebration.celebrated_on,
        block_id=celebration.block,
        block=names.get(celebration.block, ""),
        goal_text=goal.text if goal else "",
        goal_url=goal_url(access, goal) if goal else "",
    )


@dataclass(frozen=True, slots=True)
class ReviewRow:
    url: str
    reviewed_on: dt.date
    author: str
    follow_up_on: dt.date
    signed_by: str
    """Who signed it off ("" while it waits for a supervisor)."""
    signed_at: dt.datetime | None


def review_row(access: Access, review: CaseReview) -> ReviewRow:
    return ReviewRow(
        url=review_url(access, review),
        reviewed_on=review.reviewed_on,
        author=person_name(review.practitioner),
        follow_up_on=review.follow_up_on,
        signed_by=person_name(review.signed_off_by),
        signed_at=review.signed_off_at,
    )


@dataclass(frozen=True, slots=True)
class FamilyGoalsPage:
    family: FamilyHead
    working: list[GoalRow]
    reached: list[GoalRow]
    set_aside: list[GoalRow]
    celebrations: list[CelebrationRow]
    reviews: list[ReviewRow]
    goal_new_url: str
    celebration_new_url: str
    review_new_url: str
    """The forms' addresses; "" when this access may not write (support access)."""


def family_goals_page(
    *, access: Access, actor: Any, family: Family, language: str, today: dt.date
) -> FamilyGoalsPage:
    """The family's goals by status (soonest date first), celebrations (newest first) and case
    reviews (newest first). Audited ``casework.view``."""
    names = block_names(language)
    with transaction.atomic():
        goals = [_goal_row(access, g, names, today) for g in family.goals.all()]
        celebrations = [
            _celebration_row(access, c, names) for c in family.celebrations.select_related("goal")
        ]
        reviews = [
            review_row(access, r)
            for r in family.case_reviews.select_related("practitioner", "signed_off_by")
        ]
        audit_record(
            verb="casework.view", actor=actor, organization=access.organization, obj=family
        )
    by_status: dict[str, list[GoalRow]] = {status: [] for status in GoalStatus.values}
    for goal in goals:
        by_status[goal.status].append(goal)
    forms = {
        name: page_url(access, f"casework:{name}", family_id=family.public_id)
        for name in ("goal_new", "celebration_new", "review_new")
    }
    return FamilyGoalsPage(
        family=family_head(access, family),
        working=by_status[GoalStatus.ACTIVE],
        reached=by_status[GoalStatus.REACHED],
        set_aside=by_status[GoalStatus.SET_ASIDE],
        celebrations=celebrations,
        reviews=reviews,
        goal_new_url=forms["goal_new"],
        celebration_new_url=forms["celebration_new"],
        review_new_url=forms["review_new"],
    )


@dataclass(frozen=True, slots=True)
class UpdateRow:
    text: str
    status_label: str
    next_step: str
    due_on: dt.date | None
    by: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class GoalPage:
    family: FamilyHead
    goal: GoalRow
    created_by: str
    created_at: dt.datetime
    updates: list[UpdateRow]
    """Newest first."""
    celebrations: list[CelebrationRow]
    """The celebrations linked to this goal."""
    can_write: bool
    """Whether this access records progress (support access only looks)."""
    celebrate_url: str
    """"Record a celebration" linked to this goal, once it is reached ("" otherwise)."""


def goal_page(*, access: Access, actor: Any, goal: Goal, language: str, today: dt.date) -> GoalPage:
    """One goal (as :func:`goal_get` found it) with its progress, newest first. Audited
    ``goal.view``."""
    names = block_names(language)
    with transaction.atomic():
        updates = [
            UpdateRow(
                text=u.text,
                status_label=str(GoalStatus(u.status).label),
                next_step=u.next_step,
                due_on=u.due_on,
                by=person_name(u.created_by),
                at=u.created_at,
            )
            for u in goal.updates.select_related("created_by")
        ]
        celebrations = [
            _celebration_row(access, c, names) for c in goal.celebrations.select_related("goal")
        ]
        audit_record(verb="goal.view", actor=actor, organization=access.organization, obj=goal)
    celebrate_url = ""
    if goal.status == GoalStatus.REACHED:
        url = page_url(access, "casework:celebration_new", family_id=goal.family.public_id)
        celebrate_url = f"{url}?goal={goal.public_id}" if url else ""
    return GoalPage(
        family=family_head(access, goal.family),
        goal=_goal_row(access, goal, names, today),
        created_by=person_name(goal.created_by),
        created_at=goal.created_at,
        updates=updates,
        celebrations=celebrations,
        can_write=not access.via_support,
        celebrate_url=celebrate_url,
    )
