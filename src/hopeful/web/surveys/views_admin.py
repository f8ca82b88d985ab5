"""Campaign pages under ``/orgs/<org_id>/campaigns/``: org admins manage, practitioners list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from hopeful.framework import get_instrument
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view
from hopeful.web.organizations.models import Role
from hopeful.web.organizations.selectors import page_url
from hopeful.web.surveys import kit, services
from hopeful.web.surveys import services_campaigns as campaigns
from hopeful.web.surveys.errors import CampaignError
from hopeful.web.surveys.flags import campaign_flags
from hopeful.web.surveys.forms import CampaignForm, KitForm, LinkForm
from hopeful.web.surveys.models import Campaign, CampaignStatus, LinkKind
from hopeful.web.surveys.selectors import (
    campaign_get,
    campaign_link_get,
    campaign_public_link_for_token,
    campaigns_for,
    instrument_label,
)

ADMIN = (Role.ORG_ADMIN,)
READERS = (Role.ORG_ADMIN, Role.PRACTITIONER)


def _detail_url(access: Access, campaign: Campaign) -> str:
    return reverse("campaigns:detail", args=[access.organization.public_id, campaign.public_id])


@org_view(*READERS)
@require_http_methods(["GET"])
def campaign_list(request: HttpRequest, access: Access) -> HttpResponse:
    context = {
        "access": access,
        "campaigns": list(campaigns_for(access)),
        # "" when the role may not create one: the page then says who can.
        "create_url": page_url(access, "campaigns:create"),
    }
    return render(request, "surveys/admin/list.html", context)


@org_view(*ADMIN)
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest, access: Access) -> HttpResponse:
    form = CampaignForm(
        request.POST or None, organization=access.organization, language=get_language() or "en"
    )
    if request.method == "POST" and form.is_valid():
        campaign = campaigns.campaign_create(
            program=form.cleaned_data["program"],
            name=form.cleaned_data["name"],
            instrument_ids=form.cleaned_data["instruments"],
            languages=form.cleaned_data["languages"],
            actor=request.user,
        )
        messages.success(request, _("Campaign created. Open it when it is ready."))
        return redirect(_detail_url(access, campaign))
    return render(request, "surveys/admin/form.html", {"access": access, "form": form})


@org_view(*ADMIN)
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, access: Access, campaign_id: Any) -> HttpResponse:
    campaign = campaign_get(access, campaign_id)
    initial = {
        "name": campaign.name,
        "program": campaign.program,
        "instruments": [e["id"] for e in campaign.instruments],
        "languages": campaign.languages,
    }
    form = CampaignForm(
        request.POST or None,
        initial=initial,
        organization=access.organization,
        language=get_language() or "en",
    )
    locked = campaign.status != CampaignStatus.DRAFT
    if locked:
        form.fields["instruments"].disabled = True
        form.fields["program"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            campaigns.campaign_update(
                campaign=campaign,
                name=form.cleaned_data["name"],
                instrument_ids=form.cleaned_data["instruments"],
                languages=form.cleaned_data["languages"],
                actor=request.user,
            )
        except CampaignError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect(_detail_url(access, campaign))
    return render(
        request,
        "surveys/admin/form.html",
        {"access": access, "form": form, "campaign": campaign, "locked": locked},
    )


@org_view(*READERS)
@require_http_methods(["GET"])
def campaign_detail(request: HttpRequest, access: Access, campaign_id: Any) -> HttpResponse:
    campaign = campaign_get(access, campaign_id)
    language = get_language() or "en"
    instruments = []
    for entry in campaign.instruments:
        inst = get_instrument(entry["id"], entry.get("version"))
        instruments.append(
            {"label": instrument_label(inst, language), "pinned": bool(entry.get("version"))}
        )
    return render(
        request,
        "surveys/admin/detail.html",
        {
            "access": access,
            "campaign": campaign,
            "instruments": instruments,
            # families' links; the integration link (answers from other systems) is internal
            "links": list(
                campaign.links.exclude(kind=LinkKind.INTEGRATION)
                .select_related("family")
                .order_by("-created_at")
            ),
            "n_submissions": campaign.submissions.count(),
            "flags": list(campaign_flags(campaign)),
            "link_create_url": page_url(
                access, "campaigns:link_create", campaign_id=campaign.public_id
            ),
        },
    )


@org_view(*ADMIN)
@require_POST
def campaign_open(request: HttpRequest, access: Access, campaign_id: Any) -> HttpResponse:
    campaign = campaign_get(access, campaign_id)
    try:
        campaigns.campaign_open(campaign=campaign, actor=request.user)
    except CampaignError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Campaign opened. Its questionnaire versions are now fixed."))
    return redirect(_detail_url(access, campaign))


@org_view(*ADMIN)
@require_POST
def campaign_close(request: HttpRequest, access: Access, campaign_id: Any) -> HttpResponse:
    campaign = campaign_get(access, campaign_id)
    try:
        campaigns.campaign_close(campaign=campaign, actor=request.user)
    except CampaignError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Campaign closed. Its links no longer accept answers."))
    return redirect(_detail_url(access, campaign))


@org_view(*ADMIN)
@require_http_methods(["GET", "POST"])
def link_create(request: HttpRequest, access: Access, campaign_id: Any) -> HttpResponse:
    campaign = campaign_get(access, campaign_id)
    form = LinkForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            link, token = campaigns.link_create(
                campaign=campaign,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                family=form.cleaned_data["family"],
                expires_at=form.cleaned_data["expires_at"],
                rate_limit_per_minute=form.cleaned_data["rate_limit_per_minute"],
            )
        except CampaignError as exc:
            form.add_error(None, exc.message)
        else:
            urls = []
            for code, name in (("en", "English"), ("es", "Español")):
                with translation.override(code):
                    urls.append(
                        {
                            "name": name,
                            "url": request.build_absolute_uri(
                                reverse("survey:start", args=[token])
                            ),
                        }
                    )
            # The outreach kit is made from the token this page holds: a public link only.
            kit_form = (
                KitForm(initial={"token": token}, campaign=campaign)
                if link.kind == LinkKind.PUBLIC
                else None
            )
            # Shown once: this response is the only place the token ever appears.
            response = render(
                request,
                "surveys/admin/link_created.html",
                {
                    "access": access,
                    "campaign": campaign,
                    "link": link,
                    "urls": urls,
                    "kit_form": kit_form,
                },
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "surveys/admin/link_form.html",
        {"access": access, "campaign": campaign, "form": form},
    )


@org_view(*ADMIN)
@require_POST
@sensitive_post_parameters("token")  # kept out of error reports
def link_kit(request: HttpRequest, access: Access, campaign_id: Any) -> HttpResponse:
    """The outreach kit of a public link just created, as a PDF to download.

    The page that shows the new link posts its token here (it is stored nowhere): anything
    but an active public link of this campaign is 404; an impossible choice is 400."""
    campaign = campaign_get(access, campaign_id)
    token = request.POST.get("token", "")
    link = campaign_public_link_for_token(campaign, token)
    form = KitForm(request.POST, campaign=campaign)
    if not form.is_valid():
        # The token is not echoed back: the page that holds it is still in the browser.
        return render(
            request,
            "surveys/admin/kit_invalid.html",
            {"access": access, "campaign": campaign, "form": form},
            status=400,
        )
    choice = {k: form.cleaned_data[k] for k in ("kind", "language", "paper")}
    with translation.override(choice["language"]):
        url = request.build_absolute_uri(reverse("survey:start", args=[token]))
    pdf = kit.kit_pdf(
        **choice,
        url=url,
        organization_name=access.organization.name,
        about_child=services.asks_about_child(link.campaign),
    )
    campaigns.link_kit_download_record(link=link, actor=request.user, **choice)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{kit.kit_filename(**choice)}"'
    response["Cache-Control"] = "no-store"
    return response


@org_view(*ADMIN)
@require_POST
def link_revoke(
    request: HttpRequest, access: Access, campaign_id: Any, link_id: Any
) -> HttpResponse:
    campaign = campaign_get(access, campaign_id)
    link = campaign_link_get(campaign, link_id)
    campaigns.link_revoke(link=link, actor=request.user)
    messages.success(request, _("Link revoked. It stops working at once."))
    return redirect(_detail_url(access, campaign))
