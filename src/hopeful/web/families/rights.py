"""A family's deletion at its own request, through its personal link.

:func:`family_erase` removes, in one transaction, everything that identifies the family: the
family record (name, contact, language), its children, its consent history, every
questionnaire response with its answers, "About your family" answers and scores, its
personal links with their drafts, resume and family codes and code attempts, and every
casework record about it (care team, visits and their notes, restricted or not, strengths
maps, goals and their progress, celebrations, case reviews, reminders). Nothing is stored as
a file about a family (PDFs are made when downloaded), so there is none to remove.

It keeps only what the family had released for research (:func:`research_released`): each
response given while its consent for de-identified research was granted, when that consent
is still granted at deletion, becomes a :class:`~hopeful.web.families.models.ResearchRecord`
with no link to the family. It also keeps a :class:`~hopeful.web.families.models.
FamilyErasure` (program and time only) and the hashes of the personal links' tokens
(:class:`~hopeful.web.families.models.ErasedLink`), so the link then says the data was
deleted, and a repeated request finds it done. The audit trail stays (append-only): its
rows name the family only by its random id, never by name.

Counts made from the family's rows are made again: the network view's stored counts for the
organization are recounted here, and the dashboards notice the new erasure in their data
version (:func:`hopeful.web.insights.data.data_version`) and start afresh.

The rule is documented, for families and staff, in ``docs/family-data.md``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from hopeful.web.audit.services import audit_record
from hopeful.web.families.models import (
    ConsentPurpose,
    ConsentRecord,
    ErasedLink,
    Family,
    FamilyErasure,
    ResearchRecord,
)
from hopeful.web.surveys.demographics import ZIP3_KEY
from hopeful.web.surveys.drafts import sha256_hex
from hopeful.web.surveys.models import CampaignLink, Submission

ERASE = "family.erase"

#: The "About your family" answers a research record keeps: the caregiver's own and the ZIP3
#: (never the child's sex or gender, nor disability, which may be the child's).
RESEARCH_DEMOGRAPHICS = ("race_ethnicity", "income", "gender", ZIP3_KEY)


def erasure_for_token(token: str) -> FamilyErasure | None:
    """The erasure a deleted family's personal link token belongs to, if any."""
    if not token or len(token) > 200:
        return None
    found = ErasedLink.objects.select_related("erasure").filter(token_hash=sha256_hex(token))
    row = found.first()
    return row.erasure if row is not None else None


def _research_granted_at(history: list[ConsentRecord], moment: dt.datetime) -> str | None:
    """The text version of the research consent in force at ``moment`` (None: not granted)."""
    state: ConsentRecord | None = None
    for record in history:
        if record.recorded_at > moment:
            break
        state = record
    return state.text_version if state is not None and state.granted else None


def research_released(family: Family) -> list[ResearchRecord]:
    """The research records the family's consent released (unsaved): one per response given
    while its research consent was granted, if that consent is still granted now; else none."""
    history = list(
        ConsentRecord.objects.filter(
            organization=family.organization_id, family=family, purpose=ConsentPurpose.RESEARCH
        ).order_by("recorded_at", "id")
    )
    if not history or not history[-1].granted:
        return []
    kept = []
    submissions = (
        Submission.objects.filter(organization=family.organization_id, family=family)
        .prefetch_related("scores")
        .order_by("submitted_at", "id")
    )
    for s in submissions:
        version = _research_granted_at(history, s.submitted_at)
        if version is None:
            continue
        kept.append(
            ResearchRecord(
                organization_id=family.organization_id,
                program_id=s.program_id,
                language=s.language,
                month=timezone.localtime(s.submitted_at).date().replace(day=1),
                answers=s.answers,
                scores={
                    x.instrument_id: {"version": x.instrument_version, "values": x.values}
                    for x in s.scores.all()
                },
                demographics={
                    k: v for k, v in (s.demographics or {}).items() if k in RESEARCH_DEMOGRAPHICS
                },
                consent_text_version=version,
            )
        )
    return kept


def _recount_network(organization_id: int) -> None:
    """The network view keeps counts in the database, brought up to date from the highest ids
    (:mod:`hopeful.web.network.counts`): a removal is not seen that way, so the organization
    is recounted now, the rows' totals kept true, and the generation moved on (its caches)."""
    from hopeful.web.network.counts import SOURCES, recount
    from hopeful.web.network.models import NetworkCountState

    state = NetworkCountState.objects.select_for_update().order_by("pk").first()
    if state is None:
        return  # never counted: the first network view counts everything
    recount([organization_id])
    for name, model in SOURCES:
        below = model.objects.filter(id__lte=getattr(state, f"{name}_id")).count()
        setattr(state, f"{name}s", below)
    state.generation += 1
    state.save()


def _forget_dashboards() -> None:
    from hopeful.web.insights.store import clear_caches

    clear_caches()


@transaction.atomic
def family_erase(*, link: CampaignLink, now: dt.datetime | None = None) -> FamilyErasure:
    """Delete the family of this personal link at its request (see the module docstring).
    Everything happens in this transaction: an error removes nothing."""
    if link.family_id is None:
        raise ValueError("only a personal link's family can be deleted through it")
    family = (
        Family.objects.select_for_update()
        .select_related("organization")
        .filter(pk=link.family_id)
        .first()
    )
    if family is None:  # deleted by a request that was a moment earlier: nothing more to do
        return ErasedLink.objects.select_related("erasure").get(token_hash=link.token_hash).erasure
    organization = family.organization
    erasure = FamilyErasure.objects.create(
        organization=organization, program_id=family.program_id, erased_at=now or timezone.now()
    )
    links = CampaignLink.objects.filter(organization=organization, family=family)
    ErasedLink.objects.bulk_create(
        ErasedLink(organization=organization, erasure=erasure, token_hash=h)
        for h in links.values_list("token_hash", flat=True)
    )
    ResearchRecord.objects.bulk_create(research_released(family))
    family_id = str(family.public_id)
    # Responses first (their links and the family are protected while they exist), then the
    # links (drafts, codes and attempts go with them), then the family: its children, consent
    # history and every casework record go with it (on_delete=CASCADE).
    Submission.objects.filter(organization=organization, family=family).delete()
    links.delete()
    family.delete()
    _recount_network(organization.pk)
    audit_record(
        verb=ERASE,
        actor=None,
        organization=organization,
        object_type="families.family",
        object_id=family_id,
        extra={"via": "personal_link", "erasure": str(erasure.public_id)},
    )
    transaction.on_commit(_forget_dashboards)
    return erasure


def erasure_summary(family: Family) -> dict[str, Any]:
    """What the deletion page tells the family will go and what will stay (numbers only)."""
    released = research_released(family)
    return {
        "submissions": Submission.objects.filter(
            organization=family.organization_id, family=family
        ).count(),
        "children": family.children.count(),
        "research_kept": len(released),
    }
