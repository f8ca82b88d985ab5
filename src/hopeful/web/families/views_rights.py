"""A family's rights through its personal link, with no account: download everything stored
about it (a JSON file and a readable PDF) and ask for its deletion.

Pages live under ``/s/<token>/your-data/`` (``/es/s/...`` in Spanish), next to the survey and
the take-home plan, with the survey pages' private headers. Only a personal link in use
reaches them (:func:`family_link`); after a deletion every one of them says the data was
deleted (410), and a repeated deletion request answers the same page and changes nothing.
Every download is audited with the family as the actor (``via: personal_link``).
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from hopeful.web.families.export import EXPORT_JSON, EXPORT_PDF, family_data_read
from hopeful.web.families.export_pdf import data_pdf as render_data_pdf
from hopeful.web.families.forms import EraseConfirmForm
from hopeful.web.families.rights import erasure_for_token, erasure_summary, family_erase
from hopeful.web.surveys.flow import private, survey_language
from hopeful.web.surveys.models import CampaignLink, LinkKind
from hopeful.web.surveys.selectors import link_for_token


def deleted_page(request: HttpRequest, status: int = 410) -> HttpResponse:
    return private(render(request, "families/data_deleted.html", status=status))


def family_link(request: HttpRequest, token: str) -> CampaignLink | HttpResponse:
    """The personal link of this token, or the page to answer with: a deleted family's link
    410 "your data was deleted"; unknown or a public link 404 (the same page); revoked or
    expired 410. A closed campaign does not close it: the link is the family's way back."""
    if erasure_for_token(token) is not None:
        return deleted_page(request)
    link = link_for_token(token)
    if link is None or link.kind != LinkKind.PERSONAL or link.family is None:
        return render(request, "surveys/public/not_found.html", status=404)
    if not link.is_usable():
        return render(request, "surveys/public/gone.html", status=410)
    return link


def _extra(link: CampaignLink, language: str) -> dict[str, str]:
    return {"via": "personal_link", "link": str(link.public_id), "language": language}


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    """A download whose file name never carries the family's name, kept out of caches."""
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return private(response)


@login_not_required
@require_GET
def home(request: HttpRequest, token: str) -> HttpResponse:
    link = family_link(request, token)
    if isinstance(link, HttpResponse):
        return private(link)
    context = {
        "token": token,
        "json_url": reverse("family_data:json", args=[token]),
        "pdf_url": reverse("family_data:pdf", args=[token]),
        "delete_url": reverse("family_data:delete", args=[token]),
        "plan_url": reverse("survey:plan", args=[token]),
    }
    return private(render(request, "families/data_home.html", context))


@login_not_required
@require_GET
def data_json(request: HttpRequest, token: str) -> HttpResponse:
    link = family_link(request, token)
    if isinstance(link, HttpResponse):
        return private(link)
    assert link.family is not None  # noqa: S101  # checked by family_link
    language = survey_language()
    data = family_data_read(family=link.family, verb=EXPORT_JSON, extra=_extra(link, language))
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _attachment(response, f"hopeful-family-data-{timezone.localdate():%Y-%m-%d}.json")


@login_not_required
@require_GET
def data_pdf(request: HttpRequest, token: str) -> HttpResponse:
    link = family_link(request, token)
    if isinstance(link, HttpResponse):
        return private(link)
    assert link.family is not None  # noqa: S101  # checked by family_link
    language = survey_language()
    data = family_data_read(family=link.family, verb=EXPORT_PDF, extra=_extra(link, language))
    response = HttpResponse(render_data_pdf(data, language), content_type="application/pdf")
    return _attachment(response, f"hopeful-family-data-{timezone.localdate():%Y-%m-%d}.pdf")


@login_not_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST" and erasure_for_token(token) is not None:
        return deleted_page(request, status=200)  # asked again: already done
    link = family_link(request, token)
    if isinstance(link, HttpResponse):
        return private(link)
    assert link.family is not None  # noqa: S101  # checked by family_link
    form = EraseConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        family_erase(link=link)
        return deleted_page(request, status=200)
    context = {
        "form": form,
        "home_url": reverse("family_data:home", args=[token]),
        **erasure_summary(link.family),
    }
    status = 400 if request.method == "POST" else 200
    return private(render(request, "families/data_delete.html", context, status=status))
