"""Writing trainings: registration with a waitlist, cancellation with automatic promotion,
attendance, completion (continuing-education hours and the certification a training awards),
the staff's edits, and the reminders to queue.

Capacity is never exceeded, also when two people take the last place at the same moment:
every change to who holds a place locks the training row (``select_for_update``) and counts
inside the lock (on SQLite the database's single write lock serializes the same way).

Emails are never sent here: they are queued ``on_commit`` for the background worker
(:mod:`hopeful.web.trainings.tasks`), which reads the rows again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hopeful.framework.certification import Tier
from hopeful.web.audit.services import audit_record
from hopeful.web.certification import selectors as certification_selectors
from hopeful.web.certification import services as certification_services
from hopeful.web.certification.services import CertificationError
from hopeful.web.learning import selectors as learning_selectors
from hopeful.web.learning import services as learning_services
from hopeful.web.organizations.access import is_network_staff
from hopeful.web.trainings import places, tasks
from hopeful.web.trainings.models import (
    HOLDS_PLACE,
    Attendance,
    Registration,
    RegistrationStatus,
    SessionReminder,
    Track,
    Training,
    TrainingSession,
    TrainingStatus,
)

logger = logging.getLogger(__name__)

#: How long before a session its reminder goes out.
REMINDER_BEFORE = dt.timedelta(days=1)


class TrainingError(ValueError):
    """A refused request, with a message to show the person as it is."""


def _lock(training: Training) -> Training:
    return Training.objects.select_for_update().get(pk=training.pk)


def first_start(training: Training) -> dt.datetime | None:
    session = training.sessions.order_by("starts_at").first()
    return session.starts_at if session else None


def registration_refusal(training: Training, now: dt.datetime) -> str | None:
    """Why a new registration for ``training`` is refused now, or None when it is open."""
    if training.status == TrainingStatus.CANCELLED:
        return _("This training was cancelled.")
    if not training.registration_open:
        return _("Registration for this training is closed.")
    start = first_start(training)
    if start is None:
        return _("This training has no sessions scheduled yet.")
    if start <= now:
        return _("This training has already started: registration is closed.")
    return None


def _places_taken(training: Training) -> int:
    return Registration.objects.filter(training=training, status__in=HOLDS_PLACE).count()


def _queue(send: Any, registration_id: int) -> None:
    transaction.on_commit(lambda: send.enqueue(registration_id))


@transaction.atomic
def registration_create(
    *, training: Training, user: Any, now: dt.datetime | None = None
) -> Registration:
    """Register ``user``: a place when one is free, else the waitlist; never over capacity.
    Registering again returns the active registration unchanged. Raises
    :class:`TrainingError` when the training is cancelled, closed or already started."""
    now = now or timezone.now()
    locked = _lock(training)
    existing = (
        Registration.objects.filter(training=locked, user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )
    if existing is not None:
        return existing
    refusal = registration_refusal(locked, now)
    if refusal is not None:
        raise TrainingError(refusal)
    registration = Registration.objects.create(
        training=locked,
        user=user,
        status=places.new_status(locked.capacity, _places_taken(locked)),
        created_at=now,
    )
    audit_record(
        verb="training.register",
        actor=user,
        organization=None,
        obj=registration,
        extra={"training": str(locked.public_id), "status": registration.status},
    )
    _queue(tasks.send_confirmation, registration.pk)
    return registration


def _promote(training: Training, now: dt.datetime) -> list[Registration]:
    """Give free places to the waitlist, first come first served (the training is locked).
    Nobody is promoted once the training has started or when it is cancelled."""
    start = first_start(training)
    if training.is_cancelled or start is None or start <= now:
        return []
    return places.promote(
        Registration.objects.filter(
            training=training, status=RegistrationStatus.WAITLISTED
        ).order_by("created_at", "pk"),
        free=places.free_places(training.capacity, _places_taken(training)),
        now=now,
        verb="training.promote",
        extra={"training": str(training.public_id)},
        send=lambda registration_id: _queue(tasks.send_promotion, registration_id),
    )


@transaction.atomic
def registration_cancel(
    *, registration: Registration, actor: Any, now: dt.datetime | None = None
) -> Registration:
    """Cancel a registration (or a place on the waitlist). A freed place goes to the first
    person on the waitlist at once, who is emailed. Cancelling twice changes nothing; a
    completed training cannot be cancelled."""
    now = now or timezone.now()
    training = _lock(registration.training)
    current = Registration.objects.get(pk=registration.pk)
    if current.status == RegistrationStatus.CANCELLED:
        return current
    if current.status == RegistrationStatus.COMPLETED:
        raise TrainingError(_("A completed training cannot be cancelled."))
    current.status = RegistrationStatus.CANCELLED
    current.cancelled_at = now
    current.save(update_fields=["status", "cancelled_at"])
    audit_record(
        verb="training.cancel_registration",
        actor=actor,
        organization=None,
        obj=current,
        extra={"training": str(training.public_id)},
    )
    _promote(training, now)
    return current


# -- attendance and completion -----------------------------------------------------------------


def may_take_attendance(user: Any, training: Training) -> bool:
    """The training's trainer and network staff take attendance."""
    if is_network_staff(user):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and training.trainer_id is not None
        and training.trainer_id == user.pk
    )


