"""Deletes of rows kept only for a while: counted sign-in attempts, and the jobs' own run
history and finished task rows (rate-limit counters: :func:`hopeful.web.core.ratelimit.prune`). Each deletes what is past its retention, so a second run deletes
nothing more. The retentions are the owning apps' own (one rule each)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hopeful.web.accounts.models import SignInAttempt
from hopeful.web.accounts.services import ATTEMPT_RETENTION as SIGN_IN_RETENTION
from hopeful.web.operations.models import JobRun

#: Runs of the jobs are kept this long; the latest :data:`RUNS_KEPT` of each job always stay.
RUN_RETENTION = dt.timedelta(days=30)
RUNS_KEPT = 20


def sign_in_attempts_purge(*, now: dt.datetime) -> int:
    """Counted sign-in attempts older than the throttle looks (accounts deletes them as it
    goes; this catches the ones left when nobody failed since)."""
    deleted, _ = SignInAttempt.objects.filter(created_at__lt=now - SIGN_IN_RETENTION).delete()
    return deleted


def job_runs_purge(*, now: dt.datetime | None = None) -> int:
    """Runs older than :data:`RUN_RETENTION`, except each job's latest :data:`RUNS_KEPT`."""
    cutoff = (now or timezone.now()) - RUN_RETENTION
    deleted = 0
    for job in JobRun.objects.values_list("job", flat=True).distinct():
        kept = list(
            JobRun.objects.filter(job=job)
            .order_by("-started_at", "-pk")[:RUNS_KEPT]
            .values_list("pk", flat=True)
        )
        count, _ = (
            JobRun.objects.filter(job=job, started_at__lt=cutoff).exclude(pk__in=kept).delete()
        )
        deleted += count
    return deleted


def task_results_purge(*, now: dt.datetime | None = None) -> int:
    """The task queue's rows of tasks that succeeded more than :data:`RUN_RETENTION` ago
    (scheduled publishing alone leaves one a minute). Failed rows stay: a report whose task
    failed learns it from its row (:func:`hopeful.web.reports.services.report_sync`)."""
    cutoff = (now or timezone.now()) - RUN_RETENTION
    deleted, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=cutoff
    ).delete()
    return deleted


def latest_run_ids() -> list[int]:
    """The id of each job's latest run (one query)."""
    return [row["last"] for row in JobRun.objects.values("job").annotate(last=Max("pk"))]
