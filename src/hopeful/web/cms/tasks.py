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
from wagtail.models import Page, Revision

from hopeful.web.core.scheduling import job_run, queue_unless_waiting

#: The job's name in the registry of periodic jobs (:mod:`hopeful.web.operations`).
JOB = "scheduled-publishing"

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
    """Publish what is due, then queue the next check. Idempotent: what is published (or
    unpublished) is no longer due."""
    with job_run(JOB, then=schedule) as run:
        due = due_counts()
        publish_due()
        run.counts = due


def due_counts(now: dt.datetime | None = None) -> dict[str, int]:
    """How many page versions are due to go live and live pages due to expire (Wagtail's
    own two queries, counted)."""
    now = now or timezone.now()
    return {
        "pages_published": Revision.objects.filter(approved_go_live_at__lt=now).count(),
        "pages_unpublished": Page.objects.filter(live=True, expire_at__lt=now).count(),
    }
