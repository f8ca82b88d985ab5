"""Writing casework: every write checks its input, stores in one transaction with an audit
event, and on bad input raises :class:`CaseworkError` having stored nothing.

Who may write is decided by the views (``org_view`` roles) and by :mod:`.access` (which
families an access sees, who supervises); the services check the rules about the data itself:
dates, building blocks, the organization of every object, a sign-off by someone other than the
author.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hopeful.framework import BLOCK_IDS
from hopeful.web.audit.services import audit_record
from hopeful.web.casework.access import supervises
from hopeful.web.casework.models import (
    MAP_FIELDS,
    Assignment,
    Barrier,
    CaseReview,
    Celebration,
    Goal,
    GoalStatus,
    GoalUpdate,
    StrengthsMap,
    Visit,
    VisitMode,
)
from hopeful.web.families.models import Family
from hopeful.web.organizations.models import Membership, Role

#: Longest free text of one field (a map square, a note, what the family said).
MAX_TEXT = 4000


class CaseworkError(ValueError):
    """Bad input: nothing was stored. ``field`` names the form field it is about ("" for the
    whole form), so a view can show the message next to it."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _text(value: Any, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise CaseworkError("This is needed.", field)
    if len(text) > limit:
        raise CaseworkError(f"Keep it under {limit} characters.", field)
    return text


def _block(value: str, field: str = "block", *, required: bool = True) -> str:
    if not value and not required:
        return ""
    if value not in BLOCK_IDS:
        raise CaseworkError("Choose one of the four building blocks.", field)
    return value


def _not_future(day: dt.date, today: dt.date, field: str) -> dt.date:
    if day > today:
        raise CaseworkError("This date is in the future.", field)
    return day


def _not_past(day: dt.date, today: dt.date, field: str) -> dt.date:
    if day < today:
        raise CaseworkError("Choose today or a later date.", field)
    return day


