"""Reads for webhooks: the organization's webhooks, one by its public id (else 404), its
delivery log a page at a time."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404

from hopeful.web.organizations.access import Access
from hopeful.web.webhooks.models import Delivery, Webhook

#: Deliveries per page of the log.
DELIVERIES_PER_PAGE = 25


def _uuid_or_404(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise Http404 from None


def webhooks_for(*, access: Access) -> list[Webhook]:
    """The organization's webhooks, oldest first, each with its latest delivery's status and
    time (``last_status``, ``last_at``)."""
    latest = Delivery.objects.filter(
        organization=access.organization, webhook=OuterRef("pk")
    ).order_by("-created_at", "-id")
    return list(
        Webhook.objects.for_org(access.organization)
        .annotate(
            last_status=Subquery(latest.values("status")[:1]),
            last_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("created_at", "id")
    )


def webhook_for(*, access: Access, public_id: Any) -> Webhook:
    """One webhook of the organization; another organization's (or none) is 404."""
    webhook = (
        Webhook.objects.for_org(access.organization)
        .select_related("organization", "created_by")
        .filter(public_id=_uuid_or_404(public_id))
        .first()
    )
    if webhook is None:
        raise Http404
    return webhook


def delivery_for(*, access: Access, webhook: Webhook, public_id: Any) -> Delivery:
    """One delivery of the webhook (itself the organization's), else 404."""
    found = (
        Delivery.objects.for_org(access.organization)
        .filter(webhook=webhook, public_id=_uuid_or_404(public_id))
        .select_related("webhook", "webhook__organization")
        .first()
    )
    if found is None:
        raise Http404
    return found


def deliveries_page(*, access: Access, webhook: Webhook, page_number: Any) -> Page[Delivery]:
    """One page of the webhook's delivery log, newest first."""
    deliveries = (
        Delivery.objects.for_org(access.organization)
        .filter(webhook=webhook)
        .order_by("-created_at", "-id")
    )
    return Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(page_number)
