"""Answers in (``submissions:write``) and the dashboard's numbers out (``aggregates:read``).

``POST /api/v1/submissions`` stores answers through the same service as a family's own
(:func:`hopeful.web.surveys.services_integration.integration_submit`): the same checks against
the campaign's pinned instrument versions, the same scoring, consent records and audit, and the
same idempotency by ``client_uuid``.

``GET /api/v1/aggregates`` returns the dashboard's published cells in the tidy form of its
CSV export (:data:`hopeful.web.insights.exports.COLUMNS`), through the dashboard's own
selector: the same perturbed counts and the same protection as the page, never a row per
family.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, QueryDict
from ninja import Query, Router, Schema, Status
from pydantic import Field

from hopeful.web.api.main import TokenAuth
from hopeful.web.api.models import ApiToken, Scope
from hopeful.web.api.routes_records import router as records_router
from hopeful.web.api.routes_records import submissions_for
from hopeful.web.api.schemas import Aggregates, Problem, SubmissionIn, SubmissionOut, submission_out
from hopeful.web.api.tokens import ApiError, token_access
from hopeful.web.families.models import Family
from hopeful.web.insights import exports as dashboard_exports
from hopeful.web.insights import selectors as dashboard_selectors
from hopeful.web.insights.forms import DashboardFilterForm
from hopeful.web.surveys.api import parse_json_submission
from hopeful.web.surveys.errors import SurveyError
from hopeful.web.surveys.models import Campaign, Submission
from hopeful.web.surveys.services_integration import integration_submit, refusal_status

router = Router(tags=["answers in, numbers out"])

_ERRORS: dict[int, Any] = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    422: Problem,
    429: Problem,
}


def _token(request: HttpRequest) -> ApiToken:
    token = request.auth  # type: ignore[attr-defined]  # set by TokenAuth
    if not isinstance(token, ApiToken):  # pragma: no cover - every route here has TokenAuth
        raise ApiError(401, "Send an API token: Authorization: Bearer <token>.")
    return token


# On the records router: one route per path, so GET and POST /submissions share it.
@records_router.post(
    "/submissions",
    response={
        200: SubmissionOut,
        201: SubmissionOut,
        409: Problem,
        410: Problem,
        **_ERRORS,
    },
    auth=TokenAuth(Scope.WRITE_SUBMISSIONS),
    summary="Store answers for an open campaign (idempotent by client_uuid)",
    url_name="submission_create",
)
def submission_create(request: HttpRequest, body: SubmissionIn) -> Status[dict[str, Any]]:
    token = _token(request)
    campaign = (
        Campaign.objects.filter(organization=token.organization, public_id=body.campaign)
        .select_related("organization", "program")
        .first()
    )
    if campaign is None:
        raise ApiError(404, "This organization has no such campaign.")
    family = None
    if body.family is not None:
        family = Family.objects.filter(
            organization=token.organization, public_id=body.family
        ).first()
        if family is None:
            raise ApiError(404, "This organization has no such family.")
    data = body.model_dump(
        mode="json", exclude={"campaign", "family", "answered_at"}, exclude_none=True
    )
    try:
        payload = replace(parse_json_submission(data), answered_at=body.answered_at)
        result = integration_submit(
            campaign=campaign, payload=payload, actor=token.created_by, family=family
        )
    except SurveyError as exc:
        raise ApiError(refusal_status(exc), exc.message) from None
    stored = submissions_for(token).filter(pk=result.submission.pk).first()
    if stored is None:  # stored, but the family's consent does not cover its care team
        stored = (
            Submission.objects.select_related("family", "program", "campaign")
            .prefetch_related("scores")
            .get(pk=result.submission.pk)
        )
    return Status(201 if result.created else 200, submission_out(stored))


class AggregateFilters(Schema):
    program: UUID | None = Field(None, description="A program's id; all programs if absent.")
    period: str | None = Field(
        None, description="all, a year (2026), a half (2026-H1) or a quarter (2026-Q3)."
    )
    instrument: str | None = Field(None, description="An instrument id (e.g. pce7).")
    breakdown: str | None = Field(None, description="A breakdown of the equity section.")
    outcome: str | None = Field(None, description="The equity section's outcome.")


@router.get(
    "/aggregates",
    response={200: Aggregates, **_ERRORS},
    auth=TokenAuth(Scope.READ_AGGREGATES),
    summary="The dashboard's published cells, one row per cell, as in its CSV export",
    url_name="aggregates",
)
def aggregates(request: HttpRequest, filters: Query[AggregateFilters]) -> dict[str, Any]:
    token = _token(request)
    access = token_access(token)
    query = QueryDict(mutable=True)
    for key, value in filters.model_dump(exclude_none=True).items():
        query[key] = str(value)
    version = dashboard_selectors.data_version(access.organization)
    options = dashboard_selectors.filter_options(access=access, language="en", version=version)
    if filters.program is not None and not any(
        p.public_id == str(filters.program) for p in options.programs
    ):
        raise Http404
    form = DashboardFilterForm(query, options=options)
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items())
        raise ApiError(400, f"The filters are not valid: {errors}")
    chosen = form.filters()
    dashboard = dashboard_selectors.dashboard(
        access=access, filters=chosen, options=options, language="en", version=version
    )
    rows = [
        dict(zip(dashboard_exports.COLUMNS, row, strict=True))
        for row in dashboard_exports.rows(dashboard)
    ]
    return {
        "organization": access.organization.public_id,
        "program": filters.program,
        "period": chosen.period_label,
        "instrument": chosen.instrument_id,
        "rows": rows,
    }
