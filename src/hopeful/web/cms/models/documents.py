"""The library's files. PDFs only, checked by their content and size as well as their name,
so a renamed executable or an oversized scan is refused and nothing is stored."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from wagtail.documents.models import AbstractDocument, Document

#: Every PDF starts with this (ISO 32000-1, 7.5.2), possibly after a few bytes of junk.
PDF_MAGIC = b"%PDF-"


def check_pdf_upload(upload: UploadedFile) -> None:
    """Raise ValidationError unless ``upload`` is a PDF within the size limit."""
    limit = settings.HOPEFUL_DOCUMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("This file is %(size)s; files can be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if PDF_MAGIC not in head:
        raise ValidationError(_("This file is not a PDF. The library takes PDF files only."))


class ResourceDocument(AbstractDocument):  # type: ignore[misc]  # wagtail ships no type information
    """A file of the resource library (Wagtail's document, with the upload checks above)."""

    admin_form_fields = Document.admin_form_fields

    if TYPE_CHECKING:
        # The untyped base hides this model from the django-stubs plugin, which would
        # otherwise declare its managers (and the reverse relation from the uploader).
        objects: ClassVar[models.Manager[ResourceDocument]]
        _default_manager: ClassVar[models.Manager[ResourceDocument]]

    class Meta(AbstractDocument.Meta):  # type: ignore[misc]  # wagtail ships no type information
        verbose_name = "document"
        verbose_name_plural = "documents"
