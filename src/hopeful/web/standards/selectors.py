"""Reads of the six-standards self-assessment: the organization's assessments, where each
standard stands, the improvement plan and the certification's readiness.

Pages get plain dataclasses with every text already in the page's language (the framework's
texts are bilingual in code), so templates only format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hopeful.framework import standards as rubric
from hopeful.web.certification.models import Certification, StateChoices
from hopeful.web.certification.selectors import organization_certification
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.models import Membership, Organization
from hopeful.web.standards.models import (
    ActionStatus,
    Assessment,
    AssessmentStatus,
    ImprovementAction,
)

#: Certification states in which the latest assessment can be sent (applying, re-applying
#: while in progress, or renewing); a suspended certification waits for the resource center.
CAN_SEND_STATES = {"applied", "in_progress", "certified", "expiring", "expired", "revoked"}


def standards_url(name: str, organization: Organization, **kwargs: Any) -> str:
    return reverse(f"standards:{name}", kwargs={"org_id": organization.public_id, **kwargs})


def user_name(user: Any) -> str:
    return str(user.display_name or user.email)


def level_label(level: int | None, language: str) -> str:
    if not level:
        return _("Not answered yet")
    return rubric.Level(level).label.get_text(language)


# -- lookups --------------------------------------------------------------------------------


def draft_for(organization: Organization) -> Assessment | None:
    return Assessment.objects.filter(
        organization=organization, status=AssessmentStatus.DRAFT
    ).first()


def submitted_assessments(organization: Organization) -> list[Assessment]:
    """The organization's submitted assessments, oldest first."""
    return list(
        Assessment.objects.filter(organization=organization, status=AssessmentStatus.SUBMITTED)
        .order_by("submitted_at", "id")
        .only("public_id", "submitted_at", "results", "organization_id", "status")
    )


def assessment_get(access: Access, public_id: Any) -> Assessment:
    """An assessment of the access's organization, else 404."""
    assessment = (
        Assessment.objects.filter(organization=access.organization, public_id=public_id)
        .select_related("started_by", "submitted_by")
        .first()
    )
    if assessment is None:
        raise Http404
    return assessment


def action_get(access: Access, public_id: Any) -> ImprovementAction:
    """A step of the access's organization's plan, else 404."""
    action = (
        ImprovementAction.objects.filter(organization=access.organization, public_id=public_id)
        .select_related("owner", "assessment")
        .first()
    )
    if action is None:
        raise Http404
    return action


@dataclass(frozen=True, slots=True)
class Member:
    public_id: str
    name: str


def members(organization: Organization) -> list[Member]:
    """The organization's members, who may own a step of the plan."""
    rows = (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )
    return [Member(public_id=str(m.user.public_id), name=user_name(m.user)) for m in rows]


def member_user(organization: Organization, public_id: str) -> Any | None:
    """The member with this user public id, or None when no member has it."""
    membership = (
        Membership.objects.filter(organization=organization, user__public_id=public_id)
        .select_related("user")
        .first()
    )
    return membership.user if membership is not None else None


# -- certification --------------------------------------------------------------------------


@dataclass(frozen=True)
class Readiness:
    """Whether the organization may apply for (or renew) its certification now, and why not."""

    assessment: Assessment | None
    action_count: int
    certification: Certification | None
    already_sent: bool = False

    @property
    def state(self) -> str:
        return self.certification.state if self.certification is not None else ""

    @property
    def state_label(self) -> str:
        if self.certification is None:
            return _("Not applied yet")
        return str(StateChoices(self.certification.state).label)

    @property
    def reason(self) -> str:
        """Why applying is not offered ("" when it is)."""
        if self.assessment is None:
            return _("Submit a self-assessment first.")
        if self.action_count == 0:
            return _("Add at least one step to the improvement plan first.")
        if self.already_sent:
            return _(
                "Your latest self-assessment has been sent. A new one can be sent after the next self-assessment."
            )
        if self.certification is not None and self.state not in CAN_SEND_STATES:
            return _("The certification is suspended: contact the resource center.")
        return ""

    @property
    def can_apply(self) -> bool:
        return not self.reason

    @property
    def is_renewal(self) -> bool:
        return self.state in {"certified", "expiring", "expired"}


