"""Background tasks of the webhooks app (run by ``hopeful worker``). Arguments are ids only:
the worker reads the delivery afresh."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from hopeful.web.core.scheduling import job_run, queue_unless_waiting
from hopeful.web.webhooks import delivery

#: The sweep's name in the registry of periodic jobs (:mod:`hopeful.web.operations`).
JOB = "webhook-sweep"
#: How often the sweep looks for deliveries whose task was lost.
EVERY = dt.timedelta(minutes=5)


@task()
def deliver(delivery_id: int) -> str:
    """One attempt of one webhook message (it queues its own retry)."""
    return delivery.delivery_attempt(delivery_id=delivery_id)


def schedule(now: dt.datetime | None = None) -> bool:
    """Queue the next sweep unless one is already waiting. Returns whether it queued."""
    return queue_unless_waiting(sweep_deliveries, run_after=(now or timezone.now()) + EVERY)


@task()
def sweep_deliveries() -> None:
    """Queue again the deliveries whose task was lost, then queue the next sweep."""
    with job_run(JOB, then=schedule) as run:
        run.counts = delivery.sweep()
