"""The one rate-limit engine: sliding window, Retry-After, shared counts, hashed keys, pruning."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings

from hopeful.web.core import ratelimit
from hopeful.web.core.models import RateLimitCounter
from hopeful.web.core.ratelimit import Rate
from tests.web.newsletter.helpers import form_data

pytestmark = pytest.mark.django_db

#: The start of a fixed window for every width used here (epoch-aligned).
T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
MINUTE = Rate(3, 60)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_a_limit_allows_its_hits_then_says_how_long_to_wait() -> None:
    for second in (0, 1, 2):
        assert ratelimit.hit("test", "10.0.0.1", MINUTE, now=at(second)).allowed
    refused = ratelimit.hit("test", "10.0.0.1", MINUTE, now=at(10))
    assert refused == ratelimit.Decision(False, 51)
    # still refused just before the hits leave the window, allowed just after
    assert not ratelimit.hit("test", "10.0.0.1", MINUTE, now=at(60)).allowed
    assert ratelimit.hit("test", "10.0.0.1", MINUTE, now=at(61)).allowed
    # a refused hit is not counted, and check() counts nothing
    assert RateLimitCounter.objects.get(window_start=T0).count == 3
    assert not ratelimit.check("test", "10.0.0.1", MINUTE, now=at(61)).allowed
    assert RateLimitCounter.objects.get(window_start=at(60)).count == 1


def test_the_window_slides_so_the_edge_of_a_window_gives_no_double_burst() -> None:
    for second in (57, 58, 59):
        assert ratelimit.hit("test", "a", MINUTE, now=at(second)).allowed
    # A fixed window would allow 3 more at 61 s. Here the previous window's 3 still count for
    # 59/60 of their weight: 2.95 + 0 < 3 lets one through, not a second.
    assert ratelimit.hit("test", "a", MINUTE, now=at(61)).allowed
    decision = ratelimit.hit("test", "a", MINUTE, now=at(61))
    assert decision == ratelimit.Decision(False, 20)
    # at 81 s: 3 × 39/60 + 1 = 2.95 < 3
    assert ratelimit.hit("test", "a", MINUTE, now=at(61 + decision.retry_after)).allowed
    assert not ratelimit.hit("test", "a", MINUTE, now=at(81)).allowed


def test_scopes_and_clients_are_counted_apart_and_stored_only_as_keyed_hashes() -> None:
    for _ in range(3):
        ratelimit.hit("test", "192.0.2.7", MINUTE, now=T0)
    assert not ratelimit.check("test", "192.0.2.7", MINUTE, now=T0).allowed
    assert ratelimit.check("test", "192.0.2.8", MINUTE, now=T0).allowed
    assert ratelimit.check("other", "192.0.2.7", MINUTE, now=T0).allowed
    row = RateLimitCounter.objects.get()
    assert "192.0.2.7" not in str(row.__dict__)
    assert row.key_hash == ratelimit.key_hash("test", "192.0.2.7")
    assert row.key_hash != ratelimit.key_hash("other", "192.0.2.7")
    with override_settings(SECRET_KEY="another-key-for-this-test-only-0123456789"):  # noqa: S106
        assert ratelimit.key_hash("test", "192.0.2.7") != row.key_hash


def test_a_zero_limit_is_off_and_stores_nothing() -> None:
    for _ in range(5):
        assert ratelimit.hit("test", "a", Rate(0, 60), now=T0).allowed
    assert not RateLimitCounter.objects.exists()


def test_a_concurrent_request_that_took_the_last_place_wins(monkeypatch: Any) -> None:
    for _ in range(2):
        ratelimit.hit("test", "a", MINUTE, now=T0)
    # This request read 2 hits; another process counts the third before our update.
    stale = ratelimit._counts
    calls: list[int] = []

    def racing(*args: Any) -> tuple[int, int, bool]:
        seen = stale(*args)
        if not calls:
            RateLimitCounter.objects.update(count=3)
        calls.append(1)
        return seen

    monkeypatch.setattr(ratelimit, "_counts", racing)
    decision = ratelimit.hit("test", "a", MINUTE, now=at(1))
    assert not decision.allowed
    assert decision.retry_after == 60
    assert RateLimitCounter.objects.get().count == 3


def test_prune_deletes_only_counters_that_no_longer_matter() -> None:
    ratelimit.hit("test", "old", MINUTE, now=T0)
    ratelimit.hit("test", "new", MINUTE, now=at(60))
    assert ratelimit.prune(now=at(119)) == 0  # the first window still slides into the second
    assert ratelimit.prune(now=at(121)) == 1
    assert RateLimitCounter.objects.count() == 1
    assert ratelimit.prune(now=at(121)) == 0


def test_tally_counts_per_clock_hour_without_a_limit() -> None:
    hour = 3600
    assert [ratelimit.tally("t", "link", hour, now=at(s)) for s in (0, 10, 3599)] == [1, 2, 3]
    assert ratelimit.tally("t", "link", hour, now=at(3600)) == 1


@override_settings(HOPEFUL_PUBLIC_FORM_LIMIT=2)
def test_a_public_form_shares_its_count_across_clients_and_answers_429_with_retry_after() -> None:
    """Two browsers (or two web processes) from one address share the limit: it is counted
    in the database. The refusal says how long to wait, in seconds and in words."""
    with time_machine.travel(T0, tick=False):
        assert Client().post("/newsletter/", form_data(email="a@example.org")).status_code == 200
        assert Client().post("/newsletter/", form_data(email="b@example.org")).status_code == 200
    with time_machine.travel(at(600), tick=False):
        refused = Client().post("/newsletter/", form_data(email="c@example.org"))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3001"
    assert "Too many sign-ups" in refused.content.decode()
