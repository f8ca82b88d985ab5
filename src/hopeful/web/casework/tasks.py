"""Background tasks of casework (run by ``hopeful worker``). The reminders task runs once a
day: each run queues the next for the following morning, and ``hopeful worker`` and ``hopeful
demo`` queue one at start when none is waiting (no cron needed; ``hopeful manage
casework_reminders`` runs it at once)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from hopeful.web.casework import reminders
from hopeful.web.core.scheduling import job_run, next_local_time, queue_unless_waiting

#: The job's name in the registry of periodic jobs (:mod:`hopeful.web.operations`).
JOB = "casework-reminders"

#: The hour (local time) the daily reminders go out.
HOUR = 7


def next_run(now: dt.datetime) -> dt.datetime:
    """The next morning at :data:`HOUR`, local time."""
    return next_local_time(now, HOUR)


def schedule(now: dt.datetime | None = None) -> bool:
    """Queue the next daily run unless one is already waiting. Returns whether it queued."""
    return queue_unless_waiting(send_reminders, run_after=next_run(now or timezone.now()))


@task()
def send_reminders() -> None:
    """Make today's reminders, email them, and queue tomorrow's run. Idempotent: a reminder
    is made once per person, thing and date, and emailed once."""
    with job_run(JOB, then=schedule) as run:
        made = reminders.reminders_make()
        sent = reminders.reminders_email()
        run.counts = {"reminders_made": len(made), "emails_sent": sent}
