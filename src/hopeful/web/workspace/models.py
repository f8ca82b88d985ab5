"""The research workspace: survey files an organization uploads, and analyses run on them.

A :class:`ResearchFile` is created with its import task in one transaction (the queue lives in
the same database), so an upload the page acknowledged is never lost. Its bytes are on disk
(:mod:`hopeful.web.workspace.storage`), never in the database and never anywhere served; the
worker reads them with :func:`hopeful.research.read_table` and keeps a Parquet copy with the
labels, which every analysis reads. An :class:`Analysis` keeps its spec's text and, once run,
its results as JSON (the ``.json`` output of :mod:`hopeful.research.output`), so any web
process can show and export them.
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


class Status(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


UNFINISHED = (Status.QUEUED, Status.RUNNING)
#: Still queued after this long says that no worker seems to be running.
WAITING_LONG = dt.timedelta(minutes=2)


class _Tracked(models.Model):
    """Status and progress of background work, shared by files (import) and analyses (run)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="0-100")
    error = models.TextField(blank=True, default="")
    task_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def finished(self) -> bool:
        return self.status in (Status.DONE, Status.FAILED)

    @property
    def waiting_long(self) -> bool:
        return self.status == Status.QUEUED and timezone.now() - self.created_at > WAITING_LONG


class ResearchFileQuerySet(models.QuerySet["ResearchFile"]):
    def for_org(self, organization: Organization) -> ResearchFileQuerySet:
        return self.filter(organization=organization)

    def unfinished(self) -> ResearchFileQuerySet:
        return self.filter(status__in=UNFINISHED)


class ResearchFile(_Tracked):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="research_files"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: the uploader's file name, for display only: the bytes are stored under names we choose
    name = models.CharField(max_length=200)
    #: ``xpt``, ``sas7bdat``, ``sav``, ``dta``, ``csv`` or ``parquet`` (from the suffix)
    format = models.CharField(max_length=16)
    #: the stored file's suffix (lower case, one of ``hopeful.research.io.FORMATS``)
    suffix = models.CharField(max_length=16)
    catalogue_name = models.CharField(max_length=200, blank=True, default="")
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveBigIntegerField(null=True, blank=True)
    columns = models.JSONField(
        default=list,
        blank=True,
        help_text="One object per column: name, label, numeric, missing, value_labels (count), "
        "examples ([code, label] pairs).",
    )

    objects = ResearchFileQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organization", "-created_at"], name="research_file_org_time"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_catalogue(self) -> bool:
        return bool(self.catalogue_name)

    @property
    def column_names(self) -> list[str]:
        return [str(c["name"]) for c in self.columns]


class AnalysisQuerySet(models.QuerySet["Analysis"]):
    def for_org(self, organization: Organization) -> AnalysisQuerySet:
        return self.filter(organization=organization)

    def unfinished(self) -> AnalysisQuerySet:
        return self.filter(status__in=UNFINISHED)


class Analysis(_Tracked):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="research_analyses"
    )
    file = models.ForeignKey(ResearchFile, on_delete=models.CASCADE, related_name="analyses")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    spec_text = models.TextField()
    spec_sha256 = models.CharField(max_length=64)
    #: what the spec asks for, for lists: {"estimates": n, "models": n, "tests": n}
    counts = models.JSONField(default=dict, blank=True)
    #: the ``.json`` output of :mod:`hopeful.research.output`, once run
    results = models.JSONField(null=True, blank=True)
    #: confidence level of each estimate and model, by id (not in the JSON output)
    levels = models.JSONField(default=dict, blank=True)

    objects = AnalysisQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organization", "-created_at"], name="research_analysis_org_time"),
        ]

    def __str__(self) -> str:
        return f"analysis {self.public_id}"
