"""The REST API, ``/api/v1/``: django-ninja, described by OpenAPI 3.1 at
``/api/v1/openapi.json`` with interactive documentation at ``/api/v1/docs``.

Why django-ninja: it makes the OpenAPI 3.1 schema from the same typed (pydantic) shapes that
validate requests, so the documentation cannot drift from the code; it runs inside Django with
our middleware, database and audit; and Wagtail 8 already depends on it, so it adds nothing to
install. Authentication is :mod:`hopeful.web.api.tokens` (bearer tokens with scopes); every
error, ours or the framework's, is an RFC 9457 problem (``application/problem+json``).
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security.http import HttpBearer

from hopeful.web.api.tokens import ApiError, authenticate, problem

logger = logging.getLogger(__name__)

__all__ = ["TokenAuth", "api"]


class TokenAuth(HttpBearer):
    """A bearer token with ``scope`` (401, 403 or 429 as problem details otherwise)."""

    def __init__(self, scope: str | tuple[str, ...]) -> None:
        super().__init__()
        self.scope = scope

    def __call__(self, request: HttpRequest) -> Any:
        return authenticate(request, self.scope)

    def authenticate(self, request: HttpRequest, token: str) -> Any:  # pragma: no cover
        return authenticate(request, self.scope)


api = NinjaAPI(
    title="HOPEful API",
    version="1",
    description=(
        "Instruments (public); an organization's campaigns, families, submissions with their "
        "scores, goals and strengths maps (token scope `identifiable:read`, families whose "
        "current consent covers their care team); the dashboard's protected aggregates "
        "(`aggregates:read`); answers in (`submissions:write`). Send "
        "`Authorization: Bearer <token>`; org admins make tokens on the organization's "
        "'API tokens' page. Errors are RFC 9457 problem details. Lists are paged by cursor: "
        "follow `next` until it is null."
    ),
    urls_namespace="api",
    docs_url="/docs",
    # no deep links: they put a link inside each operation's button (nested controls, WCAG)
    docs=Swagger(settings={"deepLinking": False}),
    openapi_url="/openapi.json",
)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return exc.response()


def _where(loc: Any) -> str:
    """Where in the request a value is wrong, e.g. ``body.client_uuid`` or ``query.until``
    (django-ninja names the body parameter too: ``body.body.client_uuid``)."""
    parts = [str(part) for part in loc]
    if len(parts) > 1 and parts[0] == "body" and parts[1] == "body":
        parts = parts[1:]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"where": _where(e.get("loc", ())), "message": str(e.get("msg", ""))} for e in exc.errors
    ]
    summary = "; ".join(f"{e['where']}: {e['message']}" for e in errors[:5])
    return problem(422, f"The request is not valid: {summary}", errors=errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(401, "Send an API token: Authorization: Bearer <token>.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(404, "There is nothing here, or not for this token.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(exc.status_code, str(exc))


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s", request.path)
    return problem(500, "Something went wrong on our side; nothing was changed. Try again.")


def _register() -> None:
    from hopeful.web.api import routes_public, routes_records, routes_write

    api.add_router("/", routes_public.router)
    api.add_router("/", routes_records.router)  # with routes_write's POST /submissions
    api.add_router("/", routes_write.router)


_register()
