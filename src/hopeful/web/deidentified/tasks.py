"""The periodic job of de-identified exports (run by ``hopeful worker``): delete the files of
exports past their time, every night. Each run queues the next (no cron needed)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from hopeful.web.core.scheduling import job_run, next_local_time, queue_unless_waiting
from hopeful.web.deidentified import services

#: The job's name in the registry of periodic jobs (:mod:`hopeful.web.operations`).
JOB = "deidentified-export-expiry"
#: The hour (local time) it runs.
HOUR = 4


def schedule(now: dt.datetime | None = None) -> bool:
    """Queue the next nightly run unless one is waiting. Returns whether it queued."""
    return queue_unless_waiting(
        purge_expired, run_after=next_local_time(now or timezone.now(), HOUR)
    )


@task()
def purge_expired() -> dict[str, int]:
    """Delete the files of de-identified exports past their time (the rows stay)."""
    with job_run(JOB, then=schedule) as run:
        run.counts = {"deidentified_exports_expired": services.exports_purge_expired()}
    return run.counts
