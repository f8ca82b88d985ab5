"""Abuse limits on the public surfaces, applied before any view runs.

:class:`AbuseLimitMiddleware` counts, with the one engine (:mod:`hopeful.web.core.ratelimit`):

- every POST to a family survey link (``/s/<token>/…``, the pages and the JSON API): per
  client address (``HOPEFUL_LIMIT_SURVEY_IP`` per 10 minutes) and per link
  (``HOPEFUL_LIMIT_SURVEY_LINK`` per minute);
- every POST of sign-in, two-factor sign-in and password reset, per client address
  (``HOPEFUL_LIMIT_SIGN_IN_IP``, ``HOPEFUL_LIMIT_TWO_FACTOR_IP`` per 15 minutes,
  ``HOPEFUL_LIMIT_PASSWORD_RESET_IP`` per hour), on top of the per-account lockout; the
  passkey sign-in ceremony's JSON endpoints count with two-factor sign-in.

A refused request is answered 429 with ``Retry-After`` and a page (JSON for the API) in the
URL's language saying how long to wait. Any other 429 that leaves the site without
``Retry-After`` gets one: the wait a view noted (:func:`~hopeful.web.core.ratelimit.note_retry_after`),
else the code throttle's window for the survey's code pages, else the account throttle's own
wait for sign-in, else a minute. A limit set to 0 is off.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from hopeful.web.accounts.models import AttemptKind
from hopeful.web.accounts.selectors import client_ip, throttle_wait_minutes
from hopeful.web.core import ratelimit
from hopeful.web.core.responses import private
from hopeful.web.surveys.drafts import ATTEMPT_WINDOW
from hopeful.web.surveys.flow import error_page
from hopeful.web.surveys.selectors import link_for_token

logger = logging.getLogger("hopeful.security")

#: When nothing better is known, a 429 asks the client to wait this long.
DEFAULT_RETRY_AFTER = 60

SURVEY_IP_SECONDS = 10 * 60
SURVEY_LINK_SECONDS = 60
SIGN_IN_SECONDS = 15 * 60
PASSWORD_RESET_SECONDS = 60 * 60


@dataclass(frozen=True, slots=True)
class Rule:
    scope: str
    setting: str
    seconds: int
    per_link: bool = False

    def rate(self) -> ratelimit.Rate:
        return ratelimit.Rate(int(getattr(settings, self.setting)), self.seconds)


_SURVEY_RULES = (
    Rule("survey-ip", "HOPEFUL_LIMIT_SURVEY_IP", SURVEY_IP_SECONDS),
    Rule("survey-link", "HOPEFUL_LIMIT_SURVEY_LINK", SURVEY_LINK_SECONDS, per_link=True),
)
_TWO_FACTOR = (Rule("two-factor-ip", "HOPEFUL_LIMIT_TWO_FACTOR_IP", SIGN_IN_SECONDS),)
#: The sign-in views whose POSTs are limited per address: url name -> rules.
_ACCOUNT_RULES: dict[str, tuple[Rule, ...]] = {
    "login": (Rule("sign-in-ip", "HOPEFUL_LIMIT_SIGN_IN_IP", SIGN_IN_SECONDS),),
    "two_factor": _TWO_FACTOR,
    "two_factor_setup": _TWO_FACTOR,
    "password_reset": (
        Rule("password-reset-ip", "HOPEFUL_LIMIT_PASSWORD_RESET_IP", PASSWORD_RESET_SECONDS),
    ),
}
#: The passkey sign-in ceremony's JSON endpoints share the two-factor limit.
_PASSKEY_SIGN_IN = frozenset(
    {"credential-authentication-begin", "credential-authentication-complete"}
)
#: The account lockout each sign-in view answers 429 for, and where its email is.
_LOCKOUTS: dict[str, tuple[str, Callable[[HttpRequest], str]]] = {
    "login": (str(AttemptKind.PASSWORD), lambda r: str(r.POST.get("username", ""))),
    "two_factor": (str(AttemptKind.TWO_FACTOR), lambda r: str(getattr(r.user, "email", ""))),
    "two_factor_setup": (
        str(AttemptKind.TWO_FACTOR),
        lambda r: str(getattr(r.user, "email", "")),
    ),
    "password_reset": (
        str(AttemptKind.PASSWORD_RESET),
        lambda r: str(r.POST.get("email", "")),
    ),
}

#: Survey pages that answer 429 after too many wrong codes (for :data:`ATTEMPT_WINDOW`).
_CODE_PAGES = frozenset({"resume", "consent"})


def _rules(request: HttpRequest) -> tuple[Rule, ...]:
    match = request.resolver_match
    if match is None or request.method != "POST":
        return ()
    if match.namespace == "survey":
        return _SURVEY_RULES
    if match.namespace == "accounts":
        return _ACCOUNT_RULES.get(match.url_name or "", ())
    if match.namespace == "otp_webauthn" and match.url_name in _PASSKEY_SIGN_IN:
        return _TWO_FACTOR
    return ()


def wait_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    text: str = ngettext(
        "Too many requests came from your connection just now. Please wait %(minutes)d "
        "minute and try again. Nothing was changed.",
        "Too many requests came from your connection just now. Please wait %(minutes)d "
        "minutes and try again. Nothing was changed.",
        minutes,
    )
    return text % {"minutes": minutes}


def _refusal(request: HttpRequest, seconds: int) -> HttpResponse:
    match = request.resolver_match
    assert match is not None  # noqa: S101 - only called for a resolved request
    message = wait_message(seconds)
    response: HttpResponse
    if match.namespace == "survey":
        token = str(match.kwargs.get("token", ""))
        link = None if match.url_name == "api_submit" else link_for_token(token)
        if match.url_name == "api_submit":
            response = JsonResponse({"error": message, "retry_after": seconds}, status=429)
        elif link is not None:
            response = error_page(request, link, token, 429, message)
        else:
            response = render(request, "429.html", {"message": message}, status=429)
        response = private(response)
    elif match.namespace == "otp_webauthn":
        response = JsonResponse({"error": message, "retry_after": seconds}, status=429)
        response["Cache-Control"] = "no-store"
    else:
        response = render(request, "429.html", {"message": message}, status=429)
        response["Cache-Control"] = "no-store"
    response["Retry-After"] = str(seconds)
    return response


def _fallback_retry_after(request: HttpRequest) -> int:
    noted = ratelimit.retry_after_noted(request)
    if noted is not None:
        return noted
    match = request.resolver_match
    if match is not None and match.namespace == "survey" and match.url_name in _CODE_PAGES:
        return int(ATTEMPT_WINDOW.total_seconds())
    if match is not None and match.namespace == "accounts" and match.url_name in _LOCKOUTS:
        kind, email_of = _LOCKOUTS[match.url_name]
        try:
            email = email_of(request)
        except Exception:  # an unreadable body: the default wait will do
            email = ""
        minutes = throttle_wait_minutes(kind=kind, email=email, ip_address=client_ip(request))
        if minutes:
            return minutes * 60
    return DEFAULT_RETRY_AFTER


class AbuseLimitMiddleware:
    """Per-address and per-link limits on public POSTs; ``Retry-After`` on every 429."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 429 and "Retry-After" not in response:
            response["Retry-After"] = str(_fallback_retry_after(request))
        return response

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        rules = _rules(request)
        if not rules:
            return None
        address = client_ip(request) or "unknown"
        for rule in rules:
            value = str(kwargs.get("token", "")) if rule.per_link else address
            decision = ratelimit.hit(rule.scope, value, rule.rate())
            if not decision.allowed:
                logger.warning(
                    "rate limit %s reached; retry after %ss", rule.scope, decision.retry_after
                )
                return _refusal(request, decision.retry_after)
        return None
