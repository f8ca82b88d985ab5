"""Reads for a family's page (the casework part), prepared for templates that only format:
one timeline of everything that happened with the family, its building-block scores over
time, its team and its contact details, and the casework pages the reader may open from it.

The family page itself (:func:`hopeful.web.practice.selectors.family_detail`) finds the family
in the reader's scope (else 404) and audits the view (``family.view``); this module adds to
that page what casework knows. Questionnaire answers and scores appear only while the family
lets its care team see them (``care`` consent); visits only as
:func:`hopeful.web.casework.access.visible_visits` allows (restricted notes for their author and
the program's supervisors).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hopeful.framework import BUILDING_BLOCKS, HopefulError, Instrument, get_instrument
from hopeful.web.audit.services import audit_record
from hopeful.web.casework.access import visible_visits
from hopeful.web.casework.blocks import block_names
from hopeful.web.casework.models import CaseReview, Celebration, Goal, GoalUpdate, StrengthsMap
from hopeful.web.families.models import ConsentPurpose, Family
from hopeful.web.families.selectors import consent_current
from hopeful.web.organizations.access import Access, get_object_in_scope, scope_to_programs
from hopeful.web.organizations.models import Membership
from hopeful.web.organizations.selectors import PageLink, page_url
from hopeful.web.surveys.models import Submission

#: Questionnaires drawn in the building-block chart (and its table): the most recent ones.
TREND_POINTS = 12

#: Longest note or answer quoted in the timeline (the full text is on its own page).
QUOTE_CHARS = 280

_BLOCKS = sorted(BUILDING_BLOCKS, key=lambda b: b.order)


# -- building blocks over time ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BlockCell:
    count: int | None
    total: int | None
    """How many of the block's questions were asked (None: none were)."""
    share: float | None
    """count / total, 0 to 1 (None when the block was not asked)."""
    text: str


@dataclass(frozen=True, slots=True)
class BlockHead:
    block_id: str
    name: str


@dataclass(frozen=True, slots=True)
class TrendRow:
    on: dt.date
    label: str
    """The date as the chart's axis shows it (short, in the reader's language)."""
    cells: list[BlockCell]
    """One per :attr:`BlockTrend.blocks`, in that order."""


@dataclass(frozen=True, slots=True)
class BlockTrend:
    title: str
    blocks: list[BlockHead]
    rows: list[TrendRow]
    """Oldest first, as the chart draws them."""


def _definition(instrument_id: str, version: str | None) -> Instrument | None:
    try:
        return get_instrument(instrument_id, version or None)
    except HopefulError:
        return None


def _block_totals(cache: dict[tuple[str, str], dict[str, int]], score: Any) -> dict[str, int]:
    """Block id -> how many questions of the block the score's questionnaire asks."""
    key = (score.instrument_id, score.instrument_version or "")
    if key not in cache:
        definition = _definition(*key)
        cache[key] = (
            {o.id.removeprefix("bb_"): len(o.indicators) for o in definition.block_count_outputs}
            if definition is not None
            else {}
        )
    return cache[key]


def _trend_row(submission: Submission, cache: dict[tuple[str, str], dict[str, int]]) -> TrendRow:
    counts = {b.id: 0 for b in _BLOCKS}
    totals = {b.id: 0 for b in _BLOCKS}
    for score in submission.scores.all():
        for block_id, total in _block_totals(cache, score).items():
            value = score.values.get(f"bb_{block_id}")
            # a block's count is computed only when all its questions were answered
            if isinstance(value, int) and not isinstance(value, bool) and block_id in counts:
                counts[block_id] += value
                totals[block_id] += total
    cells = []
    for block in _BLOCKS:
        total = totals[block.id]
        if total:
            count = counts[block.id]
            text = _("%(count)d of %(total)d") % {"count": count, "total": total}
            cells.append(BlockCell(count=count, total=total, share=count / total, text=text))
        else:
            cells.append(BlockCell(count=None, total=None, share=None, text=_("not asked")))
    on = timezone.localtime(submission.submitted_at).date()
    return TrendRow(on=on, label=date_format(on, "SHORT_DATE_FORMAT"), cells=cells)


