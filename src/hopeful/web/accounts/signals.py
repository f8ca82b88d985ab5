"""Signed-in sessions are recorded at sign-in and forgotten at sign-out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from hopeful.web.accounts.middleware import SESSION_RECORD_KEY, mark_recorded
from hopeful.web.accounts.selectors import client_ip
from hopeful.web.accounts.services import user_session_forget, user_session_start


@receiver(user_logged_in, dispatch_uid="hopeful_accounts_session_start")
def _session_started(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    previous = request.session.get(SESSION_RECORD_KEY)
    if previous:
        user_session_forget(record_id=previous)
    record = user_session_start(
        user=user,
        session_key=request.session.session_key,
        user_agent=request.headers.get("User-Agent", ""),
        ip_address=client_ip(request),
    )
    request.session[SESSION_RECORD_KEY] = str(record.public_id)
    # Just written: the first page after sign-in need not touch it again.
    mark_recorded(request.session, key=request.session.session_key or "")


@receiver(user_logged_out, dispatch_uid="hopeful_accounts_session_end")
def _session_ended(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    record_id = request.session.get(SESSION_RECORD_KEY)
    if record_id:
        user_session_forget(record_id=record_id)
