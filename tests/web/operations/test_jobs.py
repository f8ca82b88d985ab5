"""The periodic jobs: every job can run twice with the same end state and no second email,
each run is recorded (success and failure, an error without its message), drafts go only
after their retention, and one call queues a first run of every job."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hopeful.web.accounts.models import SignInAttempt
from hopeful.web.casework import services as casework
from hopeful.web.core import ratelimit
from hopeful.web.core.models import RateLimitCounter
from hopeful.web.operations import housekeeping, registry
from hopeful.web.operations import tasks as operations_tasks
from hopeful.web.operations.models import JobRun, Outcome
from hopeful.web.surveys import drafts
from hopeful.web.surveys.models import CodeAttempt, Draft
from tests.web import factories as f

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 9, 30, tzinfo=dt.UTC)


def _tenant() -> dict[str, Any]:
    org = f.make_org()
    program = f.make_program(org)
    admin = f.make_member(org, "org_admin", "admin@example.org")
    family = f.make_family(org, program)
    link, _token = f.make_link(f.make_campaign(org, program, admin), admin)
    return {"org": org, "admin": admin, "family": family, "link": link}


def _draft(link: Any) -> Draft:
    draft, _code = drafts.draft_start(link=link, language="en", consent={"care": True})
    return draft


def _state() -> dict[str, Any]:
    """What the jobs change, to compare after a first and a second run."""
    return {
        "drafts": sorted(Draft.objects.values_list("pk", flat=True)),
        "code_attempts": CodeAttempt.objects.count(),
        "sign_in_attempts": SignInAttempt.objects.count(),
        "rate_limit_counters": RateLimitCounter.objects.count(),
        "emails": len(mail.outbox),
        "waiting": sorted(
            DBTaskResult.objects.filter(status=TaskResultStatus.READY).values_list(
                "task_path", flat=True
            )
        ),
    }


@override_settings(SITE_URL="https://hopeful.example.org")
def test_every_job_run_twice_ends_the_same_and_sends_nothing_twice() -> None:
    with time_machine.travel(NOW - dt.timedelta(days=20), tick=False):
        t = _tenant()
        old_draft, fresh_draft = _draft(t["link"]), _draft(t["link"])
        drafts.code_attempt_record(link=t["link"], kind="resume")
        SignInAttempt.objects.create(kind="password", email="x@example.org")
        ratelimit.hit("form:contact", "203.0.113.7", ratelimit.Rate(limit=5, seconds=3600))
    with time_machine.travel(NOW, tick=False):
        casework.goal_add(
            family=t["family"],
            actor=t["admin"],
            block="engagement",
            text="Story hour together",
            next_step="Find the times",
            due_on=NOW.date() + dt.timedelta(days=2),
            today=NOW.date(),
        )
        drafts.draft_save(draft=fresh_draft, language="en", step="name", name="Willow")
        for job in registry.JOBS:
            job.task.call()
        first = _state()
        for job in registry.JOBS:
            job.task.call()
        second = _state()
    assert first == second
    assert first["drafts"] == [fresh_draft.pk]
    assert old_draft.pk not in first["drafts"]
    assert first["code_attempts"] == first["sign_in_attempts"] == first["rate_limit_counters"] == 0
    assert first["emails"] == 1  # the reminder, once
    # each job ran twice, both recorded, and exactly one next run of each is waiting
    assert sorted(first["waiting"]) == sorted(job.task.module_path for job in registry.JOBS)
    for job in registry.JOBS:
        runs = list(JobRun.objects.filter(job=job.name).order_by("pk"))
        assert [run.outcome for run in runs] == [Outcome.OK, Outcome.OK], job.name
        assert all(run.finished_at is not None for run in runs)
        assert not any(runs[1].counts.values()), (job.name, runs[1].counts)  # nothing left
    assert JobRun.objects.get(job=operations_tasks.DRAFTS_JOB, pk__in=_first_runs()).counts == {
        "drafts_purged": 1,
        "code_attempts_purged": 1,
    }
    assert registry.summary({"drafts_purged": 3}) == "3 drafts purged"


def _first_runs() -> list[int]:
    return [
        JobRun.objects.filter(job=job.name).order_by("pk").values_list("pk", flat=True)[0]
        for job in registry.JOBS
    ]


def test_drafts_are_purged_only_after_their_retention() -> None:
    with time_machine.travel(NOW, tick=False):
        draft = _draft(_tenant()["link"])
    with time_machine.travel(NOW + drafts.DRAFT_TTL - dt.timedelta(minutes=1), tick=False):
        assert operations_tasks.purge_drafts.call()["drafts_purged"] == 0
        assert Draft.objects.filter(pk=draft.pk).exists()
    with time_machine.travel(NOW + drafts.DRAFT_TTL, tick=False):
        assert operations_tasks.purge_drafts.call()["drafts_purged"] == 1
        assert not Draft.objects.exists()


def test_drafts_of_expired_or_revoked_links_go_and_others_stay() -> None:
    t = _tenant()
    with time_machine.travel(NOW, tick=False):
        live = _draft(t["link"])
        expiring, _ = f.make_link(
            t["link"].campaign, t["admin"], expires_at=NOW + dt.timedelta(days=1)
        )
        revoked, _ = f.make_link(t["link"].campaign, t["admin"], revoked_at=NOW)
        _draft(expiring)
        _draft(revoked)
    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        assert operations_tasks.purge_closed_link_drafts.call() == {"drafts_purged": 2}
        assert operations_tasks.purge_closed_link_drafts.call() == {"drafts_purged": 0}
    assert list(Draft.objects.values_list("pk", flat=True)) == [live.pk]


def test_a_failed_run_is_recorded_without_its_message_and_the_chain_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(**_kw: Any) -> int:
        raise ValueError("rosa@example.org could not be reached")

    monkeypatch.setattr(drafts, "drafts_purge_expired", broken)
    with pytest.raises(ValueError, match="rosa"):
        operations_tasks.purge_drafts.call()
    run = JobRun.objects.get()
    assert run.outcome == Outcome.FAILED
    assert run.finished_at is not None
    assert run.error.startswith("builtins.ValueError in ")
    assert "operations/tasks.py" in run.error
    assert "rosa" not in run.error
    assert DBTaskResult.objects.filter(
        task_path=operations_tasks.purge_drafts.module_path, status=TaskResultStatus.READY
    ).exists()  # the next night's run is queued all the same


def test_old_records_go_and_recent_ones_stay() -> None:
    with time_machine.travel(NOW - dt.timedelta(days=40), tick=False):
        for _ in range(housekeeping.RUNS_KEPT + 2):
            JobRun.objects.create(job="draft-purge", outcome=Outcome.OK)
        JobRun.objects.create(job="newsletter-purge", outcome=Outcome.OK)
    with time_machine.travel(NOW - dt.timedelta(minutes=30), tick=False):
        recent_attempt = SignInAttempt.objects.create(kind="password", email="x@example.org")
        # an hour's window, still counting; the other's 10-minute window ended long ago
        ratelimit.hit("form:contact", "203.0.113.7", ratelimit.Rate(limit=5, seconds=3600))
    with time_machine.travel(NOW - dt.timedelta(hours=2), tick=False):
        ratelimit.hit("form:contact", "203.0.113.8", ratelimit.Rate(limit=5, seconds=600))
    with time_machine.travel(NOW, tick=False):
        counts = operations_tasks.prune_attempts.call()
    assert counts == {
        "sign_in_attempts_purged": 0,
        "rate_limit_counters_purged": 1,
        "job_runs_purged": 2,
        "task_results_purged": 0,
    }
    assert list(SignInAttempt.objects.all()) == [recent_attempt]
    assert list(RateLimitCounter.objects.values_list("key_hash", flat=True)) == [
        ratelimit.key_hash("form:contact", "203.0.113.7")
    ]
    assert JobRun.objects.filter(job="draft-purge").count() == housekeeping.RUNS_KEPT
    assert JobRun.objects.filter(job="newsletter-purge").count() == 1  # its last run stays


def test_schedule_all_queues_one_first_run_of_every_job() -> None:
    assert set(registry.schedule_all().values()) == {True}
    assert set(registry.schedule_all().values()) == {False}
    paths = DBTaskResult.objects.values_list("task_path", flat=True)
    assert sorted(paths) == sorted(job.task.module_path for job in registry.JOBS)
    assert len(registry.BY_NAME) == len(registry.JOBS)  # names are unique
