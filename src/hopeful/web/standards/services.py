"""Writes of the six-standards self-assessment: starting, saving and submitting an
assessment, the improvement plan's actions, and applying for the HOPE-informed organization
certification.

Each function runs in one transaction with its audit event (``standards.*``); bad input
raises :class:`StandardsError` (an English message the forms translate, and the field it is
about) and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hopeful.framework import standards as rubric
from hopeful.web.audit.services import audit_record
from hopeful.web.certification.models import Certification
from hopeful.web.certification.services import (
    CertificationError,
    organization_certification_apply,
)
from hopeful.web.organizations.models import Membership, Organization
from hopeful.web.standards import selectors
from hopeful.web.standards.models import (
    ActionStatus,
    Assessment,
    AssessmentStatus,
    ImprovementAction,
)

#: Longest text of a plan's action (a sentence or two, not a document).
MAX_TEXT = 1000
#: Furthest a due date may be: a plan is reviewed yearly, five years is a typo.
MAX_YEARS_AHEAD = 5


class StandardsError(ValueError):
    """Bad input: nothing was stored. ``field`` names the form field it is about ("" for the
    whole form); ``missing`` lists unanswered question ids when a submission is incomplete."""

    def __init__(self, message: str, field: str = "", missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.missing = missing


def _lock(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


def _merged_answers(current: Mapping[str, Any], posted: Mapping[str, Any]) -> dict[str, str]:
    """``current`` with ``posted`` laid over it (a blank posted answer clears one), checked
    against the questions' options."""
    merged: dict[str, Any] = {**current, **posted}
    try:
        return rubric.clean_answers(merged)
    except rubric.UnknownQuestionError as error:
        raise StandardsError("This question is not part of the self-assessment.") from error
    except rubric.InvalidOptionError as error:
        raise StandardsError(
            "Choose one of the answers offered.", field=error.question_id
        ) from error


# -- assessments ----------------------------------------------------------------------------


def assessment_start(*, organization: Organization, actor: Any) -> tuple[Assessment, bool]:
    """The organization's draft: a new one, or the one already started (``created`` False),
    so that a double POST never makes two drafts."""
    existing = selectors.draft_for(organization)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(organization=organization, started_by=actor)
            audit_record(
                verb="standards.assessment_start",
                actor=actor,
                organization=organization,
                obj=assessment,
                extra={"rubric_version": rubric.VERSION},
            )
    except IntegrityError:  # a concurrent start won: use its draft
        existing = selectors.draft_for(organization)
        if existing is None:
            raise
        return existing, False
    return assessment, True


@transaction.atomic
def assessment_save(
    *, assessment: Assessment, actor: Any, answers: Mapping[str, Any]
) -> Assessment:
    """Keep the answers of a draft (answered so far; a blank answer clears one)."""
    locked = _lock(assessment)
    if not locked.is_draft:
        raise StandardsError("This self-assessment is submitted, so it can no longer change.")
    locked.answers = _merged_answers(locked.answers, answers)
    locked.save(update_fields=["answers", "updated_at"])
    audit_record(
        verb="standards.assessment_save",
        actor=actor,
        organization=locked.organization,
        obj=locked,
        extra={"answered": len(locked.answers)},
    )
    return locked


