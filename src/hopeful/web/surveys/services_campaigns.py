"""Writing campaigns and their links. Every write is audited in its transaction.

Link tokens are random and stored only as SHA-256 hashes; the plaintext is shown once. A
campaign pins the versions of its instruments when it opens (see
:mod:`hopeful.web.surveys.services` for the submissions checked and scored under them).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from hopeful.framework import get_instrument, list_instruments
from hopeful.web.audit.services import audit_record
from hopeful.web.families.models import Family
from hopeful.web.organizations.models import Program
from hopeful.web.surveys.drafts import sha256_hex
from hopeful.web.surveys.errors import CampaignError
from hopeful.web.surveys.models import Campaign, CampaignLink, CampaignStatus, LinkKind

# -- campaigns ---------------------------------------------------------------------------------


def _check_instruments(instrument_ids: Iterable[str]) -> list[str]:
    known = {i.id for i in list_instruments()}
    chosen = list(dict.fromkeys(instrument_ids))
    unknown = [i for i in chosen if i not in known]
    if unknown:
        raise CampaignError(f"unknown instrument(s): {', '.join(unknown)}")
    return chosen


@transaction.atomic
def campaign_create(
    *,
    program: Program,
    name: str,
    instrument_ids: Iterable[str],
    languages: Iterable[str],
    actor: Any,
) -> Campaign:
    """A draft campaign of ``program``; versions are pinned when it opens."""
    chosen = _check_instruments(instrument_ids)
    campaign = Campaign.objects.create(
        organization=program.organization,
        program=program,
        name=name,
        instruments=[{"id": i} for i in chosen],
        languages=list(languages),
        status=CampaignStatus.DRAFT,
        created_by=actor,
    )
    audit_record(
        verb="campaign.create",
        actor=actor,
        organization=campaign.organization,
        obj=campaign,
        extra={"instruments": chosen},
    )
    return campaign


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    name: str,
    instrument_ids: Iterable[str],
    languages: Iterable[str],
    actor: Any,
) -> Campaign:
    """Rename a campaign and change its languages; its instruments only while it is a draft
    (after opening they are pinned, so earlier answers never change meaning)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    chosen = _check_instruments(instrument_ids)
    current = [entry["id"] for entry in campaign.instruments]
    if chosen != current:
        if campaign.status != CampaignStatus.DRAFT:
            raise CampaignError("The questionnaires of a campaign cannot change once it opens.")
        campaign.instruments = [{"id": i} for i in chosen]
    campaign.name = name
    campaign.languages = list(languages)
    campaign.save(update_fields=["name", "instruments", "languages"])
    audit_record(
        verb="campaign.update",
        actor=actor,
        organization=campaign.organization,
        obj=campaign,
        extra={"instruments": chosen},
    )
    return campaign


@transaction.atomic
def campaign_open(*, campaign: Campaign, actor: Any) -> Campaign:
    """Open a campaign, pinning each instrument's latest version (kept when reopened)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.instruments:
        raise CampaignError("Add at least one questionnaire before opening the campaign.")
    if campaign.status == CampaignStatus.OPEN:
        return campaign
    campaign.instruments = [
        {"id": entry["id"], "version": entry.get("version") or get_instrument(entry["id"]).version}
        for entry in campaign.instruments
    ]
    campaign.status = CampaignStatus.OPEN
    campaign.opened_at = timezone.now()
    campaign.closed_at = None
    campaign.save(update_fields=["instruments", "status", "opened_at", "closed_at"])
    audit_record(
        verb="campaign.open",
        actor=actor,
        organization=campaign.organization,
        obj=campaign,
        extra={"instruments": campaign.instruments},
    )
    return campaign


@transaction.atomic
def campaign_close(*, campaign: Campaign, actor: Any) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.OPEN:
        raise CampaignError("Only an open campaign can be closed.")
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at"])
    audit_record(
        verb="campaign.close", actor=actor, organization=campaign.organization, obj=campaign
    )
    return campaign


# -- links -------------------------------------------------------------------------------------


@transaction.atomic
def link_create(
    *,
    campaign: Campaign,
    actor: Any,
    kind: str = LinkKind.PUBLIC,
    family: Family | None = None,
    expires_at: dt.datetime | None = None,
    rate_limit_per_minute: int = 60,
) -> tuple[CampaignLink, str]:
    """A new link and its token. The token is returned once; only its SHA-256 is stored."""
    if kind == LinkKind.PERSONAL:
        if family is None or family.program_id != campaign.program_id:
            raise CampaignError("A personal link needs a family of the campaign's program.")
    elif kind in (LinkKind.PUBLIC, LinkKind.INTEGRATION):
        family = None
    else:
        raise CampaignError(f"unknown link kind {kind!r}")
    if rate_limit_per_minute < 1:
        raise CampaignError("The rate limit must be at least 1 per minute.")
    token = secrets.token_urlsafe(32)
    link = CampaignLink.objects.create(
        organization=campaign.organization,
        campaign=campaign,
        kind=kind,
        family=family,
        token_hash=sha256_hex(token),
        expires_at=expires_at,
        rate_limit_per_minute=rate_limit_per_minute,
        created_by=actor,
    )
    audit_record(
        verb="link.create",
        actor=actor,
        organization=campaign.organization,
        obj=link,
        extra={"campaign": str(campaign.public_id), "kind": kind},
    )
    return link, token


@transaction.atomic
def link_revoke(*, link: CampaignLink, actor: Any) -> CampaignLink:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit_record(verb="link.revoke", actor=actor, organization=link.organization, obj=link)
    return link


@transaction.atomic
def link_kit_download_record(
    *, link: CampaignLink, actor: Any, kind: str, language: str, paper: str
) -> None:
    """Audit one download of a link's outreach kit (the token is in neither the event nor
    its extra: only the link's public id names the link)."""
    audit_record(
        verb="link.kit_download",
        actor=actor,
        organization=link.organization,
        obj=link,
        extra={
            "campaign": str(link.campaign.public_id),
            "kind": kind,
            "language": language,
            "paper": paper,
        },
    )
