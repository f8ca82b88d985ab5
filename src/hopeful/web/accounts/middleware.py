"""Session limits: an idle timeout and an absolute one, checked on every request."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

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
