"""FHIR's answers: resources as ``application/fhir+json``, refusals as ``OperationOutcome``
(what FHIR clients read, rather than RFC 9457 problem details), and the bearer-token check of
:mod:`hopeful.web.api.tokens` with its refusals (401, 403, 429) turned into OperationOutcome
with the same status and headers."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse

from hopeful.interop.fhir import Issue
from hopeful.web.api.models import ApiToken
from hopeful.web.api.tokens import ApiError, authenticate

__all__ = ["FHIR_JSON", "base_url", "fhir_response", "outcome", "token_or_outcome"]

FHIR_JSON = "application/fhir+json"

#: OperationOutcome issue codes by HTTP status, for refusals that carry no issue of their own.
_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    409: "conflict",
    410: "deleted",
    413: "too-costly",
    415: "not-supported",
    422: "processing",
    429: "throttled",
}


def base_url(request: HttpRequest) -> str:
    """The server's address as this request reached it, without the trailing slash."""
    return request.build_absolute_uri("/").rstrip("/")


def fhir_response(
    resource: Mapping[str, Any], *, status: int = 200, headers: Mapping[str, str] | None = None
) -> HttpResponse:
    response = HttpResponse(
        json.dumps(resource, ensure_ascii=False),
        status=status,
        content_type=f"{FHIR_JSON}; charset=utf-8",
    )
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def outcome(
    status: int,
    detail: str = "",
    *,
    issues: Iterable[Issue] = (),
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    """An ``OperationOutcome`` with one issue per problem (``expression`` says where)."""
    entries: list[dict[str, Any]] = [
        {
            "severity": "error",
            "code": issue.code,
            "diagnostics": str(issue),
            **({"expression": [f"QuestionnaireResponse.{issue.path}"]} if issue.path else {}),
        }
        for issue in issues
    ]
    if not entries:
        entries = [
            {"severity": "error", "code": _CODES.get(status, "exception"), "diagnostics": detail}
        ]
    return fhir_response(
        {"resourceType": "OperationOutcome", "issue": entries}, status=status, headers=headers
    )


def token_or_outcome(request: HttpRequest, scope: str) -> ApiToken | HttpResponse:
    """The request's token (allowed ``scope``, audited as ``api.use``) or the refusal as an
    OperationOutcome with the status and headers (``WWW-Authenticate``, ``Retry-After``)
    :func:`~hopeful.web.api.tokens.authenticate` gave."""
    try:
        return authenticate(request, scope)
    except ApiError as exc:
        return outcome(exc.status, exc.detail, headers=exc.headers)
