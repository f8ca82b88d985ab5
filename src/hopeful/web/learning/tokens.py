"""The learner sign-up's emailed link: a signed, timestamped token naming the account and a
fingerprint of its password hash, so a link from an earlier sign-up of the same address stops
working once the address signs up again (with a new password)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "hopeful.learner-join"
MAX_AGE = dt.timedelta(days=3)


class TokenInvalidError(Exception):
    pass


class TokenExpiredError(TokenInvalidError):
    pass


def _fingerprint(user: Any) -> str:
    return salted_hmac(SALT, str(user.password)).hexdigest()[:20]


def join_token(user: Any) -> str:
    return signing.dumps({"u": str(user.public_id), "p": _fingerprint(user)}, salt=SALT)


def join_token_read(token: str) -> tuple[uuid.UUID, str]:
    """The account's public id and fingerprint, or TokenExpiredError / TokenInvalidError."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise TokenExpiredError from None
    except signing.BadSignature:
        raise TokenInvalidError from None
    try:
        return uuid.UUID(str(data["u"])), str(data["p"])
    except (KeyError, TypeError, ValueError):
        raise TokenInvalidError from None


def fingerprint_matches(user: Any, fingerprint: str) -> bool:
    return constant_time_compare(_fingerprint(user), fingerprint)