def _same_organization(family: Family, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and obj.organization_id != family.organization_id:
            raise CaseworkError("This belongs to another organization.")


# -- caseload -----------------------------------------------------------------------------------


@transaction.atomic
def assignments_set(
    *, family: Family, memberships: Iterable[Membership], actor: Any
) -> list[Membership]:
    """Put ``family`` on exactly these practitioners' caseloads (org admins decide). Each one
    must be a practitioner or org admin of the family's organization who sees its program."""
    chosen = list(memberships)
    for membership in chosen:
        _same_organization(family, membership)
        if membership.role not in (Role.PRACTITIONER, Role.ORG_ADMIN):
            raise CaseworkError("Only practitioners and org admins have a caseload.", "members")
        sees = (
            membership.role == Role.ORG_ADMIN
            or membership.all_programs
            or membership.programs.filter(pk=family.program_id).exists()
        )
        if not sees:
            raise CaseworkError(
                f"{membership.user} does not work with this family's program.", "members"
            )
    wanted = {m.pk for m in chosen}
    current = set(family.assignments.values_list("membership_id", flat=True))
    family.assignments.exclude(membership_id__in=wanted).delete()
    for membership in chosen:
        if membership.pk not in current:
            Assignment.objects.create(
                organization=family.organization,
                family=family,
                membership=membership,
                assigned_by=actor,
            )
    if wanted != current:
        audit_record(
            verb="caseload.assign",
            actor=actor,
            organization=family.organization,
            obj=family,
            extra={"members": [str(m.public_id) for m in chosen]},
        )
    return chosen


# -- visits -------------------------------------------------------------------------------------


@transaction.atomic
def visit_record(
    *,
    family: Family,
    actor: Any,
    visited_on: dt.date,
    mode: str,
    prompts: Mapping[str, str] | None = None,
    guide_version: str = "",
    known_prompts: Iterable[str] = (),
    family_said: str = "",
    note: str = "",
    restricted: bool = False,
    today: dt.date | None = None,
) -> Visit:
    """Record a visit and its note. ``prompts`` maps the guide's prompt ids used to what the
    family said ("" when only ticked); every id must be in ``known_prompts`` (the ids of
    ``guide_version``)."""
    today = today or timezone.localdate()
    _not_future(visited_on, today, "visited_on")
    if mode not in VisitMode.values:
        raise CaseworkError("Choose how you met.", "mode")
    used = {str(k): _text(v, "prompts") for k, v in (prompts or {}).items()}
    unknown = set(used) - set(known_prompts)
    if unknown:
        raise CaseworkError("Some prompts are not in this visit guide.", "prompts")
    said = _text(family_said, "family_said")
    text = _text(note, "note")
    if not (used or said or text):
        raise CaseworkError(
            "Record something: a prompt used, what the family said or a note.", "note"
        )
    visit = Visit.objects.create(
        organization=family.organization,
        family=family,
        author=actor,
        visited_on=visited_on,
        mode=mode,
        guide_version=guide_version if used else "",
        prompts=used,
        family_said=said,
        note=text,
        restricted=restricted,
    )
    audit_record(
        verb="visit.create",
        actor=actor,
        organization=family.organization,
        obj=visit,
        extra={"family": str(family.public_id), "restricted": restricted},
    )
    return visit


# -- strengths maps -----------------------------------------------------------------------------


def clean_map(content: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The map's content in its stored shape, or :class:`CaseworkError`: known blocks and
    fields only, barriers from :class:`Barrier`, and something written somewhere."""
    unknown = set(content) - set(BLOCK_IDS)
    if unknown:
        raise CaseworkError("Choose one of the four building blocks.")
    out: dict[str, dict[str, Any]] = {}
    filled = False
    for block in BLOCK_IDS:
        square = dict(content.get(block) or {})
        if set(square) - set(MAP_FIELDS):
            raise CaseworkError("The map has a part it does not know.")
        barriers = [str(b) for b in square.get("barriers") or []]
        if set(barriers) - set(Barrier.values):
            raise CaseworkError("Choose barriers from the list.", f"{block}-barriers")
        cleaned: dict[str, Any] = {
            field: _text(square.get(field), f"{block}-{field}")
            for field in MAP_FIELDS
            if field != "barriers"
        }
        cleaned["barriers"] = sorted(set(barriers), key=Barrier.values.index)
        filled = filled or any(cleaned[f] for f in MAP_FIELDS)
        out[block] = cleaned
    if not filled:
        raise CaseworkError("The map is empty: write at least one thing the family named.")
    return out


def strengths_map_save(
    *, family: Family, content: Mapping[str, Mapping[str, Any]], actor: Any
) -> StrengthsMap:
    """Save the map as the family's next version (earlier versions stay as they were). Two
    saves at once both succeed, one after the other."""
    cleaned = clean_map(content)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                last = family.strengths_maps.order_by("-version").first()
                saved = StrengthsMap.objects.create(
                    organization=family.organization,
                    family=family,
                    version=(last.version if last else 0) + 1,
                    content=cleaned,
                    created_by=actor,
                )
                audit_record(
                    verb="strengths_map.create",
                    actor=actor,
                    organization=family.organization,
                    obj=saved,
                    extra={"family": str(family.public_id), "version": saved.version},
                )
                return saved
        except IntegrityError:
            continue  # another save took this version number: take the next
    raise CaseworkError("The map could not be saved just now. Please try again.")


# -- goals and celebrations ---------------------------------------------------------------------


@transaction.atomic
def goal_add(
    *,
    family: Family,
    actor: Any,
    block: str,
    text: str,
    next_step: str,
    due_on: dt.date,
    today: dt.date | None = None,
) -> Goal:
    """A goal the family chose. Its date is today or later."""
    today = today or timezone.localdate()
    goal = Goal.objects.create(
        organization=family.organization,
        family=family,
        block=_block(block),
        text=_text(text, "text", required=True, limit=500),
        next_step=_text(next_step, "next_step", required=True, limit=500),
        due_on=_not_past(due_on, today, "due_on"),
        created_by=actor,
    )
    audit_record(
        verb="goal.create",
        actor=actor,
        organization=family.organization,
        obj=goal,
        extra={"family": str(family.public_id), "block": goal.block},
    )
    return goal


@transaction.atomic
def goal_progress(
    *,
    goal: Goal,
    actor: Any,
    text: str,
    status: str,
    next_step: str = "",
    due_on: dt.date | None = None,
    today: dt.date | None = None,
) -> GoalUpdate:
    """Progress on a goal; it may move the goal's next step and date, or close it (reached or
    set aside). A goal still being worked on keeps a date of today or later."""
    today = today or timezone.localdate()
    if status not in GoalStatus.values:
        raise CaseworkError("Choose where the goal stands.", "status")
    step = _text(next_step, "next_step", limit=500)
    if due_on is not None:
        _not_past(due_on, today, "due_on")
    update = GoalUpdate.objects.create(
        organization=goal.organization,
        goal=goal,
        text=_text(text, "text", required=True, limit=1000),
        status=status,
        next_step=step,
        due_on=due_on,
        created_by=actor,
    )
    goal.status = status
    if step:
        goal.next_step = step
    if due_on is not None:
        goal.due_on = due_on
    goal.save(update_fields=["status", "next_step", "due_on"])
    audit_record(
        verb="goal.update",
        actor=actor,
        organization=goal.organization,
        obj=goal,
        extra={"status": status},
    )
    return update


@transaction.atomic
def celebration_add(
    *,
    family: Family,
    actor: Any,
    words: str,
    celebrated_on: dt.date,
    block: str = "",
    goal: Goal | None = None,
    today: dt.date | None = None,
) -> Celebration:
    """Something the family is proud of, in its own words (on a day that has happened)."""
    today = today or timezone.localdate()
    _same_organization(family, goal)
    if goal is not None and goal.family_id != family.pk:
        raise CaseworkError("This goal is another family's.", "goal")
    celebration = Celebration.objects.create(
        organization=family.organization,
        family=family,
        block=_block(block, required=False),
        words=_text(words, "words", required=True, limit=1000),
        celebrated_on=_not_future(celebrated_on, today, "celebrated_on"),
        goal=goal,
        created_by=actor,
    )
    audit_record(
        verb="celebration.create",
        actor=actor,
        organization=family.organization,
        obj=celebration,
        extra={"family": str(family.public_id)},
    )
    return celebration


# -- case reviews -------------------------------------------------------------------------------


@transaction.atomic
def case_review_create(
    *,
    family: Family,
    actor: Any,
    reviewed_on: dt.date,
    strengths: Mapping[str, str],
    family_wants: str,
    plan: str,
    follow_up_on: dt.date,
    adversity: str = "",
    distress: str = "",
    today: dt.date | None = None,
) -> CaseReview:
    """A review of one family, strengths first: at least one building block's strengths, what
    the family wants, a plan, and a follow-up date after the review."""
    today = today or timezone.localdate()
    _not_future(reviewed_on, today, "reviewed_on")
    if set(strengths) - set(BLOCK_IDS):
        raise CaseworkError("Choose one of the four building blocks.", "strengths")
    seen = {b: _text(strengths.get(b), f"strengths-{b}") for b in BLOCK_IDS}
    if not any(seen.values()):
        raise CaseworkError("Name the family's strengths in at least one building block.")
    if follow_up_on <= reviewed_on:
        raise CaseworkError("The follow-up comes after the review.", "follow_up_on")
    review = CaseReview.objects.create(
        organization=family.organization,
        family=family,
        practitioner=actor,
        reviewed_on=reviewed_on,
        strengths={b: t for b, t in seen.items() if t},
        adversity=_text(adversity, "adversity"),
        distress=_text(distress, "distress"),
        family_wants=_text(family_wants, "family_wants", required=True),
        plan=_text(plan, "plan", required=True),
        follow_up_on=follow_up_on,
    )
    audit_record(
        verb="case_review.create",
        actor=actor,
        organization=family.organization,
        obj=review,
        extra={"family": str(family.public_id)},
    )
    return review


@transaction.atomic
def case_review_sign_off(*, review: CaseReview, supervisor: Membership) -> CaseReview:
    """A supervisor of the family's program signs the review off (once; not their own)."""
    review = CaseReview.objects.select_for_update().select_related("family").get(pk=review.pk)
    _same_organization(review.family, supervisor)
    if not supervises(supervisor, review.family):
        raise CaseworkError("Only a supervisor of this family's program can sign it off.")
    if supervisor.user_id == review.practitioner_id:
        raise CaseworkError("Someone other than the review's author signs it off.")
    if review.signed_off_at is not None:
        raise CaseworkError("This review is already signed off.")
    review.signed_off_by = supervisor.user
    review.signed_off_at = timezone.now()
    review.save(update_fields=["signed_off_by", "signed_off_at"])
    audit_record(
        verb="case_review.sign_off",
        actor=supervisor.user,
        organization=review.organization,
        obj=review,
    )
    return review
