"""The network staff's triage of presentation requests: the queue (counts per status, a
filter, newest first) and one request with its history and the steps it may take next.

Network staff only (everyone else, superusers and organization admins included, gets 403).
Every step is a POST, audited, and refused with a clear message (nothing changed) when it
does not follow the request's status.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from hopeful.web.organizations.decorators import network_staff_view
from hopeful.web.presentations import selectors, services
from hopeful.web.presentations.forms import (
    AssignForm,
    DeclineForm,
    NoteForm,
    QueueFilterForm,
    ScheduleForm,
)
from hopeful.web.presentations.models import EventKind, PresentationRequest, Status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PER_PAGE = 50

#: The form of each step (deliver needs none).
STEP_FORMS: dict[str, type[Form] | None] = {
    EventKind.ASSIGN: AssignForm,
    EventKind.SCHEDULE: ScheduleForm,
    EventKind.DELIVER: None,
    EventKind.DECLINE: DeclineForm,
    EventKind.NOTE: NoteForm,
}

DONE: dict[str, StrOrPromise] = {
    EventKind.ASSIGN: gettext_lazy(
        "The request is assigned; the requester and the trainer are emailed."
    ),
    EventKind.SCHEDULE: gettext_lazy("The request is scheduled; the requester is emailed."),
    EventKind.DELIVER: gettext_lazy(
        "The presentation is marked as delivered; the requester is emailed."
    ),
    EventKind.DECLINE: gettext_lazy(
        "The request is declined; the requester is emailed the reason."
    ),
    EventKind.NOTE: gettext_lazy("The note is saved."),
}


@require_GET
@network_staff_view
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    status = form.status_value() if request.GET else ""
    page = Paginator(selectors.queue(status), PER_PAGE).get_page(request.GET.get("page"))
    counts = selectors.status_counts()
    context = {
        "form": form,
        "status": status,
        "page": page,
        "counts": [(value, label, counts[value]) for value, label in Status.choices],
        "total": sum(counts.values()),
        "now": timezone.now(),
    }
    return render(request, "presentations/staff/queue.html", context)


def _context(item: PresentationRequest, forms: dict[str, Any], error: str = "") -> dict[str, Any]:
    steps = services.allowed_steps(item.status)
    suggestions = selectors.suggestions(item) if EventKind.ASSIGN in steps else []
    suggested = {s.listing.pk for s in suggestions}
    return {
        "item": item,
        "events": list(selectors.history(item)),
        "steps": steps,
        "suggestions": suggestions,
        "others": [
            listing
            for listing in (selectors.listed_choices() if EventKind.ASSIGN in steps else [])
            if listing.pk not in suggested
        ],
        "forms": forms,
        "error": error,
        "radius": selectors.SUGGESTION_RADIUS,
    }


def _blank_forms() -> dict[str, Any]:
    return {
        EventKind.ASSIGN: AssignForm(prefix="assign"),
        EventKind.SCHEDULE: ScheduleForm(prefix="schedule"),
        EventKind.DECLINE: DeclineForm(prefix="decline"),
        EventKind.NOTE: NoteForm(prefix="note"),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@network_staff_view
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    item = selectors.request_get(public_id)
    if item is None:
        raise Http404
    forms = _blank_forms()
    if request.method != "POST":
        return render(request, "presentations/staff/detail.html", _context(item, forms))
    kind = request.POST.get("action", "")
    if kind not in STEP_FORMS:
        return render(
            request,
            "presentations/staff/detail.html",
            _context(item, forms, _("Choose one of the buttons.")),
            status=400,
        )
    form_class = STEP_FORMS[kind]
    form = form_class(request.POST, prefix=kind) if form_class else None
    if form is not None:
        forms[kind] = form
        if not form.is_valid():
            return render(
                request, "presentations/staff/detail.html", _context(item, forms), status=400
            )
    data = form.cleaned_data if form is not None else {}
    listing = None
    if kind == EventKind.ASSIGN:
        listing = selectors.listed_get(data["listing"])
    try:
        services.request_step(
            request=item,
            kind=kind,
            actor=request.user,
            listing=listing,
            scheduled_for=form.when() if isinstance(form, ScheduleForm) else None,
            time_zone=data.get("time_zone", ""),
            reason=data.get("reason", ""),
            note=data.get("note", ""),
        )
    except services.PresentationError as refused:
        return render(
            request,
            "presentations/staff/detail.html",
            _context(item, forms, str(refused)),
            status=400,
        )
    messages.success(request, DONE[kind])
    return redirect("presentations:detail", public_id=item.public_id)
