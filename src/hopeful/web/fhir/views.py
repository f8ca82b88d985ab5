"""``/fhir/``: HOPEful as a FHIR R4 server for other systems (EHRs, REDCap, integration
engines). Plain JSON views, not translated; refusals are ``OperationOutcome`` resources.
Questionnaires and the capability statement are public; QuestionnaireResponses need a
bearer token (:mod:`hopeful.web.api.tokens`) and stay inside the token's organization."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from hopeful.interop.fhir import (
    FhirError,
    instrument_for_fhir_id,
    parse_questionnaire_response,
    questionnaire,
)
from hopeful.web.api.models import ApiToken, Scope
from hopeful.web.fhir.capability import capability_statement
from hopeful.web.fhir.responses import base_url, fhir_response, outcome, token_or_outcome
from hopeful.web.fhir.search import SearchError, cursor_dump, page_size, unknown_params
from hopeful.web.fhir.selectors import (
    questionnaire_search,
    response_one,
    response_page,
    response_resource,
)
from hopeful.web.fhir.services import CampaignNotFoundError, response_store
from hopeful.web.surveys.errors import RateLimitedError, SurveyError
from hopeful.web.surveys.services import MAX_SUBMISSION_BYTES
from hopeful.web.surveys.services_integration import refusal_status

#: What a POST body may be sent as.
ACCEPTED_TYPES = ("application/fhir+json", "application/json")

View = Callable[..., HttpResponse]


def machine_view(*methods: str) -> Callable[[View], View]:
    """No session, no CSRF token (the bearer token is the credential), and a 405
    OperationOutcome for any method but ``methods``."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                return outcome(
                    405,
                    f"Use {' or '.join(methods)} here.",
                    headers={"Allow": ", ".join(methods)},
                )
            return view(request, *args, **kwargs)

        return csrf_exempt(login_not_required(wrapped))

    return decorate


def _url(path: str, params: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def _pairs(request: HttpRequest, *, leave_out: str = "") -> list[tuple[str, str]]:
    return [(k, v) for k, values in request.GET.lists() if k != leave_out for v in values]


def _searchset(
    base: str, self_url: str, resources: list[dict[str, Any]], total: int
) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": [{"relation": "self", "url": self_url}],
        "entry": [
            {
                "fullUrl": f"{base}/fhir/{r['resourceType']}/{r['id']}",
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in resources
        ],
    }


@machine_view("GET", "HEAD")
def metadata(request: HttpRequest) -> HttpResponse:
    """The CapabilityStatement (public)."""
    return fhir_response(capability_statement(base_url=base_url(request)))


@machine_view("GET", "HEAD")
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    """Every instrument version as a Questionnaire; ``url`` and ``name`` filter (public)."""
    unknown = unknown_params(request.GET, ("url", "name", "name:exact", "name:contains"))
    if unknown:
        return outcome(400, f"Unknown search parameter(s): {', '.join(unknown)}.")
    base = base_url(request)
    found = questionnaire_search(request.GET, base_url=base)
    self_url = _url(f"{base}/fhir/Questionnaire", _pairs(request))
    bundle = _searchset(base, self_url, found, len(found))
    return fhir_response(bundle)


@machine_view("GET", "HEAD")
def questionnaire_read(request: HttpRequest, resource_id: str) -> HttpResponse:
    """One instrument version (``pce7``, or ``pce7-1.0`` for an older version) (public)."""
    instrument = instrument_for_fhir_id(resource_id)
    if instrument is None:
        return outcome(404, f"There is no Questionnaire/{resource_id}.")
    return fhir_response(questionnaire(instrument, base_url=base_url(request)))


@machine_view("GET", "HEAD", "POST")
def response_list(request: HttpRequest) -> HttpResponse:
    """GET: search the organization's QuestionnaireResponses; POST: create one."""
    if request.method == "POST":
        return _response_create(request)
    token = token_or_outcome(request, Scope.READ_IDENTIFIABLE)
    if not isinstance(token, ApiToken):
        return token
    unknown = unknown_params(request.GET, ("authored", "questionnaire", "_count", "_cursor"))
    if unknown:
        return outcome(400, f"Unknown search parameter(s): {', '.join(unknown)}.")
    base = base_url(request)
    try:
        count = page_size(request.GET)
        rows, page, position = response_page(token, request.GET, count=count, base_url=base)
    except SearchError as exc:
        return outcome(400, str(exc))
    resources = [response_resource(score, base_url=base) for score in page]
    path = f"{base}/fhir/QuestionnaireResponse"
    bundle = _searchset(base, _url(path, _pairs(request)), resources, rows.count())
    if position is not None:
        following = [*_pairs(request, leave_out="_cursor"), ("_cursor", cursor_dump(position))]
        bundle["link"].append({"relation": "next", "url": _url(path, following)})
    return fhir_response(bundle)


@machine_view("GET", "HEAD")
def response_read(request: HttpRequest, resource_id: str) -> HttpResponse:
    """One QuestionnaireResponse of the token's organization (404 for any other, and for a
    family whose current consent does not cover care)."""
    token = token_or_outcome(request, Scope.READ_IDENTIFIABLE)
    if not isinstance(token, ApiToken):
        return token
    score = response_one(token, resource_id)
    if score is None:
        return outcome(404, f"There is no QuestionnaireResponse/{resource_id}.")
    return fhir_response(response_resource(score, base_url=base_url(request)))


def _body(request: HttpRequest) -> Any | HttpResponse:
    """The request's JSON, or the refusal (415, 413, 400)."""
    if request.content_type not in ACCEPTED_TYPES:
        return outcome(415, "Send the resource as application/fhir+json.")
    too_big = outcome(413, f"The resource may be {MAX_SUBMISSION_BYTES // 1024} KB at most.")
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_SUBMISSION_BYTES:
            return too_big
        raw = request.body
    except (RequestDataTooBig, ValueError):
        return too_big
    if len(raw) > MAX_SUBMISSION_BYTES:
        return too_big
    try:
        return json.loads(raw.decode(request.encoding or "utf-8"))
    except (UnicodeDecodeError, ValueError):
        return outcome(400, "The body is not JSON.")


def _response_create(request: HttpRequest) -> HttpResponse:
    token = token_or_outcome(request, Scope.WRITE_SUBMISSIONS)
    if not isinstance(token, ApiToken):
        return token
    data = _body(request)
    if isinstance(data, HttpResponse):
        return data
    base = base_url(request)
    try:
        parsed = parse_questionnaire_response(data, base_url=base)
        result = response_store(token=token, parsed=parsed, base_url=base)
    except FhirError as exc:
        return outcome(exc.status, str(exc), issues=exc.issues)
    except CampaignNotFoundError:
        return outcome(404, "No campaign of your organization has that id.")
    except SurveyError as exc:
        headers = (
            {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimitedError) else None
        )
        return outcome(refusal_status(exc), exc.message, headers=headers)
    score = result.submission.scores.get(instrument_id=parsed.instrument_id)
    resource = response_resource(score, base_url=base)
    location = f"{base}/fhir/QuestionnaireResponse/{resource['id']}"
    if result.created:
        return fhir_response(resource, status=201, headers={"Location": location})
    return fhir_response(resource, status=200, headers={"Content-Location": location})
