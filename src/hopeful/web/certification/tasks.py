"""Background work of certifications (run by ``hopeful worker``): the daily job that marks
certifications as expiring inside the expiring window and expires them after their last
valid day. Each run queues the next for the following night; the worker queues one at start
with :func:`schedule` when none is waiting (no cron needed).

Verification never waits for this job: ``/verify/`` and the credentials judge dates
themselves; the job keeps the recorded states (and the holders' and staff's pages) right.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from hopeful.web.certification import services
from hopeful.web.core.scheduling import job_run, next_local_time, queue_unless_waiting

#: The hour (local time) the daily job runs.
HOUR = 2

#: The job's name in the registry of periodic jobs (:mod:`hopeful.web.operations`).
JOB = "certification-expiry"


def next_run(now: dt.datetime) -> dt.datetime:
    """The next night at :data:`HOUR`, local time."""
    return next_local_time(now, HOUR)


def schedule(now: dt.datetime | None = None) -> bool:
    """Queue the next daily run unless one is already waiting. Returns whether it queued."""
    return queue_unless_waiting(expire_by_date, run_after=next_run(now or timezone.now()))


@task()
def expire_by_date() -> dict[str, int]:
    """Mark expiring and expire certifications by date, and queue tomorrow's run.
    Idempotent: each certification is re-checked under its lock before it moves."""
    with job_run(JOB, then=schedule) as run:
        done = services.certifications_expire_by_date()
        run.counts = {
            "certifications_expired": done["expire"],
            "certifications_expiring": done["mark_expiring"],
        }
    return done
