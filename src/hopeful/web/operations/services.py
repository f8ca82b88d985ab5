"""Writes of the jobs' page: a staff member asks for a run now."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hopeful.web.audit.services import audit_record
from hopeful.web.core.scheduling import queue_now_unless_due
from hopeful.web.operations.registry import Job


@transaction.atomic
def job_run_request(*, job: Job, actor: Any) -> bool:
    """Queue a run of ``job`` for the worker now, unless one is already due (asking twice
    queues one run). Audited either way. Returns whether a run was queued."""
    queued = queue_now_unless_due(job.task)
    audit_record(
        verb="operations.job_run_requested",
        actor=actor,
        organization=None,
        object_type="operations.job",
        object_id=job.name,
        extra={"queued": queued},
    )
    return queued