@transaction.atomic
def assessment_submit(
    *,
    assessment: Assessment,
    actor: Any,
    answers: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Assessment:
    """Submit a draft with every question answered: its results (levels per standard) are
    kept with the rubric's version, and it can no longer change. Refused, with the
    unanswered questions listed, while any question is unanswered (nothing is stored)."""
    locked = _lock(assessment)
    if not locked.is_draft:
        raise StandardsError("This self-assessment is submitted, so it can no longer change.")
    merged = _merged_answers(locked.answers, answers or {})
    missing = tuple(q.id for q in rubric.QUESTIONS if q.id not in merged)
    if missing:
        raise StandardsError("Answer every question before submitting.", missing=missing)
    results = rubric.score(merged)
    locked.answers = merged
    locked.results = {
        standard_id: {
            "level": int(result.level or 0),
            "points": result.points,
            "max_points": result.max_points,
        }
        for standard_id, result in results.items()
    }
    locked.rubric_version = rubric.VERSION
    locked.status = AssessmentStatus.SUBMITTED
    locked.submitted_by = actor
    locked.submitted_at = now or timezone.now()
    locked.save()
    audit_record(
        verb="standards.assessment_submit",
        actor=actor,
        organization=locked.organization,
        obj=locked,
        extra={
            "levels": {sid: r["level"] for sid, r in locked.results.items()},
            "rubric_version": rubric.VERSION,
        },
    )
    return locked


# -- the improvement plan -------------------------------------------------------------------


def _text(value: Any) -> str:
    text = str(value or "").strip()
    if not text:
        raise StandardsError("Say what will change.", "text")
    if len(text) > MAX_TEXT:
        raise StandardsError(f"Keep it under {MAX_TEXT} characters.", "text")
    return text


def _owner(organization: Organization, owner: Any) -> Any:
    if (
        owner is None
        or not Membership.objects.filter(organization=organization, user=owner).exists()
    ):
        raise StandardsError("Choose a member of this organization.", "owner")
    return owner


def _due_date(value: Any, today: dt.date) -> dt.date:
    if not isinstance(value, dt.date):
        raise StandardsError("Enter a date.", "due_date")
    if value < today:
        raise StandardsError("Choose today or a later date.", "due_date")
    if value > today + dt.timedelta(days=365 * MAX_YEARS_AHEAD):
        raise StandardsError("Choose a date within five years.", "due_date")
    return value


def _standard(standard_id: str) -> str:
    if standard_id not in rubric.STANDARD_IDS:
        raise StandardsError("Choose one of the six standards.", "standard_id")
    return standard_id


@transaction.atomic
def action_add(
    *,
    organization: Organization,
    actor: Any,
    standard_id: str,
    text: str,
    owner: Any,
    due_date: dt.date,
    assessment: Assessment | None = None,
    question_id: str = "",
    today: dt.date | None = None,
) -> tuple[ImprovementAction, bool]:
    """Add a step to the improvement plan. From a suggestion (``assessment`` and
    ``question_id``), the suggestion must be one that submitted assessment made; the same
    suggestion is added once (``created`` False and nothing changed the second time)."""
    today = today or timezone.localdate()
    standard_id = _standard(standard_id)
    if assessment is not None:
        if assessment.organization_id != organization.pk:
            raise StandardsError("This belongs to another organization.")
        if assessment.is_draft:
            raise StandardsError("Submit the self-assessment before planning from it.")
    if question_id:
        suggested = (
            {o.question_id: o for o in rubric.opportunities(assessment.answers)}
            if (assessment is not None)
            else {}
        )
        opportunity = suggested.get(question_id)
        if opportunity is None or opportunity.standard_id != standard_id:
            raise StandardsError("This suggestion is not one of the self-assessment's.")
        existing = ImprovementAction.objects.filter(
            assessment=assessment, question_id=question_id
        ).first()
        if existing is not None:
            return existing, False
    action = ImprovementAction.objects.create(
        organization=organization,
        assessment=assessment,
        standard_id=standard_id,
        question_id=question_id,
        text=_text(text),
        owner=_owner(organization, owner),
        due_date=_due_date(due_date, today),
        created_by=actor,
    )
    audit_record(
        verb="standards.action_add",
        actor=actor,
        organization=organization,
        obj=action,
        extra={
            "standard": standard_id,
            "question": question_id,
            "owner": str(owner.public_id),
            "due_date": due_date.isoformat(),
        },
    )
    return action, True


@transaction.atomic
def action_update(
    *,
    action: ImprovementAction,
    actor: Any,
    text: str,
    owner: Any,
    due_date: dt.date,
    status: str,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ImprovementAction:
    """Change a step of the plan: its text, owner, date or status. A new date must be today
    or later (an unchanged past date may stay, so an overdue step can still be closed)."""
    today = today or timezone.localdate()
    locked = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if status not in ActionStatus.values:
        raise StandardsError("Choose where the step stands.", "status")
    new_text = _text(text)
    new_owner = _owner(locked.organization, owner)
    if due_date != locked.due_date:
        _due_date(due_date, today)
    changes: dict[str, Any] = {}
    for field, value, shown in (
        ("text", new_text, None),
        ("owner_id", new_owner.pk, str(new_owner.public_id)),
        ("due_date", due_date, due_date.isoformat()),
        ("status", status, status),
    ):
        if getattr(locked, field) != value:
            changes[field.removesuffix("_id")] = shown if shown is not None else True
            setattr(locked, field, value)
    if not changes:
        return locked
    if "status" in changes:
        locked.done_at = (now or timezone.now()) if status == ActionStatus.DONE else None
    locked.save()
    audit_record(
        verb="standards.action_update",
        actor=actor,
        organization=locked.organization,
        obj=locked,
        extra={"changes": changes},
    )
    return locked


# -- certification --------------------------------------------------------------------------


@transaction.atomic
def certification_apply(*, organization: Organization, actor: Any) -> Certification:
    """Apply for (or renew) the HOPE-informed organization certification with the latest
    submitted self-assessment. Needs a submitted assessment and a plan with at least one
    step; the certification app records it and asks for a Champion's review."""
    readiness = selectors.certification_readiness(organization)
    if readiness.assessment is None:
        raise StandardsError("Submit a self-assessment before applying.")
    if readiness.action_count == 0:
        raise StandardsError("Add at least one step to the improvement plan before applying.")
    try:
        certification = organization_certification_apply(
            organization=organization,
            actor=actor,
            assessment_ref=str(readiness.assessment.public_id),
        )
    except CertificationError as error:
        raise StandardsError(str(error)) from error
    audit_record(
        verb="standards.certification_apply",
        actor=actor,
        organization=organization,
        obj=readiness.assessment,
        extra={"certification": str(certification.public_id), "state": certification.state},
    )
    return certification
