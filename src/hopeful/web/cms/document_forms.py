"""The CMS's document upload form, with the library's checks (``WAGTAILDOCS_DOCUMENT_FORM_BASE``)."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from wagtail.documents.forms import BaseDocumentForm

from hopeful.web.cms.models.documents import check_pdf_upload


class ResourceDocumentForm(BaseDocumentForm):  # type: ignore[misc]  # wagtail ships no type information
    """Refuses anything but a PDF within the size limit; nothing is stored then."""

    def clean_file(self) -> UploadedFile | FieldFile | None:
        # A new upload, or the stored file when a document is edited without one.
        upload: UploadedFile | FieldFile | None = self.cleaned_data["file"]
        if isinstance(upload, UploadedFile):
            check_pdf_upload(upload)
        return upload
