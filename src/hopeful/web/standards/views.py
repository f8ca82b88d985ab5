"""The six-standards self-assessment of one organization (``/orgs/<org_id>/standards/``).

Every member reads (the overview, an assessment, its results, the plan); org admins start,
answer and submit assessments, keep the improvement plan and apply for certification.
Support access (network staff with a grant) looks but does not write: the self-assessment
and the plan are the organization's own statements. Outsiders get 404 (``org_view``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view
from hopeful.web.organizations.models import Role
from hopeful.web.standards import selectors, services
from hopeful.web.standards.forms import (
    ActionEditForm,
    ActionFromSuggestionForm,
    AssessmentForm,
    add_service_error,
)
from hopeful.web.standards.models import Assessment


def _can_write(access: Access) -> bool:
    return access.is_admin and not access.via_support


def _require_writer(access: Access) -> None:
    access.require(Role.ORG_ADMIN)
    access.require_own_access()


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@org_view()
@require_GET
def overview(request: HttpRequest, access: Access) -> HttpResponse:
    page = selectors.overview(access=access, language=request.LANGUAGE_CODE)
    return render(
        request, "standards/overview.html", {"page": page, "can_write": _can_write(access)}
    )


@org_view(Role.ORG_ADMIN)
@require_POST
def assessment_new(request: HttpRequest, access: Access) -> HttpResponse:
    """Start a draft (or go back to the one already started: one draft at a time)."""
    access.require_own_access()
    assessment, created = services.assessment_start(
        organization=access.organization, actor=request.user
    )
    if created:
        messages.success(request, _("A new self-assessment is started."))
    else:
        messages.info(request, _("A self-assessment is already in progress: here it is."))
    return redirect(selectors.assessment_urls(assessment)["assessment"])


def _save_or_submit(
    request: HttpRequest, assessment: Assessment, form: AssessmentForm
) -> HttpResponse | None:
    """Run the button pressed; a response on success, None to show the form again."""
    urls = selectors.assessment_urls(assessment)
    submit = request.POST.get("action") == "submit"
    try:
        if submit:
            services.assessment_submit(
                assessment=assessment, actor=request.user, answers=form.answers()
            )
        else:
            services.assessment_save(
                assessment=assessment, actor=request.user, answers=form.answers()
            )
    except services.StandardsError as error:
        if error.missing:
            form.mark_missing(error.missing)
        add_service_error(form, error)
        return None
    if submit:
        messages.success(
            request,
            _("The self-assessment is submitted. Here are your levels and suggested changes."),
        )
        return redirect(urls["results"])
    messages.success(request, _("Your answers are saved."))
    return redirect(urls["assessment"])


@org_view()
@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, access: Access, assessment_id: Any) -> HttpResponse:
    """The questionnaire: a form for org admins while it is a draft, else the answers."""
    assessment = selectors.assessment_get(access, assessment_id)
    editable = assessment.is_draft and _can_write(access)
    if request.method == "POST":
        _require_writer(access)
        if not assessment.is_draft:
            messages.info(request, _("This self-assessment is submitted; it can no longer change."))
            return redirect(selectors.assessment_urls(assessment)["results"])
    language = request.LANGUAGE_CODE
    form = AssessmentForm(_posted(request), language=language, answers=assessment.answers)
    if request.method == "POST" and form.is_valid():
        response = _save_or_submit(request, assessment, form)
        if response is not None:
            return response
    context = {
        "assessment": assessment,
        "editable": editable,
        "form": form,
        "groups": form.by_standard(language) if editable else [],
        "sections": [] if editable else selectors.sections(assessment, language),
        "urls": selectors.assessment_urls(assessment),
    }
    status = 400 if form.errors else 200
    return render(request, "standards/assessment.html", context, status=status)


@org_view()
@require_GET
def results(request: HttpRequest, access: Access, assessment_id: Any) -> HttpResponse:
    """Levels per standard and the suggested changes, each of which an org admin can add to
    the improvement plan with an owner and a date."""
    assessment = selectors.assessment_get(access, assessment_id)
    language = request.LANGUAGE_CODE
    can_plan = _can_write(access) and not assessment.is_draft
    suggestions = selectors.suggestions(assessment, language)
    members = selectors.members(access.organization) if can_plan else []
    forms_by_question = {}
    if can_plan:
        for number, suggestion in enumerate(suggestions, start=1):
            if suggestion.action is None:
                forms_by_question[suggestion.question_id] = ActionFromSuggestionForm(
                    language=language,
                    members=members,
                    auto_id=f"id_s{number}_%s",
                    initial={
                        "text": suggestion.text,
                        "standard_id": suggestion.standard_id,
                        "assessment": assessment.public_id,
                        "question_id": suggestion.question_id,
                    },
                )
    rows = [{"suggestion": s, "form": forms_by_question.get(s.question_id)} for s in suggestions]
    context = {
        "assessment": assessment,
        "sections": selectors.sections(assessment, language),
        "rows": rows,
        "can_plan": can_plan,
        "urls": selectors.assessment_urls(assessment),
    }
    return render(request, "standards/results.html", context)


@org_view()
@require_GET
def plan(request: HttpRequest, access: Access) -> HttpResponse:
    today = timezone.localdate()
    organization = access.organization
    context = {
        "rows": selectors.plan_rows(organization, request.LANGUAGE_CODE, today),
        "summary": selectors.plan_summary(organization, request.LANGUAGE_CODE, today),
        "can_write": _can_write(access),
        "urls": {
            "overview": selectors.standards_url("overview", organization),
            "action_new": selectors.standards_url("action_new", organization),
        },
    }
    return render(request, "standards/plan.html", context)


def _owner_and_assessment(
    access: Access, form: ActionFromSuggestionForm | ActionEditForm
) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["owner"] = selectors.member_user(access.organization, data["owner"])
    return data


@org_view(Role.ORG_ADMIN)
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, access: Access) -> HttpResponse:
    """Add a step to the plan: a suggestion of a submitted assessment (posted from its
    results page), or a step of the organization's own."""
    access.require_own_access()
    language = request.LANGUAGE_CODE
    members = selectors.members(access.organization)
    form = ActionFromSuggestionForm(_posted(request), language=language, members=members)
    if request.method == "POST" and form.is_valid():
        data = _owner_and_assessment(access, form)
        assessment = None
        if data["assessment"] is not None:
            assessment = selectors.assessment_get(access, data["assessment"])
        try:
            _action, created = services.action_add(
                organization=access.organization,
                actor=request.user,
                standard_id=data["standard_id"],
                text=data["text"],
                owner=data["owner"],
                due_date=data["due_date"],
                assessment=assessment,
                question_id=data["question_id"],
            )
        except services.StandardsError as error:
            add_service_error(form, error)
        else:
            if created:
                messages.success(request, _("The step is added to the improvement plan."))
            else:
                messages.info(request, _("This suggestion is already in the improvement plan."))
            if assessment is not None:
                return redirect(selectors.assessment_urls(assessment)["results"])
            return redirect(selectors.standards_url("plan", access.organization))
    context = {"form": form, "plan_url": selectors.standards_url("plan", access.organization)}
    return render(
        request, "standards/action_form.html", context, status=400 if form.errors else 200
    )


