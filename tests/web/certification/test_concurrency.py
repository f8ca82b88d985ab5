"""Two requests at the same moment: a training completion recorded twice (a double click,
the trainings' periodic retry) certifies once; two staff members suspending at once suspend
once. Needs PostgreSQL (real row locks, concurrent connections): ``DATABASE_URL=postgres://...``."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from hopeful.framework.certification import Action, State, Tier
from hopeful.web.certification import services
from hopeful.web.certification.models import Certification, CertificationEvent, Credential
from tests.web.certification.helpers import certify, make_learner, make_staff

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency tests need PostgreSQL (set DATABASE_URL)",
    ),
]


def _race(*calls: Callable[[], object]) -> list[BaseException]:
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            call()
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.parametrize("attempt", range(3))
def test_two_awards_at_once_certify_once(attempt: int) -> None:
    rosa = make_learner(f"rosa{attempt}@example.org")
    evidence = {"training": f"t-{attempt}"}

    def award() -> object:
        return services.certification_award_from_training(
            user=rosa, tier=Tier.FACILITATOR, evidence=evidence, actor=rosa
        )

    assert _race(award, award) == []
    cert = Certification.objects.get(user=rosa)
    assert cert.state == State.CERTIFIED
    assert Credential.objects.filter(certification=cert).count() == 1
    assert CertificationEvent.objects.filter(certification=cert, action="certify").count() == 1


def test_two_suspensions_at_once_suspend_once() -> None:
    cert = certify(make_learner())
    staff = [make_staff("a@hope.example.org"), make_staff("b@hope.example.org")]

    def suspend(who: object) -> Callable[[], object]:
        return lambda: services.certification_act(
            certification=cert, action=Action.SUSPEND, actor=who, reason="Complaint"
        )

    errors = _race(suspend(staff[0]), suspend(staff[1]))
    assert len(errors) == 1
    assert isinstance(errors[0], services.CertificationError)
    cert.refresh_from_db()
    assert cert.state == State.SUSPENDED
    assert cert.events.filter(action="suspend").count() == 1
