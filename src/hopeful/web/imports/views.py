"""Imports of ODK/KoboToolbox and REDCap files (org admins; practitioners into the campaigns
of their programs): the list, a new import, its preview, confirm and cancel.

Nothing is stored from a file until someone reads the preview and confirms it; the rows are
then stored by a background task while the page refreshes itself. Support access looks only
(the writes answer 403).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hopeful.web.imports import selectors, services
from hopeful.web.imports.forms import ImportForm
from hopeful.web.imports.models import ImportStatus
from hopeful.web.imports.services import IMPORT_ROLES, ImportFileError
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view

#: Seconds between the import page's own refreshes while the rows are being stored.
REFRESH_SECONDS = 3


def _context(access: Access, **extra: Any) -> dict[str, Any]:
    return {"org_id": access.organization.public_id, "organization": access.organization, **extra}


# ``org_view`` goes outermost, so an outsider gets the same 404 whatever the method.
@org_view(*IMPORT_ROLES)
@require_GET
def import_list(request: HttpRequest, access: Access) -> HttpResponse:
    context = _context(access, batches=selectors.batches_for(access=access))
    return render(request, "imports/list.html", context)


@org_view(*IMPORT_ROLES)
@require_http_methods(["GET", "POST"])
def import_new(request: HttpRequest, access: Access) -> HttpResponse:
    campaigns = selectors.open_campaigns(access=access)
    instruments = selectors.campaign_instrument_choices(campaigns, get_language() or "en")
    status = 200
    file_errors: list[str] = []
    if request.method == "POST":
        access.require_own_access()
        form = ImportForm(request.POST, request.FILES, campaigns=campaigns, instruments=instruments)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = services.import_preview(
                    access=access,
                    actor=request.user,
                    campaign=form.cleaned_data["campaign"],
                    instrument_id=form.cleaned_data["instrument"],
                    fmt=form.cleaned_data["format"],
                    file_name=upload.name or "",
                    data=upload.read(),
                )
            except ImportFileError as exc:
                file_errors = exc.messages
            else:
                return redirect("imports:detail", access.organization.public_id, batch.public_id)
        status = 400
    else:
        form = ImportForm(campaigns=campaigns, instruments=instruments)
    context = _context(access, form=form, file_errors=file_errors, has_campaigns=campaigns.exists())
    return render(request, "imports/new.html", context, status=status)


@org_view(*IMPORT_ROLES)
@require_GET
def import_detail(request: HttpRequest, access: Access, batch_id: Any) -> HttpResponse:
    batch = selectors.batch_for(access=access, public_id=batch_id)
    stopped = selectors.import_stopped(batch)
    importing = batch.status == ImportStatus.IMPORTING and not stopped
    context = _context(
        access,
        batch=batch,
        shown=selectors.rows_to_show(batch),
        dates=selectors.answer_dates(batch),
        waiting=batch.status == ImportStatus.PREVIEW,
        can_write=not access.via_support,
        refresh_seconds=REFRESH_SECONDS if importing else None,
        stopped=stopped,
    )
    response = render(request, "imports/detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


@org_view(*IMPORT_ROLES)
@require_POST
def import_confirm(request: HttpRequest, access: Access, batch_id: Any) -> HttpResponse:
    batch = selectors.batch_for(access=access, public_id=batch_id)
    services.import_confirm(access=access, actor=request.user, batch=batch)
    return redirect("imports:detail", access.organization.public_id, batch.public_id)


@org_view(*IMPORT_ROLES)
@require_POST
def import_cancel(request: HttpRequest, access: Access, batch_id: Any) -> HttpResponse:
    batch = selectors.batch_for(access=access, public_id=batch_id)
    services.import_cancel(access=access, actor=request.user, batch=batch)
    return redirect("imports:detail", access.organization.public_id, batch.public_id)
