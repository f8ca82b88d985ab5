"""The periodic jobs of no other app's own: the survey drafts' purges and the pruning of
rows kept for a while. Each runs inside :func:`~hopeful.web.core.scheduling.job_run` (its run
is recorded) and queues its next run, like the other apps' periodic tasks."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from hopeful.web.core import ratelimit
from hopeful.web.core.scheduling import job_run, next_local_time, queue_unless_waiting
from hopeful.web.operations import housekeeping
from hopeful.web.surveys import drafts

#: Names in the registry, and when each runs.
DRAFTS_JOB = "draft-purge"
DRAFTS_HOUR = 3
LINKS_JOB = "closed-link-drafts"
LINKS_HOUR = 3
PRUNE_JOB = "attempt-pruning"
PRUNE_EVERY = dt.timedelta(hours=1)


def schedule_drafts(now: dt.datetime | None = None) -> bool:
    """Queue the next nightly draft purge unless one is waiting. Returns whether it queued."""
    run_after = next_local_time(now or timezone.now(), DRAFTS_HOUR)
    return queue_unless_waiting(purge_drafts, run_after=run_after)


def schedule_links(now: dt.datetime | None = None) -> bool:
    """Queue the next nightly clean-up of closed links' drafts unless one is waiting."""
    run_after = next_local_time(now or timezone.now(), LINKS_HOUR)
    return queue_unless_waiting(purge_closed_link_drafts, run_after=run_after)


def schedule_prune(now: dt.datetime | None = None) -> bool:
    """Queue the next hourly pruning unless one is waiting. Returns whether it queued."""
    return queue_unless_waiting(prune_attempts, run_after=(now or timezone.now()) + PRUNE_EVERY)


@task()
def purge_drafts() -> dict[str, int]:
    """Delete the drafts past their retention and old counted wrong codes."""
    with job_run(DRAFTS_JOB, then=schedule_drafts) as run:
        now = timezone.now()
        run.counts = {
            "drafts_purged": drafts.drafts_purge_expired(now=now),
            "code_attempts_purged": drafts.code_attempts_purge_expired(now=now),
        }
    return run.counts


@task()
def purge_closed_link_drafts() -> dict[str, int]:
    """Delete the drafts of links that expired or were revoked."""
    with job_run(LINKS_JOB, then=schedule_links) as run:
        run.counts = {"drafts_purged": drafts.drafts_purge_closed_links()}
    return run.counts


@task()
def prune_attempts() -> dict[str, int]:
    """Delete counted attempts and rate-limit counters past their windows, and old job runs."""
    with job_run(PRUNE_JOB, then=schedule_prune) as run:
        now = timezone.now()
        run.counts = {
            "sign_in_attempts_purged": housekeeping.sign_in_attempts_purge(now=now),
            "rate_limit_counters_purged": ratelimit.prune(now=now),
            "job_runs_purged": housekeeping.job_runs_purge(now=now),
            "task_results_purged": housekeeping.task_results_purge(now=now),
        }
    return run.counts
