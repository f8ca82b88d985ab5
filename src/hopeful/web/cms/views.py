"""The public site's views around Wagtail: page serving (with the Spanish fallback to English
pages not yet translated), the library's files and images with safe headers, and the CMS's
sign-in (which is HOPEful's)."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe
from wagtail import views as wagtail_views
from wagtail.documents.views import serve as wagtail_documents
from wagtail.models import Locale

from hopeful.web.cms.translations import untranslated_original

#: The image types the CMS accepts (WAGTAILIMAGES_EXTENSIONS) and their content types.
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}


@login_not_required
def serve(request: HttpRequest, path: str) -> HttpResponse:
    """A page of the public site. A Spanish address of a page that has no Spanish version yet
    says so and links the English page, instead of a bare "not found"."""
    try:
        return cast(HttpResponse, wagtail_views.serve(request, path))
    except Http404:
        original = untranslated_original(request, path, language=get_language() or "en")
        if original is None:
            raise
        translation = original.get_translation_or_none(Locale.get_active())
        if translation is not None and translation.live:
            return redirect(translation.url)
        response = render(request, "cms/untranslated.html", {"original": original})
        response["X-Robots-Tag"] = "noindex"
        return response


@login_not_required
@require_safe
def document(request: HttpRequest, document_id: str, document_filename: str) -> HttpResponseBase:
    """A file of the library, as a download with no sniffing and no embedded content."""
    # The file streamed, a redirect to its storage, or "not modified".
    response: HttpResponseBase = wagtail_documents.serve(request, document_id, document_filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@login_not_required
@require_safe
def image(request: HttpRequest, path: str) -> FileResponse:
    """An image rendition (``/media/images/…``): only the image types the CMS accepts, from
    the renditions folder, never an original upload or any other file."""
    root = (Path(settings.MEDIA_ROOT) / "images").resolve()
    target = (root / path).resolve()
    content_type = IMAGE_TYPES.get(target.suffix.lower())
    if content_type is None or root not in target.parents or not target.is_file():
        raise Http404
    response = FileResponse(target.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "public, max-age=86400"
    return response


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The CMS has no sign-in of its own: HOPEful's, with its second factor."""
    return redirect_to_login(request.GET.get("next") or "/cms/")
