"""Reports and long exports made in the background: a program PDF, the dashboard as CSV/XLSX.

A :class:`Report` is created with its task in one transaction (the queue lives in the same
database), so a report the page acknowledged is never lost; the worker fills in progress, the
file and the finishing time. The file holds protected aggregates only, read from the dashboard
selector: never a family's row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from hopeful.web.organizations.models import Organization


class ReportKind(models.TextChoices):
    PDF = "pdf", _("PDF report for a board meeting")
    CSV = "csv", _("Dashboard numbers (CSV)")
    XLSX = "xlsx", _("Dashboard numbers (Excel)")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


#: kind -> (content type, file extension)
FILE_TYPES = {
    ReportKind.PDF: ("application/pdf", "pdf"),
    ReportKind.CSV: ("text/csv; charset=utf-8", "csv"),
    ReportKind.XLSX: ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


#: A report still queued after this long says that no worker seems to be running.
WAITING_LONG = dt.timedelta(minutes=2)


class ReportQuerySet(models.QuerySet["Report"]):
    def for_org(self, organization: Organization) -> ReportQuerySet:
        return self.filter(organization=organization)

    def unfinished(self) -> ReportQuerySet:
        return self.filter(status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING])


class Report(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="reports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(max_length=8, choices=ReportKind.choices, default=ReportKind.PDF)
    filters = models.JSONField(
        default=dict,
        help_text="The dashboard filters, resolved when requested: program (public id or ''), "
        "program_name, start and end (YYYY-MM), instrument.",
    )
    language = models.CharField(max_length=8, default="en")
    status = models.CharField(
        max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="0-100")
    task_id = models.CharField(max_length=64, blank=True, default="")
    # In the database, not on a disk: any web process can serve it (stateless web workers).
    content = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organization", "-created_at"], name="report_org_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.public_id}"

    @property
    def finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)

    @property
    def waiting_long(self) -> bool:
        """Queued for a while: no worker seems to be running."""
        return self.status == ReportStatus.QUEUED and (
            timezone.now() - self.created_at > WAITING_LONG
        )

    @property
    def content_type(self) -> str:
        return FILE_TYPES[ReportKind(self.kind)][0]

    @property
    def filename(self) -> str:
        extension = FILE_TYPES[ReportKind(self.kind)][1]
        stem = "program-report" if self.kind == ReportKind.PDF else "dashboard"
        period = self.filters.get("period") or (
            f"{self.filters.get('start', '')}_{self.filters.get('end', '')}".strip("_")
        )
        return f"{stem}-{period}.{extension}" if period else f"{stem}.{extension}"
