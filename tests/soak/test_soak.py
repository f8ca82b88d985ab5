"""The crash soak, short: families submit through the JSON API and the no-JS form while the
server is SIGKILLed and PostgreSQL is stopped with ``pg_ctl -m immediate``; afterwards every
acknowledged submission exists exactly once with its scores, and nothing else exists. And a
worker killed in the middle of a report: the next worker makes it, once.

Both run on a throwaway PostgreSQL 15 cluster of their own (``tests/soak/harness.py``, shared
with ``bench/soak.py``), never on the suite's test database. Skipped when PostgreSQL 15 is not
installed, except in CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.soak import clients, harness, verify

#: Seconds of submitting under faults in the short run.
SECONDS = 14.0

#: The survey's organization, then a CSV report queued by its admin.
REQUEST_REPORT = (
    harness.SURVEY_OBJECTS
    + """
from hopeful.web.insights import selectors as insights
from hopeful.web.insights.forms import DashboardFilterForm
from hopeful.web.organizations.access import access_for
from hopeful.web.reports.services import report_request
access = access_for(admin, org)
form = DashboardFilterForm({}, options=insights.filter_options(access=access, language="en"))
form.is_valid()
report = report_request(access=access, actor=admin, kind="csv", filters=form.filters(),
                        language="en")
print(json.dumps({"report": report.pk}))
"""
)


def report_state(url: str, report_id: int) -> dict[str, Any]:
    """The report and its task, read straight from the cluster (no Django process)."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as db:
        status, size, content, org, task_id = db.execute(
            "SELECT status, size, octet_length(content), organization_id, task_id"
            " FROM reports_report WHERE id = %s",
            [report_id],
        ).fetchone()
        reports = db.execute(
            "SELECT count(*) FROM reports_report WHERE organization_id = %s", [org]
        ).fetchone()[0]
        tasks = db.execute(
            "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult"
            " WHERE args_kwargs -> 'kwargs' ->> 'report_id' = %s",
            [str(report_id)],
        ).fetchall()
    return {
        "reports": reports,
        "status": status,
        "size": size,
        "content": content or 0,
        "task_id": task_id,
        "tasks": [{"status": t[0], "workers": t[1]} for t in tasks],
    }


@pytest.fixture(scope="module")
def soak_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[harness.Cluster, dict]]:
    """A migrated cluster (fsync on) shared by this module's tests."""
    missing = harness.pg_missing()
    if missing:
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"PostgreSQL 15 is required in CI for the crash soak: {missing}")
        pytest.skip(missing)
    with harness.cluster() as pg:
        env = harness.app_env(pg.url, tmp_path_factory.mktemp("soak-data"))
        harness.migrate(env)
        pg.harden()
        yield pg, env


def test_acknowledged_submissions_survive_kills_exactly_once(
    soak_db: tuple[harness.Cluster, dict], tmp_path: Path
) -> None:
    pg, env = soak_db
    survey = harness.setup_survey(env, "short")
    with harness.server(env, workers=2, log=tmp_path / "gunicorn.log") as srv:
        faults = harness.Faults(srv, pg, seconds=SECONDS, kills=3, pg_stops=1, master_every=3)
        faults.start()
        crowd, elapsed = clients.run_clients(
            srv.port,
            survey["token"],
            clients=8,
            seconds=SECONDS,
            html_every=4,
            seed=1,
            min_acked=1,
        )
        faults.join(timeout=120)
    assert faults.error is None, faults.error
    assert faults.summary() == {"worker": 2, "master": 1, "postgres": 1}
    stats = clients.phase_stats(crowd, elapsed)
    assert stats["acked_api"] > 0, stats
    assert stats["acked_html"] > 0, stats
    result = verify.check_in_process(env, clients.sent_records(crowd), [survey["organization"]])
    assert result["ok"], (result, stats)
    assert result["acked"] == stats["acked"]
    assert result["scores"] == result["stored"]  # one questionnaire, one score each


def _until(probe: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def test_a_killed_workers_report_is_made_once_by_the_next_worker(
    soak_db: tuple[harness.Cluster, dict], tmp_path: Path
) -> None:
    pg, env = soak_db
    report_id = harness.django(REQUEST_REPORT, env, "worker")["report"]
    marker = tmp_path / "attempt-started"
    command = [str(harness.BIN / "python"), "-m", "tests.soak.slow_worker", str(marker),
               "--interval", "0.2", "--heartbeat", "0.5", "--stale-after", "2"]  # fmt: skip
    with (tmp_path / "worker.log").open("wb") as log:
        first = subprocess.Popen(command, env=env, cwd=harness.ROOT, stdout=log, stderr=log)
        try:
            _until(marker.exists, 120, "the first worker to start the report")
        finally:
            first.kill()
            first.wait()

        def state() -> dict[str, Any]:
            return report_state(pg.url, report_id)

        hung = state()
        assert hung["status"] == "running"
        assert [t["status"] for t in hung["tasks"]] == ["RUNNING"]
        second = subprocess.Popen(command, env=env, cwd=harness.ROOT, stdout=log, stderr=log)
        try:
            done = _until(
                lambda: (
                    (s := state())["status"] == "done"
                    and s["tasks"][0]["status"] == "SUCCESSFUL"
                    and s
                ),
                120,
                "the second worker to make the report",
            )
        finally:
            second.terminate()
            second.wait(timeout=30)
    assert done["reports"] == 1
    assert done["size"] == done["content"] > 0
    assert len(done["tasks"]) == 1
    assert len(done["tasks"][0]["workers"]) == 2  # claimed by the dead worker, then the next
