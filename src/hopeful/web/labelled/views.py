"""Labelled data files: ask for one, follow its progress, download it (org admins and
practitioners; support access only looks).

The list page queues a file; the file's page refreshes itself without JavaScript while it is
being made.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from hopeful.web.labelled import selectors, services
from hopeful.web.labelled.forms import DataFileRequestForm
from hopeful.web.labelled.models import KEEP_FOR, FileFormat
from hopeful.web.labelled.services import DATAFILE_ROLES
from hopeful.web.organizations.access import Access, RoleRequired
from hopeful.web.organizations.decorators import org_view

#: Seconds between the file page's own refreshes while the file is being made.
REFRESH_SECONDS = 3


def _context(access: Access, **extra: Any) -> dict[str, Any]:
    return {
        "org_id": access.organization.public_id,
        "organization": access.organization,
        "keep_hours": int(KEEP_FOR.total_seconds() // 3600),
        # support access looks only: no request form, no download links
        "looks_only": access.via_support,
        **extra,
    }


# ``org_view`` goes outermost, so an outsider gets the same 404 whatever the method.
@org_view(*DATAFILE_ROLES)
@require_http_methods(["GET", "POST"])
def data_file_list(request: HttpRequest, access: Access) -> HttpResponse:
    instruments = selectors.instrument_choices(request.LANGUAGE_CODE, access)
    status = 200
    if request.method == "POST":
        access.require_own_access()
        form = DataFileRequestForm(request.POST, instruments=instruments)
        if form.is_valid():
            data_file = services.datafile_request(
                access=access,
                actor=request.user,
                instrument_id=form.cleaned_data["instrument"],
                file_format=form.cleaned_data["file_format"],
                language=request.LANGUAGE_CODE,
            )
            return redirect("labelled:detail", access.organization.public_id, data_file.public_id)
        status = 400
    else:
        form = DataFileRequestForm(None, instruments=instruments)
    data_files = list(selectors.data_files_for(access=access))
    rows = [
        (f, selectors.instrument_title(f.instrument_id, request.LANGUAGE_CODE)) for f in data_files
    ]
    context = _context(access, form=form, data_files=data_files, rows=rows)
    return render(request, "labelled/list.html", context, status=status)


@org_view(*DATAFILE_ROLES)
@require_GET
def data_file_detail(request: HttpRequest, access: Access, file_id: Any) -> HttpResponse:
    data_file = services.datafile_sync(
        data_file=selectors.data_file_for(access=access, public_id=file_id)
    )
    context = _context(
        access,
        data_file=data_file,
        instrument_title=selectors.instrument_title(data_file.instrument_id, request.LANGUAGE_CODE),
        is_xpt=data_file.file_format == FileFormat.XPT,
        covered=selectors.covers(access, data_file),
        refresh_seconds=REFRESH_SECONDS if not data_file.finished else None,
    )
    response = render(request, "labelled/detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _download(request: HttpRequest, access: Access, file_id: Any, part: str) -> HttpResponse:
    access.require_own_access()
    data_file = selectors.data_file_for(access=access, public_id=file_id, with_content=True)
    if not data_file.downloadable or (part == "formats" and not data_file.sas_formats):
        return redirect("labelled:detail", access.organization.public_id, data_file.public_id)
    if not selectors.covers(access, data_file):
        raise RoleRequired(access, DATAFILE_ROLES)
    body = services.datafile_download(
        access=access, actor=request.user, data_file=data_file, part=part
    )
    if part == "formats":
        response = HttpResponse(body, content_type="text/plain; charset=utf-8")
        filename = data_file.formats_filename
    else:
        response = HttpResponse(body, content_type=data_file.content_type)
        filename = data_file.filename
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@org_view(*DATAFILE_ROLES)
@require_GET
def data_file_download(request: HttpRequest, access: Access, file_id: Any) -> HttpResponse:
    return _download(request, access, file_id, "data")


@org_view(*DATAFILE_ROLES)
@require_GET
def data_file_formats(request: HttpRequest, access: Access, file_id: Any) -> HttpResponse:
    return _download(request, access, file_id, "formats")
