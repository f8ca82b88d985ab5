"""The record of the periodic jobs' runs. A row is written when a run starts and completed
when it ends (:func:`hopeful.web.core.scheduling.job_run`); a row left "running" belongs to a
run still going or to a worker stopped half-way. Platform data: no organization, no personal
data (the error is its type and place, never its message)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    RUNNING = "running", _("Running, or stopped before it finished")
    OK = "ok", _("Succeeded")
    FAILED = "failed", _("Failed")


class JobRun(models.Model):
    """One run of a periodic job (see :mod:`hopeful.web.operations.registry`)."""

    job = models.CharField(max_length=64, help_text="The job's name in the registry.")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.RUNNING)
    counts = models.JSONField(default=dict, blank=True, help_text='{"drafts_purged": 3}')
    error = models.CharField(
        max_length=500, blank=True, help_text="The error's type and place (no message)."
    )

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["job", "-started_at"], name="jobrun_job_started"),
        ]

    def __str__(self) -> str:
        return f"{self.job} at {self.started_at:%Y-%m-%d %H:%M} ({self.outcome})"
