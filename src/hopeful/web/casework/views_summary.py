"""The take-home summary, for staff and for the family.

Staff (org admins and practitioners who see the family's program) open it at
``/orgs/<org>/families/<family>/summary/`` in the family's preferred language, with a note in
their own language above it, print it or download it as a PDF. The family opens the same
summary through its personal survey link, ``/s/<token>/plan/`` (in the URL's language), with
the survey pages' private headers. Every view and download is audited. What the summary holds
is decided in :mod:`hopeful.web.casework.selectors_summary`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from hopeful.web.casework.selectors_map import family_in_scope
from hopeful.web.casework.selectors_summary import TakeHome, take_home_read
from hopeful.web.casework.views_visits import CASEWORK_ROLES
from hopeful.web.families.views_rights import family_link
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view
from hopeful.web.reports.render import report_pdf
from hopeful.web.surveys.flow import private, survey_language
from hopeful.web.surveys.models import CampaignLink

VIEW, DOWNLOAD = "family.summary_view", "family.summary_pdf"


def _pdf(summary: TakeHome) -> HttpResponse:
    """The summary as a PDF in its own language (WeasyPrint, fetching nothing). The file
    name never carries the family's name."""
    with translation.override(summary.language):
        html = render_to_string("casework/summary_pdf.html", {"summary": summary})
    response = HttpResponse(report_pdf(html), content_type="application/pdf")
    name = f"hopeful-summary-{summary.prepared_on:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


# -- staff --------------------------------------------------------------------------------------


@org_view(*CASEWORK_ROLES)
@require_GET
def summary(request: HttpRequest, access: Access, family_id: Any) -> HttpResponse:
    family = family_in_scope(access, family_id)
    page = take_home_read(
        family=family,
        language=family.preferred_language,
        today=timezone.localdate(),
        actor=request.user,
        verb=VIEW,
    )
    org_id = access.organization.public_id
    context = {
        "family": family,
        "summary": page,
        "org_id": org_id,
        "pdf_url": reverse("casework:summary_pdf", args=[org_id, family.public_id]),
    }
    return render(request, "casework/summary.html", context)


@org_view(*CASEWORK_ROLES)
@require_GET
def summary_pdf(request: HttpRequest, access: Access, family_id: Any) -> HttpResponse:
    family = family_in_scope(access, family_id)
    page = take_home_read(
        family=family,
        language=family.preferred_language,
        today=timezone.localdate(),
        actor=request.user,
        verb=DOWNLOAD,
    )
    return _pdf(page)


# -- the family, through its personal link --------------------------------------------------


def _personal_link(request: HttpRequest, token: str) -> CampaignLink | HttpResponse:
    """The personal link of this token, or the page to answer with (one rule for the family's
    own pages: :func:`hopeful.web.families.views_rights.family_link`): a deleted family's link
    410, unknown or a public link 404, revoked or expired 410. A closed campaign does not
    close the plan: the link is the family's way back to it."""
    return family_link(request, token)


def _family_read(link: CampaignLink, verb: str) -> TakeHome:
    assert link.family is not None  # noqa: S101  # checked by _personal_link
    return take_home_read(
        family=link.family,
        language=survey_language(),
        today=timezone.localdate(),
        actor=None,
        verb=verb,
        extra={"via": "personal_link", "link": str(link.public_id)},
    )


@login_not_required
@require_GET
def family_plan(request: HttpRequest, token: str) -> HttpResponse:
    link = _personal_link(request, token)
    if isinstance(link, HttpResponse):
        return private(link)
    page = _family_read(link, VIEW)
    context = {
        "link": link,
        "summary": page,
        "pdf_url": reverse("survey:plan_pdf", args=[token]),
        "your_data_url": reverse("family_data:home", args=[token]),
    }
    return private(render(request, "casework/summary_family.html", context))


@login_not_required
@require_GET
def family_plan_pdf(request: HttpRequest, token: str) -> HttpResponse:
    link = _personal_link(request, token)
    if isinstance(link, HttpResponse):
        return private(link)
    return private(_pdf(_family_read(link, DOWNLOAD)))
