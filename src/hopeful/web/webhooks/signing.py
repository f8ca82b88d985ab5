"""Signing webhook messages the Standard Webhooks way (https://www.standardwebhooks.com/).

Pure code, no Django: a receiver can check a message with any Standard Webhooks library
(Python ``standardwebhooks``, ``svix``, the Node, Go, Ruby, PHP, Java and .NET ones) or with
the ten lines of standard library in ``docs/interoperability.md``.

- The secret is ``whsec_`` followed by the base64 of 32 random bytes; the HMAC key is those
  bytes.
- The signed content is ``{webhook-id}.{webhook-timestamp}.{body}`` (the body's exact bytes).
- ``webhook-signature`` is ``v1,`` followed by the base64 of HMAC-SHA256 of that content;
  several signatures are separated by spaces (while a rotated secret is still honoured).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
#: Random bytes in a new secret (the specification asks for 24 to 64).
SECRET_BYTES = 32
#: How many characters of a secret pages show after it was created: the prefix and a few
#: more, enough to tell two secrets apart, far too few to sign anything.
SHOWN_CHARACTERS = 12


def new_secret() -> str:
    """A new signing secret, ``whsec_<base64>``."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_`` secret."""
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError("a webhook secret starts with whsec_")
    return base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)


def secret_hint(secret: str) -> str:
    """The first characters of a secret, as pages show it once it was created."""
    return secret[:SHOWN_CHARACTERS] + "…"


def body_bytes(payload: Mapping[str, Any]) -> bytes:
    """The JSON body of a message: compact and with sorted keys, so every attempt of one
    message sends the same bytes."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode(
        "utf-8"
    )


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,<base64>`` signature of the message."""
    content = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def headers(
    secrets_: Iterable[str], message_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The three Standard Webhooks headers, signed with every secret given (the current one
    first; a rotated-out one while it is still honoured)."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(secret, message_id, timestamp, body) for secret in secrets_
        ),
    }
