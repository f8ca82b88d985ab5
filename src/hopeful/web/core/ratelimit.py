"""The one rate-limit engine: how often a client may do something, counted in the database.

Every web process sees the same counts (production runs several), on PostgreSQL and SQLite.
A limit is a :class:`Rate` — at most ``limit`` hits per ``seconds`` — for a *scope* (what is
limited: ``"survey-ip"``, ``"form:contact"``…) and a *client value* (an IP address, a link
token). The value is never stored: only an HMAC of it keyed with ``SECRET_KEY``.

The window slides: counts are kept per fixed window (one row per scope, client and window),
and a hit is allowed while ``previous × (share of the previous window still inside the last
``seconds``) + current < limit`` (the "sliding window counter"). So a client cannot send twice
the limit around a window's edge, and one row per window is all that is kept.

Concurrency: the check and the count are one conditional ``UPDATE … SET count = count + 1
WHERE count < cap``, atomic on both databases, so concurrent requests can never let more hits
through than the limit. Rows older than two windows are deleted by :func:`prune` (a scheduled
job) and, for one scope, whenever a new window row is made.

A refused request is answered 429 with ``Retry-After`` (whole seconds,
:attr:`Decision.retry_after`); :func:`note_retry_after` lets a view that answers 429 itself
pass the wait to :class:`~hopeful.web.core.abuse.AbuseLimitMiddleware`, which sets the header.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from hopeful.web.core.models import RateLimitCounter
from hopeful.web.core.sqlite import sqlite_serialised

__all__ = [
    "Decision",
    "Rate",
    "check",
    "hit",
    "key_hash",
    "note_retry_after",
    "prune",
    "retry_after_noted",
    "tally",
]

#: The request attribute a view sets (through :func:`note_retry_after`) when it answers 429.
_RETRY_ATTR = "hopeful_retry_after"


@dataclass(frozen=True, slots=True)
class Rate:
    """At most ``limit`` hits per ``seconds``; a limit of 0 means no limit."""

    limit: int
    seconds: int

    def __post_init__(self) -> None:
        if self.limit < 0 or self.seconds < 1:
            raise ValueError("a rate needs a limit >= 0 and a window of at least a second")


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether the hit is allowed and, when not, the whole seconds to wait (at least 1)."""

    allowed: bool
    retry_after: int = 0


_ALLOWED = Decision(allowed=True)


def key_hash(scope: str, value: str) -> str:
    """The stored form of a client value: an HMAC-SHA256 keyed with ``SECRET_KEY``."""
    message = f"{scope}\x00{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _window(rate: Rate, now: dt.datetime) -> tuple[dt.datetime, float]:
    """The current window's start and the seconds elapsed in it (windows align to the epoch)."""
    stamp = now.timestamp()
    start = math.floor(stamp / rate.seconds) * rate.seconds
    return dt.datetime.fromtimestamp(start, tz=dt.UTC), stamp - start


def _counts(scope: str, key: str, start: dt.datetime, rate: Rate) -> tuple[int, int, bool]:
    """(previous window's count, current window's count, whether the current row exists)."""
    previous = start - dt.timedelta(seconds=rate.seconds)
    rows = dict(
        RateLimitCounter.objects.filter(
            scope=scope, key_hash=key, window_start__in=[previous, start]
        ).values_list("window_start", "count")
    )
    return rows.get(previous, 0), rows.get(start, 0), start in rows


def _cap(rate: Rate, previous: int, elapsed: float) -> int:
    """The current window's count below which a hit is allowed now."""
    carried = previous * (rate.seconds - elapsed) / rate.seconds
    return math.ceil(rate.limit - carried)


def _retry_after(rate: Rate, previous: int, current: int, elapsed: float) -> int:
    """Whole seconds until ``previous × share + current < limit`` holds again."""
    limit, width = rate.limit, rate.seconds
    wait: float | None = None
    if current < limit and previous > 0:
        # In this window: the carried share falls as time passes.
        moment = width - (limit - current) * width / previous
        if moment < width:
            wait = max(0.0, moment - elapsed)
    if wait is None:
        # In the next window, this window's count is the one carried.
        moment = max(0.0, width - limit * width / current) if current else 0.0
        wait = (width - elapsed) + moment
    return math.floor(wait) + 1


