"""The self-assessment as a HOPE Champion reviews it: network staff (reviewers are network
staff holding a Champion certification) read an organization's submitted self-assessment and
its improvement plan from the certification review, without any access to the organization.

What they see is the organization's own statements about its policies and practices, which
the organization sent for review by applying; never a family record. Drafts are not shown
(404): only what was submitted."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hopeful.web.organizations.decorators import network_staff_view
from hopeful.web.standards import selectors
from hopeful.web.standards.models import Assessment


@require_GET
@network_staff_view
def assessment(request: HttpRequest, assessment_id: str) -> HttpResponse:
    try:
        public_id = UUID(assessment_id)
    except ValueError:
        raise Http404 from None
    found = (
        Assessment.objects.filter(public_id=public_id, submitted_at__isnull=False)
        .select_related("organization")
        .first()
    )
    if found is None:
        raise Http404
    language = request.LANGUAGE_CODE
    context = {
        "assessment": found,
        "organization": found.organization,
        "sections": selectors.sections(found, language),
        "plan": selectors.plan_rows(found.organization, language),
    }
    return render(request, "standards/review.html", context)