def certification_readiness(organization: Organization) -> Readiness:
    latest = (
        Assessment.objects.filter(organization=organization, status=AssessmentStatus.SUBMITTED)
        .order_by("-submitted_at", "-id")
        .first()
    )
    actions = ImprovementAction.objects.filter(organization=organization).count()
    certification = organization_certification(organization=organization)
    sent = False
    if certification is not None and latest is not None and certification.state != "revoked":
        evidence = certification.evidence or {}
        ref = str(latest.public_id)
        sent = ref in (evidence.get("assessment_ref"), evidence.get("renewal_assessment_ref"))
    return Readiness(
        assessment=latest, action_count=actions, certification=certification, already_sent=sent
    )


# -- the overview ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LevelCell:
    level: int | None
    label: str


@dataclass(frozen=True, slots=True)
class StandardLine:
    """One standard: its name, its latest level, and its level at each submitted assessment."""

    standard_id: str
    order: int
    name: str
    description: str
    current: LevelCell
    points: int | None
    max_points: int | None
    history: list[LevelCell]


@dataclass(frozen=True, slots=True)
class AssessmentColumn:
    public_id: str
    date: dt.date
    results_url: str


@dataclass(frozen=True, slots=True)
class ActionRow:
    public_id: str
    text: str
    standard: str
    owner: str
    due_date: dt.date
    status: str
    status_label: str
    overdue: bool
    edit_url: str


