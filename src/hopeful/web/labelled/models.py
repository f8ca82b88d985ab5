"""Labelled data files (SPSS ``.sav``, Stata ``.dta``, SAS ``.xpt``) of one instrument's
answers and scores, made in the background.

A :class:`DataFile` is created with its task in one transaction (the queue lives in the same
database), so a request the page acknowledged is never lost; the worker fills in progress,
the file and the finishing time. The file holds identifiable rows (the CSV export's rows:
families whose current consent covers ``care``, the requester's programs), so it is kept
for :data:`KEEP_FOR` only and downloaded by people whose programs cover it.
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


class FileFormat(models.TextChoices):
    SAV = "sav", _("SPSS (.sav)")
    DTA = "dta", _("Stata (.dta)")
    XPT = "xpt", _("SAS transport (.xpt)")


class DataFileStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


#: format -> content type
CONTENT_TYPES = {
    FileFormat.SAV: "application/x-spss-sav",
    FileFormat.DTA: "application/x-stata-dta",
    FileFormat.XPT: "application/x-sas-xport",
}

#: A file still queued after this long says that no worker seems to be running.
WAITING_LONG = dt.timedelta(minutes=2)
#: A made file can be downloaded this long; then its content is dropped (a family may have
#: withdrawn consent since: ask for a new file).
KEEP_FOR = dt.timedelta(hours=24)


class DataFileQuerySet(models.QuerySet["DataFile"]):
    def for_org(self, organization: Organization) -> DataFileQuerySet:
        return self.filter(organization=organization)

    def unfinished(self) -> DataFileQuerySet:
        return self.filter(status__in=[DataFileStatus.QUEUED, DataFileStatus.RUNNING])

    def expired(self) -> DataFileQuerySet:
        return self.filter(finished_at__lt=timezone.now() - KEEP_FOR)


class DataFile(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="data_files"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    instrument_id = models.CharField(max_length=64)
    file_format = models.CharField(max_length=4, choices=FileFormat.choices)
    programs = models.JSONField(
        null=True,
        blank=True,
        help_text="Public ids of the programs whose families the file covers; null = every "
        "program (set when requested, narrowed when made).",
    )
    language = models.CharField(max_length=8, default="en")
    status = models.CharField(
        max_length=8, choices=DataFileStatus.choices, default=DataFileStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="0-100")
    task_id = models.CharField(max_length=64, blank=True, default="")
    # In the database, not on a disk: any web process can serve it (stateless web workers).
    content = models.BinaryField(null=True, blank=True, editable=False)
    sas_formats = models.TextField(
        blank=True, default="", help_text="PROC FORMAT program with the value labels (.xpt)"
    )
    rows = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = DataFileQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organization", "-created_at"], name="datafile_org_time"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.file_format} {self.public_id}"

    @property
    def finished(self) -> bool:
        return self.status in (DataFileStatus.DONE, DataFileStatus.FAILED)

    @property
    def waiting_long(self) -> bool:
        """Queued for a while: no worker seems to be running."""
        return self.status == DataFileStatus.QUEUED and (
            timezone.now() - self.created_at > WAITING_LONG
        )

    @property
    def expires_at(self) -> dt.datetime | None:
        return self.finished_at + KEEP_FOR if self.finished_at is not None else None

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and timezone.now() >= self.expires_at

    @property
    def downloadable(self) -> bool:
        return self.status == DataFileStatus.DONE and not self.expired

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[FileFormat(self.file_format)]

    @property
    def filename(self) -> str:
        stamp = f"{self.created_at:%Y%m%d-%H%M}" if self.created_at else "file"
        return f"{self.instrument_id}-{stamp}.{self.file_format}"

    @property
    def formats_filename(self) -> str:
        return self.filename.rsplit(".", 1)[0] + "-formats.sas"