def check(scope: str, value: str, rate: Rate, *, now: dt.datetime | None = None) -> Decision:
    """Whether a hit would be allowed now, without counting it."""
    if rate.limit == 0:
        return _ALLOWED
    now = now or timezone.now()
    start, elapsed = _window(rate, now)
    previous, current, _exists = _counts(scope, key_hash(scope, value), start, rate)
    if current < _cap(rate, previous, elapsed):
        return _ALLOWED
    return Decision(False, _retry_after(rate, previous, current, elapsed))


def hit(scope: str, value: str, rate: Rate, *, now: dt.datetime | None = None) -> Decision:
    """Count one hit if the limit allows it (atomically); say how long to wait if not."""
    if rate.limit == 0:
        return _ALLOWED
    with sqlite_serialised():
        return _hit(scope, value, rate, now or timezone.now())


def _hit(scope: str, value: str, rate: Rate, now: dt.datetime) -> Decision:
    key = key_hash(scope, value)
    start, elapsed = _window(rate, now)
    previous, current, exists = _counts(scope, key, start, rate)
    cap = _cap(rate, previous, elapsed)
    if current < cap:
        if not exists:
            prune(now=now, scope=scope)
            _window_row(scope, key, start, rate.seconds)
        counted = RateLimitCounter.objects.filter(
            scope=scope, key_hash=key, window_start=start, count__lt=cap
        ).update(count=F("count") + 1)
        if counted:
            return _ALLOWED
        # Others took the last places between our read and our update.
        previous, current, _exists = _counts(scope, key, start, rate)
    return Decision(False, _retry_after(rate, previous, current, elapsed))


def tally(scope: str, value: str, seconds: int, *, now: dt.datetime | None = None) -> int:
    """Count one event in the current fixed window of ``seconds`` (aligned to the epoch: an
    hour's window is a clock hour in UTC) and return the window's count so far, this one
    included. No limit: for watching volumes (e.g. submissions per link per hour)."""
    with sqlite_serialised():
        return _tally(scope, value, seconds, now or timezone.now())


def _tally(scope: str, value: str, seconds: int, now: dt.datetime) -> int:
    start, _elapsed = _window(Rate(1, seconds), now)
    key = key_hash(scope, value)
    rows = RateLimitCounter.objects.filter(scope=scope, key_hash=key, window_start=start)
    if not rows.update(count=F("count") + 1):
        _window_row(scope, key, start, seconds)
        rows.update(count=F("count") + 1)
    return int(rows.values_list("count", flat=True).get())


def _window_row(scope: str, key: str, start: dt.datetime, seconds: int) -> None:
    """The counter of a window, at 0, unless a concurrent request made it first. It is kept
    for two windows: the sliding window reads the previous one."""
    RateLimitCounter.objects.bulk_create(
        [
            RateLimitCounter(
                scope=scope,
                key_hash=key,
                window_start=start,
                count=0,
                expires_at=start + dt.timedelta(seconds=2 * seconds),
            )
        ],
        ignore_conflicts=True,
    )


def prune(*, now: dt.datetime | None = None, scope: str | None = None) -> int:
    """Delete counters that can no longer affect any decision (of one ``scope``, or all);
    returns how many went.

    Run by the scheduled jobs (``hopeful.web.core.ratelimit.prune``) and for a scope whenever
    a new window row is made; safe to run any time.
    """
    expired = RateLimitCounter.objects.filter(expires_at__lt=now or timezone.now())
    if scope is not None:
        expired = expired.filter(scope=scope)
    deleted, _ = expired.delete()
    return int(deleted)


def note_retry_after(request: HttpRequest, seconds: int) -> None:
    """Tell the abuse middleware the ``Retry-After`` of the 429 this view is answering."""
    setattr(request, _RETRY_ATTR, max(1, int(seconds)))


def retry_after_noted(request: HttpRequest) -> int | None:
    """The wait a view noted with :func:`note_retry_after`, if any."""
    value = getattr(request, _RETRY_ATTR, None)
    return value if isinstance(value, int) else None
