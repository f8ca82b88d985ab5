"""Writing presentation requests: a request sent from the public form, and the staff's
triage steps, each one locked, checked against :data:`TRANSITIONS`, recorded in the
request's history, audited and (but for notes) emailed to the requester.

:data:`TRANSITIONS` is the one place that says which step may follow which status. Every
step locks the request's row (``select_for_update``) and checks its status inside the lock,
so two staff members acting at once cannot both move it. Emails are queued ``on_commit`` for
the background worker (:mod:`hopeful.web.presentations.tasks`), which reads the rows again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hopeful import geo
from hopeful.web.audit.services import audit_record
from hopeful.web.directory.models import Listing
from hopeful.web.directory.rules import listed
from hopeful.web.presentations import tasks
from hopeful.web.presentations.models import (
    EventKind,
    PresentationRequest,
    PresentationRequestEvent,
    Status,
)


class PresentationError(ValueError):
    """A refused step, with a message to show staff as it is."""


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    #: The status after the step (None: unchanged, as for a note).
    target: str | None


#: The only rule of which step may follow which status.
TRANSITIONS: dict[str, Transition] = {
    EventKind.ASSIGN: Transition(frozenset({Status.NEW, Status.ASSIGNED}), Status.ASSIGNED),
    EventKind.SCHEDULE: Transition(
        frozenset({Status.ASSIGNED, Status.SCHEDULED}), Status.SCHEDULED
    ),
    EventKind.DELIVER: Transition(frozenset({Status.SCHEDULED}), Status.DELIVERED),
    EventKind.DECLINE: Transition(
        frozenset({Status.NEW, Status.ASSIGNED, Status.SCHEDULED}), Status.DECLINED
    ),
    EventKind.NOTE: Transition(frozenset(Status.values), None),
}

#: Steps the requester is emailed about.
EMAILED = frozenset({EventKind.ASSIGN, EventKind.SCHEDULE, EventKind.DELIVER, EventKind.DECLINE})


def allowed_steps(status: str) -> list[str]:
    """The steps that may follow ``status``, in the table's order."""
    return [kind for kind, rule in TRANSITIONS.items() if status in rule.sources]


#: Fields of the public form that :func:`request_create` stores as they are.
REQUEST_FIELDS = (
    "requester_name",
    "requester_email",
    "organization_name",
    "role_title",
    "audience",
    "audience_size",
    "preferred_dates",
    "earliest_date",
    "latest_date",
    "modality",
    "language",
    "topic",
    "details",
)


@transaction.atomic
def request_create(
    *,
    fields: dict[str, Any],
    place: geo.Place | None,
    wished: Listing | None,
    requester_language: str,
    now: dt.datetime | None = None,
) -> PresentationRequest:
    """Store a request from the public form (already validated) and queue the requester's
    confirmation email."""
    now = now or timezone.now()
    request = PresentationRequest(
        **{name: fields[name] for name in REQUEST_FIELDS if name in fields},
        requester_language=requester_language or "en",
        wished_listing=wished,
        created_at=now,
    )
    if place is not None:
        request.zip_code, request.city, request.state = place.zip_code, place.city, place.state
        request.latitude, request.longitude = place.latitude, place.longitude
    request.full_clean()
    request.save()
    PresentationRequestEvent.objects.create(
        request=request, kind=EventKind.SUBMIT, to_status=Status.NEW, at=now
    )
    audit_record(
        verb="presentations.request",
        actor=None,
        organization=None,
        obj=request,
        extra={"to": Status.NEW.value, "modality": request.modality},
    )
    request_id = request.pk
    transaction.on_commit(lambda: tasks.send_confirmation.enqueue(request_id))
    return request


def _refusal(kind: str, status: str) -> str:
    messages: dict[str, str] = {
        EventKind.ASSIGN: _("Only a new or assigned request can be assigned to a trainer."),
        EventKind.SCHEDULE: _("Only a request assigned to a trainer can be scheduled."),
        EventKind.DELIVER: _("Only a scheduled request can be marked as delivered."),
        EventKind.DECLINE: _("A delivered or declined request cannot be declined."),
    }
    return messages.get(kind, _("This step is not possible now."))


@transaction.atomic
def request_step(
    *,
    request: PresentationRequest,
    kind: str,
    actor: Any,
    listing: Listing | None = None,
    scheduled_for: dt.datetime | None = None,
    time_zone: str = "",
    reason: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> PresentationRequest:
    """Take one triage step (``assign`` needs a listed ``listing``, ``schedule`` a date and
    time, ``decline`` a reason for the requester, ``note`` its text). Raises
    :class:`PresentationError`, with nothing changed, when the step does not follow the
    request's status or misses what it needs."""
    now = now or timezone.now()
    rule = TRANSITIONS.get(kind)
    if rule is None:
        raise PresentationError(_("Choose one of the buttons."))
    locked = PresentationRequest.objects.select_for_update().get(pk=request.pk)
    before = locked.status
    if before not in rule.sources:
        raise PresentationError(_refusal(kind, before))
    extra: dict[str, Any] = {}
    reason, note = reason.strip(), note.strip()
    if kind == EventKind.ASSIGN:
        if listing is None or not listed(timezone.localdate(now)).filter(pk=listing.pk).exists():
            raise PresentationError(_("Choose a trainer who is listed in the directory."))
        locked.assigned_listing = listing
        locked.assigned_by = actor if getattr(actor, "is_authenticated", False) else None
        extra["listing"] = str(listing.public_id)
    elif kind == EventKind.SCHEDULE:
        if scheduled_for is None:
            raise PresentationError(_("Give the date and time of the presentation."))
        locked.scheduled_for = scheduled_for
        locked.time_zone = time_zone or str(getattr(scheduled_for.tzinfo, "key", "UTC"))
        extra["scheduled_for"] = scheduled_for.isoformat()
    elif kind == EventKind.DECLINE:
        if not reason:
            raise PresentationError(_("Give the reason: the requester is told it."))
        locked.decline_reason = reason
    elif kind == EventKind.NOTE and not note:
        raise PresentationError(_("Write the note."))
    after = rule.target or before
    locked.status = after
    locked.save()
    event = PresentationRequestEvent.objects.create(
        request=locked,
        kind=kind,
        from_status=before,
        to_status=after,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=reason if kind == EventKind.DECLINE else note,
        at=now,
    )
    audit_record(
        verb=f"presentations.{kind}",
        actor=actor,
        organization=None,
        obj=locked,
        extra={"from": before, "to": after, **extra},
    )
    event_id = event.pk
    if kind in EMAILED:
        transaction.on_commit(lambda: tasks.send_requester_update.enqueue(event_id))
    if kind == EventKind.ASSIGN:
        transaction.on_commit(lambda: tasks.send_trainer_assignment.enqueue(event_id))
    return locked
