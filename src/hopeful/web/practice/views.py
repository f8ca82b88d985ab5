"""Practitioner and org-admin pages: thin views, one selector each, templates that format.

Who sees what is decided by :func:`hopeful.web.organizations.decorators.org_view` and
:mod:`hopeful.web.organizations.access`; nothing here widens it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hopeful.web.casework import selectors_family
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view
from hopeful.web.organizations.models import Role
from hopeful.web.organizations.selectors import page_url
from hopeful.web.practice import export, selectors

IDENTIFIABLE = (Role.ORG_ADMIN, Role.PRACTITIONER)


def _campaign_steps(access: Access) -> dict[str, str]:
    """Where an empty list of families or answers sends this person next: answers come in
    through campaigns. A URL is "" when the role may not open that page."""
    return {
        "create_campaign_url": page_url(access, "campaigns:create"),
        "campaigns_url": page_url(access, "campaigns:list"),
    }


@require_GET
def organization_list(request: HttpRequest) -> HttpResponse:
    listing = selectors.organizations_of_user(user=request.user)
    return render(request, "practice/organization_list.html", {"listing": listing})


# ``org_view`` goes outermost, so an outsider gets the same 404 whatever the method.
@org_view()
@require_GET
def organization_home(request: HttpRequest, access: Access) -> HttpResponse:
    home = selectors.organization_home(access=access)
    context = {"home": home, "org_id": access.organization.public_id, **_campaign_steps(access)}
    return render(request, "practice/home.html", context)


@org_view(*IDENTIFIABLE)
@require_GET
def submission_list(request: HttpRequest, access: Access) -> HttpResponse:
    page, rows = selectors.submissions_page(
        access=access,
        actor=request.user,
        page_number=request.GET.get("page"),
        language=request.LANGUAGE_CODE,
    )
    context = {
        "page": page,
        "rows": rows,
        "org_id": access.organization.public_id,
        # a practitioner given no program yet sees no family: the empty page says so
        "no_programs": not rows and access.program_ids() == set(),
        **_campaign_steps(access),
    }
    return render(request, "practice/submission_list.html", context)


@org_view(*IDENTIFIABLE)
@require_GET
def family_detail(request: HttpRequest, access: Access, family_id: str) -> HttpResponse:
    family = selectors.family_detail(
        access=access, actor=request.user, family_id=family_id, language=request.LANGUAGE_CODE
    )
    # what casework knows of the family: timeline, building blocks over time, team, contact
    casework = selectors_family.family_casework(
        access=access, user=request.user, family_id=family_id, language=request.LANGUAGE_CODE
    )
    context = {
        "family": family,
        "casework": casework,
        "org_id": access.organization.public_id,
        **_campaign_steps(access),
    }
    return render(request, "practice/family_detail.html", context)


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(header: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


@org_view(*IDENTIFIABLE)
@require_GET
def export_csv(request: HttpRequest, access: Access) -> StreamingHttpResponse:
    header, rows = export.export_submissions(access=access, actor=request.user)
    response = StreamingHttpResponse(_csv_lines(header, rows), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="submissions.csv"'
    response["Cache-Control"] = "no-store"
    return response
