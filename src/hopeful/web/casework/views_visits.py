"""A family's visits: the visit guide and the visit's note, and the strengths map.

Thin views: the family is found in the access's programs (else 404), forms check the input,
services store and audit.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hopeful.framework.visit_guide import AGE_BAND_IDS, get_visit_guide
from hopeful.web.casework import services
from hopeful.web.casework.forms_map import StrengthsMapForm
from hopeful.web.casework.forms_visit import VisitForm
from hopeful.web.casework.selectors_map import family_in_scope, map_page
from hopeful.web.casework.selectors_visit import (
    band_choices,
    default_band,
    guide_sections,
    visit_for_reader,
)
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view
from hopeful.web.organizations.models import Role

CASEWORK_ROLES = (Role.ORG_ADMIN, Role.PRACTITIONER)


def _language() -> str:
    return "es" if (get_language() or "en").startswith("es") else "en"


def _version(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@org_view(*CASEWORK_ROLES)
@require_http_methods(["GET", "POST"])
def strengths_map(request: HttpRequest, access: Access, family_id: Any) -> HttpResponse:
    """The family's strengths map: the latest version to fill in again, earlier versions side
    by side. Saving makes a new version; an empty map is refused and nothing is stored."""
    family = family_in_scope(access, family_id)
    language = _language()
    status = 200
    if request.method == "POST":
        form = StrengthsMapForm(request.POST, language=language)
        if form.is_valid():
            try:
                saved = services.strengths_map_save(
                    family=family, content=form.content(), actor=request.user
                )
            except services.CaseworkError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Version %(version)s of the map is saved.") % {"version": saved.version},
                )
                url = reverse(
                    "casework:map", args=[access.organization.public_id, family.public_id]
                )
                return redirect(url)
        status = 400
        page = map_page(access=access, actor=request.user, family=family, compare=None)
    else:
        page = map_page(
            access=access,
            actor=request.user,
            family=family,
            compare=_version(request.GET.get("compare")),
        )
        form = StrengthsMapForm(
            initial=StrengthsMapForm.initial_from(page.latest.content if page.latest else None),
            language=language,
        )
    return render(
        request,
        "casework/map.html",
        {"page": page, "form": form, "org_id": access.organization.public_id},
        status=status,
    )


def _family_language(family: Any) -> str:
    return "es" if str(family.preferred_language).startswith("es") else "en"


@org_view(*CASEWORK_ROLES)
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest, access: Access, family_id: Any) -> HttpResponse:
    """The visit guide for a family: the prompts for one age band (its children's by default,
    or the caregiver's own) in the family's language, to tick and note what the family said,
    then the visit's note. Saving records the visit; bad input stores nothing."""
    family = family_in_scope(access, family_id)
    reader, language = _language(), _family_language(family)
    requested = request.POST.get("band") or request.GET.get("band") or ""
    band = requested if requested in AGE_BAND_IDS else default_band(family)
    guide = get_visit_guide()
    sections = guide_sections(guide, band, language=language, reader=reader)
    status = 200
    if request.method == "POST":
        form = VisitForm(request.POST, sections=sections)
        if form.is_valid():
            try:
                visit = services.visit_record(
                    family=family,
                    actor=request.user,
                    visited_on=form.cleaned_data["visited_on"],
                    mode=form.cleaned_data["mode"],
                    prompts=form.used(),
                    guide_version=guide.version,
                    known_prompts=form.known_ids(),
                    family_said=form.cleaned_data["family_said"],
                    note=form.cleaned_data["note"],
                    restricted=form.cleaned_data["restricted"],
                )
            except services.CaseworkError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The visit is saved."))
                return redirect(
                    reverse("casework:visit", args=[access.organization.public_id, visit.public_id])
                )
        status = 400
    else:
        form = VisitForm(sections=sections)
    context = {
        "family": family,
        "form": form,
        "band": band,
        "bands": band_choices(family, band, reader),
        "attribution": guide.attribution.get_text(reader),
        "family_language": language,
        "org_id": access.organization.public_id,
    }
    return render(request, "casework/visit_new.html", context, status=status)


@org_view(*CASEWORK_ROLES)
@require_http_methods(["GET"])
def visit_detail(request: HttpRequest, access: Access, visit_id: Any) -> HttpResponse:
    """One visit, for those who may read it (a restricted note: its author and the program's
    supervisors; anyone else gets 404, as for a visit that does not exist)."""
    shown = visit_for_reader(
        access=access, user=request.user, visit_id=visit_id, language=_language()
    )
    return render(
        request,
        "casework/visit_detail.html",
        {"shown": shown, "visit": shown.visit, "org_id": access.organization.public_id},
    )
