"""The public community strengths map and an asset's page.

Anyone may search (no sign-in): public assets. Signed-in members of any organization and
network staff also see the members-only ones, marked so (:func:`selectors.sees_members_only`);
their pages are then not cached by shared caches. Who recorded an asset is never shown.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hopeful.web.assets import selectors
from hopeful.web.assets.forms import SearchForm, block_names
from hopeful.web.assets.svgmap import strengths_map
from hopeful.web.learning.vocab import LANGUAGE_CHOICES

LANGUAGE_LABELS = dict(LANGUAGE_CHOICES)

#: The most results a search shows (the nearest ones).
MAX_RESULTS = 50


def _rows(found: list[tuple[float, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "number": number,
            "miles": miles,
            "asset": asset,
            "blocks": [names.get(b, b) for b in asset.blocks],
        }
        for number, (miles, asset) in enumerate(found, start=1)
    ]


@login_not_required
@require_GET
def strengths_search(request: HttpRequest) -> HttpResponse:
    """The map and its numbered list of places within the radius of a ZIP code."""
    include_members = selectors.sees_members_only(request.user)
    searched = "zip" in request.GET
    form = SearchForm(request.GET if searched else None)
    context: dict[str, Any] = {"form": form, "searched": searched}
    if searched and form.is_valid() and form.place is not None:
        data = form.cleaned_data
        radius = data["radius"]
        found = selectors.search(
            form.place,
            radius=radius,
            blocks=[data["block"]] if data["block"] else None,
            kind=data["kind"],
            include_members=include_members,
        )
        total = len(found)
        found = found[:MAX_RESULTS]
        place = form.place
        where = f"{place.city}, {place.state} {place.zip_code}".strip(", ")
        title = _("Community strengths within %(miles)s miles of %(where)s") % {
            "miles": radius,
            "where": where,
        }
        description = ngettext(
            "A sketch with the searched ZIP code in the middle, north up, and %(n)s place "
            "numbered as in the list: its distance from the middle is to scale. The rings "
            "are at half the radius and at the radius.",
            "A sketch with the searched ZIP code in the middle, north up, and %(n)s places "
            "numbered as in the list: their distance from the middle is to scale. The rings "
            "are at half the radius and at the radius.",
            len(found),
        ) % {"n": len(found)}
        context.update(
            {
                "place": place,
                "radius": radius,
                "where": where,
                "rows": _rows(found, block_names(get_language())),
                "total": total,
                "capped": total > len(found),
                "max_results": MAX_RESULTS,
                "map": strengths_map(
                    place,
                    radius,
                    [
                        (miles, *point)
                        for miles, a in found
                        # always true: the search leaves out places without a point
                        if (point := a.point) is not None
                    ],
                    title=title,
                    description=description,
                ),
            }
        )
    status = 400 if searched and not form.is_valid() else 200
    response = render(request, "assets/map.html", context, status=status)
    if include_members:
        patch_cache_control(response, private=True)
    return response


def _search_query(request: HttpRequest) -> str:
    """The search a detail page was opened from (its link back), known fields only."""
    kept = {k: v[:32] for k in SearchForm.base_fields if (v := request.GET.get(k, ""))}
    return urlencode(kept)


@login_not_required
@require_GET
def strengths_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    """One place's page (members-only ones are 404 to anyone who may not see them)."""
    asset = selectors.asset_for_viewer(public_id, request.user)
    context = {
        "asset": asset,
        "blocks": [block_names(get_language()).get(b, b) for b in asset.blocks],
        "languages": [str(LANGUAGE_LABELS.get(code, code)) for code in asset.languages],
        "back": _search_query(request),
    }
    response = render(request, "assets/detail.html", context)
    if asset.visibility != "public":
        patch_cache_control(response, private=True)
    return response
