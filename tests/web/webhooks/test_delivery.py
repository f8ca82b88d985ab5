"""Messages after a real submission, sent by the real database worker to a real HTTP
receiver on 127.0.0.1: headers, signature, ids only, retries with backoff, 410 Gone, a
rolled-back submission, the SSRF guard at delivery time and the sweep."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hopeful.web.audit.models import AuditEvent
from hopeful.web.organizations.models import Role
from hopeful.web.webhooks import delivery as messages
from hopeful.web.webhooks import services
from hopeful.web.webhooks.models import Delivery, DeliveryStatus, DisabledReason, EventType
from tests.web.webhooks.helpers import FAMILY_NAME, add_webhook, receiver, run_worker, submit
from tests.web.webhooks.test_signing_and_guard import independent_signature

# The worker takes its tasks in a transaction of its own: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _private_allowed(settings: Any) -> None:
    settings.HOPEFUL_WEBHOOK_ALLOW_PRIVATE = True


def stored_submission(t: dict[str, Any], capture: Any) -> Any:
    """A submission stored and committed (its on-commit work run)."""
    with capture(execute=True):
        return submit(t)


def test_a_submission_is_delivered_signed_with_ids_only(
    two_tenants: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = two_tenants
    with receiver() as rx:
        webhook, secret = add_webhook(t, rx.url)
        before = timezone.now()
        submission = stored_submission(t, django_capture_on_commit_callbacks)
        queued = Delivery.objects.get()
        assert queued.status == DeliveryStatus.PENDING
        run_worker()
    assert len(rx.received) == 1
    got = rx.received[0]
    assert got.path == "/hook"
    assert got.headers["content-type"] == "application/json"
    # Standard Webhooks headers, and a signature computed independently here
    assert got.headers["webhook-id"] == str(queued.event_id)
    timestamp = got.headers["webhook-timestamp"]
    assert int(before.timestamp()) - 1 <= int(timestamp) <= int(timezone.now().timestamp()) + 1
    assert got.headers["webhook-signature"] == independent_signature(
        secret, got.headers["webhook-id"], timestamp, got.body
    )
    body = json.loads(got.body)
    assert body == {
        "type": "submission.created",
        "timestamp": messages.iso(submission.submitted_at),
        "data": {
            "organization": str(t["org_a"].public_id),
            "program": str(t["program_a"].public_id),
            "campaign": str(t["campaign_a"].public_id),
            "submission": str(submission.public_id),
            "submitted_at": messages.iso(submission.submitted_at),
        },
    }
    # never the answers, the family's name, scores or demographics
    text = got.body.decode()
    for secret_thing in (FAMILY_NAME, "pce", "answers", "score", "demographics", "consent"):
        assert secret_thing not in text
    assert str(submission.family.public_id) not in text
    done = Delivery.objects.get()
    assert (done.status, done.attempts, done.last_status_code) == ("delivered", 1, 200)
    assert done.delivered_at is not None
    assert done.organization == t["org_a"]
    assert done.webhook == webhook


def test_an_organization_without_webhooks_or_with_one_turned_off_gets_no_message(
    two_tenants: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = two_tenants
    with receiver() as rx:
        webhook, _secret = add_webhook(t, rx.url)
        services.webhook_disable(actor=None, webhook=webhook)
        stored_submission(t, django_capture_on_commit_callbacks)
        run_worker()
    assert rx.received == []
    assert not Delivery.objects.exists()


def test_each_active_webhook_gets_the_event_under_one_event_id(
    two_tenants: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = two_tenants
    with receiver("/one") as one, receiver("/two") as two:
        add_webhook(t, one.url)
        add_webhook(t, two.url)
        stored_submission(t, django_capture_on_commit_callbacks)
        run_worker()
    assert len(one.received) == len(two.received) == 1
    assert one.received[0].headers["webhook-id"] == two.received[0].headers["webhook-id"]
    assert Delivery.objects.filter(status="delivered").count() == 2


def test_a_rolled_back_submission_sends_nothing(
    two_tenants: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = two_tenants

    class UndoError(Exception):
        pass

    def submit_then_roll_back() -> None:
        with transaction.atomic():
            submit(t)
            assert Delivery.objects.count() == 1  # recorded inside the transaction...
            raise UndoError

    with receiver() as rx:
        add_webhook(t, rx.url)
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(UndoError),
        ):
            submit_then_roll_back()
        run_worker()
    assert callbacks == []  # ...and nothing queued once it rolled back
    assert not Delivery.objects.exists()
    assert not DBTaskResult.objects.filter(task_path__endswith="deliver").exists()
    assert rx.received == []


def test_a_failed_attempt_is_retried_with_backoff_and_delivered(
    two_tenants: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = two_tenants
    with receiver() as rx:
        rx.answers = [500, 200]
        add_webhook(t, rx.url)
        stored_submission(t, django_capture_on_commit_callbacks)
        run_worker()
        first = Delivery.objects.get()
        assert (first.status, first.attempts, first.last_status_code) == ("pending", 1, 500)
        assert first.last_error.startswith("HTTP 500")
        assert len(first.last_error) <= 300  # only the start of the receiver's answer
        assert first.next_attempt_at is not None
        wait = first.next_attempt_at - first.last_attempt_at
        assert wait == messages.RETRY_DELAYS[0]
        run_worker()  # not due yet: nothing is sent
        assert len(rx.received) == 1
        with time_machine.travel(first.next_attempt_at + dt.timedelta(seconds=1), tick=False):
            run_worker()
    assert len(rx.received) == 2
    ids = {r.headers["webhook-id"] for r in rx.received}
    assert ids == {str(first.event_id)}  # the same message id on every attempt
    assert rx.received[0].body == rx.received[1].body
    done = Delivery.objects.get()
    assert (done.status, done.attempts, done.last_status_code, done.last_error) == (
        "delivered",
        2,
        200,
        "",
    )


def test_a_message_that_keeps_failing_fails_after_the_last_attempt(
    two_tenants: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = two_tenants
    with receiver() as rx:
        rx.answers = [503] * messages.MAX_ATTEMPTS + [200]
        add_webhook(t, rx.url)
        stored_submission(t, django_capture_on_commit_callbacks)
        run_worker()
        for _ in messages.RETRY_DELAYS:
            due = Delivery.objects.get().next_attempt_at
            with time_machine.travel(due + dt.timedelta(seconds=1), tick=False):
                run_worker()
    assert len(rx.received) == messages.MAX_ATTEMPTS == 6
    failed = Delivery.objects.get()
    assert (failed.status, failed.attempts, failed.last_status_code) == ("failed", 6, 503)
    assert failed.next_attempt_at is None


def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    two_tenants: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = two_tenants
    with receiver() as rx:
        rx.answers = [302]
        add_webhook(t, rx.url)
        stored_submission(t, django_capture_on_commit_callbacks)
        run_worker()
    assert len(rx.received) == 1
    pending = Delivery.objects.get()
    assert pending.last_status_code == 302
    assert "redirects are not followed" in pending.last_error


def test_410_gone_turns_the_webhook_off_audited(
    two_tenants: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = two_tenants
    with receiver() as rx:
        rx.answers = [410]
        webhook, _secret = add_webhook(t, rx.url)
        stored_submission(t, django_capture_on_commit_callbacks)
        run_worker()
        stored_submission(t, django_capture_on_commit_callbacks)  # no more messages
        run_worker()
    assert len(rx.received) == 1
    webhook.refresh_from_db()
    assert not webhook.active
    assert webhook.disabled_reason == DisabledReason.GONE
    gone = Delivery.objects.get()
    assert (gone.status, gone.last_status_code) == ("failed", 410)
    event = AuditEvent.objects.get(verb="webhook.disable")
    assert event.actor is None
    assert event.extra["reason"] == "410 Gone"


def test_the_guard_is_checked_again_at_delivery(
    two_tenants: dict[str, Any], django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    t = two_tenants
    with receiver() as rx:
        add_webhook(t, rx.url)  # allowed while the setting is on
        stored_submission(t, django_capture_on_commit_callbacks)
        settings.HOPEFUL_WEBHOOK_ALLOW_PRIVATE = False
        run_worker()
    assert rx.received == []
    refused = Delivery.objects.get()
    assert refused.last_status_code is None
    assert refused.last_error.startswith("Not sent:")
    assert refused.status == "pending"
    assert refused.attempts == 1


def test_a_connection_refused_is_recorded_and_retried(
    two_tenants: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = two_tenants
    with receiver() as rx:
        url = rx.url
    add_webhook(t, url)  # the receiver is gone now
    stored_submission(t, django_capture_on_commit_callbacks)
    run_worker()
    pending = Delivery.objects.get()
    assert pending.status == "pending"
    assert pending.attempts == 1
    assert pending.last_error in ("Connection refused", "Connection failed (ConnectionResetError)")


def test_after_a_rotation_both_secrets_sign_for_a_day(
    two_tenants: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = two_tenants
    with receiver() as rx:
        webhook, old = add_webhook(t, rx.url)
        new = services.webhook_rotate_secret(actor=None, webhook=webhook)
        stored_submission(t, django_capture_on_commit_callbacks)
        run_worker()
        with time_machine.travel(timezone.now() + dt.timedelta(hours=25), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                services.webhook_test(actor=None, webhook=webhook)
            run_worker()
    first, later = rx.received
    ts, mid = first.headers["webhook-timestamp"], first.headers["webhook-id"]
    assert first.headers["webhook-signature"].split(" ") == [
        independent_signature(new, mid, ts, first.body),
        independent_signature(old, mid, ts, first.body),
    ]
    assert later.headers["webhook-signature"] == independent_signature(
        new, later.headers["webhook-id"], later.headers["webhook-timestamp"], later.body
    )
    assert json.loads(later.body)["type"] == "webhook.test"


def test_a_test_message_is_sent_once_and_holds_ids_only(
    two_tenants: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = two_tenants
    with receiver() as rx:
        rx.answers = [500]
        webhook, _secret = add_webhook(t, rx.url)
        with django_capture_on_commit_callbacks(execute=True):
            services.webhook_test(actor=t["members_a"][Role.ORG_ADMIN], webhook=webhook)
        run_worker()
    ping = Delivery.objects.get()
    assert ping.event_type == EventType.TEST
    assert (ping.status, ping.attempts) == ("failed", 1)
    assert json.loads(rx.received[0].body)["data"] == {
        "organization": str(t["org_a"].public_id),
        "webhook": str(webhook.public_id),
    }


def test_a_failed_message_can_be_sent_again_with_the_same_id(
    two_tenants: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = two_tenants
    with receiver() as rx:
        rx.answers = [500, 204]
        webhook, _secret = add_webhook(t, rx.url)
        with django_capture_on_commit_callbacks(execute=True):
            services.webhook_test(actor=None, webhook=webhook)
        run_worker()
        failed = Delivery.objects.get()
        assert failed.status == "failed"
        with django_capture_on_commit_callbacks(execute=True):
            services.delivery_redeliver(actor=None, delivery=failed)
        run_worker()
    assert [r.headers["webhook-id"] for r in rx.received] == [str(failed.event_id)] * 2
    again = Delivery.objects.get()
    assert (again.status, again.attempts, again.last_status_code) == ("delivered", 1, 204)


def test_two_tasks_for_one_delivery_send_it_once(
    two_tenants: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = two_tenants
    with receiver() as rx:
        add_webhook(t, rx.url)
        stored_submission(t, django_capture_on_commit_callbacks)
        pending = Delivery.objects.get()
        messages._queue([pending.pk])  # a duplicate task (the sweep, a recovered worker)
        run_worker()
    assert len(rx.received) == 1
    assert Delivery.objects.get().attempts == 1


def test_the_sweep_requeues_a_lost_delivery_and_fails_an_unfinished_last_attempt(
    two_tenants: dict[str, Any],
) -> None:
    t = two_tenants
    with receiver() as rx:
        webhook, _secret = add_webhook(t, rx.url)
        submit(t)
        # recorded, but its task never queued (the process stopped right after the commit)
        lost = Delivery.objects.get()
        Delivery.objects.filter(pk=lost.pk).update(
            next_attempt_at=timezone.now() - dt.timedelta(minutes=11)
        )
        unfinished = Delivery.objects.create(
            organization=t["org_a"],
            webhook=webhook,
            event_type=EventType.TEST,
            payload={"type": "webhook.test"},
            attempts=1,
            next_attempt_at=timezone.now() - dt.timedelta(minutes=11),
        )
        DBTaskResult.objects.all().delete()
        counts = messages.sweep()
        assert counts == {"webhook_deliveries_requeued": 1, "webhook_deliveries_failed": 1}
        run_worker()
    assert len(rx.received) == 1
    assert Delivery.objects.get(pk=lost.pk).status == "delivered"
    unfinished.refresh_from_db()
    assert unfinished.status == "failed"
    assert unfinished.last_error == "The last attempt did not finish."


def test_the_sweep_job_records_its_run_and_queues_the_next() -> None:
    from hopeful.web.operations.models import JobRun
    from hopeful.web.webhooks import tasks

    tasks.sweep_deliveries.call()
    run = JobRun.objects.get(job=tasks.JOB)
    assert run.outcome == "ok"
    assert run.counts == {"webhook_deliveries_requeued": 0, "webhook_deliveries_failed": 0}
    waiting = DBTaskResult.objects.filter(task_path=tasks.sweep_deliveries.module_path)
    assert waiting.count() == 1
    assert tasks.schedule() is False  # one waiting run is enough
