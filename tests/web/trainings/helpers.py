"""Shared helpers of the trainings tests: a training with sessions, registrations, running
the queued tasks (``run_queued``, the newsletter tests' one)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hopeful.web.trainings.models import Mode, Track, Training, TrainingSession
from tests.web.newsletter.helpers import run_queued as run_queued

#: A fixed "now" for the tests that move the clock (a Monday, 15:00 UTC).
NOW = dt.datetime(2027, 3, 1, 15, 0, tzinfo=dt.UTC)


def make_training(
    *,
    capacity: int = 2,
    sessions: int = 3,
    first: dt.datetime | None = None,
    **kw: Any,
) -> Training:
    """A scheduled in-person training whose sessions are a week apart, 3 hours each, the
    first one a week from now (9:00 in Chicago)."""
    kw.setdefault("title", "HOPE Facilitator training")
    kw.setdefault("track", Track.FACILITATOR)
    kw.setdefault("mode", Mode.IN_PERSON)
    kw.setdefault("location", "Community Center, 12 Main St, Madison")
    kw.setdefault("state", "WI")
    kw.setdefault("time_zone", "America/Chicago")
    training = Training.objects.create(capacity=capacity, **kw)
    start = first or (timezone.now() + dt.timedelta(days=7))
    for i in range(sessions):
        begins = start + dt.timedelta(days=7 * i)
        TrainingSession.objects.create(
            training=training, order=i + 1, starts_at=begins, ends_at=begins + dt.timedelta(hours=3)
        )
    return training


def queued(task: Any) -> list[list[Any]]:
    """The arguments of the waiting runs of ``task``."""
    return [
        r.args_kwargs["args"]
        for r in DBTaskResult.objects.filter(
            task_path=task.module_path, status=TaskResultStatus.READY
        ).order_by("enqueued_at")
    ]
