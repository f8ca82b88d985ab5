"""De-identified exports for researchers: one row per export, with its file for a while.

The file is kept in the database (any web process can serve it) until :data:`EXPORT_TTL`
after it was made; then its bytes are deleted (by the periodic job
:func:`hopeful.web.deidentified.tasks.purge_expired`, by the next export made, and by any
attempt to download it) and the row stays as the record of what was released, to whom,
and why.
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

#: How long an export's file can be downloaded again.
EXPORT_TTL = dt.timedelta(days=30)


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV (the data dictionary is a second file)")
    XLSX = "xlsx", _("Excel (the data dictionary is a second sheet)")


class ExportStatus(models.TextChoices):
    READY = "ready", _("Ready to download")
    EXPIRED = "expired", _("Expired: the file was deleted")


#: format -> (content type, file extension)
FILE_TYPES = {
    ExportFormat.CSV: ("text/csv; charset=utf-8", "csv"),
    ExportFormat.XLSX: (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
}


def _expires() -> dt.datetime:
    return timezone.now() + EXPORT_TTL


class DeidentifiedExportQuerySet(models.QuerySet["DeidentifiedExport"]):
    def for_org(self, organization: Organization) -> DeidentifiedExportQuerySet:
        return self.filter(organization=organization)

    def past_expiry(self, now: dt.datetime) -> DeidentifiedExportQuerySet:
        return self.filter(status=ExportStatus.READY, expires_at__lte=now)


class DeidentifiedExport(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    purpose = models.TextField(help_text="The study and its approval, as the researcher wrote.")
    data_use_confirmed = models.BooleanField(default=False)
    format = models.CharField(max_length=8, choices=ExportFormat.choices)
    status = models.CharField(
        max_length=8, choices=ExportStatus.choices, default=ExportStatus.READY
    )
    k = models.PositiveSmallIntegerField()
    rows = models.PositiveIntegerField(default=0, help_text="Responses in the file.")
    families = models.PositiveIntegerField(default=0, help_text="Distinct pseudonyms in the file.")
    research_records = models.PositiveIntegerField(
        default=0, help_text="Responses in the file that deleted families released."
    )
    suppressed_rows = models.PositiveIntegerField(default=0)
    suppressed_families = models.PositiveIntegerField(default=0)
    candidate_rows = models.PositiveIntegerField(
        default=0, help_text="Responses with research consent before suppression."
    )
    generalized = models.JSONField(
        default=list, help_text="The generalization steps, in order: ['zip3:zip_area', ...]."
    )
    levels = models.JSONField(default=dict, help_text="Quasi-identifier -> level released.")
    dictionary = models.JSONField(
        default=list, help_text="The data dictionary: [[column, kind, description], ...]."
    )
    programs = models.JSONField(
        default=list, help_text="[[code, program name], ...]: the key, kept out of the file."
    )
    # In the database, not on a disk: any web process can serve it (stateless web workers).
    content = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0, help_text="How long making it took.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(default=_expires)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = DeidentifiedExportQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organization", "-created_at"], name="deid_export_org_time"),
            models.Index(fields=["status", "expires_at"], name="deid_export_expiry"),
        ]

    def __str__(self) -> str:
        return f"de-identified export {self.public_id}"

    def available(self, now: dt.datetime | None = None) -> bool:
        """Whether the file can still be downloaded."""
        return self.status == ExportStatus.READY and (now or timezone.now()) < self.expires_at

    @property
    def is_available(self) -> bool:
        return self.available()

    @property
    def content_type(self) -> str:
        return FILE_TYPES[ExportFormat(self.format)][0]

    @property
    def filename(self) -> str:
        extension = FILE_TYPES[ExportFormat(self.format)][1]
        return f"deidentified-{self.created_at:%Y%m%d}-{str(self.public_id)[:8]}.{extension}"

    @property
    def dictionary_filename(self) -> str:
        return f"deidentified-{self.created_at:%Y%m%d}-{str(self.public_id)[:8]}-dictionary.csv"
