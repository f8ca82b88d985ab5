"""Case reviews: a new review of a family, one review (signed off by a supervisor of the
family's program who did not write it), and the reviews due.

Thin views as in :mod:`hopeful.web.casework.views_goals`. A sign-off by anyone else is
refused with 403 and the reason on the review's page; nothing changes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hopeful.web.casework import services
from hopeful.web.casework.forms_goals import CaseReviewForm, add_service_error, service_message
from hopeful.web.casework.selectors_goals import family_get, family_head, review_get, review_url
from hopeful.web.casework.selectors_reviews import review_page, reviews_due
from hopeful.web.casework.views_goals import CASEWORK_ROLES
from hopeful.web.organizations.access import Access, RoleRequired
from hopeful.web.organizations.decorators import org_view


@org_view(*CASEWORK_ROLES)
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest, access: Access, family_id: Any) -> HttpResponse:
    family = family_get(access, family_id)
    access.require_own_access()
    posted = request.POST if request.method == "POST" else None
    form = CaseReviewForm(
        posted, initial={"reviewed_on": timezone.localdate()}, language=request.LANGUAGE_CODE
    )
    if posted is not None and form.is_valid():
        try:
            review = services.case_review_create(
                family=family, actor=request.user, **form.review_values()
            )
        except services.CaseworkError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("The review is saved. A supervisor of the family's program signs it off."),
            )
            return redirect(review_url(access, review))
    context = {"form": form, "family": family_head(access, family)}
    status = 400 if form.errors else 200
    return render(request, "casework/review_form.html", context, status=status)


@org_view(*CASEWORK_ROLES)
@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, access: Access, review_id: Any) -> HttpResponse:
    """The review; POST signs it off (a supervisor of the program who did not write it)."""
    review = review_get(access, review_id)
    refusal, status = "", 200
    if request.method == "POST":
        access.require_own_access()  # support access signs nothing
        supervisor = access.membership
        if supervisor is None:  # only support access has no membership, refused just above
            raise RoleRequired(access, support=True)
        try:
            services.case_review_sign_off(review=review, supervisor=supervisor)
        except services.CaseworkError as error:
            refusal, status = service_message(error), 403
        else:
            messages.success(request, _("The review is signed off."))
            return redirect(review_url(access, review))
    page = review_page(
        access=access, actor=request.user, review=review, language=request.LANGUAGE_CODE
    )
    context = {"page": page, "refusal": refusal}
    return render(request, "casework/review_detail.html", context, status=status)


@org_view(*CASEWORK_ROLES)
@require_GET
def review_list(request: HttpRequest, access: Access) -> HttpResponse:
    due = reviews_due(access=access, actor=request.user, today=timezone.localdate())
    return render(request, "casework/reviews_due.html", {"due": due})
