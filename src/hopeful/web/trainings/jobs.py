"""The trainings' periodic job (run by ``hopeful worker``): every 10 minutes it completes
the registrations whose learners attended every session and have passed the course's quiz
since (a learner's certificate appears as soon as they open their trainings page, or within
10 minutes), and queues the reminders of sessions starting within a day. Each run queues the
next; the worker queues one at start with :func:`schedule` when none is waiting."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from hopeful.web.core.scheduling import job_run, queue_unless_waiting
from hopeful.web.trainings import services

#: How often the job runs.
EVERY = dt.timedelta(minutes=10)

#: The job's name in the registry of periodic jobs (:mod:`hopeful.web.operations`).
JOB = "training-completions"


def schedule(now: dt.datetime | None = None) -> bool:
    """Queue the next run unless one is already waiting. Returns whether it queued."""
    return queue_unless_waiting(run_periodic, run_after=(now or timezone.now()) + EVERY)


def run_now(now: dt.datetime | None = None) -> tuple[int, int]:
    """Completions and reminders due now. Returns (completed, reminders queued)."""
    completed = services.completions_check_all(now=now)
    reminded = services.reminders_queue(now=now)
    return completed, reminded


@task()
def run_periodic() -> list[int]:
    """Do what is due, then queue the next run. Idempotent: a registration completes once,
    and a session reminder is queued once (a unique row is written first)."""
    with job_run(JOB, then=schedule) as run:
        completed, reminded = run_now()
        run.counts = {"trainings_completed": completed, "session_reminders": reminded}
    return [completed, reminded]
