"""A family's visits: the strengths map (and, with the visit guide, visits and their notes).

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

from hopeful.web.casework import services
from hopeful.web.casework.forms_map import StrengthsMapForm
from hopeful.web.casework.selectors_map import family_in_scope, map_page
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
