"""The organization's records: campaigns (any scope), and, with ``identifiable:read``,
families, submissions with their scores, goals and strengths maps.

The rules are the CSV export's: a token sees its own organization only (another
organization's id answers 404, as if it did not exist), and only families whose current
consent covers ``care`` (their care team may see their answers). Visits are not in the API:
a restricted visit note must never leave, and the rest of a visit is a note too. Lists are
oldest first and paged by cursor (:mod:`hopeful.web.api.pagination`); ``since``/``until``
filter by the time a row was made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from hopeful.web.api.main import TokenAuth
from hopeful.web.api.models import ApiToken, Scope
from hopeful.web.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page
from hopeful.web.api.schemas import (
    CampaignOut,
    CampaignPage,
    FamilyOut,
    FamilyPage,
    GoalPage,
    IsoDateTime,
    Problem,
    StrengthsMapPage,
    SubmissionOut,
    SubmissionPage,
    campaign_out,
    family_out,
    goal_out,
    strengths_map_out,
    submission_out,
)
from hopeful.web.api.tokens import ApiError
from hopeful.web.casework.models import Goal, StrengthsMap
from hopeful.web.families.models import ConsentPurpose, Family
from hopeful.web.families.selectors import with_consent
from hopeful.web.surveys.models import Campaign, Submission

router = Router(tags=["records"])

_ANY = TokenAuth((Scope.READ_IDENTIFIABLE, Scope.READ_AGGREGATES, Scope.WRITE_SUBMISSIONS))
_IDENTIFIABLE = TokenAuth(Scope.READ_IDENTIFIABLE)
_ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 422: Problem, 429: Problem}


class ListFilters(Schema):
    cursor: str | None = Field(None, description="From the previous page's `next`.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    since: IsoDateTime | None = Field(None, description="Made at or after (ISO 8601).")
    until: IsoDateTime | None = Field(None, description="Made before (ISO 8601).")


class SubmissionFilters(ListFilters):
    campaign: UUID | None = None
    family: UUID | None = None
    instrument: str | None = Field(None, description="Only submissions with this instrument.")


def _token(request: HttpRequest) -> ApiToken:
    token = request.auth  # type: ignore[attr-defined]  # set by TokenAuth
    if not isinstance(token, ApiToken):  # pragma: no cover - every route here has TokenAuth
        raise ApiError(401, "Send an API token: Authorization: Bearer <token>.")
    return token


def _between(queryset: QuerySet[Any], field: str, filters: ListFilters) -> QuerySet[Any]:
    if filters.since is not None:
        queryset = queryset.filter(**{f"{field}__gte": filters.since})
    if filters.until is not None:
        queryset = queryset.filter(**{f"{field}__lt": filters.until})
    return queryset


def _listed(
    request: HttpRequest,
    queryset: QuerySet[Any],
    filters: ListFilters,
    out: Callable[[Any], dict[str, Any]],
    made: str = "created_at",
) -> dict[str, Any]:
    """One page of ``queryset`` made between ``since`` and ``until``, each row through ``out``."""
    rows, next_url = page(
        request, _between(queryset, made, filters), cursor=filters.cursor, limit=filters.limit
    )
    return {"items": [out(row) for row in rows], "next": next_url}


def _consented_families(token: ApiToken) -> QuerySet[Family]:
    families = Family.objects.filter(organization=token.organization)
    return with_consent(families, ConsentPurpose.CARE, family_field="pk")


def _one(queryset: QuerySet[Any], public_id: UUID) -> Any:
    found = queryset.filter(public_id=public_id).first()
    if found is None:
        raise Http404
    return found


# -- campaigns -------------------------------------------------------------------------------


def _campaigns(token: ApiToken) -> QuerySet[Campaign]:
    return Campaign.objects.filter(organization=token.organization).select_related("program")


@router.get(
    "/campaigns",
    response={200: CampaignPage, **_ERRORS},
    auth=_ANY,
    summary="The organization's campaigns (any scope)",
    url_name="campaigns",
)
def campaigns(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    return _listed(request, _campaigns(_token(request)), filters, campaign_out)


@router.get(
    "/campaigns/{campaign_id}",
    response={200: CampaignOut, 404: Problem, **_ERRORS},
    auth=_ANY,
    summary="One campaign",
    url_name="campaign",
)
def campaign(request: HttpRequest, campaign_id: UUID) -> dict[str, Any]:
    return campaign_out(_one(_campaigns(_token(request)), campaign_id))


# -- families --------------------------------------------------------------------------------


def _families(token: ApiToken) -> QuerySet[Family]:
    return _consented_families(token).select_related("program").prefetch_related("children")


@router.get(
    "/families",
    response={200: FamilyPage, **_ERRORS},
    auth=_IDENTIFIABLE,
    summary="Families whose current consent covers their care team, with their children",
    url_name="families",
)
def families(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    return _listed(request, _families(_token(request)), filters, family_out)


@router.get(
    "/families/{family_id}",
    response={200: FamilyOut, 404: Problem, **_ERRORS},
    auth=_IDENTIFIABLE,
    summary="One family",
    url_name="family",
)
def family(request: HttpRequest, family_id: UUID) -> dict[str, Any]:
    return family_out(_one(_families(_token(request)), family_id))


# -- submissions -----------------------------------------------------------------------------


def submissions_for(token: ApiToken) -> QuerySet[Submission]:
    """The token's organization's submissions whose family consents to ``care``."""
    consented = Submission.objects.filter(organization=token.organization)
    return (
        with_consent(consented, ConsentPurpose.CARE, family_field="family")
        .select_related("family", "program", "campaign")
        .prefetch_related("scores")
    )


@router.get(
    "/submissions",
    response={200: SubmissionPage, **_ERRORS},
    auth=_IDENTIFIABLE,
    summary="Submissions with their answers and scores",
    url_name="submissions",
)
def submissions(request: HttpRequest, filters: Query[SubmissionFilters]) -> dict[str, Any]:
    queryset = submissions_for(_token(request))
    if filters.campaign is not None:
        queryset = queryset.filter(campaign__public_id=filters.campaign)
    if filters.family is not None:
        queryset = queryset.filter(family__public_id=filters.family)
    if filters.instrument:
        queryset = queryset.filter(scores__instrument_id=filters.instrument)
    return _listed(request, queryset, filters, submission_out, made="submitted_at")


@router.get(
    "/submissions/{submission_id}",
    response={200: SubmissionOut, 404: Problem, **_ERRORS},
    auth=_IDENTIFIABLE,
    summary="One submission",
    url_name="submission",
)
def submission(request: HttpRequest, submission_id: UUID) -> dict[str, Any]:
    return submission_out(_one(submissions_for(_token(request)), submission_id))


# -- practice records ------------------------------------------------------------------------


def _of_consented(model: type[Model], token: ApiToken) -> QuerySet[Any]:
    families = _consented_families(token).values("pk")
    return model._default_manager.filter(
        organization=token.organization, family__in=families
    ).select_related("family")


@router.get(
    "/goals",
    response={200: GoalPage, **_ERRORS},
    auth=_IDENTIFIABLE,
    summary="Families' goals with their progress updates",
    url_name="goals",
)
def goals(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    queryset = _of_consented(Goal, _token(request)).prefetch_related("updates")
    return _listed(request, queryset, filters, goal_out)


@router.get(
    "/strengths-maps",
    response={200: StrengthsMapPage, **_ERRORS},
    auth=_IDENTIFIABLE,
    summary="Families' strengths maps (every saved version)",
    url_name="strengths_maps",
)
def strengths_maps(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    return _listed(
        request, _of_consented(StrengthsMap, _token(request)), filters, strengths_map_out
    )
