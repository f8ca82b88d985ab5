"""Reads for the practitioner and org-admin pages, prepared for templates that only format.

Every read of identifiable records filters on the family's *current* consent for ``care``
(:func:`hopeful.web.families.selectors.with_consent`), so a revocation hides the family's
answers from the list, the family page and the export (:mod:`hopeful.web.practice.export`)
at once. Reads of identifiable records
write an audit event in the same transaction as the read. The home page's group totals count
families who agreed to be counted (``program_improvement``) and are published as the
dashboard publishes counts (:mod:`hopeful.web.insights.protection`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils.translation import gettext as _

from hopeful.framework import BUILDING_BLOCKS, HopefulError, Instrument, get_instrument
from hopeful.web.audit.services import audit_record
from hopeful.web.families.models import AgeBand, ConsentPurpose, Family
from hopeful.web.families.selectors import consent_current, with_consent
from hopeful.web.insights import protection
from hopeful.web.insights.model import ShownCount
from hopeful.web.insights.periods import quarter_label
from hopeful.web.organizations.access import Access, get_object_in_scope, scope_to_programs
from hopeful.web.organizations.models import Membership, Program
from hopeful.web.organizations.selectors import (
    PageGroup,
    PageLink,
    SupportRow,
    organization_pages,
    platform_pages,
    support_organizations,
)
from hopeful.web.practice.export import consented_submissions
from hopeful.web.surveys.models import InstrumentScore, Submission

SUBMISSIONS_PER_PAGE = 25


# -- helpers -------------------------------------------------------------------------------


def _instrument(instrument_id: str, version: str | None) -> Instrument | None:
    """The definition a score was computed under, or None if it is no longer registered."""
    try:
        return get_instrument(instrument_id, version or None)
    except HopefulError:
        return None


def _instrument_title(instrument_id: str, version: str | None, language: str) -> str:
    definition = _instrument(instrument_id, version)
    return definition.short_title.get_text(language) if definition else instrument_id


def _format_value(value: Any) -> str:
    """An output value as a person reads it."""
    if value is None:
        return _("not computed")
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return str(value)


def _output_label(definition: Instrument | None, output_id: str, language: str) -> str:
    if definition is None:
        return output_id
    try:
        label = definition.output(output_id).label
    except (KeyError, HopefulError):
        return output_id
    return label.get_text(language) if label is not None else output_id


# -- /orgs/ ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrganizationRow:
    public_id: str
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class OrganizationList:
    organizations: list[OrganizationRow]
    support: list[SupportRow]
    """Organizations a network staff member has support access to now."""
    other_pages: list[PageLink]
    """Pages outside any one organization the user may open (the network view)."""


def organizations_of_user(*, user: Any) -> OrganizationList:
    """Where sign-in lands: the organizations the user is a member of, with the user's role
    there, those a support grant opens for now, and the other pages the user may open."""
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name")
    )
    rows = [
        OrganizationRow(
            public_id=str(m.organization.public_id),
            name=m.organization.name,
            role=m.get_role_display(),
        )
        for m in memberships
    ]
    return OrganizationList(
        organizations=rows,
        support=support_organizations(user=user),
        other_pages=platform_pages(user=user),
    )


# -- /orgs/<org_id>/ -------------------------------------------------------------------------


#: Quarters with submissions the home page shows per program, the most recent first.
HOME_QUARTERS = 8


@dataclass(frozen=True, slots=True)
class QuarterCount:
    year: int
    quarter: int
    """1-4."""
    label: str
    """As the dashboard names it (``2026 Q4``, translated)."""
    count: ShownCount
    """Published through :mod:`hopeful.web.insights.protection` (perturbed)."""


@dataclass(frozen=True, slots=True)
class ProgramSummary:
    name: str
    family_count: int | None
    """Families of the program; only for roles that see identifiable records."""
    quarters: list[QuarterCount]
    """The last :data:`HOME_QUARTERS` quarters with submissions, the most recent first."""


@dataclass(frozen=True, slots=True)
class OrganizationHome:
    name: str
    role: str
    programs: list[ProgramSummary]
    sees_identifiable: bool
    pages: list[PageGroup]
    """The organization's pages this role may open, in groups."""
    threshold: int
    """Published counts below this are shown as "fewer than" it."""
    nothing_yet: bool = False
    """No family in the programs this access sees (roles that see families), or no counted
    submission (the others): the page says what will show there and the next step."""
    no_programs: bool = False
    """A member who sees the families of chosen programs only and has been given none."""


