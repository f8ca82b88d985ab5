"""The network staff's certification pages: the list, one certification with its trail and
actions, and the organization reviews.

Network staff only (everyone else, superusers included, gets 403). These pages show
certifications and the people or organizations holding them, never any organization's
families or records. Reviews are written by network staff who hold a valid HOPE Champion
certification themselves and do not belong to the organization under review.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hopeful.framework.certification import Action, State, Tier, allowed_actions
from hopeful.web.certification import selectors, services
from hopeful.web.certification.forms import ActionForm, ReviewForm, StaffFilterForm
from hopeful.web.certification.models import ReviewStatus, StateChoices, TierChoices
from hopeful.web.certification.views import tier_name
from hopeful.web.organizations.decorators import network_staff_view

PER_PAGE = 50


@network_staff_view
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    """Every certification, filtered and paginated, with counts per tier and state."""
    form = StaffFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.staff_certifications(filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    counts = selectors.staff_counts()
    context = {
        "form": form,
        "page": page,
        "rows": [
            {
                "certification": c,
                "holder": selectors.holder_name(c, loaded=True),
                "tier_name": tier_name(c.tier),
                "us_state": _us_state(c),
            }
            for c in page.object_list
        ],
        "states": StateChoices.choices,
        "counts": [
            (label, [counts[tier][state] for state, _label in StateChoices.choices])
            for tier, label in TierChoices.choices
        ],
        "query": urlencode(
            {k: v for k, v in request.GET.items() if k != "page" and v}, doseq=False
        ),
    }
    return render(request, "certification/staff_list.html", context)


def _us_state(certification: Any) -> str:
    if certification.organization_id is not None:
        return str(certification.organization.state)
    try:
        return str(certification.user.learner_profile.state)
    except ObjectDoesNotExist:  # no learner profile yet
        return ""


def _detail_context(certification: Any, **extra: Any) -> dict[str, Any]:
    actions = list(allowed_actions(certification.tier, certification.state))
    return {
        "certification": certification,
        "holder": selectors.holder_name(certification, loaded=True),
        "tier_name": tier_name(certification.tier),
        "events": list(selectors.certification_events(certification)),
        "credentials": [
            {"credential": c, "status": selectors.credential_status(c)}
            for c in certification.credentials.all()
        ],
        "actions": [{"value": a.value, "label": services.action_verb(a)} for a in actions],
        "needs_reason": [Action.SUSPEND.value, Action.REVOKE.value],
        "is_organization": certification.tier == Tier.ORGANIZATION.value,
        "assessment_url": _assessment_url(certification.evidence.get("assessment_ref")),
        "renewal_assessment_url": _assessment_url(
            certification.evidence.get("renewal_assessment_ref")
        ),
        **extra,
    }


def _assessment_url(ref: Any) -> str:
    """Where a reviewer reads the self-assessment an organization applied with (the
    standards app's review page; by URL name, since that app sits above this one)."""
    try:
        UUID(str(ref))
    except ValueError:
        return ""
    return reverse("standards_review:assessment", args=[str(ref)])


@network_staff_view
@require_http_methods(["GET", "HEAD", "POST"])
def staff_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One certification: its trail, its credentials and a button per allowed action."""
    certification = selectors.staff_certification(public_id)
    if certification is None:
        raise Http404
    if request.method != "POST":
        return render(
            request,
            "certification/staff_detail.html",
            _detail_context(certification, form=ActionForm()),
        )
    form = ActionForm(request.POST)
    error = ""
    if form.is_valid():
        action = Action(form.cleaned_data["action"])
        try:
            services.certification_act(
                certification=certification,
                action=action,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.CertificationError as exc:
            error = str(exc)
        else:
            messages.success(
                request, _("Done: %(action)s.") % {"action": services.action_verb(action)}
            )
            return redirect("certification:staff_detail", public_id=certification.public_id)
    certification = selectors.staff_certification(public_id)
    context = _detail_context(certification, form=form, error=error)
    return render(request, "certification/staff_detail.html", context, status=400)


@network_staff_view
@require_GET
def staff_reviews(request: HttpRequest) -> HttpResponse:
    """Organizations waiting for a Champion's review, oldest first."""
    waiting = list(selectors.reviews_waiting())
    can_review = selectors.holds_valid(user=request.user, tier=Tier.CHAMPION)
    context = {"waiting": waiting, "can_review": can_review, "form": ReviewForm()}
    return render(request, "certification/staff_reviews.html", context)


@network_staff_view
@require_http_methods(["GET", "HEAD", "POST"])
def staff_review(request: HttpRequest, public_id: str) -> HttpResponse:
    """One organization's application: its self-assessment reference and the review form."""
    certification = selectors.staff_certification(public_id)
    if certification is None or certification.tier != Tier.ORGANIZATION.value:
        raise Http404
    problem = services.reviewer_problem(certification=certification, reviewer=request.user)
    form = ReviewForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_review_record(
                certification=certification,
                reviewer=request.user,
                approved=form.cleaned_data["decision"] == "approve",
                notes=form.cleaned_data["notes"],
            )
        except services.CertificationError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Review recorded."))
            return redirect("certification:staff_reviews")
    context = {
        "certification": certification,
        "holder": selectors.holder_name(certification, loaded=True),
        "problem": problem,
        "assessment_url": _assessment_url(certification.evidence.get("assessment_ref")),
        "waiting": certification.review_status == ReviewStatus.PENDING
        and certification.state in (State.APPLIED.value, State.IN_PROGRESS.value),
        "form": form,
        "error": error,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "certification/staff_review.html", context, status=status)
