"""Imports of answers collected with another tool (ODK/KoboToolbox, REDCap) into a campaign.

An :class:`ImportBatch` is one uploaded file, read and checked at once and kept as parsed rows
(never the file itself) until someone confirms it, when every valid row is stored through
the campaign's integration link, or cancels it, when nothing is stored. The parsed rows hold
answers, so they are kept only by the organization that uploaded them and shown only to its
admins and practitioners.
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


#: An import still not started after this long says that no worker seems to be running.
WAITING_LONG = dt.timedelta(minutes=2)


class ImportFormat(models.TextChoices):
    ODK = "odk", _("ODK Central or KoboToolbox (CSV export)")
    REDCAP = "redcap", _("REDCap (CSV raw data export)")


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Waiting for confirmation")
    IMPORTING = "importing", _("Being imported")
    IMPORTED = "imported", _("Imported")
    CANCELLED = "cancelled", _("Cancelled")


class RowState(models.TextChoices):
    """What happens (preview) or happened (after the import) to one row of the file."""

    NEW = "new", _("Will be imported")
    REPLAY = "replay", _("Already imported")
    CONFLICT = "conflict", _("Already imported with other answers")
    INVALID = "invalid", _("Has problems")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Refused")


class ImportBatchQuerySet(models.QuerySet["ImportBatch"]):
    def for_org(self, organization: Organization) -> ImportBatchQuerySet:
        return self.filter(organization=organization)


class ImportBatch(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="import_batches"
    )
    program = models.ForeignKey("organizations.Program", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(
        "surveys.Campaign", on_delete=models.PROTECT, related_name="import_batches"
    )
    instrument_id = models.CharField(max_length=64)
    instrument_version = models.CharField(max_length=16)
    format = models.CharField(max_length=8, choices=ImportFormat.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file_name = models.CharField(max_length=200)
    rows = models.JSONField(
        default=list,
        help_text="[{row, external_id, state, errors, language, consent, name, answers, "
        "child_birth_month, message}] as read from the file",
    )
    notes = models.JSONField(default=list, help_text="What was worth saying about the file.")
    status = models.CharField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    total_count = models.PositiveIntegerField(default=0)
    new_count = models.PositiveIntegerField(default=0)
    replay_count = models.PositiveIntegerField(default=0)
    conflict_count = models.PositiveIntegerField(default=0)
    invalid_count = models.PositiveIntegerField(default=0)
    imported_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    progress = models.PositiveIntegerField(default=0, help_text="Rows done by the import task.")
    task_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organization", "-created_at"], name="import_org_time"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.public_id})"

    @property
    def waiting_long(self) -> bool:
        """Confirmed a while ago and not started: no worker seems to be running."""
        return (
            self.status == ImportStatus.IMPORTING
            and self.progress == 0
            and self.confirmed_at is not None
            and timezone.now() - self.confirmed_at > WAITING_LONG
        )

    @property
    def percent(self) -> int:
        todo = self.total_count - self.invalid_count
        return 100 if todo <= 0 else min(100, round(100 * self.progress / todo))

    @property
    def source(self) -> str:
        """The source name of the records' external ids (``odk`` or ``redcap``)."""
        return str(self.format)
