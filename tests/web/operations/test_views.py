"""The staff's jobs page: who may open it, what it shows, and "Run now" (queued once,
audited)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hopeful.web.audit.models import AuditEvent
from hopeful.web.operations import registry
from hopeful.web.operations.models import JobRun, Outcome
from tests.web import factories as f

pytestmark = pytest.mark.django_db

JOB = registry.JOBS[0]


@pytest.fixture
def staff_client(client: Client) -> Client:
    f.login_verified(client, f.make_user("staff@hope.example.org", is_network_staff=True))
    return client


def test_only_network_staff_may_open_the_pages(client: Client) -> None:
    urls = [
        reverse("operations:job_list"),
        reverse("operations:job_detail", args=[JOB.name]),
    ]
    for url in urls:  # not signed in: sent to sign in
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]
    response = client.post(reverse("operations:job_run_now", args=[JOB.name]))
    assert response.status_code == 302
    assert "login" in response["Location"]
    org = f.make_org()
    f.login_verified(client, f.make_member(org, "org_admin", "admin@example.org"))
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(reverse("operations:job_run_now", args=[JOB.name])).status_code == 403
    assert not DBTaskResult.objects.exists()


def test_the_list_shows_every_job_and_a_failed_last_run_in_words(staff_client: Client) -> None:
    JobRun.objects.create(job=JOB.name, outcome=Outcome.OK, counts={"emails_sent": 2})
    failing = registry.JOBS[1]
    JobRun.objects.create(job=failing.name, outcome=Outcome.FAILED, error="builtins.ValueError")
    registry.schedule_all()
    response = staff_client.get(reverse("operations:job_list"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    for job in registry.JOBS:
        assert str(job.title) in html
        assert reverse("operations:job_detail", args=[job.name]) in html
    assert "2 emails sent" in html
    assert "1 job failed on its last run" in html
    assert "Failed" in html
    assert "Never run yet" in html
    assert staff_client.get("/es/staff/jobs/").status_code == 200


def test_the_detail_lists_recent_runs_and_unknown_jobs_are_404(staff_client: Client) -> None:
    JobRun.objects.create(job=JOB.name, outcome=Outcome.FAILED, error="builtins.KeyError")
    response = staff_client.get(reverse("operations:job_detail", args=[JOB.name]))
    assert response.status_code == 200
    html = response.content.decode()
    assert JOB.describe() in html
    assert "builtins.KeyError" in html
    assert (
        staff_client.get(reverse("operations:job_detail", args=["no-such-job"])).status_code == 404
    )
    assert (
        staff_client.post(reverse("operations:job_run_now", args=["no-such-job"])).status_code
        == 404
    )


def test_run_now_queues_one_run_and_is_audited(staff_client: Client) -> None:
    url = reverse("operations:job_run_now", args=[JOB.name])
    assert staff_client.get(url).status_code == 405
    registry.schedule_all()  # the regular next run, later today or tomorrow
    response = staff_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("operations:job_detail", args=[JOB.name])
    assert "is queued" in response.content.decode()
    staff_client.post(url)  # a second click adds no second run
    waiting = DBTaskResult.objects.filter(
        task_path=JOB.task.module_path, status=TaskResultStatus.READY
    )
    assert waiting.count() == 2  # the regular one and one to run now
    events = AuditEvent.objects.filter(verb="operations.job_run_requested", object_id=JOB.name)
    assert [e.extra["queued"] for e in events.order_by("pk")] == [True, False]
    assert all(e.actor.email == "staff@hope.example.org" for e in events)