def block_trend(submissions: list[Submission], language: str) -> BlockTrend | None:
    """The building-block scores of the family's last :data:`TREND_POINTS` questionnaires
    (``submissions`` newest first, scores prefetched): for each block, how many of the
    block's questions were answered as a strength, of those asked. None when no
    questionnaire has a block score."""
    cache: dict[tuple[str, str], dict[str, int]] = {}
    rows = []
    for submission in submissions:
        row = _trend_row(submission, cache)
        if any(cell.total for cell in row.cells):
            rows.append(row)
        if len(rows) == TREND_POINTS:
            break
    if not rows:
        return None
    return BlockTrend(
        title=_("Strengths by building block"),
        blocks=[BlockHead(block_id=b.id, name=b.name.get_text(language)) for b in _BLOCKS],
        rows=list(reversed(rows)),
    )


# -- the timeline -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    kind: str
    """``questionnaire``, ``visit``, ``map``, ``goal``, ``goal_update``, ``celebration`` or
    ``review``."""
    kind_label: str
    on: dt.date
    title: str
    lines: list[str]
    by: str = ""
    """Who recorded it ("" for the family's own answers)."""
    restricted: bool = False
    block_id: str = ""
    block_name: str = ""
    url: str = ""
    """Where the whole record is: its own page, or its place on the family page."""


def _quote(text: str) -> str:
    return Truncator(text).chars(QUOTE_CHARS)


