"""Periodic background work without cron: a task queues its own next run, and ``hopeful
worker`` queues a first one at start when none is waiting. One rule for every such task
(the casework reminders, the newsletter's purge, the public site's scheduled publishing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


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


def next_local_time(now: dt.datetime, hour: int) -> dt.datetime:
    """The next time the local clock shows ``hour``:00 after ``now``."""
    local = timezone.localtime(now)
    at = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    return at if at > local else at + dt.timedelta(days=1)