@transaction.atomic
def attendance_mark(
    *,
    session: TrainingSession,
    registration: Registration,
    present: bool,
    actor: Any,
    now: dt.datetime | None = None,
) -> Attendance:
    """Record whether a registered person was at a session (marking again overwrites), then
    check whether they completed the training. Trainer or network staff only."""
    now = now or timezone.now()
    training = session.training
    if not may_take_attendance(actor, training):
        raise PermissionDenied
    if registration.training_id != training.pk or registration.status not in HOLDS_PLACE:
        raise TrainingError(_("This person does not hold a place in this training."))
    if session.starts_at > now:
        raise TrainingError(_("Attendance can be taken once the session has started."))
    attendance, _created = Attendance.objects.update_or_create(
        session=session,
        registration=registration,
        defaults={"present": present, "marked_by": actor, "marked_at": now},
    )
    audit_record(
        verb="training.attendance",
        actor=actor,
        organization=None,
        obj=registration,
        extra={"session": str(session.public_id), "present": present},
    )
    _completion_check(Registration.objects.select_for_update().get(pk=registration.pk), now)
    return attendance


@transaction.atomic
def attendance_take(
    *,
    session: TrainingSession,
    present: Iterable[uuid.UUID],
    actor: Any,
    now: dt.datetime | None = None,
) -> int:
    """The attendance sheet of a session in one go: the people in ``present`` (registration
    public ids) were there, every other person holding a place was not. Returns how many
    were marked present."""
    now = now or timezone.now()
    if not may_take_attendance(actor, session.training):
        raise PermissionDenied
    present_ids = set(present)
    registrations = Registration.objects.filter(
        training=session.training_id, status__in=HOLDS_PLACE
    )
    unknown = present_ids - {r.public_id for r in registrations}
    if unknown:
        raise TrainingError(_("The list names someone who does not hold a place."))
    count = 0
    for registration in registrations:
        here = registration.public_id in present_ids
        attendance_mark(
            session=session, registration=registration, present=here, actor=actor, now=now
        )
        count += here
    return count


def _attended_all(registration: Registration) -> bool:
    sessions = registration.training.sessions.count()
    present = Attendance.objects.filter(registration=registration, present=True).count()
    return sessions > 0 and present >= sessions


def _course_passed(registration: Registration) -> bool:
    course = registration.training.course
    if course is None:
        return True
    return learning_selectors.course_completion(user=registration.user, course=course) is not None


