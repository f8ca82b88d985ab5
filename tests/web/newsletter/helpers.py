"""Shared helpers of the newsletter tests: a filled sign-up form, and running the worker."""

from __future__ import annotations

import io
from typing import Any

from django.core import signing
from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hopeful.web.cms.guard import SALT
from hopeful.web.newsletter.models import Subscription
from hopeful.web.newsletter.services import SignUp, subscription_sign_up


def started(seconds_ago: float = 60) -> str:
    """The guard's signed start time, as if the form was shown ``seconds_ago``."""
    return signing.dumps(timezone.now().timestamp() - seconds_ago, salt=SALT)


def form_data(**changes: Any) -> dict[str, Any]:
    """A valid sign-up post (an address, interests, Spanish newsletter, consent)."""
    data: dict[str, Any] = {
        "email": "Maria.Lopez@Example.org",
        "building_blocks": ["relationships", "engagement"],
        "audiences": ["families"],
        "language": "es",
        "consent": "on",
        "website": "",
        "started": started(),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def run_worker() -> None:
    """The database queue's real worker: every task waiting now, then exit (needs a
    ``transaction=True`` test)."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=io.StringIO())


def run_queued() -> int:
    """Run the tasks waiting in the queue in this test's transaction (what the worker would
    run), and take them off the queue. Returns how many ran."""
    ran = 0
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("enqueued_at")
    for result in waiting:
        task = import_string(result.task_path)
        task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        result.delete()
        ran += 1
    return ran


def make_subscription(email: str = "sam@example.org", *, confirmed: bool = False) -> Subscription:
    """A sign-up made through the service (its emails are queued only on commit)."""
    outcome = subscription_sign_up(
        email=email,
        language="en",
        building_blocks=["relationships"],
        audiences=["educators"],
        consent_text="I agree.",
        consent_language="en",
    )
    assert outcome is SignUp.PENDING
    subscription = Subscription.objects.get(email=email)
    if confirmed:  # confirmed a while ago: its confirmation email is long sent
        subscription.confirmed_at = timezone.now()
        subscription.email_queued_at = None
        subscription.save(update_fields=["confirmed_at", "email_queued_at"])
    return subscription
