"""Reads for campaigns and the family survey: display data prepared for templates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hopeful.framework import BUILDING_BLOCKS, AgeRange, Audience, Instrument, get_instrument
from hopeful.framework.guidance import ATTRIBUTION, ideas
from hopeful.web.families.models import Family
from hopeful.web.organizations.access import Access, get_object_in_scope, scope_to_programs
from hopeful.web.surveys.drafts import sha256_hex
from hopeful.web.surveys.models import (
    Campaign,
    CampaignLink,
    CampaignStatus,
    LinkKind,
    Submission,
)
from hopeful.web.surveys.services import (
    asks_about_child,
    months_between,
    pinned_instruments,
)


def campaigns_for(access: Access) -> QuerySet[Campaign]:
    """The campaigns this access sees (its programs), newest first, with counts."""
    return (
        scope_to_programs(Campaign.objects.all(), access)
        .select_related("program")
        .annotate(n_submissions=Count("submissions", distinct=True))
        .order_by("-created_at")
    )


def campaign_get(access: Access, campaign_id: Any) -> Campaign:
    """One campaign in the access's organization and programs, else 404."""
    return get_object_in_scope(Campaign.objects.select_related("program"), access, campaign_id)


def campaign_link_get(campaign: Campaign, link_id: Any) -> CampaignLink:
    from django.http import Http404

    # the integration link is not a link people share or revoke (services_integration)
    link = campaign.links.exclude(kind=LinkKind.INTEGRATION).filter(public_id=link_id).first()
    if link is None:
        raise Http404
    return link


def link_for_token(token: str) -> CampaignLink | None:
    """The link whose token hashes to this one (the token itself is never stored)."""
    if not token or len(token) > 200:
        return None
    return (
        CampaignLink.objects.select_related(
            "campaign", "campaign__program", "family", "organization"
        )
        .filter(token_hash=sha256_hex(token))
        .first()
    )


def campaign_public_link_for_token(campaign: Campaign, token: str) -> CampaignLink:
    """The active public link of ``campaign`` whose token this is, else 404.

    Another campaign's or organization's link, a personal, revoked or expired link, a closed
    campaign's link and an unknown token all get the same 404: the answer says nothing about
    which it was."""
    from django.http import Http404

    link = link_for_token(token)
    if (
        link is None
        or link.campaign_id != campaign.pk
        or link.organization_id != campaign.organization_id
        or link.kind != LinkKind.PUBLIC
        or not link.is_usable()
        or campaign.status == CampaignStatus.CLOSED
    ):
        raise Http404
    return link


def program_families(campaign: Campaign) -> QuerySet[Family]:
    return Family.objects.filter(
        organization=campaign.organization, program=campaign.program
    ).order_by("display_name")


@dataclass(frozen=True)
class InstrumentChoice:
    id: str
    version: str
    title: str
    audience: str


def instrument_label(instrument: Instrument, language: str) -> str:
    audience = {
        Audience.ADULT_RETROSPECTIVE: {
            "en": "adults about their own childhood",
            "es": "adultos sobre su propia infancia",
        },
        Audience.PARENT_REPORT_CHILD: {
            "en": "parents about a child",
            "es": "padres y madres sobre un niño o niña",
        },
    }[instrument.audience]
    lang = "es" if language == "es" else "en"
    return f"{instrument.title.get_text(language)} ({audience[lang]}, {instrument.version})"


# -- the family flow ---------------------------------------------------------------------------


def flow_steps(link: CampaignLink) -> list[str]:
    """The family's steps in order: ``language``, ``consent``, ``name`` (public links),
    ``child`` (when a questionnaire is answered about a child), ``notice:<id>`` (sensitive
    topics), ``items:<id>`` per instrument, ``about`` (the optional questions about the family,
    on every campaign), ``review``."""
    steps = ["language", "consent"]
    if link.kind == LinkKind.PUBLIC:
        steps.append("name")
    if asks_about_child(link.campaign):
        steps.append("child")
    for inst in pinned_instruments(link.campaign):
        if inst.content_note is not None:
            steps.append(f"notice:{inst.id}")
        steps.append(f"items:{inst.id}")
    steps.append("about")
    steps.append("review")
    return steps


def birth_month_label(value: str) -> str:
    """``YYYY-MM`` as "March 2022" ("marzo de 2022") in the active language ("" if unset)."""
    try:
        year, month = (int(part) for part in value.split("-"))
        month_name = MONTHS[month]
    except (AttributeError, KeyError, ValueError):
        return ""
    return _("%(month)s %(year)s") % {"month": month_name, "year": year}


