"""Recovery codes: making them, reading them back as typed, and their keyed digests.

A code is 12 characters of Crockford's base32 (60 random bits), shown as ``xxxx-xxxx-xxxx``.
Only an HMAC-SHA256 digest is stored, keyed by a key derived from ``SECRET_KEY`` and bound to
the person (their public id), so:

* a copy of the database alone does not let anyone test a guess (the key is not in it);
* with the key as well, each code still takes about 2**59 guesses, per person (no shared
  table across accounts), and it is only a second factor: the password is needed too;
* checking is one fast digest, so the page cannot be made to burn CPU (a slow password
  hasher per code would cost ten hashes per attempt). Online guessing is stopped by the
  sign-in throttle, which counts a wrong recovery code like a wrong app code.

Codes made under a key in ``SECRET_KEY_FALLBACKS`` still work after a key rotation.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

#: Crockford's base32: no I, L, O or U, so nothing is misread.
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
CODE_LENGTH = 12
CODES_PER_SET = 10
#: At or below this many unused codes, people are told to make new ones.
FEW_LEFT = 3
_SALT = b"hopeful.accounts.recovery-code"
_READ_AS = str.maketrans({"i": "1", "l": "1", "o": "0"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def new_codes(count: int = CODES_PER_SET) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(new_code())
    return sorted(codes)


def display(code: str) -> str:
    """``abcd-efgh-jkmn``: groups of four are easier to copy by hand."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalize(typed: str) -> str | None:
    """The code as stored from what was typed (any case, spaces or dashes, O for 0, I or L
    for 1), or None when it cannot be a code."""
    compact = "".join(typed.split()).replace("-", "").lower().translate(_READ_AS)
    if len(compact) != CODE_LENGTH or any(c not in ALPHABET for c in compact):
        return None
    return compact


def _digest(key: str, *, user_public_id: str, code: str) -> str:
    derived = hashlib.sha256(_SALT + key.encode()).digest()
    message = f"{user_public_id}:{code}".encode()
    return hmac.new(derived, message, hashlib.sha256).hexdigest()


def digest(*, user_public_id: str, code: str) -> str:
    """The digest stored for a new code (under the current ``SECRET_KEY``)."""
    return _digest(settings.SECRET_KEY, user_public_id=user_public_id, code=code)


def digests(*, user_public_id: str, code: str) -> list[str]:
    """The digests a typed code may be stored under (current key and fallbacks)."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_digest(key, user_public_id=user_public_id, code=code) for key in keys]
