"""Two staff members act on one request at the same moment: the step is checked against the
status read under the row's lock, so exactly one wins. The threaded test needs PostgreSQL
(real row locks and concurrent connections: ``DATABASE_URL=postgres://...``); the stale-page
test runs everywhere."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from hopeful.web.presentations import services
from hopeful.web.presentations.models import PresentationRequest, Status
from tests.web.certification.helpers import make_staff
from tests.web.presentations.helpers import make_request, make_trainer


@pytest.mark.django_db
def test_a_step_from_a_stale_page_is_checked_against_the_stored_status() -> None:
    staff = make_staff()
    trainer = make_trainer("Ana Ortiz", "02139")
    item = make_request()
    stale = PresentationRequest.objects.get(pk=item.pk)
    services.request_step(request=item, kind="decline", actor=staff, reason="No trainer")
    assert stale.status == Status.NEW  # what the other staff member's page still shows
    with pytest.raises(services.PresentationError):
        services.request_step(request=stale, kind="assign", actor=staff, listing=trainer)
    item.refresh_from_db()
    assert (item.status, item.assigned_listing) == (Status.DECLINED, None)
    assert item.events.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the concurrent steps test needs PostgreSQL (set DATABASE_URL)",
)
@pytest.mark.parametrize("attempt", range(3))
def test_two_declines_at_once_one_wins(attempt: int) -> None:
    item = make_request(organization_name=f"Org {attempt}")
    racers = [make_staff(f"staff{attempt}-{i}@hope.example.org") for i in range(2)]
    barrier = threading.Barrier(len(racers))
    refused: list[BaseException] = []
    errors: list[BaseException] = []

    def decline(user: object) -> None:
        try:
            barrier.wait(timeout=10)
            services.request_step(request=item, kind="decline", actor=user, reason="Busy")
        except services.PresentationError as error:
            refused.append(error)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decline, args=(u,)) for u in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(refused) == 1
    item.refresh_from_db()
    assert item.status == Status.DECLINED
    assert item.events.filter(kind="decline").count() == 1