def _day(value: dt.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _local(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _name(user: Any) -> str:
    return str(user.get_full_name()) if user is not None else ""


def _score_line(score: Any, language: str) -> str:
    definition = _definition(score.instrument_id, score.instrument_version)
    title = definition.short_title.get_text(language) if definition else score.instrument_id
    value, band = score.values.get("score"), score.values.get("band")
    if value is None:
        return _("%(instrument)s: not scored") % {"instrument": title}
    if band is None:
        return _("%(instrument)s: score %(score)s") % {"instrument": title, "score": value}
    return _("%(instrument)s: score %(score)s (group %(band)s)") % {
        "instrument": title,
        "score": value,
        "band": band,
    }


Sorted = tuple[tuple[dt.date, dt.datetime], TimelineEntry]


def _questionnaires(submissions: list[Submission], language: str) -> list[Sorted]:
    out = []
    for s in submissions:
        scores = sorted(s.scores.all(), key=lambda score: score.instrument_id)
        entry = TimelineEntry(
            kind="questionnaire",
            kind_label=_("Questionnaire"),
            on=_local(s.submitted_at),
            title=_("The family answered a questionnaire"),
            lines=[_score_line(score, language) for score in scores],
            url=f"#submission-{s.public_id}",
        )
        out.append(((entry.on, s.submitted_at), entry))
    return out


def _page(name: str, family: Family, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org_id": family.organization.public_id, **kwargs})


def _visits(access: Access, user: Any, family: Family) -> list[Sorted]:
    out = []
    for visit in visible_visits(access=access, user=user, family=family).select_related("author"):
        lines = []
        if visit.family_said:
            lines.append(_("The family said: %(text)s") % {"text": _quote(visit.family_said)})
        if visit.note:
            lines.append(_("Note: %(text)s") % {"text": _quote(visit.note)})
        if visit.prompts:
            lines.append(_("Conversation prompts used: %(n)d") % {"n": len(visit.prompts)})
        entry = TimelineEntry(
            kind="visit",
            kind_label=_("Visit"),
            on=visit.visited_on,
            title=str(visit.get_mode_display()),
            lines=lines,
            by=_name(visit.author),
            restricted=visit.restricted,
            url=_page("casework:visit", family, visit_id=visit.public_id),
        )
        out.append(((entry.on, visit.created_at), entry))
    return out


def _block_name(block_id: str, language: str) -> str:
    return block_names(language).get(block_id, "")


def _maps(family: Family, language: str) -> list[Sorted]:
    out = []
    latest: int | None = None
    for saved in StrengthsMap.objects.filter(family=family).select_related("created_by"):
        latest = saved.version if latest is None else latest  # newest first
        url = _page("casework:map", family, family_id=family.public_id)
        content = saved.content if isinstance(saved.content, dict) else {}
        named = [
            b.name.get_text(language)
            for b in _BLOCKS
            if isinstance(content.get(b.id), dict) and any(content[b.id].values())
        ]
        lines = [_("Filled in: %(blocks)s") % {"blocks": ", ".join(named)}] if named else []
        entry = TimelineEntry(
            kind="map",
            kind_label=_("Strengths map"),
            on=_local(saved.created_at),
            title=_("Strengths map, version %(n)d") % {"n": saved.version},
            lines=lines,
            by=_name(saved.created_by),
            # an earlier version opens side by side with the latest
            url=url if saved.version == latest else f"{url}?compare={saved.version}",
        )
        out.append(((entry.on, saved.created_at), entry))
    return out


def _goals(family: Family, language: str) -> list[Sorted]:
    out = []
    goals = Goal.objects.filter(family=family).select_related("created_by")
    for goal in goals:
        entry = TimelineEntry(
            kind="goal",
            kind_label=_("Goal"),
            on=_local(goal.created_at),
            title=goal.text,
            lines=[
                _("Next step: %(step)s") % {"step": goal.next_step},
                _("By %(date)s · %(status)s")
                % {"date": _day(goal.due_on), "status": goal.get_status_display()},
            ],
            by=_name(goal.created_by),
            block_id=goal.block,
            block_name=_block_name(goal.block, language),
            url=_page("casework:goal", family, goal_id=goal.public_id),
        )
        out.append(((entry.on, goal.created_at), entry))
    updates = GoalUpdate.objects.filter(goal__family=family).select_related("goal", "created_by")
    for update in updates:
        lines = [str(update.get_status_display())]
        if update.next_step:
            lines.append(_("Next step: %(step)s") % {"step": update.next_step})
        if update.due_on:
            lines.append(_("By %(date)s") % {"date": _day(update.due_on)})
        entry = TimelineEntry(
            kind="goal_update",
            kind_label=_("Goal progress"),
            on=_local(update.created_at),
            title=_("%(goal)s: %(progress)s") % {"goal": update.goal.text, "progress": update.text},
            lines=lines,
            by=_name(update.created_by),
            block_id=update.goal.block,
            block_name=_block_name(update.goal.block, language),
            url=_page("casework:goal", family, goal_id=update.goal.public_id),
        )
        out.append(((entry.on, update.created_at), entry))
    return out


def _celebrations(family: Family, language: str) -> list[Sorted]:
    out = []
    for celebration in Celebration.objects.filter(family=family).select_related("created_by"):
        entry = TimelineEntry(
            kind="celebration",
            kind_label=_("Celebration"),
            on=celebration.celebrated_on,
            title=celebration.words,
            lines=[],
            by=_name(celebration.created_by),
            block_id=celebration.block,
            block_name=_block_name(celebration.block, language),
        )
        out.append(((entry.on, celebration.created_at), entry))
    return out


def _reviews(family: Family) -> list[Sorted]:
    out = []
    reviews = CaseReview.objects.filter(family=family).select_related(
        "practitioner", "signed_off_by"
    )
    for review in reviews:
        lines = [
            _("What the family wants: %(text)s") % {"text": _quote(review.family_wants)},
            _("Plan: %(text)s") % {"text": _quote(review.plan)},
            _("Follow up by %(date)s") % {"date": _day(review.follow_up_on)},
        ]
        if review.signed_off_by is not None:
            lines.append(_("Signed off by %(name)s") % {"name": _name(review.signed_off_by)})
        else:
            lines.append(_("Waiting for a supervisor to sign it off"))
        entry = TimelineEntry(
            kind="review",
            kind_label=_("Case review"),
            on=review.reviewed_on,
            title=_("Case review"),
            lines=lines,
            by=_name(review.practitioner),
            url=_page("casework:review", family, review_id=review.public_id),
        )
        out.append(((entry.on, review.created_at), entry))
    return out


def family_timeline(
    *,
    access: Access,
    user: Any,
    family: Family,
    language: str,
    submissions: list[Submission] | None = None,
) -> list[TimelineEntry]:
    """Everything that happened with the family, newest first (same day: the later recorded
    first): questionnaires (``submissions``, only given while the family consents to
    ``care``), the visits the reader may see, strengths map versions, goals and their
    progress, celebrations and case reviews."""
    entries: list[Sorted] = [
        *_questionnaires(submissions or [], language),
        *_visits(access, user, family),
        *_maps(family, language),
        *_goals(family, language),
        *_celebrations(family, language),
        *_reviews(family),
    ]
    entries.sort(key=lambda pair: pair[0], reverse=True)
    return [entry for _key, entry in entries]


# -- the casework part of the family page -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TeamMember:
    name: str
    role: str
    is_you: bool


@dataclass(frozen=True, slots=True)
class FamilyCasework:
    team: list[TeamMember]
    contact_email: str
    contact_phone: str
    timeline: list[TimelineEntry]
    trend: BlockTrend | None
    care_consent: bool
    actions: list[PageLink]
    """The casework pages about the family the reader may open (each page's own roles and
    support access decide, as :func:`~hopeful.web.organizations.selectors.page_url`)."""
    caseload_url: str
    assign_url: str
    """"" when the reader may not assign (not an org admin, or through support access)."""
    contact_url: str


#: The casework pages a family's page links to, in this order: (URL name, label).
FAMILY_ACTIONS = (
    ("casework:visit_new", gettext_lazy("Record a visit")),
    ("casework:map", gettext_lazy("Strengths map")),
    ("casework:goal_new", gettext_lazy("Add a goal")),
    ("casework:celebration_new", gettext_lazy("Record a celebration")),
    ("casework:review_new", gettext_lazy("Write a case review")),
    ("casework:assign", gettext_lazy("Assign to practitioners")),
    ("casework:contact", gettext_lazy("Edit contact details")),
)


def _actions(access: Access, family: Family) -> list[PageLink]:
    links = [
        PageLink(label=str(label), url=url, hint="")
        for name, label in FAMILY_ACTIONS
        if (url := page_url(access, name, family_id=family.public_id))
    ]
    caseload = page_url(access, "casework:caseload")
    if caseload:
        links.append(PageLink(label=_("Caseload"), url=caseload, hint=""))
    return links


def family_casework(*, access: Access, user: Any, family_id: Any, language: str) -> FamilyCasework:
    """The casework part of the family page for a family of a program the access sees (else
    404). The page's view is audited by the family page's own selector (``family.view``)."""
    family = get_object_in_scope(
        Family.objects.select_related("program", "organization"), access, family_id
    )
    with transaction.atomic():
        care = consent_current(family)[ConsentPurpose.CARE]
        submissions: list[Submission] = []
        if care:
            submissions = list(
                scope_to_programs(family.submissions.all(), access)
                .prefetch_related("scores")
                .order_by("-submitted_at", "-id")
            )
        team = [
            TeamMember(
                name=str(m.user.get_full_name()),
                role=str(m.get_role_display()),
                is_you=m.user_id == getattr(user, "pk", None),
            )
            for m in Membership.objects.filter(assignments__family=family)
            .select_related("user")
            .order_by("user__display_name", "user__email")
        ]
        timeline = family_timeline(
            access=access, user=user, family=family, language=language, submissions=submissions
        )
    return FamilyCasework(
        team=team,
        contact_email=family.contact_email,
        contact_phone=family.contact_phone,
        timeline=timeline,
        trend=block_trend(submissions, language),
        care_consent=care,
        actions=_actions(access, family),
        caseload_url=page_url(access, "casework:caseload"),
        assign_url=page_url(access, "casework:assign", family_id=family.public_id),
        contact_url=page_url(access, "casework:contact", family_id=family.public_id),
    )


def family_for_contact(*, access: Access, actor: Any, family_id: Any) -> Family:
    """The family whose contact details are edited (of a program the access sees, else 404);
    showing them is audited ``family.contact_view``."""
    family: Family = get_object_in_scope(
        Family.objects.select_related("program", "organization"), access, family_id
    )
    audit_record(
        verb="family.contact_view", actor=actor, organization=access.organization, obj=family
    )
    return family
