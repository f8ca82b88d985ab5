"""Cursor pagination for the API's lists: stable under inserts, no page numbers.

A list is ordered by the rows' internal ids (oldest first), so a client that keeps the last
``next`` link and calls it later gets exactly what was added since. The cursor is opaque to
clients (URL-safe base64 of ``{"after": <id>}``); a forged cursor can only skip rows of the
token's own organization, because every list is filtered by it first.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from hopeful.web.api.tokens import ApiError

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "decode_cursor", "encode_cursor", "page"]

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

_M = TypeVar("_M", bound=Model)


def encode_cursor(after: int) -> str:
    raw = json.dumps({"after": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id after which the page starts, or a 400 problem for a cursor this API never gave."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data: Any = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        after = data["after"]
    except (ValueError, KeyError, TypeError, UnicodeEncodeError, binascii.Error):
        raise ApiError(400, "The cursor is not one this API gave; start without it.") from None
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise ApiError(400, "The cursor is not one this API gave; start without it.")
    return after


def page(
    request: HttpRequest, queryset: QuerySet[_M], *, cursor: str | None, limit: int
) -> tuple[list[_M], str | None]:
    """One page of ``queryset`` (by id, after the cursor) and the URL of the next page (None
    at the end). The other query parameters are kept in the next link."""
    after = decode_cursor(cursor) if cursor else 0
    rows = list(queryset.filter(pk__gt=after).order_by("pk")[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    params = {k: v for k, v in request.GET.items() if k != "cursor"}
    params["cursor"] = encode_cursor(int(rows[-1].pk))
    return rows, request.build_absolute_uri(f"{request.path}?{urlencode(params)}")
