"""Answers that arrive from another system (the REST API, FHIR, an ODK/Kobo or REDCap file)
are stored by the same :func:`~hopeful.web.surveys.services.submission_create` as a family's
own, through the campaign's *integration link*: one link per campaign, of kind
``integration``, whose token was never shown to anyone (only a hash of a discarded random
token is stored), so no family can open it. Its per-minute limit is high: each integration has
its own limit (the API token's), and a file import stores hundreds of rows at once.

Replays are caught by the client UUID, as for families. A system that has its own record ids
(an ODK ``instanceID``, a REDCap record id, a FHIR identifier) gets a stable UUID from
:func:`external_client_uuid`: the same record imported twice into the same organization is
stored once.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from hopeful.web.core.sqlite import sqlite_serialised
from hopeful.web.families.models import Family
from hopeful.web.organizations.models import Organization
from hopeful.web.surveys.errors import LinkGoneError, SurveyError
from hopeful.web.surveys.models import Campaign, CampaignLink, CampaignStatus, LinkKind
from hopeful.web.surveys.services import (
    SubmissionPayload,
    SubmissionResult,
    submission_check,
    submission_create,
)
from hopeful.web.surveys.services_campaigns import link_create

__all__ = [
    "INTEGRATION_RATE",
    "external_client_uuid",
    "integration_link",
    "integration_submit",
    "refusal_status",
]

#: The integration link's own per-minute limit (the token or the import limits first).
INTEGRATION_RATE = 1_000_000


def external_client_uuid(*, organization: Organization, source: str, external_id: str) -> uuid.UUID:
    """The client UUID of a record another system identifies as ``external_id``
    (``source``: ``"odk"``, ``"redcap"``, ``"fhir"``…), the same every time in one
    organization and different in another."""
    return uuid.uuid5(organization.public_id, f"{source}:{external_id.strip()}")


def integration_link(*, campaign: Campaign, actor: Any) -> CampaignLink:
    """The campaign's integration link, made (and audited) the first time it is needed."""
    found = (
        CampaignLink.objects.filter(campaign=campaign, kind=LinkKind.INTEGRATION)
        .order_by("id")
        .first()
    )
    if found is not None:
        return found
    with sqlite_serialised(), transaction.atomic():
        # The campaign row lock makes two first imports at once share one link.
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        found = CampaignLink.objects.filter(campaign=campaign, kind=LinkKind.INTEGRATION).first()
        if found is not None:
            return found
        # The token is dropped here: no one ever has it, so no family can open the link.
        link, _token = link_create(
            campaign=campaign,
            actor=actor,
            kind=LinkKind.INTEGRATION,
            rate_limit_per_minute=INTEGRATION_RATE,
        )
        return link


def integration_submit(
    *,
    campaign: Campaign,
    payload: SubmissionPayload,
    actor: Any,
    family: Family | None = None,
) -> SubmissionResult:
    """Store answers another system sent for ``campaign`` (open), for ``family`` when given
    (a family of the campaign's program) or a new family. Raises the same
    :class:`~hopeful.web.surveys.errors.SurveyError` subclasses as a family's submission, and
    stores nothing when it does."""
    if campaign.status != CampaignStatus.OPEN:
        raise LinkGoneError("This survey is not open, so it takes no answers.")
    if not CampaignLink.objects.filter(campaign=campaign, kind=LinkKind.INTEGRATION).exists():
        # refused answers must not leave the campaign's first integration link behind
        unsaved = CampaignLink(
            campaign=campaign, organization_id=campaign.organization_id, kind=LinkKind.INTEGRATION
        )
        submission_check(link=unsaved, payload=payload)
    link = integration_link(campaign=campaign, actor=actor)
    return submission_create(link=link, payload=payload, family=family)


def refusal_status(error: SurveyError) -> int:
    """The HTTP status of a refusal to another system (the REST API, FHIR): answers that
    cannot be used are 422 Unprocessable Content, where a family's own survey API says 400;
    the other statuses (409 conflict, 410 closed, 429 too many) are the same."""
    return 422 if error.status == 400 else error.status