@dataclass(frozen=True)
class PlanSummary:
    open: int
    in_progress: int
    done: int
    overdue: int
    next_due: list[ActionRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.open + self.in_progress + self.done


@dataclass(frozen=True)
class Overview:
    organization: Organization
    lines: list[StandardLine]
    columns: list[AssessmentColumn]
    latest: AssessmentColumn | None
    draft_url: str
    draft_answered: int
    plan: PlanSummary
    readiness: Readiness
    urls: dict[str, str]


def _action_row(action: ImprovementAction, language: str, today: dt.date) -> ActionRow:
    return ActionRow(
        public_id=str(action.public_id),
        text=action.text,
        standard=rubric.get_standard(action.standard_id).name.get_text(language),
        owner=user_name(action.owner),
        due_date=action.due_date,
        status=action.status,
        status_label=str(ActionStatus(action.status).label),
        overdue=action.status != ActionStatus.DONE and action.due_date < today,
        edit_url=standards_url("action_edit", action.organization, action_id=action.public_id),
    )


def plan_summary(organization: Organization, language: str, today: dt.date) -> PlanSummary:
    counts = ImprovementAction.objects.filter(organization=organization).aggregate(
        open=Count("id", filter=Q(status=ActionStatus.OPEN)),
        in_progress=Count("id", filter=Q(status=ActionStatus.IN_PROGRESS)),
        done=Count("id", filter=Q(status=ActionStatus.DONE)),
        overdue=Count("id", filter=~Q(status=ActionStatus.DONE) & Q(due_date__lt=today)),
    )
    upcoming = (
        ImprovementAction.objects.filter(organization=organization)
        .exclude(status=ActionStatus.DONE)
        .select_related("owner", "organization")
        .order_by("due_date", "id")[:5]
    )
    return PlanSummary(
        open=counts["open"],
        in_progress=counts["in_progress"],
        done=counts["done"],
        overdue=counts["overdue"],
        next_due=[_action_row(a, language, today) for a in upcoming],
    )


def overview(*, access: Access, language: str, today: dt.date | None = None) -> Overview:
    organization = access.organization
    today = today or timezone.localdate()
    history = submitted_assessments(organization)
    columns = [
        AssessmentColumn(
            public_id=str(a.public_id),
            date=timezone.localdate(a.submitted_at) if a.submitted_at else today,
            results_url=standards_url("results", organization, assessment_id=a.public_id),
        )
        for a in history
    ]
    lines = []
    for standard in rubric.STANDARDS:
        cells = []
        for assessment in history:
            level = (assessment.results.get(standard.id) or {}).get("level") or None
            cells.append(LevelCell(level=level, label=level_label(level, language)))
        latest = history[-1].results.get(standard.id, {}) if history else {}
        current = cells[-1] if cells else LevelCell(None, level_label(None, language))
        lines.append(
            StandardLine(
                standard_id=standard.id,
                order=standard.order,
                name=standard.name.get_text(language),
                description=standard.description.get_text(language),
                current=current,
                points=latest.get("points"),
                max_points=latest.get("max_points"),
                history=cells,
            )
        )
    draft = draft_for(organization)
    return Overview(
        organization=organization,
        lines=lines,
        columns=columns,
        latest=columns[-1] if columns else None,
        draft_url=standards_url("assessment", organization, assessment_id=draft.public_id)
        if draft
        else "",
        draft_answered=len(draft.answers) if draft else 0,
        plan=plan_summary(organization, language, today),
        readiness=certification_readiness(organization),
        urls={
            "new": standards_url("assessment_new", organization),
            "plan": standards_url("plan", organization),
            "apply": standards_url("certification_apply", organization),
            "action_new": standards_url("action_new", organization),
        },
    )


# -- the questionnaire and the results ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnsweredQuestion:
    id: str
    text: str
    area: str
    answer: str


@dataclass(frozen=True, slots=True)
class StandardSection:
    """One standard of the questionnaire or the results page."""

    standard_id: str
    order: int
    name: str
    description: str
    questions: list[AnsweredQuestion]
    level: LevelCell
    points: int
    max_points: int
    answered: int
    total: int


def sections(assessment: Assessment, language: str) -> list[StandardSection]:
    """Each standard with its questions and the answers given (the results of a submitted
    assessment are its snapshot; a draft's are computed from the answers so far)."""
    live = rubric.score(assessment.answers)
    out = []
    for standard in rubric.STANDARDS:
        questions = []
        for question in standard.questions:
            option_id = assessment.answers.get(question.id)
            answer = (
                question.option(option_id).label.get_text(language)
                if option_id
                else _("Not answered yet")
            )
            questions.append(
                AnsweredQuestion(
                    id=question.id,
                    text=question.text.get_text(language),
                    area=question.area.label.get_text(language),
                    answer=answer,
                )
            )
        result = live[standard.id]
        snapshot = assessment.results.get(standard.id) if not assessment.is_draft else None
        level = snapshot["level"] if snapshot else (int(result.level) if result.level else None)
        out.append(
            StandardSection(
                standard_id=standard.id,
                order=standard.order,
                name=standard.name.get_text(language),
                description=standard.description.get_text(language),
                questions=questions,
                level=LevelCell(level=level, label=level_label(level, language)),
                points=snapshot["points"] if snapshot else result.points,
                max_points=snapshot["max_points"] if snapshot else result.max_points,
                answered=result.answered,
                total=result.total,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A suggested change and, when it is in the plan already, the step made from it."""

    standard_id: str
    standard: str
    question_id: str
    question: str
    text: str
    action: ActionRow | None


def suggestions(
    assessment: Assessment, language: str, today: dt.date | None = None
) -> list[Suggestion]:
    today = today or timezone.localdate()
    planned = {
        a.question_id: _action_row(a, language, today)
        for a in ImprovementAction.objects.filter(assessment=assessment)
        .exclude(question_id="")
        .select_related("owner", "organization")
    }
    out = []
    for opportunity in rubric.opportunities(assessment.answers):
        question = rubric.get_question(opportunity.question_id)
        out.append(
            Suggestion(
                standard_id=opportunity.standard_id,
                standard=rubric.get_standard(opportunity.standard_id).name.get_text(language),
                question_id=opportunity.question_id,
                question=question.text.get_text(language),
                text=opportunity.text.get_text(language),
                action=planned.get(opportunity.question_id),
            )
        )
    return out


def assessment_urls(assessment: Assessment) -> dict[str, str]:
    organization = assessment.organization
    return {
        "overview": standards_url("overview", organization),
        "assessment": standards_url("assessment", organization, assessment_id=assessment.public_id),
        "results": standards_url("results", organization, assessment_id=assessment.public_id),
        "plan": standards_url("plan", organization),
        "action_new": standards_url("action_new", organization),
    }


# -- the plan -------------------------------------------------------------------------------


def plan_rows(
    organization: Organization, language: str, today: dt.date | None = None
) -> list[ActionRow]:
    """Every step of the plan: open and in progress first (soonest due first), then done."""
    today = today or timezone.localdate()
    actions = (
        ImprovementAction.objects.filter(organization=organization)
        .select_related("owner", "organization")
        .order_by("due_date", "id")
    )
    rows = [_action_row(a, language, today) for a in actions]
    return sorted(rows, key=lambda r: r.status == ActionStatus.DONE)
