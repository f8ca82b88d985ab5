"""Reads for reports: an organization's reports, one report by its public id (else 404)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from hopeful.web.organizations.access import Access
from hopeful.web.reports.models import Report, ReportQuerySet

#: The list page shows the latest reports.
LIST_LIMIT = 50


def reports_for(*, access: Access) -> ReportQuerySet:
    """The organization's latest reports, without their files."""
    return (
        Report.objects.for_org(access.organization)
        .select_related("requested_by")
        .defer("content")
        .order_by("-created_at", "-id")[:LIST_LIMIT]
    )


def report_for(*, access: Access, public_id: Any, with_content: bool = False) -> Report:
    """One report of the organization; another organization's (or none) is 404."""
    reports = Report.objects.for_org(access.organization).select_related("requested_by")
    if not with_content:
        reports = reports.defer("content")
    report = reports.filter(public_id=public_id).first()
    if report is None:
        raise Http404
    return report
