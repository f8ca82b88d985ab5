"""Reading trainings: the public catalogue, one training's page, a learner's trainings, and
the staff's lists and rosters. Querysets come with what their pages show (no query per row).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hopeful.web.trainings.models import (
    HOLDS_PLACE,
    Attendance,
    Registration,
    RegistrationStatus,
    Training,
    TrainingSession,
    TrainingStatus,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

#: The filters of the public catalogue (query-string names).
FILTERS = ("track", "language", "mode", "state")


def person_name(user: Any) -> str:
    """A person's name as shown on pages (learner profile, else display name; never any part
    of the email address). Uses ``learner_profile`` when it was fetched with the user."""
    if user is None:
        return ""
    try:
        profile = user.learner_profile
    except ObjectDoesNotExist:
        profile = None
    if profile is not None and (profile.full_name or "").strip():
        return str(profile.full_name).strip()
    return str(user.display_name or "").strip()


class Counts(TypedDict):
    """What :func:`_with_counts` adds to each training."""

    first_start: dt.datetime | None
    last_end: dt.datetime | None
    places_taken: int
    waitlisted: int


def _with_counts(
    queryset: QuerySet[Training],
) -> QuerySet[WithAnnotations[Training, Counts]]:
    return queryset.annotate(
        first_start=Min("sessions__starts_at"),
        last_end=Max("sessions__ends_at"),
        places_taken=Count(
            "registrations",
            filter=Q(registrations__status__in=HOLDS_PLACE),
            distinct=True,
        ),
        waitlisted=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.WAITLISTED),
            distinct=True,
        ),
    )


def _sessions() -> Prefetch[Any]:
    return Prefetch("sessions", queryset=TrainingSession.objects.order_by("starts_at"))


def upcoming_trainings(
    *, filters: dict[str, str] | None = None, now: dt.datetime | None = None
) -> QuerySet[Training]:
    """Scheduled trainings whose first session is still ahead, soonest first, with their
    sessions, trainer and place counts. ``filters``: track, language, mode, state."""
    now = now or timezone.now()
    queryset = _with_counts(
        Training.objects.filter(status=TrainingStatus.SCHEDULED)
        .select_related("trainer", "trainer__learner_profile")
        .prefetch_related(_sessions())
    ).filter(first_start__gt=now)
    for name, value in (filters or {}).items():
        if name in FILTERS and value:
            queryset = queryset.filter(**{name: value})
    return queryset.order_by("first_start", "pk")


def training_get(public_id: Any) -> Training:
    """One training by public id (any status), or 404."""
    training = (
        _with_counts(Training.objects.filter(public_id=public_id))
        .select_related("trainer", "trainer__learner_profile", "course")
        .prefetch_related(_sessions())
        .first()
    )
    if training is None:
        raise Http404
    return training


def places_left(training: Training) -> int:
    """Free places (needs the ``places_taken`` annotation)."""
    return max(training.capacity - getattr(training, "places_taken", 0), 0)


def registration_of(*, training: Training, user: Any) -> Registration | None:
    """The person's active registration in the training, else their latest cancelled one."""
    if not getattr(user, "is_authenticated", False):
        return None
    registrations = Registration.objects.filter(training=training, user=user)
    active = registrations.exclude(status=RegistrationStatus.CANCELLED).first()
    return active or registrations.order_by("-created_at").first()


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person on the waitlist; None when not waitlisted."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        training=registration.training_id, status=RegistrationStatus.WAITLISTED
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def own_registration(*, user: Any, public_id: Any) -> Registration:
    """The person's own registration by public id, else 404 (also for other people's)."""
    registration = (
        Registration.objects.select_related("training")
        .filter(public_id=public_id, user=user)
        .first()
    )
    if registration is None:
        raise Http404
    return registration


@dataclasses.dataclass(frozen=True)
class SessionLine:
    session: TrainingSession
    present: bool | None  # None: attendance not taken (yet)


def attendance_lines(registration: Registration) -> list[SessionLine]:
    """Each session of the registration's training with whether the person was present."""
    marks = {a.session_id: a.present for a in Attendance.objects.filter(registration=registration)}
    return [
        SessionLine(session=s, present=marks.get(s.pk))
        for s in registration.training.sessions.order_by("starts_at")
    ]


def learner_registrations(*, user: Any) -> QuerySet[Registration]:
    """A person's registrations (every status), newest training first, with their trainings'
    sessions and their attendance."""
    return (
        Registration.objects.filter(user=user)
        .select_related("training", "training__course")
        .prefetch_related(
            Prefetch("training__sessions", queryset=TrainingSession.objects.order_by("starts_at")),
            "attendances",
        )
        .order_by("-created_at")
    )


def trainings_led(*, user: Any) -> QuerySet[Training]:
    """The trainings a person trains (for taking attendance), soonest first."""
    return (
        _with_counts(Training.objects.filter(trainer=user))
        .prefetch_related(_sessions())
        .order_by("-first_start", "pk")
    )


def staff_trainings() -> QuerySet[Training]:
    """Every training for the staff list, latest first, with counts."""
    return (
        _with_counts(Training.objects.all())
        .select_related("trainer", "trainer__learner_profile")
        .order_by("-first_start", "-pk")
    )


def roster(training: Training) -> QuerySet[Registration]:
    """Everyone who registered (every status), in waitlist order, with their attendance."""
    return (
        Registration.objects.filter(training=training)
        .select_related("user", "user__learner_profile")
        .prefetch_related("attendances")
        .order_by("created_at", "pk")
    )


def session_get(training: Training, public_id: Any) -> TrainingSession:
    session = TrainingSession.objects.filter(training=training, public_id=public_id).first()
    if session is None:
        raise Http404
    return session


def attendance_sheet(session: TrainingSession) -> list[tuple[Registration, bool | None]]:
    """The people holding a place, each with their mark for the session (None: not taken)."""
    marks = {a.registration_id: a.present for a in Attendance.objects.filter(session=session)}
    registrations = (
        Registration.objects.filter(training=session.training_id, status__in=HOLDS_PLACE)
        .select_related("user", "user__learner_profile")
        .order_by("created_at", "pk")
    )
    return [(r, marks.get(r.pk)) for r in registrations]
