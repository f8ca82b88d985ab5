"""The network staff's training pages: the list, the training form with its sessions, the
roster (and its CSV export, audited), and the attendance sheet of a session.

Network staff only (others get 403), except the attendance sheet: a training's trainer takes
attendance for their own trainings, and anyone else gets 404 there.
"""

from __future__ import annotations

import csv
import io
import uuid
import zoneinfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hopeful.web.organizations.access import is_network_staff
from hopeful.web.organizations.decorators import network_staff_view
from hopeful.web.trainings import selectors, services
from hopeful.web.trainings.forms import SessionFormSet, TrainingForm, session_initial
from hopeful.web.trainings.models import Training, validate_time_zone


@require_GET
@network_staff_view
def staff_list(request: HttpRequest) -> HttpResponse:
    trainings = list(selectors.staff_trainings())
    for training in trainings:
        training.trainer_name = selectors.person_name(training.trainer)  # type: ignore[attr-defined]  # for the template
    return render(request, "trainings/staff/list.html", {"trainings": trainings})


def _zone_of(form: TrainingForm, training: Training | None) -> zoneinfo.ZoneInfo | None:
    """The time zone the sessions' times are entered in (the form's, as posted)."""
    name = form.data.get(form.add_prefix("time_zone")) or (training and training.time_zone)
    try:
        validate_time_zone(str(name))
    except ValidationError:  # the training form reports it
        return None
    return zoneinfo.ZoneInfo(str(name))


def _edit(request: HttpRequest, training: Training | None) -> HttpResponse:
    if request.method == "POST":
        form = TrainingForm(request.POST, instance=training)
        formset = SessionFormSet(request.POST, prefix="sessions")
        zone = _zone_of(form, training)
        if form.is_valid() and formset.is_valid() and zone is not None:
            specs = [f.spec(zone) for f in formset.forms if f.has_changed() or f.cleaned_data]
            if not any(s.starts_at for s in specs if not s.delete):
                formset.set_non_form_error(_("A training needs at least one session."))
            else:
                try:
                    saved = services.training_save(
                        training=training,
                        fields=form.training_fields(),
                        sessions=specs,
                        actor=request.user,
                    )
                except services.TrainingError as error:
                    formset.set_non_form_error(str(error))
                else:
                    messages.success(request, _("The training is saved."))
                    return redirect("trainings:staff_detail", public_id=saved.public_id)
        status = 400
    else:
        form = TrainingForm(instance=training)
        formset = SessionFormSet(
            prefix="sessions", initial=session_initial(training) if training else None
        )
        status = 200
    return render(
        request,
        "trainings/staff/edit.html",
        {"form": form, "formset": formset, "training": training},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@network_staff_view
def staff_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@require_http_methods(["GET", "HEAD", "POST"])
@network_staff_view
def staff_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    return _edit(request, selectors.training_get(public_id))


@require_GET
@network_staff_view
def staff_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The roster: everyone who registered, with status and attendance per session."""
    training = selectors.training_get(public_id)
    sessions = list(training.sessions.all())
    rows = []
    for registration in selectors.roster(training):
        marks = {a.session_id: a.present for a in registration.attendances.all()}
        rows.append(
            {
                "registration": registration,
                "name": selectors.person_name(registration.user),
                "marks": [marks.get(s.pk) for s in sessions],
            }
        )
    context = {
        "training": training,
        "sessions": sessions,
        "rows": rows,
        "places_left": selectors.places_left(training),
        "trainer_name": selectors.person_name(training.trainer),
    }
    return render(request, "trainings/staff/detail.html", context)


def _cell(value: object) -> str:
    """A CSV cell that spreadsheets do not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
@network_staff_view
def roster_csv(request: HttpRequest, public_id: str) -> HttpResponse:
    """The roster as CSV (names and email addresses: audited)."""
    training = selectors.training_get(public_id)
    sessions = list(training.sessions.all())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["name", "email", "status", "registered_at", "promoted_at", "cancelled_at"]
        + [f"session_{i}_present" for i in range(1, len(sessions) + 1)]
        + ["completed_at"]
    )
    cells: dict[bool | None, str] = {True: "yes", False: "no"}
    count = 0
    for registration in selectors.roster(training):
        marks = {a.session_id: a.present for a in registration.attendances.all()}
        writer.writerow(
            [
                _cell(selectors.person_name(registration.user)),
                _cell(registration.user.email),
                registration.status,
                registration.created_at.isoformat(),
                registration.promoted_at.isoformat() if registration.promoted_at else "",
                registration.cancelled_at.isoformat() if registration.cancelled_at else "",
            ]
            + [cells.get(marks.get(s.pk), "") for s in sessions]
            + [registration.completed_at.isoformat() if registration.completed_at else ""]
        )
        count += 1
    services.roster_export_audit(training=training, actor=request.user, rows=count)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="training-roster-{training.public_id}-{day}.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def attendance(request: HttpRequest, public_id: str, session_id: str) -> HttpResponse:
    """One session's attendance sheet: a checkbox per person holding a place, one POST.
    The trainer of the training or network staff; anyone else 404."""
    training = selectors.training_get(public_id)
    if not services.may_take_attendance(request.user, training):
        raise Http404
    session = selectors.session_get(training, session_id)
    error = None
    if request.method == "POST":
        present = []
        for value in request.POST.getlist("present"):
            try:
                present.append(uuid.UUID(value))
            except ValueError:
                error = _("The list names someone who does not hold a place.")
        if error is None:
            try:
                count = services.attendance_take(
                    session=session, present=present, actor=request.user
                )
            except services.TrainingError as refused:
                error = str(refused)
            else:
                messages.success(request, _("Attendance saved: %(n)d present.") % {"n": count})
                return redirect(request.path)
    context = {
        "training": training,
        "session": session,
        "sheet": [
            (registration, selectors.person_name(registration.user), mark)
            for registration, mark in selectors.attendance_sheet(session)
        ],
        "error": error,
        "started": session.starts_at <= timezone.now(),
        "is_staff": is_network_staff(request.user),
    }
    return render(request, "trainings/staff/attendance.html", context, status=400 if error else 200)
