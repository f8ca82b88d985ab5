"""Background tasks of the public site (run by ``hopeful worker``): scheduled publishing.

Pages staff schedule ("go live at", "expire at") are published and unpublished by Wagtail's
``publish_scheduled`` command; this task runs it every minute and queues its next run, and
``hopeful worker`` queues one at start when none is waiting (no cron needed)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

from hopeful.web.core.scheduling import queue_unless_waiting

#: How often scheduled pages are checked.
EVERY = dt.timedelta(minutes=1)


def publish_due() -> str:
    """Publish the pages whose time has come and unpublish expired ones, now. Returns what
    Wagtail's command reported."""
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue()


def schedule(now: dt.datetime | None = None) -> bool:
    """Queue the next check unless one is already waiting. Returns whether it queued."""
    return queue_unless_waiting(publish_scheduled, run_after=(now or timezone.now()) + EVERY)


@task()
def publish_scheduled() -> None:
    """Publish what is due, then queue the next check."""
    publish_due()
    schedule()