def _quarter_counts(organization: Any) -> dict[int, list[QuarterCount]]:
    """Per program id, its last :data:`HOME_QUARTERS` quarters with counted submissions, the
    most recent first, each count published as the dashboard publishes counts: perturbed by
    the sum of its submissions' record keys (the cell-key method), 1 to 10 shown as "fewer
    than 11". Grouped in the database, quarters in the current time zone."""
    counted = with_consent(
        Submission.objects.filter(organization=organization),
        ConsentPurpose.PROGRAM_IMPROVEMENT,
        family_field="family",
    )
    rows = (
        counted.annotate(year=ExtractYear("submitted_at"), quarter=ExtractQuarter("submitted_at"))
        .values("program_id", "year", "quarter")
        .annotate(n=Count("id"), key=Sum("record_key"))
        .order_by("program_id", "-year", "-quarter")
    )
    by_program: dict[int, list[QuarterCount]] = defaultdict(list)
    for row in rows:
        quarters = by_program[row["program_id"]]
        if len(quarters) == HOME_QUARTERS:
            continue
        year, quarter = int(row["year"]), int(row["quarter"])
        cell = protection.Tally(int(row["n"]), int(row["key"] or 0))
        quarters.append(
            QuarterCount(
                year=year,
                quarter=quarter,
                label=quarter_label(year, quarter),
                count=protection.shown(protection.value(cell)),
            )
        )
    return by_program


def organization_home(*, access: Access) -> OrganizationHome:
    """Programs with submission counts per quarter (perturbed, small counts shown as "fewer
    than 11") for every role; family counts for the programs an identifiable role sees.

    The quarterly counts are group totals, so they count families that agreed to be counted
    (``program_improvement``); they are published through
    :mod:`hopeful.web.insights.protection`, as the dashboard's counts are, so the same
    submissions always show the same number, and none from 1 to 10 is shown as a number.
    """
    organization = access.organization
    programs = list(Program.objects.filter(organization=organization).order_by("name"))
    by_program = _quarter_counts(organization)

    family_counts: dict[int, int] = {}
    if access.sees_identifiable:
        visible = scope_to_programs(Family.objects.all(), access)
        family_counts = {
            r["program_id"]: r["n"]
            for r in visible.values("program_id").annotate(n=Count("id")).order_by()
        }
    visible_ids = access.program_ids()

    summaries = []
    for program in programs:
        sees_families = access.sees_identifiable and (
            visible_ids is None or program.id in visible_ids
        )
        summaries.append(
            ProgramSummary(
                name=program.name,
                family_count=family_counts.get(program.id, 0) if sees_families else None,
                quarters=by_program.get(program.id, []),
            )
        )
    return OrganizationHome(
        name=organization.name,
        role=access.membership.get_role_display() if access.membership else access.role,
        programs=summaries,
        sees_identifiable=access.sees_identifiable,
        pages=organization_pages(access=access),
        threshold=protection.small_cell_threshold(),
        nothing_yet=not any(family_counts.values()) if access.sees_identifiable else not by_program,
        no_programs=access.sees_identifiable and visible_ids == set(),
    )


# -- /orgs/<org_id>/submissions/ -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScoreLine:
    instrument: str
    score: str
    band: str


@dataclass(frozen=True, slots=True)
class SubmissionRow:
    public_id: str
    family_id: str
    family_name: str
    program: str
    submitted_at: dt.datetime
    language: str
    scores: list[ScoreLine]


def _score_lines(scores: list[InstrumentScore], language: str) -> list[ScoreLine]:
    lines = []
    for score in sorted(scores, key=lambda s: s.instrument_id):
        band = score.values.get("band")
        lines.append(
            ScoreLine(
                instrument=_instrument_title(
                    score.instrument_id, score.instrument_version, language
                ),
                score=_format_value(score.values.get("score")),
                band="" if band is None else str(band),
            )
        )
    return lines


def submissions_page(
    *, access: Access, actor: Any, page_number: Any, language: str
) -> tuple[Page[Any], list[SubmissionRow]]:
    """One page of recent submissions the access sees (newest first), audited
    ``submission.list_view``. Families that withdrew ``care`` consent are left out."""
    queryset = (
        consented_submissions(access)
        .select_related("family", "program")
        .prefetch_related("scores")
        .order_by("-submitted_at", "-id")
    )
    paginator = Paginator(queryset, SUBMISSIONS_PER_PAGE)
    with transaction.atomic():
        page = paginator.get_page(page_number)
        rows = [
            SubmissionRow(
                public_id=str(s.public_id),
                family_id=str(s.family.public_id),
                family_name=s.family.display_name,
                program=s.program.name,
                submitted_at=s.submitted_at,
                language=s.get_language_display(),
                scores=_score_lines(list(s.scores.all()), language),
            )
            for s in page.object_list
        ]
        audit_record(
            verb="submission.list_view",
            actor=actor,
            organization=access.organization,
            object_type="surveys.submission",
            extra={"page": page.number, "count": len(rows)},
        )
    return page, rows


# -- /orgs/<org_id>/families/<family_id>/ ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConsentLine:
    purpose: str
    label: str
    granted: bool


@dataclass(frozen=True, slots=True)
class AnswerLine:
    item_id: str
    question: str
    answer: str
    answered: bool


@dataclass(frozen=True, slots=True)
class BlockAnswers:
    block_id: str
    name: str
    answers: list[AnswerLine]


@dataclass(frozen=True, slots=True)
class OutputLine:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class InstrumentAnswers:
    instrument_id: str
    title: str
    version: str
    outputs: list[OutputLine]
    blocks: list[BlockAnswers]
    reason: str


