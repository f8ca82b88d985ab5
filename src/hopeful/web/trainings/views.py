"""The trainings' public and learner pages.

Public (no sign-in): the catalogue of upcoming trainings, a training's page, and its calendar
file. Signed in: register, cancel one's own registration (someone else's is 404), and "my
trainings". Opening "my trainings" or a training's page also completes the trainings whose
course quiz the learner has passed since (the learning app cannot call back into this one).
The staff's pages are in :mod:`hopeful.web.trainings.views_staff`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hopeful.web.learning.selectors import course_completion
from hopeful.web.trainings import selectors, services
from hopeful.web.trainings.forms import CatalogueFilterForm
from hopeful.web.trainings.ics import training_calendar
from hopeful.web.trainings.models import HOLDS_PLACE, RegistrationStatus


@login_not_required
@require_GET
def training_list(request: HttpRequest) -> HttpResponse:
    """The catalogue of upcoming trainings, filterable by track, language, mode and state."""
    form = CatalogueFilterForm(request.GET)
    trainings = list(selectors.upcoming_trainings(filters=form.filters()))
    for training in trainings:
        training.places_left = selectors.places_left(training)  # type: ignore[attr-defined]  # for the template
        training.trainer_name = selectors.person_name(training.trainer)  # type: ignore[attr-defined]  # for the template
    return render(
        request,
        "trainings/list.html",
        {"form": form, "trainings": trainings, "filtered": bool(form.filters())},
    )


@login_not_required
@require_GET
def training_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """A training's page: its sessions, places, and for a registered learner their status,
    waitlist position, attendance and course."""
    training = selectors.training_get(public_id)
    user = request.user
    if user.is_authenticated:
        services.training_completion_check(user=user)
    registration = selectors.registration_of(training=training, user=user)
    context = {
        "training": training,
        "trainer_name": selectors.person_name(training.trainer),
        "places_left": selectors.places_left(training),
        "registration": registration,
        "refusal": services.registration_refusal(training, timezone.now()),
        "may_take_attendance": services.may_take_attendance(user, training),
        "lines": [selectors.SessionLine(s, None) for s in training.sessions.all()],
    }
    if registration is not None and registration.is_active:
        context["position"] = selectors.waitlist_position(registration)
        context["holds_place"] = registration.status in HOLDS_PLACE
        if context["holds_place"]:
            context["lines"] = selectors.attendance_lines(registration)
            context["show_attendance"] = True
        if training.course is not None:
            context["course_passed"] = (
                course_completion(user=user, course=training.course) is not None
            )
    return render(request, "trainings/detail.html", context)


@require_POST
def training_register(request: HttpRequest, public_id: str) -> HttpResponse:
    """Register (or join the waitlist). Registering twice changes nothing."""
    training = selectors.training_get(public_id)
    try:
        registration = services.registration_create(training=training, user=request.user)
    except services.TrainingError as error:
        messages.error(request, str(error))
        return redirect("trainings:detail", public_id=training.public_id)
    if registration.status == RegistrationStatus.WAITLISTED:
        messages.success(request, _("The training is full: you are on the waitlist."))
    else:
        messages.success(request, _("You are registered. A confirmation email is on its way."))
    return redirect("trainings:detail", public_id=training.public_id)


@require_POST
def registration_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    """Cancel one's own registration or place on the waitlist (others' are 404)."""
    registration = selectors.own_registration(user=request.user, public_id=public_id)
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except services.TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("trainings:detail", public_id=registration.training.public_id)


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The learner's registrations and completions, and the trainings they train."""
    completed = services.training_completion_check(user=request.user)
    for registration in completed:
        messages.success(
            request,
            _("You completed the training “%(title)s”.") % {"title": registration.training.title},
        )
    registrations = list(selectors.learner_registrations(user=request.user))
    for registration in registrations:
        sessions = list(registration.training.sessions.all())
        present = {a.session_id for a in registration.attendances.all() if a.present}
        registration.attended = sum(1 for s in sessions if s.pk in present)  # type: ignore[attr-defined]  # for the template
        registration.session_count = len(sessions)  # type: ignore[attr-defined]  # for the template
        registration.first_session = sessions[0] if sessions else None  # type: ignore[attr-defined]  # for the template
    led = list(selectors.trainings_led(user=request.user))
    return render(request, "trainings/mine.html", {"registrations": registrations, "led": led})


@login_not_required
@require_GET
def calendar_ics(request: HttpRequest, public_id: str) -> HttpResponse:
    """The training's sessions as a calendar file; the meeting link only for people holding a
    place, the trainer and staff."""
    training = selectors.training_get(public_id)
    registration = selectors.registration_of(training=training, user=request.user)
    with_link = services.may_take_attendance(request.user, training) or (
        registration is not None and registration.status in HOLDS_PLACE
    )
    content = training_calendar(training, with_link=with_link, language=get_language() or "en")
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-{training.public_id}.ics"'
    if with_link:
        response["Cache-Control"] = "private, no-store"
    return response
