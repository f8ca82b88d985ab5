"""The organization dashboard: thin views (access -> form -> one selector -> render).

Org admins and analysts only; the page and its exports show protected aggregates, never a
family's name or row. Viewing is not audited (nothing identifiable is read); exports are.
"""

from __future__ import annotations

import weakref
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from hopeful.web.insights import equity, exports, selectors, services
from hopeful.web.insights.forms import DashboardFilterForm, ProgramSizesForm
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view
from hopeful.web.organizations.models import Program, Role
from hopeful.web.organizations.selectors import page_url

EXPORT_TYPES = {
    "csv": ("text/csv; charset=utf-8", "dashboard.csv"),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "dashboard.xlsx",
    ),
}


def _query(filters: selectors.Filters, **changes: str) -> str:
    """The query string of these filters with ``changes`` (for the pooling and export links)."""
    params = {
        "program": filters.program.public_id if filters.program else "",
        "period": filters.period.key,
        "instrument": filters.instrument_id,
        "breakdown": filters.breakdown,
        "outcome": filters.outcome,
        **changes,
    }
    return "?" + urlencode(params)


#: The rendered body of each remembered dashboard (per language and whether the program sizes
#: and the create-a-campaign links show): a warm request renders only the page around it.
#: Dashboards are remembered per data version (:mod:`hopeful.web.insights.store`), so a body
#: lives as long as its dashboard does.
_BODIES: dict[int, dict[tuple[object, ...], str]] = {}


def _body(data: selectors.Dashboard, context: dict[str, object], language: str) -> SafeString:
    key = (language, bool(context["can_set_sizes"]), bool(context["create_campaign_url"]))
    bodies = _BODIES.get(id(data))
    if bodies is None:
        bodies = _BODIES[id(data)] = {}
        weakref.finalize(data, _BODIES.pop, id(data), None)  # gone with its dashboard
    if key not in bodies:
        bodies[key] = render_to_string("insights/_dashboard_body.html", context)
    return mark_safe(bodies[key])  # noqa: S308  # rendered by the template engine, escaped


def _filter_fields(
    data: selectors.Dashboard, form: DashboardFilterForm, request: HttpRequest, language: str
) -> SafeString:
    """The filter form's fields, rendered once per remembered dashboard and query (the
    widgets are most of a warm request's rendering); a form with errors is rendered anew."""
    if form.errors:
        return mark_safe(render_to_string("insights/_filter_fields.html", {"form": form}))  # noqa: S308
    bodies = _BODIES.get(id(data))
    if bodies is None:
        bodies = _BODIES[id(data)] = {}
        weakref.finalize(data, _BODIES.pop, id(data), None)
    key = ("form", language, *sorted((k, request.GET.get(k, "")) for k in form.fields))
    if key not in bodies:
        bodies[key] = render_to_string("insights/_filter_fields.html", {"form": form})
    return mark_safe(bodies[key])  # noqa: S308  # rendered by the template engine, escaped


# ``org_view`` goes outermost, so an outsider gets the same 404 whatever the method.
@org_view(Role.ORG_ADMIN, Role.ANALYST)
@require_GET
def dashboard(request: HttpRequest, access: Access) -> HttpResponse:
    language = request.LANGUAGE_CODE
    version = selectors.data_version(access.organization)
    options = selectors.filter_options(access=access, language=language, version=version)
    form = DashboardFilterForm(request.GET or None, options=options)
    if form.is_bound:
        form.is_valid()
    filters = form.filters()
    data = selectors.dashboard(
        access=access, filters=filters, options=options, language=language, version=version
    )

    fmt = request.GET.get("format", "")
    if fmt in EXPORT_TYPES:
        body = exports.export_dashboard(access=access, actor=request.user, dashboard=data, fmt=fmt)
        content_type, filename = EXPORT_TYPES[fmt]
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response

    wider = filters.horizon.wider(filters.period)
    context = {
        "org_id": access.organization.public_id,
        "form": form,
        "dashboard": data,
        "csv_query": _query(filters, format="csv"),
        "xlsx_query": _query(filters, format="xlsx"),
        "report_query": _query(filters),
        "wider_query": _query(filters, period=wider.key) if wider is not None else "",
        "wider_label": filters.horizon.label(wider) if wider is not None else "",
        "all_programs_query": _query(filters, program="") if filters.program else "",
        "equity_test": equity.method_text(),
        "can_set_sizes": access.role == Role.ORG_ADMIN and not access.via_support,
        # the next step of a dashboard with no answer yet ("" when the role may not take it)
        "create_campaign_url": page_url(access, "campaigns:create"),
    }
    context["body"] = _body(data, context, language)
    context["filter_fields"] = _filter_fields(data, form, request, language)
    return render(request, "insights/dashboard.html", context)


@org_view(Role.ORG_ADMIN)
def program_sizes(request: HttpRequest, access: Access) -> HttpResponse:
    """Org admins enter how many families each program serves; when every program has it, the
    dashboard weights all-programs views by it. Each change is audited."""
    access.require_own_access()  # support staff may look, not change what is published
    programs = list(Program.objects.filter(organization=access.organization).order_by("name"))
    form = ProgramSizesForm(request.POST if request.method == "POST" else None, programs=programs)
    if request.method == "POST":
        if form.is_valid():
            changed = services.program_sizes_set(
                organization=access.organization, actor=request.user, sizes=form.sizes()
            )
            messages.success(
                request,
                ngettext("%(count)d program updated.", "%(count)d programs updated.", changed)
                % {"count": changed},
            )
            return redirect(reverse("insights:dashboard", args=[access.organization.public_id]))
        return render(
            request,
            "insights/program_sizes.html",
            {"org_id": access.organization.public_id, "form": form},
            status=400,
        )
    return render(
        request,
        "insights/program_sizes.html",
        {"org_id": access.organization.public_id, "form": form},
    )
