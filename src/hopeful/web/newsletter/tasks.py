"""Background tasks of the newsletter (run by ``hopeful worker``): its two emails, queued by
:mod:`hopeful.web.newsletter.services` when a sign-up commits, and the daily purge of
sign-ups nobody confirmed in time. Each purge run queues the next for the following night;
the worker queues one at start with :func:`schedule` when none is waiting (no cron needed).

The tasks take a sign-up's row id only: no email address is ever kept in the task queue.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from hopeful.web.core.scheduling import job_run, next_local_time, queue_unless_waiting
from hopeful.web.newsletter import emails, services

#: The hour (local time) the daily purge runs.
HOUR = 4

#: The job's name in the registry of periodic jobs (:mod:`hopeful.web.operations`).
JOB = "newsletter-purge"


@task()
def send_confirmation(subscription_id: int) -> None:
    """Email the confirmation link of a pending sign-up."""
    emails.send_confirmation(subscription_id)


@task()
def send_already_subscribed(subscription_id: int) -> None:
    """Email "you are already subscribed" to a confirmed sign-up."""
    emails.send_already_subscribed(subscription_id)


def next_run(now: dt.datetime) -> dt.datetime:
    """The next night at :data:`HOUR`, local time."""
    return next_local_time(now, HOUR)


def schedule(now: dt.datetime | None = None) -> bool:
    """Queue the next daily purge unless one is already waiting. Returns whether it queued."""
    return queue_unless_waiting(purge_expired, run_after=next_run(now or timezone.now()))


@task()
def purge_expired() -> int:
    """Delete the sign-ups nobody confirmed in time, and queue tomorrow's run."""
    with job_run(JOB, then=schedule) as run:
        deleted = services.subscriptions_purge_expired()
        run.counts = {"signups_purged": deleted}
    return deleted