@dataclass(frozen=True, slots=True)
class SubmissionAnswers:
    public_id: str
    submitted_at: dt.datetime
    language: str
    program: str
    instruments: list[InstrumentAnswers]


@dataclass(frozen=True, slots=True)
class FamilyDetail:
    public_id: str
    display_name: str
    program: str
    consents: list[ConsentLine]
    care_consent: bool
    children: list[str]
    submissions: list[SubmissionAnswers] = field(default_factory=list)


def _answer_label(definition: Instrument, item_id: str, code: Any, language: str) -> str:
    if code is None or code == "":
        return _("No answer")
    try:
        return definition.item(item_id).option(int(code)).label.get_text(language)
    except (KeyError, TypeError, ValueError, HopefulError):
        return _("Unrecognized answer (%(code)s)") % {"code": code}


def _instrument_answers(
    instrument_id: str,
    answers: Mapping[str, Any],
    score: InstrumentScore | None,
    pinned_version: str | None,
    language: str,
) -> InstrumentAnswers:
    version = score.instrument_version if score is not None else pinned_version
    definition = _instrument(instrument_id, version)
    values = score.values if score is not None else {}
    if definition is None:
        outputs = [OutputLine(label=k, value=_format_value(v)) for k, v in values.items()]
        blocks = [
            BlockAnswers(
                block_id="",
                name=_("Answers"),
                answers=[
                    AnswerLine(item_id=k, question=k, answer=str(v), answered=v is not None)
                    for k, v in answers.items()
                ],
            )
        ]
        return InstrumentAnswers(
            instrument_id=instrument_id,
            title=instrument_id,
            version=version or "",
            outputs=outputs,
            blocks=blocks,
            reason=score.reason if score else "",
        )

    outputs = [
        OutputLine(
            label=_output_label(definition, output.id, language),
            value=_format_value(values.get(output.id)),
        )
        for output in definition.all_outputs
        if output.id in values
    ]
    grouped: dict[str | None, list[AnswerLine]] = defaultdict(list)
    for item in definition.items:
        code = answers.get(item.id)
        grouped[item.block].append(
            AnswerLine(
                item_id=item.id,
                question=item.construct.get_text(language),
                answer=_answer_label(definition, item.id, code, language),
                answered=code is not None,
            )
        )
    blocks = [
        BlockAnswers(block_id=b.id, name=b.name.get_text(language), answers=grouped[b.id])
        for b in sorted(BUILDING_BLOCKS, key=lambda b: b.order)
        if grouped.get(b.id)
    ]
    if grouped.get(None):
        blocks.append(BlockAnswers(block_id="", name=_("Other questions"), answers=grouped[None]))
    return InstrumentAnswers(
        instrument_id=instrument_id,
        title=definition.short_title.get_text(language),
        version=definition.version,
        outputs=outputs,
        blocks=blocks,
        reason=score.reason if score else "",
    )


def family_detail(*, access: Access, actor: Any, family_id: Any, language: str) -> FamilyDetail:
    """A family of a program the access sees (else 404), audited ``family.view``: consent per
    purpose, children by age band and, while the family consents to ``care``, every
    submission's scored answers grouped by building block in ``language``."""
    family = get_object_in_scope(
        Family.objects.select_related("program"), access, family_id, field="program"
    )
    with transaction.atomic():
        consent = consent_current(family)
        children = [
            str(AgeBand(child.age_band()).label)
            for child in family.children.order_by("birth_month", "id")
        ]
        submissions: list[SubmissionAnswers] = []
        if consent[ConsentPurpose.CARE]:
            queryset = (
                scope_to_programs(family.submissions.all(), access)
                .select_related("program", "campaign")
                .prefetch_related("scores")
                .order_by("-submitted_at", "-id")
            )
            for submission in queryset:
                scores = {s.instrument_id: s for s in submission.scores.all()}
                pinned = {
                    str(entry.get("id")): str(entry.get("version") or "")
                    for entry in submission.campaign.instruments
                    if isinstance(entry, dict)
                }
                answers = submission.answers if isinstance(submission.answers, dict) else {}
                instrument_ids = list(answers) + [i for i in scores if i not in answers]
                submissions.append(
                    SubmissionAnswers(
                        public_id=str(submission.public_id),
                        submitted_at=submission.submitted_at,
                        language=submission.get_language_display(),
                        program=submission.program.name,
                        instruments=[
                            _instrument_answers(
                                instrument_id,
                                answers.get(instrument_id) or {},
                                scores.get(instrument_id),
                                pinned.get(instrument_id),
                                language,
                            )
                            for instrument_id in instrument_ids
                        ],
                    )
                )
        audit_record(
            verb="family.view",
            actor=actor,
            organization=access.organization,
            obj=family,
            extra={"care_consent": consent[ConsentPurpose.CARE]},
        )
    return FamilyDetail(
        public_id=str(family.public_id),
        display_name=family.display_name,
        program=family.program.name,
        consents=[
            ConsentLine(purpose=p.value, label=str(p.label), granted=consent[p.value])
            for p in ConsentPurpose
        ],
        care_consent=consent[ConsentPurpose.CARE],
        children=children,
        submissions=submissions,
    )
