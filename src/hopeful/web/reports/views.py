"""Reports: ask for one, follow its progress, download it (org admins and analysts).

The list page takes the dashboard's filters (prefilled from the dashboard's query string) and
queues a report; the report's page refreshes itself without JavaScript while it is being made.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from hopeful.web.insights import selectors as insights
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view
from hopeful.web.reports import selectors, services
from hopeful.web.reports.forms import ReportRequestForm
from hopeful.web.reports.models import ReportStatus
from hopeful.web.reports.services import REPORT_ROLES

#: The stored filters that prefill the request form again.
FILTER_NAMES = ("program", "period", "instrument", "breakdown", "outcome")
#: Seconds between the report page's own refreshes while the report is being made.
REFRESH_SECONDS = 3


def _prefill(filters: dict[str, Any]) -> dict[str, str]:
    """The request form's fields for these stored filters (to ask for a report again)."""
    return {name: str(filters.get(name, "")) for name in FILTER_NAMES}


# ``org_view`` goes outermost, so an outsider gets the same 404 whatever the method.
@org_view(*REPORT_ROLES)
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest, access: Access) -> HttpResponse:
    language = request.LANGUAGE_CODE
    options = insights.filter_options(access=access, language=language)
    status = 200
    if request.method == "POST":
        form = ReportRequestForm(request.POST, options=options)
        if form.is_valid():
            report = services.report_request(
                access=access,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                filters=form.filters(),
                language=language,
            )
            return redirect("reports:detail", access.organization.public_id, report.public_id)
        status = 400
    else:
        form = ReportRequestForm(None, options=options, prefill=request.GET)
    context = {
        "org_id": access.organization.public_id,
        "organization": access.organization,
        "form": form,
        "reports": selectors.reports_for(access=access),
    }
    return render(request, "reports/list.html", context, status=status)


@org_view(*REPORT_ROLES)
@require_GET
def report_detail(request: HttpRequest, access: Access, report_id: Any) -> HttpResponse:
    report = services.report_sync(report=selectors.report_for(access=access, public_id=report_id))
    context = {
        "org_id": access.organization.public_id,
        "organization": access.organization,
        "report": report,
        "refresh_seconds": REFRESH_SECONDS if not report.finished else None,
        "again_query": "?" + urlencode({**_prefill(report.filters), "kind": report.kind}),
    }
    response = render(request, "reports/detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


@org_view(*REPORT_ROLES)
@require_GET
def report_download(request: HttpRequest, access: Access, report_id: Any) -> HttpResponse:
    report = selectors.report_for(access=access, public_id=report_id, with_content=True)
    if report.status != ReportStatus.DONE:
        return redirect("reports:detail", access.organization.public_id, report.public_id)
    body = services.report_download(access=access, actor=request.user, report=report)
    response = HttpResponse(body, content_type=report.content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response["Cache-Control"] = "no-store"
    return response
