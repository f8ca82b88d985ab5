"""The public pages: the presentation request form and its thank-you page.

No sign-in. The form has the public forms' guard (:mod:`hopeful.web.cms.guard`): a filled
honeypot is answered with the thank-you page and nothing is kept; a form sent too fast or
with a tampered stamp is refused; too many posts from one address in an hour get 429.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hopeful.web.cms.guard import guard_post
from hopeful.web.presentations import selectors, services
from hopeful.web.presentations.forms import RequestForm

#: The rate limit's name for this form (see :mod:`hopeful.web.cms.guard`).
FORM = "presentation-request"


def _language() -> str:
    return (get_language() or "en").split("-")[0]


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_form(request: HttpRequest) -> HttpResponse:
    """The request form; ``?trainer=<listing id>`` names the trainer the person asks for."""
    if request.method != "POST":
        wished = selectors.listed_get(request.GET.get("trainer", ""))
        form = RequestForm(
            initial={"language": _language(), "trainer": wished.public_id if wished else None}
        )
        return render(request, "presentations/request.html", {"form": form, "wished": wished})
    form = RequestForm(request.POST)
    status = guard_post(
        request,
        form,
        name=FORM,
        limited=_(
            "Too many requests were sent from here just now. Please try again in %(n)d minutes."
        ),
    )
    if status is not None:
        wished = selectors.listed_get(form.data.get("trainer", ""))
        context = {"form": form, "wished": wished}
        return render(request, "presentations/request.html", context, status=status)
    if not form.is_spam:
        services.request_create(
            fields=form.cleaned_data,
            place=form.place,
            wished=selectors.listed_get(form.cleaned_data.get("trainer") or ""),
            requester_language=_language(),
        )
    return redirect("presentations:thanks")


@login_not_required
@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "presentations/thanks.html")
