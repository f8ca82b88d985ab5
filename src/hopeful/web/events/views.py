"""The events' public pages (no sign-in): the list (upcoming, then past), an event's page
with its registration form, its calendar file, and the private page a registrant's emailed
link opens (their status, and a button to cancel). The feeds are in
:mod:`hopeful.web.events.feeds`, the staff's pages in :mod:`hopeful.web.events.views_staff`.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hopeful.web.cms.guard import guard_post
from hopeful.web.core.responses import private
from hopeful.web.events import selectors, services
from hopeful.web.events.forms import KindFilterForm, RegistrationForm
from hopeful.web.events.ics import event_calendar
from hopeful.web.events.models import Event
from hopeful.web.organizations.access import is_network_staff

#: The rate limit's name for the registration form (see :mod:`hopeful.web.cms.guard`).
FORM = "event-registration"


@login_not_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming published events (soonest first), then past ones; filterable by kind."""
    now = timezone.now()
    form = KindFilterForm(request.GET)
    kind = form.kind_value()
    upcoming, past = selectors.public_events(kind=kind, now=now)
    for event in [*upcoming, *past]:
        event.places_left = selectors.places_left(event)  # type: ignore[attr-defined]  # for the template
        event.availability = selectors.availability(event, now)  # type: ignore[attr-defined]  # for the template
    context = {"form": form, "upcoming": upcoming, "past": past, "filtered": bool(kind)}
    return render(request, "events/list.html", context)


def _detail(
    request: HttpRequest, event: Event, form: RegistrationForm | None, *, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    refusal = services.registration_refusal(event, now)
    context = {
        "event": event,
        "form": form if form is not None else (None if refusal else RegistrationForm()),
        "refusal": refusal,
        "places_left": selectors.places_left(event),
        "availability": selectors.availability(event, now),
    }
    return render(request, "events/detail.html", context, status=status)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An event's page; its form registers (a place, else the waitlist, said plainly)."""
    event = selectors.event_by_slug(slug, staff=is_network_staff(request.user))
    if request.method != "POST":
        return _detail(request, event, None)
    refusal = services.registration_refusal(event, timezone.now())
    if refusal is not None:
        return _detail(request, event, None, status=400)
    form = RegistrationForm(request.POST)
    status = guard_post(
        request,
        form,
        name=FORM,
        limited=_(
            "Too many registrations were sent from here just now. Please try again in "
            "%(n)d minutes."
        ),
    )
    if status is not None:
        return _detail(request, event, form, status=status)
    if form.is_spam:  # answered as if it had worked; nothing is kept
        outcome = services.Outcome.REGISTERED
    else:
        try:
            _registration, outcome = services.registration_create(
                event=event,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                organization=form.cleaned_data["organization"],
                language=get_language() or "en",
            )
        except services.EventError as error:
            form.add_error(None, str(error))
            return _detail(request, event, form, status=400)
    response = render(request, "events/registered.html", {"event": event, "outcome": outcome.value})
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@require_GET
def calendar_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """The event as a calendar file (public: never the meeting link)."""
    event = selectors.event_by_slug(slug, staff=is_network_staff(request.user))
    content = event_calendar(event, with_link=False, language=get_language() or "en")
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """A registrant's own page (the emailed link): status, waitlist position, the meeting
    link for a place, and a button to cancel. A token that is not current is 404."""
    registration = selectors.registration_by_token(token)
    if request.method == "POST":
        services.registration_cancel(registration=registration)
        return private(redirect(request.path))
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "position": selectors.waitlist_position(registration),
    }
    return private(render(request, "events/manage.html", context))
