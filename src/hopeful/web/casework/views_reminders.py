"""The reminders page: what is due for the signed-in person in this organization."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hopeful.web.casework import reminders
from hopeful.web.casework.models import Reminder
from hopeful.web.casework.selectors_reminders import reminder_rows
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view
from hopeful.web.organizations.models import Role

CASEWORK_ROLES = (Role.ORG_ADMIN, Role.PRACTITIONER)


@org_view(*CASEWORK_ROLES)
@require_http_methods(["GET", "POST"])
def reminder_list(request: HttpRequest, access: Access) -> HttpResponse:
    """The person's open reminders here, soonest first (made now too, so the page is current
    even before the daily run). A POST with ``done`` marks one of the person's own done."""
    if not request.user.is_authenticated:  # org_view lets only signed-in people in
        raise Http404
    if request.method == "POST":
        done = _uuid(request.POST.get("done"))
        reminder = (
            None
            if done is None
            else Reminder.objects.filter(
                organization=access.organization, user=request.user, public_id=done
            ).first()
        )
        if reminder is None:
            raise Http404
        reminders.reminder_done(reminder=reminder, actor=request.user)
        return redirect(reverse("casework:reminders", args=[access.organization.public_id]))
    today = timezone.localdate()
    reminders.reminders_make(today, organization=access.organization)
    rows = reminder_rows(access=access, user=request.user, today=today)
    return render(
        request,
        "casework/reminders.html",
        {"rows": rows, "org_id": access.organization.public_id},
    )


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