def _award(registration: Registration, actor: Any) -> None:
    """Award the training's certification tier; a refusal (for example a Champion training
    completed without a valid Facilitator certification) is kept on the registration for
    staff to see, and tried again by the periodic check, instead of undoing the completion."""
    training = registration.training
    try:
        with transaction.atomic():
            certification_services.certification_award_from_training(
                user=registration.user,
                tier=Tier(training.tier_awarded),
                evidence={
                    "training": str(training.public_id),
                    "registration": str(registration.public_id),
                    "title": training.title,
                    "completed_at": registration.completed_at.isoformat()
                    if registration.completed_at
                    else "",
                },
                actor=actor,
            )
    except CertificationError as error:
        message = str(error)[:500] or error.__class__.__name__
        logger.warning("certification not awarded for %s: %s", registration.public_id, message)
        if registration.award_error != message:
            registration.award_error = message
            registration.save(update_fields=["award_error"])
        return
    if registration.award_error:
        registration.award_error = ""
        registration.save(update_fields=["award_error"])


def _completion_check(
    registration: Registration, now: dt.datetime, actor: Any = None
) -> Registration | None:
    """Complete the registration when every session was attended and the course (if any)
    is passed: continuing-education hours, then the certification. Returns it when it was
    completed now."""
    if registration.status == RegistrationStatus.COMPLETED and registration.award_error:
        _award(registration, actor)  # a refused award is tried again
        return None
    if registration.status != RegistrationStatus.REGISTERED:
        return None
    if not _attended_all(registration) or not _course_passed(registration):
        return None
    training = registration.training
    registration.status = RegistrationStatus.COMPLETED
    registration.completed_at = now
    registration.save(update_fields=["status", "completed_at"])
    audit_record(
        verb="training.complete",
        actor=actor,
        organization=None,
        obj=registration,
        extra={"training": str(training.public_id)},
    )
    if training.ce_hours > Decimal(0):
        learning_services.ce_record_add(
            user=registration.user,
            title=training.title,
            hours=training.ce_hours,
            source="training",
            source_ref=str(training.public_id),
            earned_at=now,
        )
    if training.tier_awarded:
        _award(registration, actor)
    return registration


@transaction.atomic
def training_completion_check(*, user: Any, now: dt.datetime | None = None) -> list[Registration]:
    """Check every active registration of ``user`` for completion (after they pass a
    course's quiz). Returns the registrations completed now."""
    now = now or timezone.now()
    # Cheap first: only registrations present at every session (or awaiting a retried
    # award) are locked and checked; the page that calls this stays a few queries.
    candidates = [
        r.pk
        for r in Registration.objects.filter(user=user, status__in=HOLDS_PLACE).annotate(
            sessions_total=Count("training__sessions", distinct=True),
            sessions_present=Count(
                "attendances", filter=Q(attendances__present=True), distinct=True
            ),
        )
        if (r.status == RegistrationStatus.COMPLETED and r.award_error)
        or (
            r.status == RegistrationStatus.REGISTERED and 0 < r.sessions_total <= r.sessions_present
        )
    ]
    if not candidates:
        return []
    registrations = (
        Registration.objects.select_for_update(of=("self",))
        .filter(pk__in=candidates)
        .select_related("training", "training__course", "user")
    )
    done = []
    for registration in registrations:
        completed = _completion_check(registration, now)
        if completed is not None:
            done.append(completed)
    return done


def completions_check_all(*, now: dt.datetime | None = None) -> int:
    """The periodic check: everyone who attended every session (and may have passed the
    quiz since), and completed registrations whose certification was refused. Returns how
    many completed now."""
    now = now or timezone.now()
    users = set(
        Registration.objects.filter(status=RegistrationStatus.REGISTERED)
        .filter(attendances__present=True)
        .values_list("user_id", flat=True)
        .distinct()
    ) | set(
        Registration.objects.filter(status=RegistrationStatus.COMPLETED)
        .exclude(award_error="")
        .values_list("user_id", flat=True)
    )
    done = 0
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.filter(pk__in=users):
        done += len(training_completion_check(user=user, now=now))
    return done


# -- reminders -----------------------------------------------------------------------------------


