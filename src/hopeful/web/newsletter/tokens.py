"""The tokens in the newsletter's emailed links.

A token is a sign-up's random ``public_id`` signed with the site's secret key (HMAC), with a
salt per purpose: it cannot be guessed or forged, it names no email address, and nothing
secret is stored in the database (the background worker makes the links from the row). The
confirmation token carries its signing time and stops working after the confirmation
window; the unsubscribe token works as long as the sign-up exists. Rotating ``SECRET_KEY``
without ``SECRET_KEY_FALLBACKS`` invalidates the links of emails already sent.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import dataclass

from django.core import signing

CONFIRM_SALT = "hopeful.newsletter.confirm"
UNSUBSCRIBE_SALT = "hopeful.newsletter.unsubscribe"
#: Longer tokens are refused before any signature check.
MAX_LENGTH = 200


class TokenState(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class ReadToken:
    state: TokenState
    public_id: uuid.UUID | None = None


def confirm_token(public_id: uuid.UUID) -> str:
    """The token of a sign-up's confirmation link (timestamped now)."""
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(public_id.hex)


def unsubscribe_token(public_id: uuid.UUID) -> str:
    """The token of a sign-up's unsubscribe link (does not expire)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(public_id.hex)


def read_confirm_token(token: str, *, max_age: dt.timedelta) -> ReadToken:
    """The sign-up a confirmation token names, if it is genuine and not older than
    ``max_age``."""
    if len(token) > MAX_LENGTH:
        return ReadToken(TokenState.INVALID)
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    try:
        value = signer.unsign(token, max_age=max_age)
    except signing.SignatureExpired:
        return ReadToken(TokenState.EXPIRED)
    except signing.BadSignature:
        return ReadToken(TokenState.INVALID)
    return _parsed(value)


def read_unsubscribe_token(token: str) -> ReadToken:
    """The sign-up an unsubscribe token names, if it is genuine."""
    if len(token) > MAX_LENGTH:
        return ReadToken(TokenState.INVALID)
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return ReadToken(TokenState.INVALID)
    return _parsed(value)


def _parsed(value: str) -> ReadToken:
    try:
        return ReadToken(TokenState.VALID, uuid.UUID(hex=value))
    except ValueError:
        return ReadToken(TokenState.INVALID)
