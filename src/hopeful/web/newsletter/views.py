"""The newsletter's pages.

Public (no sign-in): the sign-up form, and the pages the emailed links open (confirm,
unsubscribe). A sign-up always answers with the same "check your email" page, so the site
never tells whether an address is signed up. The emailed links' pages change nothing on GET
(mail scanners open links): a button POSTs. Unsubscribing takes the RFC 8058 one-click POST
too, so it is CSRF-exempt: the signed token is the authority.

Network staff only: the counts page and the CSV export of the confirmed list (audited).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from hopeful.web.cms.guard import guard_post
from hopeful.web.cms.vocab import AUDIENCES, BLOCKS, block_label
from hopeful.web.core.responses import private
from hopeful.web.newsletter import selectors, services, tokens
from hopeful.web.newsletter.forms import SignupForm, language_choices
from hopeful.web.newsletter.models import confirm_window
from hopeful.web.newsletter.selectors import LinkState
from hopeful.web.organizations.decorators import network_staff_view

#: The rate limit's name for this form (see :mod:`hopeful.web.cms.guard`).
FORM = "newsletter"


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """The sign-up form; a valid post answers "check your email" whatever the address."""
    if request.method != "POST":
        return render(request, "newsletter/signup.html", {"form": SignupForm()})
    form = SignupForm(request.POST)
    status = guard_post(
        request,
        form,
        name=FORM,
        limited=_(
            "Too many sign-ups were sent from here just now. Please try again in %(n)d minutes."
        ),
    )
    if status is not None:
        return render(request, "newsletter/signup.html", {"form": form}, status=status)
    if not form.is_spam:
        page_language = get_language() or "en"
        services.subscription_sign_up(
            email=form.cleaned_data["email"],
            language=form.cleaned_data["language"],
            building_blocks=form.cleaned_data["building_blocks"],
            audiences=form.cleaned_data["audiences"],
            consent_text=str(form.fields["consent"].label),
            consent_language=page_language,
        )
    return render(request, "newsletter/check_email.html", {"confirm_days": confirm_window().days})


def _link_refused(request: HttpRequest, link: selectors.Link) -> HttpResponse:
    """The page of a link that cannot be used: 410 when it is genuine but too old or its
    sign-up is gone, 400 when it is not a link HOPEful made."""
    invalid = link.state is LinkState.INVALID
    return private(
        render(
            request,
            "newsletter/link_refused.html",
            {"invalid": invalid},
            status=400 if invalid else 410,
        )
    )


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the "Confirm my subscription" button; its POST confirms."""
    link = selectors.confirm_link(token)
    subscription = link.subscription
    if subscription is None:  # not a link of ours, too old, or its sign-up is gone
        return _link_refused(request, link)
    if link.state is LinkState.PENDING and request.method == "POST":
        try:
            services.subscription_confirm(subscription=subscription, now=timezone.now())
        except ValueError:  # expired between the check and the click
            return _link_refused(request, selectors.Link(LinkState.EXPIRED))
        return private(redirect(request.path))
    context = {
        "confirmed": subscription.is_confirmed,
        "unsubscribe_url": reverse(
            "newsletter:unsubscribe", args=[tokens.unsubscribe_token(subscription.public_id)]
        ),
    }
    return private(render(request, "newsletter/confirm.html", context))


@login_not_required
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the "Unsubscribe" button; a POST (the button, or a mail program's RFC 8058
    one-click POST) deletes the sign-up. Unsubscribing twice answers the same."""
    link = selectors.unsubscribe_link(token)
    if link.state is LinkState.INVALID:
        return _link_refused(request, link)
    if request.method == "POST":
        if link.subscription is not None:
            services.subscription_unsubscribe(subscription=link.subscription)
        return private(render(request, "newsletter/unsubscribed.html"))
    if link.subscription is None:
        return private(render(request, "newsletter/unsubscribed.html"))
    return private(render(request, "newsletter/unsubscribe.html"))


@require_GET
@network_staff_view
def subscribers(request: HttpRequest) -> HttpResponse:
    """Counts of the sign-ups (no address shown) and the button to download the list."""
    counts = selectors.subscriber_counts()
    language = get_language() or "en"
    names = dict(language_choices())
    context = {
        "counts": counts,
        "languages": [(names.get(code, code), counts.by_language.get(code, 0)) for code in names],
        "blocks": [(block_label(code, language), counts.by_block.get(code, 0)) for code in BLOCKS],
        "audiences": [
            (label, counts.by_audience.get(code, 0)) for code, label in AUDIENCES.items()
        ],
    }
    response = render(request, "newsletter/subscribers.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@network_staff_view
def export(request: HttpRequest) -> HttpResponse:
    """The confirmed list as CSV for the mailing service (audited)."""
    content, _rows = services.subscribers_export_csv(actor=request.user)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="newsletter-subscribers-{day}.csv"'
    response["Cache-Control"] = "no-store"
    return response
