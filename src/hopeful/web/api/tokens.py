"""Making, revoking and checking API tokens: the one authentication of ``/api/v1/`` and
``/fhir/``.

A request sends ``Authorization: Bearer hpf_…``. :func:`authenticate` finds the token by the
SHA-256 of what was sent, refuses an unknown, revoked or expired one (401), counts the request
against the token's own per-minute limit (429 with ``Retry-After``), refuses a scope the token
does not have (403) and audits every use with the token's name. Errors are RFC 9457 problem
details (``application/problem+json``), made by :func:`problem`.

A token acts for its organization only. :func:`token_access` gives the
:class:`~hopeful.web.organizations.access.Access` its queries are scoped with: every program
of the organization, identifiable records only with the ``identifiable:read`` scope.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from hopeful.web.api.models import ApiToken, Scope
from hopeful.web.audit.services import audit_record
from hopeful.web.core import ratelimit
from hopeful.web.core.sqlite import sqlite_serialised
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.models import Organization, Role

__all__ = [
    "MAX_LIFETIME",
    "TOKEN_PREFIX",
    "ApiError",
    "TokenError",
    "authenticate",
    "problem",
    "token_access",
    "token_create",
    "token_revoke",
]

#: Every token starts with this, so secret scanners and people recognise one.
TOKEN_PREFIX = "hpf_"  # noqa: S105 - a public prefix, not a secret

#: The longest a token may live.
MAX_LIFETIME = dt.timedelta(days=366)

#: The highest per-minute limit an org admin may give a token.
MAX_RATE_PER_MINUTE = 6000


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# -- problem details (RFC 9457) ------------------------------------------------------------------


def problem(
    status: int,
    detail: str,
    *,
    title: str = "",
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> HttpResponse:
    """An ``application/problem+json`` response: ``type`` (``about:blank``: the status says
    what kind of problem), ``title`` (the status's phrase unless given), ``status``,
    ``detail`` (what went wrong here, for a person) and any extension members (``errors``…)."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extensions,
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/problem+json",
    )
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


class ApiError(Exception):
    """A refusal answered as problem details: ``status``, ``detail``, headers, extensions."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = dict(headers or {})
        self.extensions = extensions

    def response(self) -> HttpResponse:
        return problem(self.status, self.detail, headers=self.headers, **self.extensions)


# -- making and revoking -------------------------------------------------------------------------


class TokenError(ValueError):
    """A token that cannot be made as asked (the message says why, for the form)."""


def token_create(
    *,
    organization: Organization,
    actor: Any,
    name: str,
    scopes: Iterable[str],
    expires_at: dt.datetime,
    rate_limit_per_minute: int = 120,
) -> tuple[ApiToken, str]:
    """A new token and its plaintext, which is returned once and never stored."""
    name = (name or "").strip()
    chosen = sorted(set(scopes))
    now = timezone.now()
    if not name or len(name) > 100:
        raise TokenError("Give the token a name of at most 100 characters.")
    if not chosen or not set(chosen) <= set(Scope.values):
        raise TokenError("Choose at least one of the listed scopes.")
    if expires_at <= now:
        raise TokenError("The expiry date must be in the future.")
    if expires_at > now + MAX_LIFETIME:
        raise TokenError("A token may live one year at most.")
    if not 1 <= rate_limit_per_minute <= MAX_RATE_PER_MINUTE:
        raise TokenError(f"The rate limit must be between 1 and {MAX_RATE_PER_MINUTE} a minute.")
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with sqlite_serialised(), transaction.atomic():
        token = ApiToken.objects.create(
            organization=organization,
            name=name,
            scopes=chosen,
            prefix=plaintext[:10],
            token_hash=_hash(plaintext),
            rate_limit_per_minute=rate_limit_per_minute,
            created_by=actor,
            expires_at=expires_at,
        )
        audit_record(
            verb="api_token.create",
            actor=actor,
            organization=organization,
            obj=token,
            extra={"token": name, "scopes": chosen, "expires_at": expires_at.isoformat()},
        )
    return token, plaintext


def token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    """Revoke the token at once (a second revoke changes nothing)."""
    with sqlite_serialised(), transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revoked_by = actor
            locked.save(update_fields=["revoked_at", "revoked_by"])
            audit_record(
                verb="api_token.revoke",
                actor=actor,
                organization=locked.organization,
                obj=locked,
                extra={"token": locked.name},
            )
    return locked


# -- checking ------------------------------------------------------------------------------------

_UNAUTHORIZED = {"WWW-Authenticate": 'Bearer realm="hopeful"'}


def authenticate(request: HttpRequest, scope: str | tuple[str, ...]) -> ApiToken:
    """The request's token, allowed ``scope`` (or one of several) and within its rate limit,
    or :class:`ApiError` (401, 403 or 429). Every accepted use is audited with the token's
    name."""
    wanted = tuple(str(s) for s in ((scope,) if isinstance(scope, str) else scope))
    header = request.headers.get("Authorization", "")
    kind, _, sent = header.partition(" ")
    if kind.lower() != "bearer" or not sent.strip():
        raise ApiError(
            401, "Send an API token: Authorization: Bearer <token>.", headers=_UNAUTHORIZED
        )
    token = (
        ApiToken.objects.select_related("organization")
        .filter(token_hash=_hash(sent.strip()))
        .first()
    )
    if token is None or not token.is_usable():
        raise ApiError(401, "The API token is unknown, revoked or expired.", headers=_UNAUTHORIZED)
    decision = ratelimit.hit(
        "api-token", str(token.public_id), ratelimit.Rate(token.rate_limit_per_minute, 60)
    )
    if not decision.allowed:
        raise ApiError(
            429,
            f"This token may make {token.rate_limit_per_minute} requests a minute; "
            f"try again in {decision.retry_after} s.",
            headers={"Retry-After": str(decision.retry_after)},
        )
    if not any(token.has_scope(s) for s in wanted):
        needed = " or ".join(f"'{s}'" for s in wanted)
        raise ApiError(403, f"This token does not have the scope {needed}.")
    with sqlite_serialised(), transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        audit_record(
            verb="api.use",
            actor=None,
            organization=token.organization,
            obj=token,
            extra={
                "token": token.name,
                "scope": " ".join(wanted),
                "method": request.method or "",
                "path": request.path[:200],
            },
        )
    return token


def token_access(token: ApiToken) -> Access:
    """The access a token's queries are scoped with: the whole organization, identifiable
    records only when the token has ``identifiable:read``."""
    role = Role.ORG_ADMIN if token.has_scope(Scope.READ_IDENTIFIABLE) else Role.ANALYST
    return Access(organization=token.organization, role=role)
