"""The network staff's event pages: the list (with counts), the event form (times in the
event's zone), the roster (and its CSV export, audited), cancelling a registration, and
cancelling the event (everyone registered or waiting is emailed). Network staff only:
anyone else gets 403, signed-out visitors are sent to sign in."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hopeful.web.events import selectors, services
from hopeful.web.events.forms import EventForm
from hopeful.web.events.models import Event
from hopeful.web.insights.exports import csv_bytes
from hopeful.web.organizations.decorators import network_staff_view


@require_GET
@network_staff_view
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(request, "events/staff/list.html", {"events": list(selectors.staff_events())})


def _edit(request: HttpRequest, event: Event | None) -> HttpResponse:
    if request.method == "POST":
        form = EventForm(request.POST, instance=event)
        if form.is_valid():
            try:
                saved = services.event_save(
                    event=event, fields=form.event_fields(), actor=request.user
                )
            except services.EventError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The event is saved."))
                return redirect("events:staff_detail", public_id=saved.public_id)
        status = 400
    else:
        form = EventForm(instance=event)
        status = 200
    return render(request, "events/staff/edit.html", {"form": form, "event": event}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@network_staff_view
def staff_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@require_http_methods(["GET", "HEAD", "POST"])
@network_staff_view
def staff_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    return _edit(request, selectors.event_get(public_id))


@require_GET
@network_staff_view
def staff_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The roster: everyone who registered, with their status, in waitlist order."""
    event = selectors.event_get(public_id)
    context = {
        "event": event,
        "rows": list(selectors.roster(event)),
        "places_left": selectors.places_left(event),
    }
    return render(request, "events/staff/detail.html", context)


@require_POST
@network_staff_view
def staff_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    """Cancel the event; everyone registered or waiting is emailed."""
    event = selectors.event_get(public_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the event is cancelled."))
        return redirect("events:staff_detail", public_id=event.public_id)
    told = services.event_cancel(event=event, actor=request.user)
    messages.success(
        request,
        _("The event is cancelled; %(n)d people are being emailed.") % {"n": told},
    )
    return redirect("events:staff_detail", public_id=event.public_id)


@require_POST
@network_staff_view
def registration_cancel(request: HttpRequest, public_id: str, registration_id: str) -> HttpResponse:
    """Cancel one registration (a freed place goes to the first person waiting)."""
    event = selectors.event_get(public_id)
    registration = selectors.registration_of_event(event, registration_id)
    services.registration_cancel(registration=registration, actor=request.user)
    messages.success(request, _("The registration is cancelled."))
    return redirect("events:staff_detail", public_id=event.public_id)


@require_GET
@network_staff_view
def roster_csv(request: HttpRequest, public_id: str) -> HttpResponse:
    """The roster as CSV (names and email addresses: audited); no cell runs as a formula."""
    event = selectors.event_get(public_id)
    header = ["name", "email", "organization", "status", "language", "registered_at"]
    header += ["promoted_at", "cancelled_at"]
    rows = [
        [
            r.name,
            r.email,
            r.organization,
            r.status,
            r.language,
            r.created_at.isoformat(),
            r.promoted_at.isoformat() if r.promoted_at else "",
            r.cancelled_at.isoformat() if r.cancelled_at else "",
        ]
        for r in selectors.roster(event)
    ]
    services.roster_export_audit(event=event, actor=request.user, rows=len(rows))
    response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="event-roster-{event.slug}-{day}.csv"'
    return response
