"""A family's goals and celebrations: the family's goals page, a new goal, a goal with its
progress, a new celebration.

Thin views: the family (or goal) is found in the access's programs (else 404), a form checks
the input, one service stores and audits, and a good POST redirects. Support access looks but
does not write a family's records (403).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hopeful import geo
from hopeful.web.assets.selectors import nearby_assets
from hopeful.web.casework import selectors_goals as selectors
from hopeful.web.casework import services
from hopeful.web.casework.forms_goals import (
    CelebrationForm,
    GoalForm,
    GoalProgressForm,
    add_service_error,
)
from hopeful.web.casework.models import GoalStatus
from hopeful.web.core.places import zip_error_message
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view
from hopeful.web.organizations.models import Role

CASEWORK_ROLES = (Role.ORG_ADMIN, Role.PRACTITIONER)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _status(form: Any) -> int:
    return 400 if form.errors else 200


@org_view(*CASEWORK_ROLES)
@require_GET
def family_goals(request: HttpRequest, access: Access, family_id: Any) -> HttpResponse:
    family = selectors.family_get(access, family_id)
    page = selectors.family_goals_page(
        access=access,
        actor=request.user,
        family=family,
        language=request.LANGUAGE_CODE,
        today=timezone.localdate(),
    )
    return render(request, "casework/family_goals.html", {"page": page})


@org_view(*CASEWORK_ROLES)
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest, access: Access, family_id: Any) -> HttpResponse:
    family = selectors.family_get(access, family_id)
    access.require_own_access()
    form = GoalForm(_posted(request), language=request.LANGUAGE_CODE)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_add(family=family, actor=request.user, **form.cleaned_data)
        except services.CaseworkError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The goal is added."))
            return redirect(selectors.goal_url(access, goal))
    context = {"form": form, "family": selectors.family_head(access, family)}
    return render(request, "casework/goal_form.html", context, status=_status(form))


@org_view(*CASEWORK_ROLES)
@require_http_methods(["GET", "POST"])
def goal_detail(request: HttpRequest, access: Access, goal_id: Any) -> HttpResponse:
    """The goal and its progress; POST records progress."""
    goal = selectors.goal_get(access, goal_id)
    if request.method == "POST":
        access.require_own_access()
    form = GoalProgressForm(_posted(request), initial={"status": goal.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_progress(goal=goal, actor=request.user, **form.cleaned_data)
        except services.CaseworkError as error:
            add_service_error(form, error)
        else:
            if goal.status == GoalStatus.REACHED:
                messages.success(
                    request, _("The goal is reached. You can record a celebration with it.")
                )
            else:
                messages.success(request, _("The progress is saved."))
            return redirect(selectors.goal_url(access, goal))
    page = selectors.goal_page(
        access=access,
        actor=request.user,
        goal=goal,
        language=request.LANGUAGE_CODE,
        today=timezone.localdate(),
    )
    context = {"page": page, "form": form, **_nearby(request, goal.block)}
    return render(request, "casework/goal_detail.html", context, status=_status(form))


def _nearby(request: HttpRequest, block: str) -> dict[str, Any]:
    """Community strengths near a ZIP code the practitioner types (``?near=``, never stored)
    that give the goal's building block: ideas for the family's next step."""
    near = request.GET.get("near", "").strip()[:10]
    found: dict[str, Any] = {"nearby": None, "nearby_zip": near, "nearby_error": ""}
    if near:
        try:
            found["nearby"] = nearby_assets(near, blocks=[block], include_members=True)
        except geo.ZipError as error:
            found["nearby_error"] = zip_error_message(error)
    return found


@org_view(*CASEWORK_ROLES)
@require_http_methods(["GET", "POST"])
def celebration_new(request: HttpRequest, access: Access, family_id: Any) -> HttpResponse:
    """A celebration; ``?goal=<id>`` links it to one of the family's goals from the start."""
    family = selectors.family_get(access, family_id)
    access.require_own_access()
    initial = {"celebrated_on": timezone.localdate(), "goal": request.GET.get("goal")}
    form = CelebrationForm(
        _posted(request), initial=initial, language=request.LANGUAGE_CODE, goals=family.goals.all()
    )
    if request.method == "POST" and form.is_valid():
        try:
            celebration = services.celebration_add(
                family=family, actor=request.user, **form.cleaned_data
            )
        except services.CaseworkError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The celebration is recorded."))
            goal = celebration.goal
            if goal is not None:
                return redirect(selectors.goal_url(access, goal))
            return redirect(selectors.family_goals_url(access, family))
    context = {"form": form, "family": selectors.family_head(access, family)}
    return render(request, "casework/celebration_form.html", context, status=_status(form))
