"""The demo requests: every status, assigned to listed trainers when there are any,
idempotent."""

from __future__ import annotations

import pytest

from hopeful.web.directory.rules import listed
from hopeful.web.presentations.demo import presentations_demo_load
from hopeful.web.presentations.models import PresentationRequest, Status
from tests.web.presentations.helpers import make_trainer

pytestmark = pytest.mark.django_db


def test_without_listings_the_requests_wait_new_or_declined() -> None:
    counts = presentations_demo_load()
    assert counts["presentation_requests"] == 15
    assert counts["presentation_requests_assigned"] == 0
    statuses = set(PresentationRequest.objects.values_list("status", flat=True))
    assert statuses == {Status.NEW, Status.DECLINED}
    assert presentations_demo_load()["presentation_requests"] == 0
    assert PresentationRequest.objects.count() == 15


def test_with_listings_every_status_appears_and_trainers_are_listed_ones() -> None:
    make_trainer("Ana Ortiz", "02139")
    make_trainer("Wes Worcester", "53703", languages=("en",))
    said: list[str] = []
    counts = presentations_demo_load(progress=said.append)
    assert counts["presentation_requests_assigned"] == 9
    assert said
    statuses = set(PresentationRequest.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    visible = set(listed().values_list("pk", flat=True))
    for item in PresentationRequest.objects.exclude(assigned_listing=None):
        assert item.assigned_listing_id in visible
        assert item.events.count() >= 2
    scheduled = PresentationRequest.objects.filter(status=Status.SCHEDULED)
    assert all(item.scheduled_for is not None for item in scheduled)


def test_each_demo_request_happened_in_order_and_in_the_past() -> None:
    from django.utils import timezone

    make_trainer("Ana Ortiz", "02139")
    presentations_demo_load()
    now = timezone.now()
    for item in PresentationRequest.objects.all():
        steps = list(item.events.order_by("at", "pk").values_list("to_status", "at"))
        assert steps[0][0] == Status.NEW, item  # the request came first
        assert all(at <= now for _status, at in steps), item
        if item.status == Status.DELIVERED:
            assert item.scheduled_for is not None
            assert steps[-2][1] < item.scheduled_for < now  # scheduled, then it took place
            assert [status for status, _at in steps][-1] == Status.DELIVERED
