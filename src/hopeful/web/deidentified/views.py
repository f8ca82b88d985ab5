"""De-identified exports: ask for one (with its purpose), see it, download it again while
it is kept (researchers and org admins)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from hopeful.web.deidentified import selectors, services
from hopeful.web.deidentified.deidentify import QUASI_IDENTIFIERS
from hopeful.web.deidentified.forms import ExportRequestForm
from hopeful.web.deidentified.models import EXPORT_TTL, DeidentifiedExport
from hopeful.web.deidentified.services import EXPORT_ROLES, ExportRefusedError
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view


def _base(access: Access) -> dict[str, Any]:
    return {
        "org_id": access.organization.public_id,
        "organization": access.organization,
        "ttl_days": EXPORT_TTL.days,
        "quasi_identifiers": QUASI_IDENTIFIERS,
        # support staff look and help: they neither make nor download exports
        "own_access": not access.via_support,
    }


# ``org_view`` goes outermost, so an outsider gets the same 404 whatever the method.
@org_view(*EXPORT_ROLES)
@require_http_methods(["GET", "POST"])
def export_list(request: HttpRequest, access: Access) -> HttpResponse:
    status = 200
    refused = ""
    if request.method == "POST":
        form = ExportRequestForm(request.POST)
        if form.is_valid():
            try:
                export = services.export_create(
                    access=access,
                    actor=request.user,
                    purpose=form.cleaned_data["purpose"],
                    fmt=form.cleaned_data["format"],
                    confirmed=form.cleaned_data["confirm"],
                    keep=form.cleaned_data["keep"],
                )
            except ExportRefusedError as exc:
                refused, status = str(exc), 503
            else:
                return redirect(
                    "deidentified:detail", access.organization.public_id, export.public_id
                )
        else:
            status = 400
    else:
        form = ExportRequestForm()
    context = {
        **_base(access),
        "form": form,
        "refused": refused,
        "exports": selectors.exports_for(access=access),
    }
    response = render(request, "deidentified/list.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@org_view(*EXPORT_ROLES)
@require_GET
def export_detail(request: HttpRequest, access: Access, export_id: Any) -> HttpResponse:
    export = selectors.export_for(access=access, public_id=export_id)
    context = {**_base(access), "export": export}
    response = render(request, "deidentified/detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _send(
    request: HttpRequest, access: Access, export: DeidentifiedExport, part: str
) -> HttpResponse:
    body = services.export_download(access=access, actor=request.user, export=export, part=part)
    if body is None:  # expired: its page says so
        return redirect("deidentified:detail", access.organization.public_id, export.public_id)
    if part == "dictionary":
        content_type, filename = "text/csv; charset=utf-8", export.dictionary_filename
    else:
        content_type, filename = export.content_type, export.filename
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@org_view(*EXPORT_ROLES)
@require_GET
def export_download(request: HttpRequest, access: Access, export_id: Any) -> HttpResponse:
    export = selectors.export_for(access=access, public_id=export_id, with_content=True)
    return _send(request, access, export, "data")


@org_view(*EXPORT_ROLES)
@require_GET
def export_dictionary(request: HttpRequest, access: Access, export_id: Any) -> HttpResponse:
    export = selectors.export_for(access=access, public_id=export_id)
    return _send(request, access, export, "dictionary")
