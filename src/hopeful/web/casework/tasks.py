"""Background tasks of casework (run by ``hopeful worker``). The reminders task runs once a
day: each run queues the next for the following morning, and ``hopeful worker`` and ``hopeful
demo`` queue one at start when none is waiting (no cron needed; ``hopeful manage
casework_reminders`` runs it at once)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from hopeful.web.casework import reminders

#: The hour (local time) the daily reminders go out.
HOUR = 7


def next_run(now: dt.datetime) -> dt.datetime:
    """The next morning at :data:`HOUR`, local time."""
    local = timezone.localtime(now)
    morning = local.replace(hour=HOUR, minute=0, second=0, microsecond=0)
    return morning if morning > local else morning + dt.timedelta(days=1)


def schedule(now: dt.datetime | None = None) -> bool:
    """Queue the next daily run unless one is already waiting. Returns whether it queued."""
    waiting = DBTaskResult.objects.filter(
        task_path=send_reminders.module_path, status=TaskResultStatus.READY
    ).exists()
    if waiting:
        return False
    send_reminders.using(run_after=next_run(now or timezone.now())).enqueue()
    return True


@task()
def send_reminders() -> None:
    """Make today's reminders, email them, and queue tomorrow's run."""
    reminders.reminders_make()
    reminders.reminders_email()
    schedule()
