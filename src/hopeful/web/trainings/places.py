"""The rule of places, for trainings and for events (:mod:`hopeful.web.events`): a new
registration takes a place while one is free, and never goes over the capacity; otherwise it
waits. A freed place goes at once to the first person waiting, first come first served.

Callers hold a lock on the training's or the event's row (``select_for_update``) while they
count the places taken and call these, so two registrations at once cannot both take the
last place. A capacity of None means no limit (events may have none; trainings always do).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from hopeful.web.audit.services import audit_record

#: The registration statuses the rule gives (the same values in both apps).
REGISTERED = "registered"
WAITLISTED = "waitlisted"


def free_places(capacity: int | None, taken: int) -> int | None:
    """How many places are free (None: no limit)."""
    return None if capacity is None else max(0, capacity - taken)


def new_status(capacity: int | None, taken: int) -> str:
    """A new registration's status: a place when one is free, else the waitlist."""
    free = free_places(capacity, taken)
    return REGISTERED if free is None or free > 0 else WAITLISTED


def promote(
    waiting: QuerySet[Any],
    *,
    free: int | None,
    now: dt.datetime,
    verb: str,
    extra: dict[str, Any],
    send: Callable[[int], None],
) -> list[Any]:
    """Give ``free`` places (None: every one) to the registrations of ``waiting``, taken in
    its order (the caller orders it first come, first served): each one's status becomes
    registered, its promotion is audited (``verb``, no actor: the rule did it) and ``send``
    is called with its id (to email it). Returns the promoted registrations."""
    if free is not None:
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        audit_record(verb=verb, actor=None, organization=None, obj=registration, extra=extra)
        send(registration.pk)
    return promoted
