"""The caseload, assigning a family to practitioners, and a family's contact details: thin
views (access check, form, one selector or service call, render).

Who may open each page is :func:`~hopeful.web.organizations.decorators.org_view`'s roles;
which families is :mod:`hopeful.web.organizations.access` (another organization's or
program's family is 404). Assigning is for org admins in their own right, never through
support access; so is changing a family's contact details.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hopeful.web.casework import selectors_caseload, selectors_family, services, services_family
from hopeful.web.casework.forms_caseload import AssignForm, ContactForm
from hopeful.web.casework.services import CaseworkError
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view
from hopeful.web.organizations.models import Role

IDENTIFIABLE = (Role.ORG_ADMIN, Role.PRACTITIONER)


def _family_url(access: Access, family: Any) -> str:
    return reverse(
        "practice:family_detail",
        kwargs={"org_id": access.organization.public_id, "family_id": family.public_id},
    )


def _show_error(form: Any, error: CaseworkError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# ``org_view`` goes outermost, so an outsider gets the same 404 whatever the method.
@org_view(*IDENTIFIABLE)
@require_GET
def caseload(request: HttpRequest, access: Access) -> HttpResponse:
    page = selectors_caseload.caseload(
        access=access,
        actor=request.user,
        member_id=request.GET.get("member", ""),
        query=request.GET.get("q", ""),
    )
    context = {"caseload": page, "org_id": access.organization.public_id}
    return render(request, "casework/caseload.html", context)


@org_view(Role.ORG_ADMIN)
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, access: Access, family_id: Any) -> HttpResponse:
    access.require_own_access()
    page = selectors_caseload.assign_page(access=access, actor=request.user, family_id=family_id)
    # a POST with nobody ticked is a choice too (off every caseload): bind whenever POSTed
    data = request.POST if request.method == "POST" else None
    form = AssignForm(data, members=page.members, initial={"members": page.assigned})
    if data is not None and form.is_valid():
        try:
            services.assignments_set(
                family=page.family, memberships=form.cleaned_data["members"], actor=request.user
            )
        except CaseworkError as error:
            _show_error(form, error)
        else:
            messages.success(
                request, _("Saved who has %(family)s on their caseload.") % {"family": page.family}
            )
            return redirect(page.family_url)
    context = {"page": page, "form": form, "org_id": access.organization.public_id}
    return render(request, "casework/assign.html", context)


@org_view(*IDENTIFIABLE)
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, access: Access, family_id: Any) -> HttpResponse:
    access.require_own_access()
    family = selectors_family.family_for_contact(
        access=access, actor=request.user, family_id=family_id
    )
    initial = {"contact_email": family.contact_email, "contact_phone": family.contact_phone}
    data = request.POST if request.method == "POST" else None
    form = ContactForm(data, initial=initial)
    if data is not None and form.is_valid():
        try:
            services_family.family_contact_update(
                family=family,
                actor=request.user,
                email=form.cleaned_data["contact_email"],
                phone=form.cleaned_data["contact_phone"],
            )
        except CaseworkError as error:
            _show_error(form, error)
        else:
            messages.success(
                request, _("Saved the contact details of %(family)s.") % {"family": family}
            )
            return redirect(_family_url(access, family))
    context = {
        "family": family,
        "form": form,
        "family_url": _family_url(access, family),
        "org_id": access.organization.public_id,
    }
    return render(request, "casework/contact.html", context)
