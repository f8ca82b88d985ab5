"""The audit log of one organization, for its org admins."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from hopeful.web.audit.selectors import AuditFilters, audit_events, audit_verbs
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view
from hopeful.web.organizations.models import Role
from hopeful.web.organizations.selectors import page_url

EVENTS_PER_PAGE = 50


class AuditFilterForm(forms.Form):
    verb = forms.ChoiceField(label=_("Action"), required=False)
    actor_email = forms.EmailField(label=_("Person (email)"), required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)

    def __init__(self, *args: Any, verbs: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["verb"]).choices = [
            ("", _("Any action")),
            *((v, v) for v in verbs),
        ]

    def filters(self) -> AuditFilters:
        """The valid filters (an invalid one is reported on the form and left out)."""
        if not self.is_bound:
            return AuditFilters()
        self.is_valid()
        data = self.cleaned_data
        return AuditFilters(
            verb=data.get("verb") or "",
            actor_email=data.get("actor_email") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            object_id=(data.get("object_id") or "").strip(),
        )


@org_view(Role.ORG_ADMIN)
@require_GET
def event_list(request: HttpRequest, access: Access) -> HttpResponse:
    organization = access.organization
    form = AuditFilterForm(request.GET or None, verbs=audit_verbs(organization=organization))
    filters = form.filters()
    events = audit_events(organization=organization, filters=filters)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "org_id": organization.public_id,
        "organization": organization,
        # for an empty page: filters that match nothing can be cleared; with none, the
        # members page is where who sees family records is decided
        "filtered": filters.is_filtered,
        "clear_url": reverse("audit:events", kwargs={"org_id": organization.public_id}),
        "members_url": page_url(access, "organizations:members"),
    }
    return render(request, "audit/event_list.html", context)
