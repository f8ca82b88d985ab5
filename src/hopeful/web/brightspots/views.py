"""The bright-spots pages: thin views (access -> form -> one selector -> render).

``/orgs/<org_id>/bright-spots/`` compares an organization's programs (org admins, analysts,
researchers); ``/network/bright-spots/`` compares the network's member organizations
(network staff only, as the network view). Both show published aggregates only, never a
family's row; viewing is not audited (nothing identifiable is read), as the dashboard's.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hopeful.web.insights.data import data_version
from hopeful.web.insights.protection import ptable_parameters, small_cell_threshold
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import network_staff_view, org_view
from hopeful.web.organizations.models import Role
from hopeful.web.organizations.selectors import page_url

from . import selectors
from .charts import chart_title, forest
from .formatting import display_rows, headline
from .forms import BrightSpotsForm, bound_data
from .model import BrightResult


def _context(
    form: BrightSpotsForm, result: BrightResult | None, *, network: bool
) -> dict[str, Any]:
    unit_word = _("organization") if network else _("program")
    title = chart_title(result.kind, unit_word) if result is not None else ""
    fitted = result is not None and result.fitted
    return {
        "form": form,
        "result": result,
        "network": network,
        "threshold": small_cell_threshold(),
        "max_noise": ptable_parameters()[0],
        "headline": headline(result, network=network) if fitted and result else "",
        "chart_title": title,
        "rows": display_rows(result) if result is not None else [],
        "unit_word": unit_word,
        "instrument_title": next(
            (i.title for i in form.instruments if result and i.id == result.filters.instrument_id),
            "",
        ),
        "chart": forest(result.compared, title=title, kind=result.kind)
        if fitted and result
        else "",
    }


# ``org_view`` goes outermost, so an outsider gets the same 404 whatever the method.
@org_view(Role.ORG_ADMIN, Role.ANALYST, Role.RESEARCHER)
@require_GET
def org_page(request: HttpRequest, access: Access) -> HttpResponse:
    version = data_version(access.organization)
    programs, instruments = selectors.org_instruments(access, request.LANGUAGE_CODE, version)
    form = BrightSpotsForm(
        bound_data(request.GET), instruments=instruments, has_band=selectors.has_band
    )
    valid = not form.is_bound or form.is_valid()
    result = None
    if valid and instruments:
        result = selectors.org_bright_spots(
            access=access, filters=form.filters(), programs=programs, version=version
        )
    context = _context(form, result, network=False)
    context.update(
        {
            "org_id": access.organization.public_id,
            "organization": access.organization,
            "has_answers": bool(instruments),
            # a researcher may open this page, not the dashboard: offer only what opens
            "dashboard_url": page_url(access, "insights:dashboard"),
        }
    )
    return render(request, "brightspots/org.html", context, status=200 if valid else 400)


@network_staff_view
@require_GET
def network_page(request: HttpRequest) -> HttpResponse:
    instruments = selectors.network_instruments(request.LANGUAGE_CODE)
    form = BrightSpotsForm(
        bound_data(request.GET), instruments=instruments, has_band=selectors.has_band
    )
    valid = not form.is_bound or form.is_valid()
    result = None
    if valid and instruments:
        result = selectors.network_bright_spots(filters=form.filters())
    context = _context(form, result, network=True)
    context["has_answers"] = bool(instruments)
    return render(request, "brightspots/network.html", context, status=200 if valid else 400)
