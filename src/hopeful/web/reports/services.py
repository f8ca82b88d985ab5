"""Writes for reports: request one (queued with its task), make it (in the worker), download it.

Every number in a report comes from :func:`hopeful.web.insights.selectors.dashboard`, the
dashboard's one selector, so a report carries the page's numbers with the page's small-cell
suppression and NCHS decisions; nothing here computes a statistic.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hopeful.web.audit.services import audit_record
from hopeful.web.core.jobs import task_failed, update_unfinished
from hopeful.web.insights import exports
from hopeful.web.insights import selectors as insights
from hopeful.web.insights.forms import DashboardFilterForm
from hopeful.web.organizations.access import Access, access_for
from hopeful.web.organizations.models import Role
from hopeful.web.reports.models import Report, ReportKind, ReportStatus

logger = logging.getLogger(__name__)

#: Who may ask for, follow and download reports: the dashboard's roles.
REPORT_ROLES = (Role.ORG_ADMIN, Role.ANALYST)


class ReportError(Exception):
    """A report that cannot be made, with a reason in plain language (shown on its page)."""


def filters_json(filters: insights.Filters) -> dict[str, str]:
    """The dashboard filters as stored on a report: resolved, so a report made later covers
    the period that was asked for, not a default that moved."""
    return {
        "program": filters.program.public_id if filters.program else "",
        "program_name": filters.program.name if filters.program else "",
        "period": filters.period.key,
        "period_label": filters.period_label,
        "start": f"{filters.start:%Y-%m}",
        "end": f"{filters.end:%Y-%m}",
        "instrument": filters.instrument_id,
        "breakdown": filters.breakdown,
        "outcome": filters.outcome,
    }


def report_request(
    *, access: Access, actor: Any, kind: str, filters: insights.Filters, language: str
) -> Report:
    """Record a report request and queue its task, audited ``report.create``.

    The task row is written in the same transaction as the report (the queue is in this
    database): both exist or neither does, so an acknowledged request is never lost.
    """
    # Imported here: the task module imports this one.
    from hopeful.web.reports.tasks import make_report

    with transaction.atomic():
        report = Report.objects.create(
            organization=access.organization,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            kind=ReportKind(kind),
            filters=filters_json(filters),
            language=language,
        )
        result = make_report.enqueue(report_id=report.pk)
        report.task_id = str(result.id)
        report.save(update_fields=["task_id"])
        audit_record(
            verb="report.create",
            actor=actor,
            organization=access.organization,
            obj=report,
            extra={"kind": report.kind, **report.filters},
        )
    return report


# -- in the worker -----------------------------------------------------------------------------


def _set(report: Report, **fields: Any) -> bool:
    """Save progress at once (the worker runs in autocommit): the page shows it. Only while
    the report is unfinished (an attempt never touches a report another one finished);
    returns whether it was saved."""
    return update_unfinished(report, Report.objects.unfinished(), **fields)


def _requester_access(report: Report) -> Access:
    """The requester's access now: someone who lost the dashboard since asking gets nothing."""
    user = report.requested_by
    access = access_for(user, report.organization) if user is not None else None
    if access is None or access.role not in REPORT_ROLES:
        raise ReportError(
            _("The person who asked for this report can no longer see the dashboard.")
        )
    return access


def _dashboard(report: Report, access: Access) -> insights.Dashboard:
    """The dashboard for the stored filters, through the dashboard's own form and selector."""
    language = report.language
    options = insights.filter_options(access=access, language=language)
    stored = report.filters
    form = DashboardFilterForm(
        {
            "program": stored.get("program", ""),
            "period": stored.get("period", ""),
            "instrument": stored.get("instrument", ""),
            "breakdown": stored.get("breakdown", ""),
            "outcome": stored.get("outcome", ""),
        },
        options=options,
    )
    if not form.is_valid():
        raise ReportError(
            _(
                "The program, period or questionnaire of this report is no longer available "
                "in the organization. Ask for a new report."
            )
        )
    filters = form.filters()
    return insights.dashboard(access=access, filters=filters, options=options, language=language)