@org_view(Role.ORG_ADMIN)
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, access: Access, action_id: Any) -> HttpResponse:
    action = selectors.action_get(access, action_id)
    access.require_own_access()
    language = request.LANGUAGE_CODE
    form = ActionEditForm(
        _posted(request),
        language=language,
        members=selectors.members(access.organization),
        initial={
            "text": action.text,
            "standard_id": action.standard_id,
            "owner": str(action.owner.public_id),
            "due_date": action.due_date,
            "status": action.status,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = _owner_and_assessment(access, form)
        try:
            services.action_update(
                action=action,
                actor=request.user,
                text=data["text"],
                owner=data["owner"],
                due_date=data["due_date"],
                status=data["status"],
            )
        except services.StandardsError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The step is saved."))
            return redirect(selectors.standards_url("plan", access.organization))
    context = {
        "form": form,
        "action": action,
        "plan_url": selectors.standards_url("plan", access.organization),
    }
    return render(
        request, "standards/action_form.html", context, status=400 if form.errors else 200
    )


@org_view(Role.ORG_ADMIN)
@require_POST
def certification_apply(request: HttpRequest, access: Access) -> HttpResponse:
    """Send the latest submitted self-assessment to apply for (or renew) the HOPE-informed
    organization certification."""
    access.require_own_access()
    try:
        services.certification_apply(organization=access.organization, actor=request.user)
    except services.StandardsError as error:
        messages.error(request, gettext(error.message))  # marked in forms.py
    else:
        messages.success(
            request,
            _(
                "Your application is sent. A HOPE Champion will review your self-assessment and plan."
            ),
        )
    return redirect(selectors.standards_url("overview", access.organization))
