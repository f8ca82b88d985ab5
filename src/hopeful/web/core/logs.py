"""Logs for operators: one JSON object per line (or plain text), and one line per request.

Logs leave the application (a terminal, ``docker logs``, a log shipper), so they carry no
personal data and no credentials:

- A survey link's token is in its *path* (``/s/<token>/``), so a request is logged by its
  URL pattern (``route``: ``s/<survey_token:token>/``) and view name, never by its path or
  query string. :class:`RedactPaths` rewrites Django's and waitress's own messages
  ("Not Found: /s/...", "Exception while serving /s/...") the same way.
- The JSON formatter writes only the fields in :data:`FIELDS`; anything else a library
  attaches to a record (Django attaches the whole request) is dropped.

The settings (``LOGGING``, chosen by ``HOPEFUL_LOG_FORMAT``) name these classes by their
dotted paths, so importing this module never happens before Django is set up.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from hopeful.web.audit.middleware import current_request_id

__all__ = [
    "FIELDS",
    "JsonFormatter",
    "RedactPaths",
    "RequestContext",
    "RequestLogMiddleware",
    "route_of",
]

#: Every key a JSON log line may have, in this order.
FIELDS = (
    "time",
    "level",
    "logger",
    "message",
    "request_id",
    "method",
    "route",
    "view",
    "status",
    "duration_ms",
    "exc_info",
    "stack_info",
)

#: Stands for a path that matched no URL pattern (its text is whatever the client sent).
UNRESOLVED = "[unresolved]"
#: Where RequestLogMiddleware keeps the request's id on the request.
REQUEST_ID_ATTRIBUTE = "hopeful_request_id"
_WAITRESS_PATH = re.compile(r"(while serving) \S+")


def route_of(request: HttpRequest) -> str:
    """The URL pattern that answered ``request`` (``s/<survey_token:token>/``), never its
    path: paths carry link tokens and ids."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.route:
        return UNRESOLVED
    return "/" + str(match.route).lstrip("^").rstrip("$")


class RequestContext(logging.Filter):
    """Adds the request id (``X-Request-ID``) to every record logged while a request runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            # Django logs an error answer after the middlewares returned: the id then comes
            # from the request, where RequestLogMiddleware left it.
            record.request_id = current_request_id() or getattr(
                getattr(record, "request", None), REQUEST_ID_ATTRIBUTE, ""
            )
        return True


class RedactPaths(logging.Filter):
    """Replaces request paths in Django's and waitress's messages with the URL pattern.

    Django logs 4xx/5xx answers as ``"Not Found: %s"`` with the path as an argument and the
    request attached; the development server logs the whole request line; waitress formats
    the path into its message.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            paths = {request.path, request.path.encode("unicode_escape").decode("ascii")}
            route = route_of(request)
            if isinstance(record.args, tuple):
                record.args = tuple(route if arg in paths else arg for arg in record.args)
            record.method = request.method
            record.route = route
            status = getattr(record, "status_code", None)
            if status is not None:
                record.status = status
        elif record.name == "django.server" and isinstance(record.args, tuple) and record.args:
            # '"GET /s/<token>/?x=1 HTTP/1.1" 200 512': keep the method only.
            line = str(record.args[0])
            record.args = (line.split(" ", 1)[0], *record.args[1:])
        elif record.name.startswith("waitress") and isinstance(record.msg, str):
            record.msg = _WAITRESS_PATH.sub(r"\1 [path not logged]", record.msg)
        return True


class JsonFormatter(_JsonFormatter):
    """python-json-logger's formatter writing :data:`FIELDS` only, with the time in UTC
    (ISO 8601) and the level and logger under short names."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")
        super().__init__(*args, **kwargs)

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {key: log_data[key] for key in FIELDS if log_data.get(key) not in (None, "", [])}


_request_logger = logging.getLogger("hopeful.request")


class RequestLogMiddleware:
    """One INFO line per request on the ``hopeful.request`` logger: method, URL pattern,
    view name, status and duration (no path, no query string, no user)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        setattr(request, REQUEST_ID_ATTRIBUTE, current_request_id())
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = route_of(request)
        # Static files (WhiteNoise answers them before any URL pattern) only at DEBUG.
        level = logging.INFO if match is not None or response.status_code >= 400 else logging.DEBUG
        _request_logger.log(
            level,
            "%s %s %s",
            request.method,
            route,
            response.status_code,
            extra={
                "method": request.method,
                "route": route,
                "view": (match.view_name if match is not None else "") or "",
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response
