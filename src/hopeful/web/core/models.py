"""Models of the core app: the background workers' heartbeats (see
:mod:`hopeful.web.core.worker`)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class WorkerHeartbeat(models.Model):
    """One running ``hopeful worker``: it writes ``last_seen`` every few seconds. A task left
    RUNNING under a worker whose heartbeat stopped is put back in the queue."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True, default="")
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.worker_id


class RateLimitCounter(models.Model):
    """Hits of one rate-limited action by one client in one fixed window
    (see :mod:`hopeful.web.core.ratelimit`). The client is only a keyed hash; the row goes
    once it can no longer matter (``expires_at``, two windows after the window starts)."""

    scope = models.CharField(max_length=40)
    key_hash = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["scope", "key_hash", "window_start"], name="ratelimit_one_row_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key_hash[:8]} at {self.window_start:%Y-%m-%d %H:%M:%S}"
