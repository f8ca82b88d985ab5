"""Reading the audit trail: one organization's events, newest first, never another's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from hopeful.web.audit.models import AuditEvent
from hopeful.web.organizations.models import Organization


@dataclass(frozen=True, slots=True)
class AuditFilters:
    verb: str = ""
    actor_email: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    object_id: str = ""

    @property
    def is_filtered(self) -> bool:
        """Whether any filter narrows the events (an empty page then says so)."""
        return self != AuditFilters()


def audit_events(
    *, organization: Organization, filters: AuditFilters | None = None
) -> QuerySet[AuditEvent]:
    """The organization's audit events matching ``filters`` (newest first).

    Dates are inclusive calendar days in UTC, the time zone events are stored and shown in.
    """
    f = filters or AuditFilters()
    queryset = AuditEvent.objects.filter(organization=organization).select_related("actor")
    if f.verb:
        queryset = queryset.filter(verb=f.verb)
    if f.actor_email:
        queryset = queryset.filter(actor__email__iexact=f.actor_email)
    if f.date_from is not None:
        queryset = queryset.filter(created_at__date__gte=f.date_from)
    if f.date_to is not None:
        queryset = queryset.filter(created_at__date__lte=f.date_to)
    if f.object_id:
        queryset = queryset.filter(object_id=f.object_id)
    return queryset.order_by("-created_at", "-id")


def audit_verbs(*, organization: Organization) -> list[str]:
    """The verbs recorded for the organization, for the filter's choices."""
    return list(
        AuditEvent.objects.filter(organization=organization)
        .order_by("verb")
        .values_list("verb", flat=True)
        .distinct()
    )