def _make(report: Report, progress: Callable[[int], None]) -> bytes:
    access = _requester_access(report)
    progress(10)
    dashboard = _dashboard(report, access)
    progress(40)
    if report.kind == ReportKind.CSV:
        return exports.as_csv(dashboard)
    if report.kind == ReportKind.XLSX:
        return exports.as_xlsx(dashboard)
    from hopeful.web.reports import render  # WeasyPrint loads pango: only where it is used

    html = render.report_html(dashboard=dashboard, report=report)
    progress(60)
    return render.report_pdf(html, progress=progress)


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, ReportError):
        return str(exc)
    return _(
        "The report could not be made (%(error)s). Try again; if it fails again, ask your "
        "administrator to look at the worker's log."
    ) % {"error": type(exc).__name__}


def _finish(report: Report, **fields: Any) -> bool:
    """Record the end of a report once: only while it is unfinished (:func:`_set`), so a
    second attempt of the task (after its worker died, or beside a worker taken for dead)
    never replaces the file or the outcome the first one recorded."""
    return _set(report, **fields)


def report_run(*, report_id: int) -> None:
    """Make the report's file (the task body). Failures are recorded on the report, then
    raised again so the queue records them too.

    Idempotent: the task may run again when its worker was killed half-way
    (:mod:`hopeful.web.core.worker` puts it back in the queue). A finished report is left as it
    is, an unfinished one is made again from the start, and only the first attempt to finish
    records its file (:func:`_finish`): one report, one file."""
    found = (
        Report.objects.select_related("organization", "requested_by")
        .defer("content")
        .filter(pk=report_id)
        .first()
    )
    if found is None or found.finished:
        return  # deleted, or already made by an earlier attempt
    if found.status == ReportStatus.RUNNING:
        logger.warning("report %s: running it again (an earlier attempt stopped)", found.public_id)
    if not _set(
        found, status=ReportStatus.RUNNING, progress=5, started_at=timezone.now(), error=""
    ):
        return  # finished by another attempt since it was read

    def progress(value: int) -> None:
        _set(found, progress=max(found.progress, min(value, 99)))

    with translation.override(found.language):
        try:
            body = _make(found, progress)
        except Exception as exc:
            logger.exception("report %s failed", found.public_id)
            _finish(
                found,
                status=ReportStatus.FAILED,
                error=_error_text(exc),
                finished_at=timezone.now(),
            )
            raise
    if not _finish(
        found,
        content=body,
        size=len(body),
        status=ReportStatus.DONE,
        progress=100,
        finished_at=timezone.now(),
    ):
        logger.warning("report %s was finished by another attempt: kept", found.public_id)


# -- on the page -------------------------------------------------------------------------------


def report_sync(*, report: Report) -> Report:
    """Mark an unfinished report failed when its task failed before the report could say so
    (the task could not start, for example after an upgrade removed it)."""
    if report.finished or not report.task_id:
        return report
    if not task_failed(report.task_id):
        return report
    error = _(
        "The report could not be made: its background task failed. Try again; if it fails "
        "again, ask your administrator to look at the worker's log."
    )
    fields = {"status": ReportStatus.FAILED, "error": error, "finished_at": timezone.now()}
    # Only while unfinished: the worker may have finished it since it was read.
    if Report.objects.unfinished().filter(pk=report.pk).update(**fields):
        for name, value in fields.items():
            setattr(report, name, value)
    return report


def report_download(*, access: Access, actor: Any, report: Report) -> bytes:
    """The report's file, audited ``report.download``."""
    with transaction.atomic():
        audit_record(
            verb="report.download",
            actor=actor,
            organization=access.organization,
            obj=report,
            extra={"kind": report.kind, "size": report.size},
        )
    return bytes(report.content or b"")
