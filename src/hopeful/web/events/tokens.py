"""The private link a registrant manages their registration with: a random token (32 bytes,
URL-safe) of which only the SHA-256 is stored. A token is issued when an email carrying the
link is written (by the background worker), so no token is ever kept in plain text, in the
database or in the task queue; each new email's link replaces the previous one."""

from __future__ import annotations

import hashlib
import secrets

from hopeful.web.events.models import EventRegistration

#: What :func:`secrets.token_urlsafe` makes (the URL converter accepts only this shape).
TOKEN_PATTERN = r"[A-Za-z0-9_-]{16,128}"  # noqa: S105 - a URL pattern, not a secret


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def manage_token_issue(registration: EventRegistration) -> str:
    """A new manage token for ``registration`` (its hash stored; earlier links stop working)."""
    token = secrets.token_urlsafe(32)
    registration.token_hash = token_hash(token)
    EventRegistration.objects.filter(pk=registration.pk).update(token_hash=registration.token_hash)
    return token
