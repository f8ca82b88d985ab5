"""Crash recovery for ``hopeful worker`` (the database queue's ``db_worker``).

django-tasks-db 0.12 marks a task RUNNING when a worker claims it (``status``, ``started_at``
and the worker's id appended to ``worker_ids``) and marks it SUCCESSFUL or FAILED when it
ends. A worker killed in between (SIGKILL, out of memory, a lost machine) leaves the task
RUNNING for ever: nothing in the library looks at it again.

So every worker writes a heartbeat (:class:`~hopeful.web.core.models.WorkerHeartbeat`) every
few seconds from a thread of its own, and on each beat looks for tasks RUNNING under a worker
whose heartbeat is older than ``stale_after`` (or, for a worker that never wrote one, a task
started longer ago than that): such a task goes back to READY, to be run again by any worker;
after :data:`MAX_ATTEMPTS` claims it is marked FAILED instead (a task that kills its worker
every time must not loop). A worker recovers only once it has reached the database for a whole
``stale_after`` (at its start, and after the database was away: the heartbeats of the others
are then old because nobody could write them). A task under a live worker is never touched, so several workers
may run side by side. Times are the database's clock (``NOW()``), so workers on machines
whose clocks differ agree on what is stale.

Putting a task back is a compare-and-set on its status and ``started_at`` (a claim writes a
new ``started_at``): two workers recovering at once, or a worker claiming the task in
between, cannot put back a task that is running again. Tasks must be idempotent, since a task
may run again after its worker died half-way (the report task is: see
:func:`hopeful.web.reports.services.report_run`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
import threading
import time
from contextlib import suppress
from typing import Any

from django.db import Error, connection
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hopeful.web.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

#: Seconds between heartbeats (and looks for tasks of dead workers).
HEARTBEAT_SECONDS = 10.0
#: A worker whose heartbeat is older than this is taken for dead.
STALE_SECONDS = 60.0
#: Claims of one task after which a worker's death fails the task instead of retrying it.
MAX_ATTEMPTS = 3
#: Heartbeats of workers gone this long are deleted.
FORGET_AFTER = dt.timedelta(days=1)

WORKER_LOST = "hopeful.web.core.worker.WorkerLostError"


class WorkerLostError(Exception):
    """Recorded on a task whose worker died once too often while running it."""


def new_worker_id() -> str:
    """A worker id unique across machines and restarts (at most 64 characters)."""
    host = socket.gethostname()[:40] or "worker"
    return f"{host}-{os.getpid()}-{secrets.token_hex(4)}"[:64]


def beat(worker_id: str) -> None:
    """Record that the worker is alive now (the database's time)."""
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=Now()):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            hostname=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=timezone.now(),
            last_seen=Now(),
        )


def forget(worker_id: str) -> None:
    """A worker that stops cleanly removes its heartbeat."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _stale_cutoff(stale_after: float) -> CombinedExpression:
    return Now() - dt.timedelta(seconds=stale_after)


def _running() -> list[tuple[Any, list[str], dt.datetime | None]]:
    """(id, worker ids, started at) of every RUNNING task."""
    return list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list(
            "id", "worker_ids", "started_at"
        )
    )


def recover(*, stale_after: float = STALE_SECONDS, max_attempts: int = MAX_ATTEMPTS) -> list[str]:
    """Put back (or fail) the tasks RUNNING under dead workers; return their ids."""
    cutoff = _stale_cutoff(stale_after)
    running = _running()
    if not running:
        return []
    last_ids = {ids[-1] for _, ids, _ in running if ids}
    alive = set(
        WorkerHeartbeat.objects.filter(worker_id__in=last_ids, last_seen__gte=cutoff).values_list(
            "worker_id", flat=True
        )
    )
    known = set(
        WorkerHeartbeat.objects.filter(worker_id__in=last_ids).values_list("worker_id", flat=True)
    )
    # A worker with no heartbeat (started another way, or its row was forgotten): its task is
    # taken for lost only once it has run longer than a heartbeat may be stale.
    old = set(
        DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        ).values_list("id", flat=True)
    )
    recovered: list[str] = []
    for task_id, worker_ids, started_at in running:
        last = worker_ids[-1] if worker_ids else None
        if last in alive or (last not in known and task_id not in old):
            continue
        same = DBTaskResult.objects.filter(
            id=task_id, status=TaskResultStatus.RUNNING, started_at=started_at
        )
        if len(worker_ids) >= max_attempts:
            changed = same.update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path=WORKER_LOST,
                traceback=f"{WORKER_LOST}: the worker running this task stopped without "
                f"finishing it, {len(worker_ids)} times ({', '.join(worker_ids)}).",
                return_value=None,
            )
            verb = "failed"
        else:
            changed = same.update(status=TaskResultStatus.READY, started_at=None)
            verb = "put back in the queue"
        if changed:
            logger.warning("task %s of dead worker %s %s", task_id, last, verb)
            recovered.append(str(task_id))
    WorkerHeartbeat.objects.filter(last_seen__lt=Now() - FORGET_AFTER).delete()
    return recovered


class Heartbeat(threading.Thread):
    """The worker's heartbeat and recovery loop, in a daemon thread with its own database
    connection. :meth:`begin` beats once before the worker claims anything."""

    def __init__(
        self,
        worker_id: str,
        *,
        interval: float = HEARTBEAT_SECONDS,
        stale_after: float = STALE_SECONDS,
    ) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        if stale_after <= interval:
            raise ValueError("stale_after must be longer than the heartbeat interval")
        self.worker_id = worker_id
        self.interval = interval
        self.stale_after = stale_after
        self._stopping = threading.Event()
        self._reachable_since: float | None = None

    def tick(self) -> None:
        """Beat; then recover, once this worker has reached the database for a whole
        ``stale_after`` (after an outage, the other workers get that long to beat again:
        their heartbeats are old because the database was away, not because they died)."""
        try:
            beat(self.worker_id)
            now = time.monotonic()
            if self._reachable_since is None:
                self._reachable_since = now
            if now - self._reachable_since >= self.stale_after:
                recover(stale_after=self.stale_after)
        except Exception:
            # The database is away (restarting, say): try again at the next beat. Never let
            # the thread die: a worker without a heartbeat would have its task run twice.
            logger.warning("worker heartbeat failed", exc_info=True)
            self._reachable_since = None
            with suppress(Exception):
                connection.close()

    def begin(self) -> Heartbeat:
        self.tick()
        self.start()
        return self

    def run(self) -> None:
        try:
            while not self._stopping.wait(self.interval):
                self.tick()
        finally:
            connection.close()

    def end(self) -> None:
        """Stop beating and remove the heartbeat (a clean stop)."""
        self._stopping.set()
        self.join(timeout=self.interval + 5)
        try:
            forget(self.worker_id)
        except Error:
            logger.warning("could not remove the worker's heartbeat", exc_info=True)
