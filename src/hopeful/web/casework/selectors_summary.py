"""The take-home summary: what a family takes home, in its own language.

What goes in is the family's own and strengths-based: the strengths and the people and places
named in the latest strengths map, the strengths from the latest questionnaire (the family
survey summary's rule, and only while the family lets its care team see its answers), the
goals being worked on with their next step and date, recent celebrations in the family's
words, and ideas for more positive experiences for the age bands of its children.

What never goes in is kept out by construction, not by filtering: this module reads named
fields only (``values()``), and never a visit or its note (restricted or not), a case review,
a map's barriers, a score, a band, a category or an adversity item. The questionnaire part
goes through :func:`hopeful.web.surveys.selectors.strengths_summary`, which names only
affirmative answers to items that belong to a building block (adversity items have none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Prefetch

from hopeful.framework import BUILDING_BLOCKS, Audience
from hopeful.framework.errors import AgeBandError, UnknownGuideEntryError, UnknownGuideVersionError
from hopeful.framework.guidance import ATTRIBUTION, ideas
from hopeful.framework.visit_guide import (
    AGE_BAND_IDS,
    VisitGuide,
    age_band,
    get_age_band,
    get_visit_guide,
)
from hopeful.web.audit.services import audit_record
from hopeful.web.casework.blocks import block_names
from hopeful.web.casework.models import Celebration, Goal, GoalStatus, StrengthsMap
from hopeful.web.families.models import Child, ConsentPurpose, Family
from hopeful.web.families.selectors import consent_current
from hopeful.web.surveys.models import InstrumentScore, Submission
from hopeful.web.surveys.selectors import strengths_summary

#: How many celebrations the summary shows (the most recent).
RECENT_CELEBRATIONS = 5

#: The only parts of a strengths map's square the summary reads (never barriers or notes).
MAP_PARTS = ("strengths", "people_places")


@dataclass(frozen=True, slots=True)
class IdeaGroup:
    """Ideas for one age band (``label`` empty: ideas for children of any age)."""

    label: str
    ideas: list[str]


@dataclass(frozen=True, slots=True)
class SummaryBlock:
    id: str
    name: str
    description: str
    strengths: list[str]
    """From the map (the family's words), then from the questionnaire."""
    people_places: list[str]
    ideas: list[IdeaGroup]


@dataclass(frozen=True, slots=True)
class SummaryGoal:
    block: str
    block_name: str
    text: str
    next_step: str
    due_on: dt.date


@dataclass(frozen=True, slots=True)
class SummaryCelebration:
    block: str
    block_name: str
    words: str
    celebrated_on: dt.date


@dataclass(frozen=True, slots=True)
class TakeHome:
    language: str
    prepared_on: dt.date
    blocks: list[SummaryBlock]
    goals: list[SummaryGoal]
    celebrations: list[SummaryCelebration]
    answers_included: bool
    """Whether questionnaire strengths could be read (the family's care consent)."""
    attribution: str


def _language(language: str | None) -> str:
    return "es" if (language or "en").startswith("es") else "en"


def _lines(text: Any) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _map_parts(family: Family) -> dict[str, dict[str, list[str]]]:
    """Block -> {strengths, people_places} lines of the latest map (nothing else of it)."""
    content = (
        StrengthsMap.objects.filter(organization=family.organization_id, family=family)
        .order_by("-version")
        .values_list("content", flat=True)
        .first()
    ) or {}
    out: dict[str, dict[str, list[str]]] = {}
    for block in BUILDING_BLOCKS:
        square = content.get(block.id) if isinstance(content, dict) else None
        square = square if isinstance(square, dict) else {}
        out[block.id] = {part: _lines(square.get(part)) for part in MAP_PARTS}
    return out


def _answered(family: Family, language: str) -> dict[str, list[str]] | None:
    """Block -> strengths of the latest questionnaire answers, or None without care consent."""
    if not consent_current(family)[ConsentPurpose.CARE.value]:
        return None
    # The scores' values (totals, bands) are not even loaded: only which instrument it was.
    scores = InstrumentScore.objects.only(
        "id", "submission_id", "instrument_id", "instrument_version"
    )
    submission = (
        Submission.objects.filter(organization=family.organization_id, family=family)
        .order_by("-submitted_at", "-id")
        .only("id", "answers")
        .prefetch_related(Prefetch("scores", queryset=scores))
        .first()
    )
    if submission is None:
        return {}
    return {b.id: b.strengths for b in strengths_summary(submission, language).blocks}


def _guide() -> VisitGuide | None:
    try:
        return get_visit_guide()
    except UnknownGuideVersionError:
        return None  # no guide ships yet: the survey summary's ideas stand in


def _bands(birth_months: Iterable[dt.date], today: dt.date) -> list[str]:
    """The visit guide's age bands of the children, in the guide's order (adults have none)."""
    found: set[str] = set()
    for born in birth_months:
        try:
            band = age_band(born, today)
        except AgeBandError:
            band = "prenatal"  # recorded with a birth month still to come
        if band is not None:
            found.add(band)
    return [band for band in AGE_BAND_IDS if band in found]


def _ideas(
    block: str, bands: list[str], guide: VisitGuide | None, language: str
) -> list[IdeaGroup]:
    groups: list[IdeaGroup] = []
    if guide is not None:
        for band in bands:
            try:
                section = guide.section(block, band)
            except UnknownGuideEntryError:
                continue
            groups.append(
                IdeaGroup(
                    label=get_age_band(band).label.get_text(language),
                    ideas=[item.text.get_text(language) for item in section.ideas],
                )
            )
    if not groups:
        general = ideas(block, Audience.PARENT_REPORT_CHILD)
        groups.append(IdeaGroup(label="", ideas=[text.get_text(language) for text in general]))
    return groups


def take_home(family: Family, language: str, today: dt.date) -> TakeHome:
    """The family's take-home summary in ``language`` (see the module docstring for what it
    holds and what it never holds)."""
    language = _language(language)
    names = block_names(language)
    mapped = _map_parts(family)
    answered = _answered(family, language)
    births = Child.objects.filter(organization=family.organization_id, family=family)
    bands = _bands(births.values_list("birth_month", flat=True), today)
    guide = _guide() if bands else None
    blocks = []
    for block in sorted(BUILDING_BLOCKS, key=lambda b: b.order):
        strengths = list(mapped[block.id]["strengths"])
        for text in (answered or {}).get(block.id, []):
            if text not in strengths:
                strengths.append(text)
        blocks.append(
            SummaryBlock(
                id=block.id,
                name=names[block.id],
                description=block.description.get_text(language),
                strengths=strengths,
                people_places=mapped[block.id]["people_places"],
                ideas=_ideas(block.id, bands, guide, language),
            )
        )
    goals = [
        SummaryGoal(block=row["block"], block_name=names.get(row["block"], ""), **_rest(row))
        for row in Goal.objects.filter(
            organization=family.organization_id, family=family, status=GoalStatus.ACTIVE
        )
        .order_by("due_on", "created_at")
        .values("block", "text", "next_step", "due_on")
    ]
    celebrations = [
        SummaryCelebration(block=row["block"], block_name=names.get(row["block"], ""), **_rest(row))
        for row in Celebration.objects.filter(organization=family.organization_id, family=family)
        .order_by("-celebrated_on", "-created_at")
        .values("block", "words", "celebrated_on")[:RECENT_CELEBRATIONS]
    ]
    attribution = guide.attribution if guide is not None else ATTRIBUTION
    return TakeHome(
        language=language,
        prepared_on=today,
        blocks=blocks,
        goals=goals,
        celebrations=celebrations,
        answers_included=answered is not None,
        attribution=attribution.get_text(language),
    )


def _rest(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if key != "block"}


def take_home_read(
    *,
    family: Family,
    language: str,
    today: dt.date,
    actor: Any | None,
    verb: str,
    extra: dict[str, Any] | None = None,
) -> TakeHome:
    """:func:`take_home`, audited (``verb``: ``family.summary_view`` or ``family.summary_pdf``)
    in the same transaction as the read. ``actor`` is None when the family reads it through
    its personal link."""
    with transaction.atomic():
        summary = take_home(family, language, today)
        audit_record(
            verb=verb,
            actor=actor,
            organization=family.organization,
            obj=family,
            extra={"language": summary.language, **(extra or {})},
        )
    return summary
