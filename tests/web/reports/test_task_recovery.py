"""A report task whose worker died: the task is put back (or failed after too many
attempts) by the live workers' heartbeat loop, and running the report again never makes a
second report or a second file. (The real SIGKILL of a real worker: tests/soak/test_soak.py.)"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from hopeful.web.core import worker
from hopeful.web.core.models import WorkerHeartbeat
from hopeful.web.reports import services
from hopeful.web.reports.models import Report, ReportKind, ReportStatus
from tests.web import factories as f

pytestmark = pytest.mark.django_db

LONG_AGO = dt.timedelta(minutes=10)


def running(*worker_ids: str, started: dt.timedelta = dt.timedelta(0)) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path="hopeful.web.reports.tasks.make_report",
        args_kwargs={"args": [], "kwargs": {"report_id": 1}},
        backend_name="default",
        run_after=get_date_max(),
        status=TaskResultStatus.RUNNING,
        worker_ids=list(worker_ids),
        started_at=timezone.now() - started,
    )


def heartbeat(worker_id: str, age: dt.timedelta) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id=worker_id, started_at=now, last_seen=now - age)


def test_only_tasks_of_dead_workers_are_put_back() -> None:
    heartbeat("dead", LONG_AGO)
    heartbeat("alive", dt.timedelta(0))
    of_dead = running("dead")
    of_alive = running("alive", started=LONG_AGO)
    unknown_recent = running("elsewhere")  # no heartbeat, started just now: wait
    unknown_old = running("gone", started=LONG_AGO)  # no heartbeat, long ago: lost
    third_death = running("w1", "w2", "dead")

    recovered = worker.recover(stale_after=60)

    assert sorted(recovered) == sorted(str(t.id) for t in (of_dead, unknown_old, third_death))
    status = dict(DBTaskResult.objects.values_list("id", "status"))
    assert status[of_dead.id] == status[unknown_old.id] == TaskResultStatus.READY
    assert status[of_alive.id] == status[unknown_recent.id] == TaskResultStatus.RUNNING
    failed = DBTaskResult.objects.get(id=third_death.id)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path == worker.WORKER_LOST
    assert "3 times" in failed.traceback
    back = DBTaskResult.objects.get(id=of_dead.id)
    assert back.started_at is None
    assert back.worker_ids == ["dead"]  # the attempts are kept: they bound the retries
    assert worker.recover(stale_after=60) == []  # nothing left to do


def test_a_task_claimed_again_meanwhile_is_not_put_back(monkeypatch: Any) -> None:
    heartbeat("dead", LONG_AGO)
    task = running("dead")
    read = worker._running()
    # another worker recovered it and claimed it again between this one's read and update
    DBTaskResult.objects.filter(id=task.id).update(
        worker_ids=["dead", "new"], started_at=timezone.now() + dt.timedelta(seconds=1)
    )
    monkeypatch.setattr(worker, "_running", lambda: read)
    assert worker.recover(stale_after=60) == []
    assert DBTaskResult.objects.get(id=task.id).status == TaskResultStatus.RUNNING


def test_heartbeats_are_written_and_removed() -> None:
    worker.beat("w-1")
    first = WorkerHeartbeat.objects.get()
    worker.beat("w-1")
    assert WorkerHeartbeat.objects.get().last_seen >= first.last_seen
    worker.forget("w-1")
    assert not WorkerHeartbeat.objects.exists()
    assert len(worker.new_worker_id()) <= 64
    with pytest.raises(ValueError, match="stale_after"):
        worker.Heartbeat("w-2", interval=10, stale_after=5)


def test_a_worker_recovers_only_after_reaching_the_database_for_a_stale_period(
    monkeypatch: Any,
) -> None:
    clock = [100.0]
    recoveries: list[float] = []
    monkeypatch.setattr(worker.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(worker, "recover", lambda **kw: recoveries.append(clock[0]) or [])
    beats: list[str] = []
    monkeypatch.setattr(worker, "beat", beats.append)
    heart = worker.Heartbeat("w-1", interval=1, stale_after=5)
    heart.tick()  # at its start: the others may not have beaten yet
    clock[0] = 105.0
    heart.tick()
    assert recoveries == [105.0]

    def away(worker_id: str) -> None:
        raise OperationalError("the database is away")

    monkeypatch.setattr(worker, "connection", SimpleNamespace(close=lambda: None))

    monkeypatch.setattr(worker, "beat", away)
    heart.tick()  # an outage: logged, no recovery, the clock starts again
    monkeypatch.setattr(worker, "beat", beats.append)
    clock[0] = 107.0
    heart.tick()
    clock[0] = 111.0
    heart.tick()
    assert recoveries == [105.0]
    clock[0] = 112.0
    heart.tick()
    assert recoveries == [105.0, 112.0]
    assert beats == ["w-1"] * 5


@pytest.fixture
def report() -> Report:
    org = f.make_org()
    user = f.make_user("analyst@example.org")
    return Report.objects.create(organization=org, requested_by=user, kind=ReportKind.CSV)


def test_a_report_left_running_by_a_dead_attempt_is_made_once(
    report: Report, monkeypatch: Any
) -> None:
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, progress=40)
    calls: list[int] = []
    monkeypatch.setattr(services, "_make", lambda r, progress: calls.append(1) or b"a,b\n")

    services.report_run(report_id=report.pk)
    services.report_run(report_id=report.pk)  # the task run once more: nothing happens

    report.refresh_from_db()
    assert (report.status, report.progress, bytes(report.content)) == ("done", 100, b"a,b\n")
    assert calls == [1]
    assert Report.objects.count() == 1


def test_a_second_attempt_never_replaces_the_first_ones_file(
    report: Report, monkeypatch: Any
) -> None:
    def finished_meanwhile(r: Report, progress: Any) -> bytes:
        # a worker taken for dead finishes first, while this attempt is still making it
        Report.objects.filter(pk=r.pk).update(
            status=ReportStatus.DONE, content=b"first", size=5, finished_at=timezone.now()
        )
        progress(80)
        return b"second attempt"

    monkeypatch.setattr(services, "_make", finished_meanwhile)
    services.report_run(report_id=report.pk)

    report.refresh_from_db()
    assert (report.status, bytes(report.content), report.size) == ("done", b"first", 5)
    assert report.progress != 80  # not even its progress was written over the finished one
