"""The trainer directory's pages.

Public (no sign-in): the search by ZIP code and radius (a GET form: every search is a link),
a listing's page with its contact form, and the contact form's answer. Signed in: the
person's own listing (``/trainers/me/``, for holders of a valid Facilitator or Champion
certification). An organization's listing is kept by its admins at
``/orgs/<org_id>/directory/`` (:func:`org_listing`). No page ever shows an email address or
a phone number.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hopeful.web.cms.guard import guard_post
from hopeful.web.directory import selectors, services
from hopeful.web.directory.forms import (
    PER_PAGE,
    ContactForm,
    OrganizationListingForm,
    PersonListingForm,
    SearchForm,
)
from hopeful.web.directory.models import Listing
from hopeful.web.learning.selectors import learner_profile
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view
from hopeful.web.organizations.models import Role

CONTACT_FORM = "directory-contact"


@login_not_required
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """``/trainers/``: the form alone (with how many are listed) until a ZIP code is given;
    then the listed holders within the radius, nearest first, 20 a page."""
    form = SearchForm(request.GET or None)
    # "Your listing" is offered only to those its page lets in (never a link to a 403)
    context: dict[str, Any] = {
        "form": form,
        "may_list": selectors.person_may_list(user=request.user),
    }
    if not request.GET.get("zip", "").strip():
        # the first visit, or a search without a ZIP code: the introduction
        context["listed_count"] = selectors.listed_count()
        return render(request, "directory/search.html", context)
    if not form.is_valid():
        return render(request, "directory/search.html", context, status=400)
    data = form.cleaned_data
    query = selectors.Search(
        place=data["zip"],
        radius=data["radius"],
        language=data["language"],
        sector=data["sector"],
        modality=data["modality"],
        kind=data["kind"],
    )
    hits = selectors.trainers_search(query)
    pages = Paginator(hits, PER_PAGE).get_page(request.GET.get("page"))
    kept = urlencode(
        [(k, v) for k, v in request.GET.items() if k != "page" and k in form.fields and v]
    )
    context.update({"search": query, "pages": pages, "hits": pages.object_list, "query": kept})
    return render(request, "directory/search.html", context)


def _detail(
    request: HttpRequest, hit: selectors.Hit, form: ContactForm, status: int = 200
) -> HttpResponse:
    return render(request, "directory/detail.html", {"hit": hit, "form": form}, status=status)


@login_not_required
@require_safe
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """A listed holder's page and its contact form (404 unless listed today)."""
    return _detail(request, selectors.listing_public(public_id), ContactForm())


@login_not_required
@require_POST
def contact(request: HttpRequest, public_id: str) -> HttpResponse:
    """Send a message to a listed holder: checked (rate limit, honeypot, time), emailed by
    the worker. A post caught by the honeypot gets the same answer and sends nothing."""
    hit = selectors.listing_public(public_id)
    form = ContactForm(request.POST)
    status = guard_post(
        request,
        form,
        name=CONTACT_FORM,
        limited=_(
            "Too many messages were sent from here just now. Please try again in %(n)d minutes."
        ),
    )
    if status is not None:
        return _detail(request, hit, form, status=status)
    if not form.is_spam:
        data = form.cleaned_data
        services.contact_send(
            listing=hit.listing,
            name=data["name"],
            email=data["email"],
            organization=data["organization"],
            message=data["message"],
            language=get_language() or "en",
            actor=request.user,
        )
    return render(request, "directory/contact_sent.html", {"hit": hit})


def _listing_initial(listing: Listing | None, defaults: dict[str, Any]) -> dict[str, Any]:
    if listing is None:
        return defaults
    return {
        "display_name": listing.display_name,
        "about": listing.about,
        "implements": listing.implements,
        "website": listing.website,
        "zip_code": listing.zip_code,
        "languages": listing.languages,
        "sectors": listing.sectors,
        "in_person": listing.in_person,
        "virtual": listing.virtual,
        "opted_in": listing.opted_in,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """The person's own listing: shown, changed, or taken out of the directory. Only for
    holders of a valid Facilitator or Champion certification."""
    user = request.user
    if not user.is_authenticated or not selectors.person_may_list(user=user):
        return render(request, "directory/not_certified.html", status=403)
    listing = selectors.listing_of_user(user=user)
    if request.method == "POST" and "remove" in request.POST:
        if listing is not None and listing.opted_in:
            services.listing_opt_out(listing=listing, actor=user)
        messages.success(request, _("You are no longer in the public directory."))
        return redirect("directory:mine")
    profile = learner_profile(user=user)
    defaults = {
        "display_name": (profile.full_name if profile else "") or user.display_name,
        "zip_code": profile.zip_code if profile else "",
        "languages": profile.languages if profile else ["en"],
        "sectors": [profile.sector] if profile and profile.sector else [],
        "in_person": True,
        "virtual": True,
    }
    if request.method == "POST":
        form = PersonListingForm(request.POST)
        if form.is_valid():
            try:
                services.listing_save_person(user=user, data=form.cleaned_data)
            except services.ListingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your listing is saved."))
                return redirect("directory:mine")
        status = 400
    else:
        form = PersonListingForm(initial=_listing_initial(listing, defaults))
        status = 200
    context = {"form": form, "listing": listing, "listed": selectors.is_listed(listing)}
    return render(request, "directory/mine.html", context, status=status)


@org_view(Role.ORG_ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
def org_listing(request: HttpRequest, access: Access) -> HttpResponse:
    """The organization's listing, kept by its admins; public only while the organization
    holds a valid certification. Not through a support grant: what the organization publishes
    is its own decision."""
    access.require_own_access()
    organization = access.organization
    listing = selectors.listing_of_organization(organization=organization)
    if request.method == "POST" and "remove" in request.POST:
        if listing is not None and listing.opted_in:
            services.listing_opt_out(listing=listing, actor=request.user)
        messages.success(request, _("The organization is no longer in the public directory."))
        return redirect("directory_org:edit", org_id=organization.public_id)
    if request.method == "POST":
        form = OrganizationListingForm(request.POST)
        if form.is_valid():
            try:
                services.listing_save_organization(
                    organization=organization, actor=request.user, data=form.cleaned_data
                )
            except services.ListingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The organization's listing is saved."))
                return redirect("directory_org:edit", org_id=organization.public_id)
        status = 400
    else:
        defaults = {"display_name": organization.name, "languages": ["en"]}
        form = OrganizationListingForm(initial=_listing_initial(listing, defaults))
        status = 200
    context = {
        "access": access,
        "organization": organization,
        "form": form,
        "listing": listing,
        "listed": selectors.is_listed(listing),
        "certified_until": selectors.organization_certified_until(organization=organization),
    }
    return render(request, "directory/org_listing.html", context, status=status)
