"""The family's place in the survey: which link a page belongs to and whether it is open, the
draft the browser's session points at, its resume code, the address of each step, and the
headers every link page sends.

Shared by the survey steps (:mod:`~hopeful.web.surveys.views_public`) and the pages that help a
family back in when a page could not be taken (:mod:`~hopeful.web.surveys.views_expired`). The
session key ``survey:<link public id>`` holds ``{"draft": <draft public id>, "code": <code>}``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from hopeful.web.families.rights import erasure_for_token
from hopeful.web.surveys.models import CampaignLink, CampaignStatus, Draft
from hopeful.web.surveys.selectors import link_for_token

SurveyView = Callable[..., HttpResponse]


def private(response: HttpResponse) -> HttpResponse:
    """Keep a link page's token out of referrers, caches and search engines."""
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def is_open(link: CampaignLink) -> bool:
    """Whether the link still takes answers (not revoked or expired, its campaign open)."""
    return link.is_usable() and link.campaign.status == CampaignStatus.OPEN


def open_link(request: HttpRequest, token: str) -> CampaignLink | HttpResponse:
    """The link of this token, or the page to answer with: unknown 404; a family's link
    whose data the family had deleted 410 saying so; revoked, expired or closed 410 (with no
    form content)."""
    link = link_for_token(token)
    if link is None:
        if erasure_for_token(token) is not None:
            return render(request, "families/data_deleted.html", status=410)
        return render(request, "surveys/public/not_found.html", status=404)
    if not is_open(link):
        return render(request, "surveys/public/gone.html", status=410)
    return link


def survey_page(view: SurveyView) -> SurveyView:
    """A family-facing page of an open link (see :func:`open_link`), kept private."""

    @login_not_required
    @wraps(view)
    def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        link = open_link(request, token)
        if isinstance(link, HttpResponse):
            return private(link)
        return private(view(request, link, token, *args, **kwargs))

    return wrapper


def error_page(
    request: HttpRequest, link: CampaignLink, token: str, status: int, message: str
) -> HttpResponse:
    return render(
        request,
        "surveys/public/error.html",
        {"status": status, "message": message, "link": link, "token": token},
        status=status,
    )


def survey_language() -> str:
    return "es" if (get_language() or "en").startswith("es") else "en"


def flow_key(link: CampaignLink) -> str:
    return f"survey:{link.public_id}"


def session_draft(request: HttpRequest, link: CampaignLink) -> Draft | None:
    """The live draft this browser's session points at on this link, if any."""
    entry = request.session.get(flow_key(link))
    if not entry:
        return None
    return Draft.objects.filter(
        link=link, public_id=entry.get("draft"), expires_at__gt=timezone.now()
    ).first()


def remember(request: HttpRequest, link: CampaignLink, draft: Draft, code: str) -> None:
    request.session[flow_key(link)] = {"draft": str(draft.public_id), "code": code}


def session_code(request: HttpRequest, link: CampaignLink) -> str:
    entry = request.session.get(flow_key(link)) or {}
    return str(entry.get("code", ""))


def display_code(code: str) -> str:
    return f"{code[:5]} {code[5:]}" if code else ""


def step_url(token: str, step: str) -> str:
    """The page of a step of :func:`~hopeful.web.surveys.selectors.flow_steps`."""
    named = {
        "language": "survey:start",
        "consent": "survey:agree",
        "name": "survey:name",
        "child": "survey:child",
        "about": "survey:about",
        "review": "survey:review",
    }
    if step in named:
        return reverse(named[step], args=[token])
    kind, instrument_id = step.split(":", 1)
    name = "survey:notice" if kind == "notice" else "survey:items"
    return reverse(name, args=[token, instrument_id])
