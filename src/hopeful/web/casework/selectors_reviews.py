"""Reads for case reviews: one review's page (with whether this person signs it off) and the
reviews due: waiting for a supervisor's sign-off, and families whose follow-up date is near or
past. ``today`` is passed in, so the lists can be tested on fixed dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery

from hopeful.web.audit.services import audit_record
from hopeful.web.casework.access import supervises
from hopeful.web.casework.blocks import block_names
from hopeful.web.casework.models import Assignment, CaseReview
from hopeful.web.casework.selectors_goals import (
    FamilyHead,
    family_goals_url,
    family_head,
    person_name,
    review_url,
)
from hopeful.web.families.models import Family
from hopeful.web.organizations.access import Access, scope_to_programs
from hopeful.web.organizations.selectors import page_url

#: How far ahead a follow-up counts as due.
DUE_WITHIN = dt.timedelta(days=14)


@dataclass(frozen=True, slots=True)
class StrengthLine:
    block_id: str
    block: str
    text: str


@dataclass(frozen=True, slots=True)
class ReviewPage:
    family: FamilyHead
    url: str
    reviewed_on: dt.date
    author: str
    strengths: list[StrengthLine]
    """The building blocks with strengths written, in the framework's order."""
    adversity: str
    distress: str
    family_wants: str
    plan: str
    follow_up_on: dt.date
    signed_by: str
    signed_at: dt.datetime | None
    can_sign_off: bool
    """A supervisor of the family's program who did not write it, while it waits."""
    is_author_supervisor: bool
    """The author supervises the program too: another supervisor signs it off."""


def review_page(*, access: Access, actor: Any, review: CaseReview, language: str) -> ReviewPage:
    """One case review, strengths first. Audited ``case_review.view``."""
    audit_record(verb="case_review.view", actor=actor, organization=access.organization, obj=review)
    family = review.family
    waiting = review.signed_off_at is None
    supervisor = supervises(access.membership, family)
    wrote_it = getattr(actor, "pk", None) == review.practitioner_id
    return ReviewPage(
        family=family_head(access, family),
        url=review_url(access, review),
        reviewed_on=review.reviewed_on,
        author=person_name(review.practitioner),
        strengths=[
            StrengthLine(block_id=block, block=name, text=review.strengths[block])
            for block, name in block_names(language).items()
            if review.strengths.get(block)
        ],
        adversity=review.adversity,
        distress=review.distress,
        family_wants=review.family_wants,
        plan=review.plan,
        follow_up_on=review.follow_up_on,
        signed_by=person_name(review.signed_off_by),
        signed_at=review.signed_off_at,
        can_sign_off=waiting and supervisor and not wrote_it,
        is_author_supervisor=waiting and supervisor and wrote_it,
    )


# -- /orgs/<org_id>/reviews/ -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DueRow:
    family: str
    program: str
    family_url: str
    """The family's goals, celebrations and case reviews."""
    review_url: str
    reviewed_on: dt.date
    author: str
    follow_up_on: dt.date
    overdue: bool
    """The follow-up date has passed."""


@dataclass(frozen=True, slots=True)
class ReviewsDue:
    is_supervisor: bool
    to_sign: list[DueRow]
    """Reviews of the supervised programs waiting for this supervisor (not their own)."""
    waiting: list[DueRow]
    """This person's own reviews waiting for a supervisor."""
    follow_ups: list[DueRow]
    """Families whose latest review's follow-up is due by ``due_by`` or past, soonest first."""
    due_by: dt.date
    families_url: str
    """Where to find a family to review ("" when this person may not open it)."""


def _due_row(access: Access, review: CaseReview, today: dt.date) -> DueRow:
    return DueRow(
        family=review.family.display_name,
        program=review.family.program.name,
        family_url=family_goals_url(access, review.family),
        review_url=review_url(access, review),
        reviewed_on=review.reviewed_on,
        author=person_name(review.practitioner),
        follow_up_on=review.follow_up_on,
        overdue=review.follow_up_on < today,
    )


def reviews_due(*, access: Access, actor: Any, today: dt.date) -> ReviewsDue:
    """What needs doing about case reviews, for this person. A supervisor: the reviews of the
    programs they supervise waiting for sign-off, and every family of those programs whose
    latest review's follow-up is due within :data:`DUE_WITHIN` or past. Anyone else: their own
    reviews waiting, and the follow-ups due of families on their caseload or whose latest
    review they wrote. Audited ``case_review.list_view`` (the lists name families)."""
    membership = access.membership  # None through a support grant: nothing is theirs
    is_supervisor = bool(membership and membership.is_supervisor)
    user_id = actor.pk if membership is not None else None
    due_by = today + DUE_WITHIN
    families = scope_to_programs(Family.objects.all(), access)
    reviews = CaseReview.objects.filter(
        organization=access.organization, family__in=families
    ).select_related("family__program", "practitioner")
    waiting = reviews.filter(signed_off_at__isnull=True).order_by("reviewed_on", "pk")
    latest = CaseReview.objects.filter(family=OuterRef("pk")).order_by(
        "-reviewed_on", "-created_at", "-pk"
    )
    latest_ids = families.values(latest_id=Subquery(latest.values("pk")[:1]))
    follow_ups = reviews.filter(pk__in=latest_ids, follow_up_on__lte=due_by)
    if membership is None:
        follow_ups = follow_ups.none()
    elif not is_supervisor:
        caseload = Assignment.objects.filter(membership=membership).values("family")
        follow_ups = follow_ups.filter(Q(practitioner_id=user_id) | Q(family__in=caseload))
    with transaction.atomic():
        to_sign = (
            [_due_row(access, r, today) for r in waiting.exclude(practitioner_id=user_id)]
            if is_supervisor
            else []
        )
        own = [_due_row(access, r, today) for r in waiting.filter(practitioner_id=user_id)]
        due = [
            _due_row(access, r, today)
            for r in follow_ups.order_by("follow_up_on", "family__display_name", "pk")
        ]
        audit_record(
            verb="case_review.list_view",
            actor=actor,
            organization=access.organization,
            object_type="casework.casereview",
            extra={"to_sign": len(to_sign), "waiting": len(own), "follow_ups": len(due)},
        )
    return ReviewsDue(
        is_supervisor=is_supervisor,
        to_sign=to_sign,
        waiting=own,
        follow_ups=due,
        due_by=due_by,
        families_url=page_url(access, "practice:submissions"),
    )
