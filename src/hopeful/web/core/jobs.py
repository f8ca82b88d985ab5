"""Work made in the background and followed on a page (a report, a research file's import,
an analysis): the two rules they share.

- A row is changed only while it is unfinished (:func:`update_unfinished`), so an attempt of
  a task never overwrites the outcome another attempt (or the page) already recorded.
- A page marks an unfinished row failed when the queue says its task failed before the row
  could say so (:func:`task_failed`): the task could not start, or its worker lost it.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def update_unfinished(row: models.Model, unfinished: models.QuerySet[Any], **fields: Any) -> bool:
    """Save ``fields`` on ``row`` at once (the worker runs in autocommit, so the page shows
    them) if ``row`` is among ``unfinished``; set them on the instance too. Returns whether
    they were saved."""
    if not unfinished.filter(pk=row.pk).update(**fields):
        return False
    for name, value in fields.items():
        setattr(row, name, value)
    return True


def task_failed(task_id: str) -> bool:
    """Whether the database queue recorded the task ``task_id`` as failed."""
    if not task_id:
        return False
    task = DBTaskResult.objects.filter(id=task_id).values("status").first()
    return task is not None and task["status"] == TaskResultStatus.FAILED
