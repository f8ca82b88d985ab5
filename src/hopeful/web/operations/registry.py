"""The registry of periodic jobs: every job ``hopeful worker`` runs on a schedule, with its
title and description for the staff's page, its schedule, its task and the function that
queues its next run. One mechanism: each task queues its own next run
(:mod:`hopeful.web.core.scheduling`), and :func:`schedule_all` queues a first run of every
job at the worker's start when none is waiting.

The task modules do not import this one (they record their runs through
:func:`hopeful.web.core.scheduling.job_run`); this one imports them.

No job rotates audit partitions: the audit trail is one append-only table, not partitioned
(see ``docs/operations.md``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from hopeful.web.casework import tasks as casework_tasks
from hopeful.web.certification import tasks as certification_tasks
from hopeful.web.cms import tasks as cms_tasks
from hopeful.web.deidentified import models as deidentified_models
from hopeful.web.deidentified import tasks as deidentified_tasks
from hopeful.web.newsletter import tasks as newsletter_tasks
from hopeful.web.operations import housekeeping
from hopeful.web.operations import tasks as operations_tasks
from hopeful.web.surveys import drafts
from hopeful.web.trainings import jobs as trainings_jobs
from hopeful.web.webhooks import tasks as webhooks_tasks


@dataclasses.dataclass(frozen=True)
class Job:
    """One periodic job: daily at ``hour`` (local time) or every ``every``."""

    name: str
    title: Promise
    description: Promise
    task: Any
    schedule: Callable[[], bool]
    hour: int | None = None
    every: dt.timedelta | None = None
    #: Numbers the description names (from the owning app's constants).
    params: Mapping[str, int] = dataclasses.field(default_factory=dict)

    def describe(self) -> str:
        return str(self.description) % self.params if self.params else str(self.description)

    def schedule_in_words(self) -> str:
        if self.hour is not None:
            return _("Every day at %(time)s") % {"time": f"{self.hour:02d}:00"}
        assert self.every is not None  # noqa: S101 - one of the two is always set
        minutes = int(self.every.total_seconds() // 60)
        if minutes % 60 == 0:
            hours = minutes // 60
            return ngettext("Every hour", "Every %(n)d hours", hours) % {"n": hours}
        return ngettext("Every minute", "Every %(n)d minutes", minutes) % {"n": minutes}


JOBS: tuple[Job, ...] = (
    Job(
        name=casework_tasks.JOB,
        title=gettext_lazy("Casework reminders"),
        description=gettext_lazy(
            "Makes reminders of goals, follow-ups and sign-offs due within a week, and emails "
            "each person once about the reminders not emailed yet. The email names no family."
        ),
        task=casework_tasks.send_reminders,
        schedule=casework_tasks.schedule,
        hour=casework_tasks.HOUR,
    ),
    Job(
        name=cms_tasks.JOB,
        title=gettext_lazy("Scheduled publishing"),
        description=gettext_lazy(
            "Publishes the public site's pages whose go-live time has come and unpublishes "
            "the pages past their expiry time."
        ),
        task=cms_tasks.publish_scheduled,
        schedule=cms_tasks.schedule,
        every=cms_tasks.EVERY,
    ),
    Job(
        name=trainings_jobs.JOB,
        title=gettext_lazy("Training completions and session reminders"),
        description=gettext_lazy(
            "Completes the training registrations of learners who attended every session "
            "and passed the quiz, and emails a reminder, once, to everyone holding a place in "
            "a session that starts within a day."
        ),
        task=trainings_jobs.run_periodic,
        schedule=trainings_jobs.schedule,
        every=trainings_jobs.EVERY,
    ),
    Job(
        name=certification_tasks.JOB,
        title=gettext_lazy("Certification expiry"),
        description=gettext_lazy(
            "Marks certifications that are close to their last valid day as expiring, and "
            "expires those past it. Verification pages check dates themselves either way."
        ),
        task=certification_tasks.expire_by_date,
        schedule=certification_tasks.schedule,
        hour=certification_tasks.HOUR,
    ),
    Job(
        name=operations_tasks.DRAFTS_JOB,
        title=gettext_lazy("Survey draft purge"),
        description=gettext_lazy(
            "Deletes the unfinished survey answers that families saved but did not send, "
            "%(days)d days after their last save, and the counted wrong resume and family "
            "codes older than a day."
        ),
        params={"days": drafts.DRAFT_TTL.days},
        task=operations_tasks.purge_drafts,
        schedule=operations_tasks.schedule_drafts,
        hour=operations_tasks.DRAFTS_HOUR,
    ),
    Job(
        name=operations_tasks.LINKS_JOB,
        title=gettext_lazy("Drafts of expired and revoked links"),
        description=gettext_lazy(
            "Deletes the unfinished answers saved through survey links that have expired or "
            "were revoked: nobody can send them any more. The links themselves stay, and "
            "expired links already refuse every visit."
        ),
        task=operations_tasks.purge_closed_link_drafts,
        schedule=operations_tasks.schedule_links,
        hour=operations_tasks.LINKS_HOUR,
    ),
    Job(
        name=newsletter_tasks.JOB,
        title=gettext_lazy("Newsletter sign-up purge"),
        description=gettext_lazy(
            "Deletes the newsletter sign-ups nobody confirmed in time, with their email addresses."
        ),
        task=newsletter_tasks.purge_expired,
        schedule=newsletter_tasks.schedule,
        hour=newsletter_tasks.HOUR,
    ),
    Job(
        name=deidentified_tasks.JOB,
        title=gettext_lazy("De-identified export expiry"),
        description=gettext_lazy(
            "Deletes the files of de-identified research exports %(days)d days after they "
            "were made. The record of each export (who, when, purpose, counts) stays."
        ),
        params={"days": deidentified_models.EXPORT_TTL.days},
        task=deidentified_tasks.purge_expired,
        schedule=deidentified_tasks.schedule,
        hour=deidentified_tasks.HOUR,
    ),
    Job(
        name=webhooks_tasks.JOB,
        title=gettext_lazy("Webhook delivery sweep"),
        description=gettext_lazy(
            "Queues again the webhook messages whose background task was lost, and marks "
            "failed those whose last attempt never finished."
        ),
        task=webhooks_tasks.sweep_deliveries,
        schedule=webhooks_tasks.schedule,
        every=webhooks_tasks.EVERY,
    ),
    Job(
        name=operations_tasks.PRUNE_JOB,
        title=gettext_lazy("Rate-limit records pruning"),
        description=gettext_lazy(
            "Deletes the counted sign-in attempts and public form posts older than their "
            "rate-limit windows. Also deletes the runs on this page older than %(days)d days "
            "(the last %(runs)d runs of each job stay) and the background tasks that "
            "succeeded more than %(days)d days ago."
        ),
        params={"days": housekeeping.RUN_RETENTION.days, "runs": housekeeping.RUNS_KEPT},
        task=operations_tasks.prune_attempts,
        schedule=operations_tasks.schedule_prune,
        every=operations_tasks.PRUNE_EVERY,
    ),
)

BY_NAME: Mapping[str, Job] = {job.name: job for job in JOBS}

#: How a run's counts read on the page ("3 drafts purged").
COUNT_LABELS: Mapping[str, Promise] = {
    "reminders_made": ngettext_lazy("%(n)d reminder made", "%(n)d reminders made", "n"),
    "emails_sent": ngettext_lazy("%(n)d email sent", "%(n)d emails sent", "n"),
    "pages_published": ngettext_lazy("%(n)d page published", "%(n)d pages published", "n"),
    "pages_unpublished": ngettext_lazy("%(n)d page unpublished", "%(n)d pages unpublished", "n"),
    "trainings_completed": ngettext_lazy(
        "%(n)d training completed", "%(n)d trainings completed", "n"
    ),
    "session_reminders": ngettext_lazy(
        "%(n)d session reminder queued", "%(n)d session reminders queued", "n"
    ),
    "certifications_expired": ngettext_lazy(
        "%(n)d certification expired", "%(n)d certifications expired", "n"
    ),
    "certifications_expiring": ngettext_lazy(
        "%(n)d certification marked expiring", "%(n)d certifications marked expiring", "n"
    ),
    "drafts_purged": ngettext_lazy("%(n)d draft purged", "%(n)d drafts purged", "n"),
    "code_attempts_purged": ngettext_lazy(
        "%(n)d wrong-code record purged", "%(n)d wrong-code records purged", "n"
    ),
    "webhook_deliveries_requeued": ngettext_lazy(
        "%(n)d webhook message queued again", "%(n)d webhook messages queued again", "n"
    ),
    "webhook_deliveries_failed": ngettext_lazy(
        "%(n)d webhook message failed", "%(n)d webhook messages failed", "n"
    ),
    "deidentified_exports_expired": ngettext_lazy(
        "%(n)d export file deleted", "%(n)d export files deleted", "n"
    ),
    "signups_purged": ngettext_lazy("%(n)d sign-up purged", "%(n)d sign-ups purged", "n"),
    "sign_in_attempts_purged": ngettext_lazy(
        "%(n)d sign-in attempt purged", "%(n)d sign-in attempts purged", "n"
    ),
    "rate_limit_counters_purged": ngettext_lazy(
        "%(n)d rate-limit counter purged", "%(n)d rate-limit counters purged", "n"
    ),
    "job_runs_purged": ngettext_lazy(
        "%(n)d old run record purged", "%(n)d old run records purged", "n"
    ),
    "task_results_purged": ngettext_lazy(
        "%(n)d finished task record purged", "%(n)d finished task records purged", "n"
    ),
}


def summary(counts: Mapping[str, int]) -> str:
    """A run's counts in words, in the active language ("3 drafts purged, 0 ...")."""
    parts = []
    for key, value in counts.items():
        label = COUNT_LABELS.get(key)
        parts.append(label % {"n": value} if label is not None else f"{key}: {value}")
    return ", ".join(parts) if parts else _("Nothing to do")


def schedule_all() -> dict[str, bool]:
    """Queue a first run of every job unless one is waiting (``hopeful worker`` calls this at
    start). Returns, per job, whether it queued."""
    return {job.name: bool(job.schedule()) for job in JOBS}