def _age_part(months: int) -> str:
    if months >= 24 or months % 12 == 0:
        years = months // 12
        return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
    return ngettext("%(n)d month", "%(n)d months", months) % {"n": months}


def age_range_text(age_range: AgeRange) -> str:
    """ "These questions are written for children 6 months to 5 years old", from the range."""
    low, high = age_range.min_months, age_range.max_months
    top_years = high // 12  # 71 months is "5 years" (until the 6th birthday)
    if low == 0:
        return _("These questions are written for children from birth to %(high)d years old.") % {
            "high": top_years
        }
    if low % 12 == 0:
        return _("These questions are written for children %(low)d to %(high)d years old.") % {
            "low": low // 12,
            "high": top_years,
        }
    return _("These questions are written for children %(low)s to %(high)s old.") % {
        "low": _age_part(low),
        "high": _age_part(high),
    }


@dataclass(frozen=True)
class AgeNote:
    title: str
    text: str


def child_age_notes(
    campaign: Campaign, birth_month: dt.date, today: dt.date, language: str
) -> list[AgeNote]:
    """A note for each questionnaire about a child whose age range does not include the age
    (in completed months) of a child born in ``birth_month`` on ``today``."""
    age = months_between(birth_month, today)
    return [
        AgeNote(title=inst.title.get_text(language), text=age_range_text(inst.age_range))
        for inst in pinned_instruments(campaign)
        if inst.audience == Audience.PARENT_REPORT_CHILD
        and inst.age_range is not None
        and not inst.age_range.contains(age)
    ]


@dataclass(frozen=True)
class ReviewAnswer:
    field_name: str
    number: int
    text: str
    answer: str
    code: int | None


@dataclass(frozen=True)
class ReviewInstrument:
    id: str
    title: str
    answers: list[ReviewAnswer]
    edit_url: str


def review_for(
    link: CampaignLink,
    answers: dict[str, dict[str, Any]],
    language: str,
    edit_urls: dict[str, str],
) -> list[ReviewInstrument]:
    """The saved answers with their labels, per pinned instrument, for the review page."""
    out = []
    for inst in pinned_instruments(link.campaign):
        given = answers.get(inst.id, {})
        rows = []
        for number, item in enumerate(inst.items, start=1):
            code = given.get(item.id)
            label = ""
            if code is not None:
                try:
                    label = item.option(int(code)).label.get_text(language)
                except (KeyError, ValueError):
                    code = None
            rows.append(
                ReviewAnswer(
                    field_name=f"{inst.id}.{item.id}",
                    number=number,
                    text=item.text.get_text(language),
                    answer=label,
                    code=code if code is None else int(code),
                )
            )
        out.append(
            ReviewInstrument(
                id=inst.id,
                title=inst.title.get_text(language),
                answers=rows,
                edit_url=edit_urls.get(inst.id, ""),
            )
        )
    return out


# -- the strengths summary ---------------------------------------------------------------------


@dataclass(frozen=True)
class BlockSummary:
    id: str
    name: str
    description: str
    strengths: list[str] = field(default_factory=list)
    ideas: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StrengthsSummary:
    blocks: list[BlockSummary]
    attribution: str
    any_strengths: bool


def strengths_summary(submission: Submission, language: str) -> StrengthsSummary:
    """Strengths the family reported, by building block, with ideas for each block.

    Only affirmative answers to items that belong to a building block count as strengths,
    so adversity items (which have no block) never appear, and no count, category or band
    is shown.
    """
    found: dict[str, list[str]] = {b.id: [] for b in BUILDING_BLOCKS}
    audiences: set[Audience] = set()
    for score in submission.scores.all():
        inst = get_instrument(score.instrument_id, score.instrument_version)
        audiences.add(inst.audience)
        given = submission.answers.get(inst.id, {})
        for item in inst.items:
            code = given.get(item.id)
            if item.block is None or code is None or code not in item.affirmative:
                continue
            text = item.construct.get_text(language)
            if text not in found[item.block]:
                found[item.block].append(text)
    audience = (
        Audience.PARENT_REPORT_CHILD
        if Audience.PARENT_REPORT_CHILD in audiences
        else Audience.ADULT_RETROSPECTIVE
    )
    blocks = [
        BlockSummary(
            id=block.id,
            name=block.name.get_text(language),
            description=block.description.get_text(language),
            strengths=found[block.id],
            ideas=[idea.get_text(language) for idea in ideas(block.id, audience)],
        )
        for block in sorted(BUILDING_BLOCKS, key=lambda b: b.order)
    ]
    return StrengthsSummary(
        blocks=blocks,
        attribution=ATTRIBUTION.get_text(language),
        any_strengths=any(b.strengths for b in blocks),
    )
