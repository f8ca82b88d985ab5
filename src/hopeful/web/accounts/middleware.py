"""Session limits: an idle timeout and an absolute one, checked on every request; and the
record of each signed-in session (for the Account security page)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from hopeful.web.accounts.signed_in import signed_in_user

LAST_ACTIVITY_KEY = "hopeful_last_activity"
SIGNED_IN_AT_KEY = "hopeful_signed_in_at"
#: Writing the session on every request costs a database write; a few seconds of slack in
#: the idle clock does not matter.
_TOUCH_EVERY_SECONDS = 10


class SessionTimeoutMiddleware:
    """End a signed-in session after ``HOPEFUL_SESSION_IDLE_MINUTES`` without a request, or
    ``SESSION_COOKIE_AGE`` seconds after sign-in however active it was.

    Django renews the session's expiry whenever the session is saved, so the absolute limit
    has to be kept here. Ending means ``logout()``: the server-side session is deleted.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = time.time()
        session = request.session
        last = session.get(LAST_ACTIVITY_KEY)
        signed_in_at = session.get(SIGNED_IN_AT_KEY)
        idle_seconds = settings.HOPEFUL_SESSION_IDLE_MINUTES * 60
        if (isinstance(last, int | float) and now - last > idle_seconds) or (
            isinstance(signed_in_at, int | float)
            and now - signed_in_at > settings.SESSION_COOKIE_AGE
        ):
            logout(request)
            messages.info(
                request, _("You were signed out to protect your account. Please sign in again.")
            )
            return
        if signed_in_at is None:
            session[SIGNED_IN_AT_KEY] = int(now)
        if last is None or now - last >= _TOUCH_EVERY_SECONDS:
            session[LAST_ACTIVITY_KEY] = int(now)


#: The session's entry in the owner's list of sessions (``UserSession.public_id``), the
#: session key it was last recorded under, and when (epoch seconds).
SESSION_RECORD_KEY = "hopeful_session_record"
_RECORDED_KEY = "hopeful_session_record_key"
_RECORDED_AT = "hopeful_session_record_at"
#: The list shows "last active" to the minute; more writes would buy nothing.
_RECORD_EVERY_SECONDS = 60


class SessionRecordMiddleware:
    """Keep the signed-in person's session record current, after the view has run (the
    session key changes at sign-in and after the second factor)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            record_session(request)
        return response


def record_session(request: HttpRequest) -> None:
    from hopeful.web.accounts import services

    session = request.session
    if session.session_key is None:
        # A new session (just signed in) gets its key now, so the record can name it.
        session.save()
    key = session.session_key or ""
    now = int(time.time())
    record_id = session.get(SESSION_RECORD_KEY)
    recorded_at = session.get(_RECORDED_AT)
    if (
        record_id
        and session.get(_RECORDED_KEY) == key
        and isinstance(recorded_at, int)
        and now - recorded_at < _RECORD_EVERY_SECONDS
    ):
        return
    user = signed_in_user(request)
    if record_id:
        if not services.user_session_touch(record_id=record_id, user=user, session_key=key):
            # Ended elsewhere while this request ran: do not bring it back.
            return
    else:
        # A session from before sessions were recorded.
        record = services.user_session_start(
            user=user,
            session_key=key,
            user_agent=request.headers.get("User-Agent", ""),
            ip_address=_client_ip(request),
        )
        session[SESSION_RECORD_KEY] = str(record.public_id)
    mark_recorded(session, key=key, now=now)


def mark_recorded(session: Any, *, key: str, now: int | None = None) -> None:
    """Note in the session that its record is current for ``key`` (as of ``now``), so the
    next requests within a minute write nothing."""
    session[_RECORDED_KEY] = key
    session[_RECORDED_AT] = int(time.time()) if now is None else now


def _client_ip(request: HttpRequest) -> str | None:
    from hopeful.web.accounts.selectors import client_ip

    return client_ip(request)
