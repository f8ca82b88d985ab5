"""FHIR search parameters of ``/fhir/``: dates with prefixes (``authored=ge2026-01-01``),
``_count``, the opaque paging cursor, and the check that every parameter is one HOPEful knows
(an unknown one is refused rather than ignored, so a misspelt filter never returns more
records than were asked for)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core import signing
from django.http import QueryDict

__all__ = [
    "MAX_COUNT",
    "SearchError",
    "cursor_dump",
    "cursor_load",
    "date_interval",
    "page_size",
    "unknown_params",
]

#: The most resources one page of a search returns, and the default.
MAX_COUNT = 100
DEFAULT_COUNT = 20

#: Parameters every search takes and ignores (JSON is the only format).
IGNORED = frozenset({"_format", "_pretty"})

_PREFIXES = ("eq", "ge", "gt", "le", "lt")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_CURSOR_SALT = "hopeful.fhir.cursor"


class SearchError(ValueError):
    """A search parameter HOPEful cannot use (answered 400)."""


def unknown_params(params: QueryDict, known: Iterable[str]) -> list[str]:
    allowed = set(known) | IGNORED
    return sorted(name for name in params if name not in allowed)


def page_size(params: QueryDict) -> int:
    value = params.get("_count")
    if value is None:
        return DEFAULT_COUNT
    if not value.isdigit() or not 0 <= int(value) <= MAX_COUNT:
        raise SearchError(f"_count must be a whole number from 0 to {MAX_COUNT}.")
    return int(value)


def _interval(value: str) -> tuple[dt.datetime, dt.datetime]:
    """The instants ``[start, end)`` a FHIR date or dateTime covers (no zone: UTC)."""
    match = _DATE.match(value)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None  # noqa: S101 - the pattern makes it
        if month is None:
            return _utc(year, 1, 1), _utc(year + 1, 1, 1)
        if not 1 <= month <= 12:
            raise ValueError(value)
        if day is None:
            nxt = (year + 1, 1) if month == 12 else (year, month + 1)
            return _utc(year, month, 1), _utc(*nxt, 1)
        start = _utc(year, month, day)
        return start, start + dt.timedelta(days=1)
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    step = dt.timedelta(microseconds=1) if moment.microsecond else dt.timedelta(seconds=1)
    return moment, moment + step


def _utc(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, tzinfo=dt.UTC)


def date_interval(value: str) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The ``(from, before)`` bounds a prefixed date parameter sets (None: no bound)."""
    prefix, rest = ("eq", value)
    if value[:2] in _PREFIXES:
        prefix, rest = value[:2], value[2:]
    try:
        start, end = _interval(rest)
    except ValueError:
        raise SearchError(
            f"{value!r} is not a date: write it as eq, ge, gt, le or lt followed by YYYY, "
            "YYYY-MM, YYYY-MM-DD or an ISO 8601 date and time (UTC when no zone is given)."
        ) from None
    return {
        "eq": (start, end),
        "ge": (start, None),
        "gt": (end, None),
        "le": (None, end),
        "lt": (None, start),
    }[prefix]


def cursor_dump(position: list[Any]) -> str:
    """An opaque, signed cursor for the page after ``position``."""
    return signing.dumps(position, salt=_CURSOR_SALT, compress=True)


def cursor_load(value: str) -> list[Any]:
    try:
        position = signing.loads(value, salt=_CURSOR_SALT)
    except signing.BadSignature:
        raise SearchError(
            "_cursor is not a cursor this server gave; follow the next link."
        ) from None
    if not isinstance(position, list):
        raise SearchError("_cursor is not a cursor this server gave; follow the next link.")
    return position
