"""The HOPE Innovation Network's public directory: its member organizations, by state and
sector, with what they implement and their certification (valid ones only: a suspension or a
revocation shows as "not certified", never with its reason)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from hopeful.web.directory import selectors
from hopeful.web.directory.forms import MembersFilterForm


@login_not_required
@require_safe
def members(request: HttpRequest) -> HttpResponse:
    """``/network/members/``: the network's organizations, filterable by state and sector."""
    form = MembersFilterForm(request.GET)
    filters = form.filters()
    found = selectors.network_members(
        state=filters.get("state", ""), kind=filters.get("sector", "")
    )
    return render(
        request,
        "directory/members.html",
        {"form": form, "members": found, "filtered": bool(filters)},
    )


@login_not_required
@require_safe
def member(request: HttpRequest, public_id: str) -> HttpResponse:
    """One member's page (404 for an organization outside the network)."""
    return render(request, "directory/member.html", {"member": selectors.network_member(public_id)})
