"""The research workspace: its home, uploading a survey file, a file's page, deleting it.

Researchers and org admins of the organization only (``org_view``); another organization's
files are 404. Pages that show a file's data are never cached.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view
from hopeful.web.workspace import selectors, services, storage
from hopeful.web.workspace.forms import UploadForm
from hopeful.web.workspace.services import WORKSPACE_ROLES
from hopeful.web.workspace.storage import ResearchUploadHandler

#: Seconds between a page's own refreshes while its file is imported or its analysis runs.
REFRESH_SECONDS = 3


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _base(access: Access) -> dict[str, Any]:
    # Support staff look and help: they do not upload, analyze or take files away.
    return {
        "org_id": access.organization.public_id,
        "organization": access.organization,
        "own_access": not access.via_support,
    }


@org_view(*WORKSPACE_ROLES)
@require_GET
def home(request: HttpRequest, access: Access) -> HttpResponse:
    context = {
        **_base(access),
        "files": selectors.files_for(access=access),
        "analyses": selectors.analyses_for(access=access),
    }
    return _page(request, "workspace/home.html", context)


@org_view(*WORKSPACE_ROLES)
@require_POST
def example(request: HttpRequest, access: Access) -> HttpResponse:
    """Add the synthetic BRFSS-like example file, to try the workspace."""
    access.require_own_access()
    file = services.file_example(access=access, actor=request.user)
    return redirect("workspace:file_detail", access.organization.public_id, file.public_id)


# ``org_view`` outermost (an outsider gets the same 404 whatever the method). The upload is
# exempt from the CSRF middleware only so that its own handler can be set before the body is
# read (Django's documented way); the same CSRF check then runs in ``_upload``.
@org_view(*WORKSPACE_ROLES)
@csrf_exempt
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, access: Access) -> HttpResponse:
    access.require_own_access()
    limit = storage.max_bytes()
    if request.method == "POST":
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > limit + storage.ENVELOPE:
            form = UploadForm({}, {}, max_bytes=limit, too_big=True)
            form.is_valid()
            return _upload_page(request, access, form, status=400)
        handler = ResearchUploadHandler(request, limit=limit)
        request.upload_handlers = [handler]
        return _upload(request, access, handler)
    return _upload_page(request, access, UploadForm(max_bytes=limit))


@csrf_protect
def _upload(request: HttpRequest, access: Access, handler: ResearchUploadHandler) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES, max_bytes=handler.limit, too_big=handler.too_big)
    if form.is_valid():
        try:
            file = services.file_upload(
                access=access,
                actor=request.user,
                data=form.cleaned_data["datafile"],
                catalogue=form.cleaned_data.get("catalogue"),
            )
        except services.UploadError as exc:
            form.add_error("datafile", str(exc))
        else:
            return redirect("workspace:file_detail", access.organization.public_id, file.public_id)
    return _upload_page(request, access, form, status=400)


def _upload_page(
    request: HttpRequest, access: Access, form: UploadForm, status: int = 200
) -> HttpResponse:
    context = {**_base(access), "form": form, "max_bytes": storage.max_bytes()}
    return _page(request, "workspace/upload.html", context, status=status)


@org_view(*WORKSPACE_ROLES)
@require_GET
def file_detail(request: HttpRequest, access: Access, file_id: Any) -> HttpResponse:
    file = services.file_sync(file=selectors.file_for(access=access, public_id=file_id))
    context = {
        **_base(access),
        "file": file,
        "analyses": selectors.analyses_for(access=access, file=file),
        "can_delete": services.can_delete(access, file),
        "refresh_seconds": None if file.finished else REFRESH_SECONDS,
    }
    return _page(request, "workspace/file_detail.html", context)


@org_view(*WORKSPACE_ROLES)
@require_http_methods(["GET", "POST"])
def file_delete(request: HttpRequest, access: Access, file_id: Any) -> HttpResponse:
    file = selectors.file_for(access=access, public_id=file_id)
    if not services.can_delete(access, file):
        raise PermissionDenied(
            _("Only the person who uploaded a file or an org admin can delete it.")
        )
    if request.method == "POST":
        name = file.name
        services.file_delete(access=access, actor=request.user, file=file)
        messages.success(
            request,
            _("%(name)s was deleted, with its analyses and its copies on the server.")
            % {"name": name},
        )
        return redirect("workspace:home", access.organization.public_id)
    context = {
        **_base(access),
        "file": file,
        "analyses": selectors.analyses_for(access=access, file=file),
    }
    return _page(request, "workspace/file_delete.html", context)
