"""Webhooks' pages (org admins only): the list with the form that adds one, a webhook's page
with its delivery log and actions, and the page that shows a secret once.

Support access may look (the list and a webhook's page, never a secret); every change
refuses it (:meth:`~hopeful.web.organizations.access.Access.require_own_access`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view
from hopeful.web.organizations.models import Role
from hopeful.web.webhooks import selectors, services
from hopeful.web.webhooks.delivery import MAX_ATTEMPTS
from hopeful.web.webhooks.forms import WebhookForm
from hopeful.web.webhooks.models import MAX_WEBHOOKS, Webhook
from hopeful.web.webhooks.services import WebhookError

ADMIN = (Role.ORG_ADMIN,)


def _base(access: Access) -> dict[str, Any]:
    return {
        "org_id": access.organization.public_id,
        "organization": access.organization,
        "can_change": not access.via_support,
    }


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _secret_page(
    request: HttpRequest, access: Access, webhook: Webhook, secret: str, *, created: bool
) -> HttpResponse:
    """The only page that ever shows the secret in full (never cached)."""
    context = {**_base(access), "webhook": webhook, "secret": secret, "created": created}
    return _no_store(render(request, "webhooks/secret.html", context))


def _detail(
    request: HttpRequest, access: Access, webhook: Webhook, *, error: str = "", status: int = 200
) -> HttpResponse:
    page = selectors.deliveries_page(
        access=access, webhook=webhook, page_number=request.GET.get("page")
    )
    context = {
        **_base(access),
        "webhook": webhook,
        "page": page,
        "error": error,
        "attempts": MAX_ATTEMPTS,
    }
    return _no_store(render(request, "webhooks/detail.html", context, status=status))


# ``org_view`` goes outermost, so an outsider gets the same 404 whatever the method.
@org_view(*ADMIN)
@require_http_methods(["GET", "POST"])
def webhook_list(request: HttpRequest, access: Access) -> HttpResponse:
    status = 200
    if request.method == "POST":
        access.require_own_access()
        form = WebhookForm(request.POST)
        if form.is_valid():
            try:
                webhook, secret = services.webhook_create(
                    access=access,
                    actor=request.user,
                    url=form.cleaned_data["url"],
                    description=form.cleaned_data["description"],
                )
            except WebhookError as refused:
                form.add_error("url", str(refused.message))
            else:
                return _secret_page(request, access, webhook, secret, created=True)
        status = 400
    else:
        form = WebhookForm()
    context = {
        **_base(access),
        "form": form,
        "webhooks": selectors.webhooks_for(access=access),
        "max_webhooks": MAX_WEBHOOKS,
    }
    return _no_store(render(request, "webhooks/list.html", context, status=status))


@org_view(*ADMIN)
@require_GET
def webhook_detail(request: HttpRequest, access: Access, webhook_id: Any) -> HttpResponse:
    webhook = selectors.webhook_for(access=access, public_id=webhook_id)
    return _detail(request, access, webhook)


@org_view(*ADMIN)
@require_POST
def webhook_test(request: HttpRequest, access: Access, webhook_id: Any) -> HttpResponse:
    access.require_own_access()
    webhook = selectors.webhook_for(access=access, public_id=webhook_id)
    try:
        services.webhook_test(actor=request.user, webhook=webhook)
    except WebhookError as refused:
        return _detail(request, access, webhook, error=str(refused.message), status=400)
    messages.success(
        request,
        _("A test message is queued. Reload this page in a moment to see the receiver's answer."),
    )
    return redirect("webhooks:detail", access.organization.public_id, webhook.public_id)


@org_view(*ADMIN)
@require_POST
def webhook_rotate(request: HttpRequest, access: Access, webhook_id: Any) -> HttpResponse:
    access.require_own_access()
    webhook = selectors.webhook_for(access=access, public_id=webhook_id)
    secret = services.webhook_rotate_secret(actor=request.user, webhook=webhook)
    return _secret_page(request, access, webhook, secret, created=False)


@org_view(*ADMIN)
@require_POST
def webhook_disable(request: HttpRequest, access: Access, webhook_id: Any) -> HttpResponse:
    access.require_own_access()
    webhook = selectors.webhook_for(access=access, public_id=webhook_id)
    services.webhook_disable(actor=request.user, webhook=webhook)
    messages.success(request, _("The webhook is turned off: nothing more is sent to it."))
    return redirect("webhooks:detail", access.organization.public_id, webhook.public_id)


@org_view(*ADMIN)
@require_POST
def webhook_enable(request: HttpRequest, access: Access, webhook_id: Any) -> HttpResponse:
    access.require_own_access()
    webhook = selectors.webhook_for(access=access, public_id=webhook_id)
    try:
        services.webhook_enable(actor=request.user, webhook=webhook)
    except WebhookError as refused:
        return _detail(request, access, webhook, error=str(refused.message), status=400)
    messages.success(request, _("The webhook is on again. New messages will be sent to it."))
    return redirect("webhooks:detail", access.organization.public_id, webhook.public_id)


@org_view(*ADMIN)
@require_http_methods(["GET", "POST"])
def webhook_delete(request: HttpRequest, access: Access, webhook_id: Any) -> HttpResponse:
    access.require_own_access()
    webhook = selectors.webhook_for(access=access, public_id=webhook_id)
    if request.method == "POST":
        services.webhook_delete(actor=request.user, webhook=webhook)
        messages.success(request, _("The webhook and its delivery log are deleted."))
        return redirect("webhooks:list", access.organization.public_id)
    context = {**_base(access), "webhook": webhook}
    return render(request, "webhooks/delete.html", context)


@org_view(*ADMIN)
@require_POST
def delivery_redeliver(
    request: HttpRequest, access: Access, webhook_id: Any, delivery_id: Any
) -> HttpResponse:
    access.require_own_access()
    webhook = selectors.webhook_for(access=access, public_id=webhook_id)
    found = selectors.delivery_for(access=access, webhook=webhook, public_id=delivery_id)
    try:
        services.delivery_redeliver(actor=request.user, delivery=found)
    except WebhookError as refused:
        return _detail(request, access, webhook, error=str(refused.message), status=400)
    messages.success(request, _("The message is queued to be sent again."))
    return redirect("webhooks:detail", access.organization.public_id, webhook.public_id)
