"""Periodic background work without cron: a task queues its own next run, and ``hopeful
worker`` queues a first one at start when none is waiting. One rule for every such task
(the casework reminders, the newsletter's purge, the public site's scheduled publishing).

Each periodic task runs its work inside :func:`job_run`, which records the run (a row of
``operations.JobRun``: when, outcome, counts, an error without personal data) and queues the
next run whether the work succeeded or failed, so one failure never stops the chain. The
registry of jobs and the staff's page are in :mod:`hopeful.web.operations`; the model is
looked up by name here so that no task module imports the operations app (which imports
them)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def queue_unless_waiting(task: Any, *, run_after: dt.datetime) -> bool:
    """Queue ``task`` to run after ``run_after`` unless a run of it is already waiting.
    Returns whether it queued."""
    waiting = DBTaskResult.objects.filter(
        task_path=task.module_path, status=TaskResultStatus.READY
    ).exists()
    if waiting:
        return False
    task.using(run_after=run_after).enqueue()
    return True


def queue_now_unless_due(task: Any) -> bool:
    """Queue ``task`` to run as soon as the worker is free, unless a run of it is already due
    (waiting with no later start). Returns whether it queued. A run queued for later stays:
    the jobs are idempotent, so an early run does no harm and the chain goes on."""
    if DBTaskResult.objects.ready().filter(task_path=task.module_path).exists():
        return False
    task.enqueue()
    return True


def next_local_time(now: dt.datetime, hour: int) -> dt.datetime:
    """The next time the local clock shows ``hour``:00 after ``now``."""
    local = timezone.localtime(now)
    at = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    return at if at > local else at + dt.timedelta(days=1)


@dataclasses.dataclass
class RunNote:
    """What a run did, as counts (``{"drafts_purged": 3}``); the page words them."""

    counts: dict[str, int] = dataclasses.field(default_factory=dict)


def error_text(error: BaseException) -> str:
    """An error as its type and where it happened, never its message (a message may quote
    an email address or a name). The full traceback goes to the log."""
    kind = f"{type(error).__module__}.{type(error).__qualname__}"
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if "/hopeful/" in frame.filename] or frames
    if not ours:
        return kind
    last = ours[-1]
    where = last.filename[last.filename.rfind("/hopeful/") + 1 :]
    return f"{kind} in {where}, line {last.lineno} ({last.name})"


@contextmanager
def job_run(job: str, *, then: Callable[[], object] | None = None) -> Iterator[RunNote]:
    """Record one run of the periodic job ``job`` around the ``with`` block, then call
    ``then`` (the job's ``schedule``) even when the block failed. A failure is recorded and
    raised again, so the task queue shows it too."""
    model = apps.get_model("operations", "JobRun")
    run = model.objects.create(job=job, started_at=timezone.now())
    note = RunNote()
    try:
        yield note
    except Exception as error:
        logger.exception("periodic job %s failed", job)
        model.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(),
            outcome="failed",
            counts=note.counts,
            error=error_text(error)[:500],
        )
        raise
    else:
        model.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(), outcome="ok", counts=note.counts
        )
    finally:
        if then is not None:
            then()
