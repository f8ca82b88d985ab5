"""Reads of the jobs' page: each job with its last run and its next queued run, and one
job's recent runs."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hopeful.web.operations import registry
from hopeful.web.operations.housekeeping import RUNS_KEPT, latest_run_ids
from hopeful.web.operations.models import JobRun, Outcome


@dataclasses.dataclass(frozen=True)
class RunRow:
    run: JobRun
    summary: str
    failed: bool


@dataclasses.dataclass(frozen=True)
class JobRow:
    job: registry.Job
    schedule: str
    description: str
    last: RunRow | None
    #: Whether a run is queued; when it may start (None: as soon as the worker is free);
    #: ``due``: it may start now.
    waiting: bool
    next_at: dt.datetime | None
    due: bool
    running: bool

    @property
    def failed(self) -> bool:
        return self.last is not None and self.last.failed


def _run_row(run: JobRun) -> RunRow:
    return RunRow(
        run=run,
        # a failed run's counts are those it reached before failing, if any
        summary=registry.summary(run.counts)
        if run.outcome == Outcome.OK or (run.outcome == Outcome.FAILED and run.counts)
        else "",
        failed=run.outcome == Outcome.FAILED,
    )


@dataclasses.dataclass
class _Queued:
    waiting: bool = False
    #: The earliest waiting run's start; None when it may start as soon as the worker is free.
    next_at: dt.datetime | None = None
    running: bool = False


def _queue(paths: list[str]) -> dict[str, _Queued]:
    """Per task path: its waiting and running runs in the task queue (one query)."""
    out = {path: _Queued() for path in paths}
    rows = DBTaskResult.objects.filter(
        task_path__in=paths, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).values_list("task_path", "status", "run_after")
    for path, status, run_after in rows:
        state = out[path]
        if status == TaskResultStatus.RUNNING:
            state.running = True
            continue
        at = None if run_after is None or run_after.year == dt.MAXYEAR else run_after
        if not state.waiting:
            state.waiting, state.next_at = True, at
        elif state.next_at is not None and (at is None or at < state.next_at):
            state.next_at = at
    return out


def jobs_overview(now: dt.datetime | None = None) -> list[JobRow]:
    """Every registered job with its last run and next queued run (three queries)."""
    now = now or timezone.now()
    last = {run.job: run for run in JobRun.objects.filter(pk__in=latest_run_ids())}
    queue = _queue([job.task.module_path for job in registry.JOBS])
    rows = []
    for job in registry.JOBS:
        state = queue[job.task.module_path]
        rows.append(
            JobRow(
                job=job,
                schedule=job.schedule_in_words(),
                description=job.describe(),
                last=_run_row(last[job.name]) if job.name in last else None,
                waiting=state.waiting,
                next_at=state.next_at,
                due=state.waiting and (state.next_at is None or state.next_at <= now),
                running=state.running,
            )
        )
    return rows


def job_row(name: str, now: dt.datetime | None = None) -> JobRow | None:
    """One job's row, or None for a name not in the registry."""
    return next((row for row in jobs_overview(now) if row.job.name == name), None)


def job_runs(name: str, limit: int = RUNS_KEPT) -> list[RunRow]:
    """The job's latest runs, newest first."""
    runs = JobRun.objects.filter(job=name).order_by("-started_at", "-pk")[:limit]
    return [_run_row(run) for run in runs]
