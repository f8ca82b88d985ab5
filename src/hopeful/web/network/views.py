"""The network view: protected cross-organization aggregates for network staff only.

Signed-in users without ``is_network_staff`` get 403 (org admins and superusers included);
anonymous visitors are sent to sign in by the login middleware. The page never shows a
family's record or name, nor an organization's name. Viewing is not audited (nothing
identifiable is read); the CSV and Excel exports are (``network.export``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hopeful.web.insights import charts
from hopeful.web.network import exports, selectors
from hopeful.web.network.forms import NetworkFilterForm
from hopeful.web.organizations.decorators import network_staff_view

_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _query(filters: selectors.NetworkFilters, **changes: str) -> str:
    params = {
        "state": filters.state,
        "kind": filters.kind,
        "instrument": filters.instrument_id,
        "measure": filters.measure,
        "year": str(filters.year),
        "unit": filters.unit,
        **changes,
    }
    return "?" + urlencode(params)


def _bars(rows: list[selectors.Row]) -> list[charts.Bar]:
    return [
        charts.Bar(
            label=r.label, estimate=r.share.estimate, low=r.share.ci_low, high=r.share.ci_high
        )
        for r in rows
    ]


@network_staff_view
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    language = request.LANGUAGE_CODE
    options = selectors.filter_options(language=language)
    form = NetworkFilterForm(request.GET or None, options=options, language=language)
    if form.is_bound:
        form.is_valid()
    filters = form.filters()
    view = selectors.network_view(filters=filters, options=options, language=language)

    fmt = request.GET.get("format")
    if fmt in exports.FORMATS:
        response = HttpResponse(
            exports.export_network(actor=request.user, view=view, fmt=fmt),
            content_type=_CONTENT_TYPES[fmt],
        )
        response["Content-Disposition"] = f'attachment; filename="network-{filters.year}.{fmt}"'
        response["Cache-Control"] = "no-store"
        return response

    title = f"{view.instrument_title}: {view.measure_label}"
    context = {
        "form": form,
        "view": view,
        "title": title,
        "chart": charts.bar_chart(_bars(view.rows), title=title) if view.rows else "",
        "trend_chart": (
            charts.line_chart(
                [
                    charts.Point(
                        label=r.label,
                        estimate=r.share.estimate,
                        low=r.share.ci_low,
                        high=r.share.ci_high,
                    )
                    for r in view.trend
                ],
                title=title,
            )
            if view.trend
            else ""
        ),
        "csv_query": _query(filters, format="csv"),
        "xlsx_query": _query(filters, format="xlsx"),
        "quarter_query": _query(filters, unit=selectors.QUARTER)
        if filters.unit != selectors.QUARTER
        else "",
        "all_states_query": _query(filters, state="", kind="")
        if filters.state or filters.kind
        else "",
    }
    response = render(request, "network/dashboard.html", context)
    response["Cache-Control"] = "no-store"
    return response