def reminders_queue(*, now: dt.datetime | None = None) -> int:
    """Queue a reminder for each person holding a place in a session that starts within a
    day, once (a :class:`SessionReminder` row is written first). People who registered or
    were promoted inside that day are skipped: their confirmation just told them. Returns how
    many were queued."""
    now = now or timezone.now()
    sessions = TrainingSession.objects.filter(
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_BEFORE,
        training__status=TrainingStatus.SCHEDULED,
    )
    queued = 0
    for session in sessions:
        window_opened = session.starts_at - REMINDER_BEFORE
        registrations = Registration.objects.filter(
            training=session.training_id, status=RegistrationStatus.REGISTERED
        )
        for registration in registrations:
            joined = registration.promoted_at or registration.created_at
            if joined >= window_opened:
                continue
            try:
                with transaction.atomic():
                    reminder = SessionReminder.objects.create(
                        session=session, registration=registration, queued_at=now
                    )
                    reminder_id = reminder.pk
                    transaction.on_commit(
                        functools.partial(tasks.send_reminder.enqueue, reminder_id)
                    )
            except IntegrityError:  # already reminded
                continue
            queued += 1
    return queued


# -- staff edits ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SessionSpec:
    """One row of the sessions formset: an existing session (``public_id``) or a new one."""

    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    public_id: uuid.UUID | None = None
    delete: bool = False


TRAINING_FIELDS = (
    "title",
    "description",
    "track",
    "tier_awarded",
    "trainer",
    "language",
    "mode",
    "time_zone",
    "state",
    "location",
    "meeting_url",
    "capacity",
    "course",
    "ce_hours",
    "status",
    "registration_open",
)


@transaction.atomic
def training_save(
    *,
    training: Training | None,
    fields: dict[str, Any],
    sessions: list[SessionSpec],
    actor: Any,
    now: dt.datetime | None = None,
) -> Training:
    """Create or update a training and its sessions (network staff only). Sessions with
    attendance taken cannot be removed. A larger capacity promotes people from the
    waitlist at once."""
    now = now or timezone.now()
    if not is_network_staff(actor):
        raise PermissionDenied
    creating = training is None
    training = Training() if training is None else _lock(training)
    for name in TRAINING_FIELDS:
        if name in fields:
            setattr(training, name, fields[name])
    if (
        training.track == Track.INTRODUCTION
        and training.trainer is not None
        and not certification_selectors.holds_valid(
            user=training.trainer, tier=Tier.FACILITATOR, now=now
        )
    ):
        # presenting Introduction to HOPE is what the Facilitator certification allows
        raise TrainingError(
            _("The Introduction to HOPE is presented by a certified HOPE Facilitator.")
        )
    training.full_clean()
    training.save()

    existing = {s.public_id: s for s in training.sessions.all()}
    kept: list[TrainingSession] = []
    for spec in sessions:
        session = existing.get(spec.public_id) if spec.public_id else None
        if spec.public_id and session is None:
            raise TrainingError(_("A session of the form is not a session of this training."))
        if spec.delete:
            if session is not None:
                if Attendance.objects.filter(session=session).exists():
                    raise TrainingError(_("A session with attendance taken cannot be removed."))
                session.delete()
            continue
        if spec.starts_at is None or spec.ends_at is None:
            continue
        if spec.ends_at <= spec.starts_at:
            raise TrainingError(_("A session must end after it starts."))
        session = session or TrainingSession(training=training)
        session.starts_at, session.ends_at = spec.starts_at, spec.ends_at
        kept.append(session)
    kept.sort(key=lambda s: s.starts_at)
    for order, session in enumerate(kept, start=1):
        session.order = order
        session.save()

    audit_record(
        verb="training.create" if creating else "training.update",
        actor=actor,
        organization=None,
        obj=training,
        extra={"fields": sorted(fields), "sessions": len(kept)},
    )
    _promote(training, now)
    return training


@transaction.atomic
def roster_export_audit(*, training: Training, actor: Any, rows: int) -> None:
    """Record a download of a training's roster (names and emails)."""
    audit_record(
        verb="training.roster_export",
        actor=actor,
        organization=None,
        obj=training,
        extra={"rows": rows},
    )
