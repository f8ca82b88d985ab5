"""Storing a QuestionnaireResponse another system sends: one response is one submission to
the campaign its campaign extension names, stored by
:func:`~hopeful.web.surveys.services_integration.integration_submit` (the same validation,
scoring, consent records and audit as a family's own answers). The response's identifier (or
id) makes a re-sent resource a replay."""

from __future__ import annotations

import uuid

from hopeful.interop.fhir import FhirError, Issue, ParsedResponse, campaign_extension_url
from hopeful.web.api.models import ApiToken
from hopeful.web.surveys.models import Campaign
from hopeful.web.surveys.services import (
    CONSENT_PURPOSES,
    SubmissionPayload,
    SubmissionResult,
    pinned_instruments,
)
from hopeful.web.surveys.services_integration import external_client_uuid, integration_submit

__all__ = ["CampaignNotFoundError", "response_store"]


class CampaignNotFoundError(LookupError):
    """No campaign of the token's organization has the id the response names (404)."""


def _campaign(token: ApiToken, campaign_id: str | None, base_url: str) -> Campaign:
    if not campaign_id:
        raise FhirError(
            [
                Issue(
                    "extension",
                    f"the campaign is required: the extension {campaign_extension_url(base_url)}"
                    " with the campaign's id as valueString",
                    "required",
                )
            ]
        )
    try:
        public_id = uuid.UUID(campaign_id)
    except ValueError:
        raise CampaignNotFoundError(campaign_id) from None
    campaign = Campaign.objects.filter(organization=token.organization, public_id=public_id).first()
    if campaign is None:
        raise CampaignNotFoundError(campaign_id)
    return campaign


def response_store(*, token: ApiToken, parsed: ParsedResponse, base_url: str) -> SubmissionResult:
    """Store the response as a submission of the campaign it names (an open campaign of the
    token's organization that asks this questionnaire in this version and language).

    Raises :class:`CampaignNotFoundError` (404), :class:`~hopeful.interop.fhir.FhirError`
    (422) or a :class:`~hopeful.web.surveys.errors.SurveyError` (its status: 410 closed, 409
    the identifier was used for different answers, 429…); nothing is stored when it does."""
    campaign = _campaign(token, parsed.campaign_id, base_url)
    pinned = {inst.id: inst.version for inst in pinned_instruments(campaign)}
    issues: list[Issue] = []
    if parsed.instrument_id not in pinned:
        issues.append(
            Issue("questionnaire", f"the campaign does not ask {parsed.instrument_id}", "value")
        )
    elif pinned[parsed.instrument_id] != parsed.version:
        issues.append(
            Issue(
                "questionnaire",
                f"the campaign asks {parsed.instrument_id} version "
                f"{pinned[parsed.instrument_id]}, not {parsed.version}",
                "value",
            )
        )
    language = parsed.language or "en"
    if language not in (campaign.languages or ["en", "es"]):
        issues.append(Issue("language", f"the campaign is not offered in {language}", "value"))
    if issues:
        raise FhirError(issues)
    payload = SubmissionPayload(
        client_uuid=external_client_uuid(
            organization=token.organization, source="fhir", external_id=parsed.external_id
        ),
        language=language,
        consent={purpose: bool(parsed.consent.get(purpose)) for purpose in CONSENT_PURPOSES},
        name="",
        answers={parsed.instrument_id: dict(parsed.answers)},
        answered_at=parsed.authored,
    )
    return integration_submit(campaign=campaign, payload=payload, actor=token.created_by)
