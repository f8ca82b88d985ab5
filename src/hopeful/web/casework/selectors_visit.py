"""Reads for a visit: which of the visit guide's age bands fit the family, the guide's prompts
in the family's language, and one visit as its reader may see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils import timezone

from hopeful.framework import HopefulError
from hopeful.framework.visit_guide import (
    AGE_BANDS,
    GuideItem,
    VisitGuide,
    age_band,
    get_visit_guide,
)
from hopeful.web.casework.access import visible_visits
from hopeful.web.casework.blocks import block_names
from hopeful.web.casework.models import Visit
from hopeful.web.families.models import Family
from hopeful.web.organizations.access import Access


@dataclass(frozen=True, slots=True)
class BandChoice:
    id: str
    label: str
    is_family: bool
    """A band of one of the family's children (or the caregiver's own)."""
    is_current: bool


@dataclass(frozen=True, slots=True)
class ShownItem:
    id: str
    text: str
    """In the family's language."""
    hint: str
    """In the reader's language when it differs ("" otherwise)."""


@dataclass(frozen=True, slots=True)
class ShownSection:
    block: str
    name: str
    prompts: list[ShownItem]
    ideas: list[ShownItem]


def family_bands(family: Family, today: Any = None) -> list[str]:
    """The guide's bands of the family's children today (a birth month still to come is a
    pregnancy), then the caregiver's own; in the guide's order, each once."""
    today = today or timezone.localdate()
    found = {"caregiver"}
    for child in family.children.all():
        if child.birth_month > today:
            found.add("prenatal")
            continue
        band = age_band(child.birth_month, today)
        if band is not None:
            found.add(band)
    return [band.id for band in AGE_BANDS if band.id in found]


def band_choices(
    family: Family, current: str, language: str, today: Any = None
) -> list[BandChoice]:
    ours = set(family_bands(family, today))
    return [
        BandChoice(band.id, band.label.get_text(language), band.id in ours, band.id == current)
        for band in AGE_BANDS
    ]


def default_band(family: Family, today: Any = None) -> str:
    """The youngest child's band (the first in the guide's order), else the caregiver's."""
    return family_bands(family, today)[0]


def _shown(item: GuideItem, language: str, reader: str) -> ShownItem:
    hint = item.text.get_text(reader) if reader != language else ""
    return ShownItem(item.id, item.text.get_text(language), hint)


def guide_sections(
    guide: VisitGuide, band: str, *, language: str, reader: str
) -> list[ShownSection]:
    """The band's four sections with the prompts and ideas in the family's ``language`` (and
    the ``reader``'s language as a hint when it differs)."""
    names = block_names(reader)
    return [
        ShownSection(
            block=section.block,
            name=names[section.block],
            prompts=[_shown(i, language, reader) for i in section.prompts],
            ideas=[_shown(i, language, reader) for i in section.ideas],
        )
        for section in guide.for_band(band)
    ]


@dataclass(frozen=True, slots=True)
class VisitPrompt:
    text: str
    said: str


@dataclass(frozen=True, slots=True)
class VisitView:
    visit: Visit
    prompts: list[VisitPrompt]
    author: str


def visit_for_reader(*, access: Access, user: Any, visit_id: Any, language: str) -> VisitView:
    """One visit of a family the access sees, if this reader may read it (restricted notes:
    the author and the program's supervisors), else 404; prompts in ``language``."""
    visit = (
        Visit.objects.filter(organization=access.organization, public_id=visit_id)
        .select_related("family", "family__program", "author")
        .first()
    )
    if visit is None:
        raise Http404
    programs = access.program_ids()
    if programs is not None and visit.family.program_id not in programs:
        raise Http404
    readable = visible_visits(access=access, user=user, family=visit.family)
    if not readable.filter(pk=visit.pk).exists():
        raise Http404
    prompts = []
    guide = None
    if visit.prompts:
        try:
            guide = get_visit_guide(visit.guide_version or None)
        except HopefulError:
            guide = None
    for item_id, said in visit.prompts.items():
        try:
            text = guide.item(item_id).text.get_text(language) if guide else item_id
        except HopefulError:
            text = item_id
        prompts.append(VisitPrompt(text=text, said=said))
    author = visit.author.display_name or visit.author.email
    return VisitView(visit=visit, prompts=prompts, author=author)
