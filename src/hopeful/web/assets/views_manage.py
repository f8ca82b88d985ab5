"""Recording community strengths: an organization's own list and form, at
``/orgs/<org_id>/strengths/`` (every member sees the list; org admins and practitioners
record, change and archive, never through a support grant), and the network staff's
network-wide assets at ``/staff/strengths/`` (staff only, others 403).

Another organization's asset, or an archived one, is 404 (as a missing one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hopeful.web.assets import selectors, services
from hopeful.web.assets.forms import AssetForm, block_names
from hopeful.web.assets.models import CommunityAsset
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import network_staff_view, org_view
from hopeful.web.organizations.models import Role

#: The roles that record, change and archive an organization's assets.
WRITERS = (Role.ORG_ADMIN, Role.PRACTITIONER)


def _can_write(access: Access) -> bool:
    return access.allows(*WRITERS) and not access.via_support


def _require_writer(access: Access) -> None:
    access.require(*WRITERS)
    access.require_own_access()


def _list(
    request: HttpRequest,
    *,
    organization: Any,
    can_write: bool,
    url: Callable[..., str],
) -> HttpResponse:
    names = block_names(get_language())
    rows = [
        {
            "asset": asset,
            "blocks": [names.get(b, b) for b in asset.blocks],
            "edit_url": url("edit", asset.public_id),
            "archive_url": url("archive", asset.public_id),
        }
        for asset in selectors.organization_assets(organization)
    ]
    context = {
        "rows": rows,
        "organization": organization,
        "can_write": can_write,
        "new_url": url("new"),
    }
    return render(request, "assets/manage_list.html", context)


def _edit(
    request: HttpRequest,
    *,
    organization: Any,
    asset: CommunityAsset | None,
    url: Callable[..., str],
) -> HttpResponse:
    if request.method == "POST":
        form = AssetForm(request.POST)
        if form.is_valid():
            try:
                if asset is None:
                    services.asset_create(
                        organization=organization, actor=request.user, fields=form.asset_fields()
                    )
                else:
                    services.asset_update(
                        asset=asset, actor=request.user, fields=form.asset_fields()
                    )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The place is saved."))
                return redirect(url("list"))
        status = 400
    else:
        form = AssetForm(asset=asset)
        status = 200
    context = {"form": form, "asset": asset, "organization": organization, "list_url": url("list")}
    return render(request, "assets/edit.html", context, status=status)


def _archive(
    request: HttpRequest, *, asset: CommunityAsset, url: Callable[..., str]
) -> HttpResponse:
    services.asset_archive(asset=asset, actor=request.user)
    messages.success(
        request, _("“%(name)s” is archived: it is no longer shown.") % {"name": asset.name}
    )
    return redirect(url("list"))


# -- an organization's assets ------------------------------------------------------------


def _org_url(access: Access) -> Callable[..., str]:
    org_id = access.organization.public_id

    def url(name: str, public_id: Any = None) -> str:
        kwargs: dict[str, Any] = {"org_id": org_id}
        if public_id is not None:
            kwargs["public_id"] = public_id
        return reverse(f"assets_org:{name}", kwargs=kwargs)

    return url


@org_view()
@require_GET
def org_list(request: HttpRequest, access: Access) -> HttpResponse:
    return _list(
        request,
        organization=access.organization,
        can_write=_can_write(access),
        url=_org_url(access),
    )


@org_view(*WRITERS)
@require_http_methods(["GET", "HEAD", "POST"])
def org_new(request: HttpRequest, access: Access) -> HttpResponse:
    _require_writer(access)
    return _edit(request, organization=access.organization, asset=None, url=_org_url(access))


@org_view(*WRITERS)
@require_http_methods(["GET", "HEAD", "POST"])
def org_edit(request: HttpRequest, access: Access, public_id: Any) -> HttpResponse:
    _require_writer(access)
    asset = selectors.organization_asset(access.organization, public_id)
    return _edit(request, organization=access.organization, asset=asset, url=_org_url(access))


@org_view(*WRITERS)
@require_POST
def org_archive(request: HttpRequest, access: Access, public_id: Any) -> HttpResponse:
    _require_writer(access)
    asset = selectors.organization_asset(access.organization, public_id)
    return _archive(request, asset=asset, url=_org_url(access))


# -- the network staff's own assets --------------------------------------------------------


def _staff_url(name: str, public_id: Any = None) -> str:
    args = [public_id] if public_id is not None else []
    return reverse(f"assets:staff_{name}", args=args)


@require_GET
@network_staff_view
def staff_list(request: HttpRequest) -> HttpResponse:
    return _list(request, organization=None, can_write=True, url=_staff_url)


@require_http_methods(["GET", "HEAD", "POST"])
@network_staff_view
def staff_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, organization=None, asset=None, url=_staff_url)


@require_http_methods(["GET", "HEAD", "POST"])
@network_staff_view
def staff_edit(request: HttpRequest, public_id: Any) -> HttpResponse:
    asset = selectors.organization_asset(None, public_id)
    return _edit(request, organization=None, asset=asset, url=_staff_url)


@require_POST
@network_staff_view
def staff_archive(request: HttpRequest, public_id: Any) -> HttpResponse:
    asset = selectors.organization_asset(None, public_id)
    return _archive(request, asset=asset, url=_staff_url)
