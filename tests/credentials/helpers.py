"""A fixed issuer, achievement and clock for the credential tests, and ways to make tokens."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hopeful.credentials import Achievement, Issuer, KeyStore, StatusEntry, bundle, jwt, ob3
from hopeful.credentials import status_list as sl

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
VALID_FROM = datetime(2026, 3, 1, tzinfo=UTC)
VALID_UNTIL = datetime(2028, 3, 1, tzinfo=UTC)
ISSUER = Issuer(
    id="https://hope.example/",
    name="HOPE National Resource Center",
    url="https://hope.example/",
)
ACHIEVEMENT = Achievement(
    id="https://hope.example/certification/facilitator",
    name="HOPE Facilitator",
    description="Presents the HOPE introductory training.",
    criteria="Completed the three-session HOPE Facilitator training and its quiz.",
)
REVOCATION_URL = "https://hope.example/credentials/status/revocation"
SUSPENSION_URL = "https://hope.example/credentials/status/suspension"
INDEX = 42
CREDENTIAL_ID = "https://hope.example/verify/ABCDEFGHJKMN/"


def credential(*, name: str = "Ana Pérez", index: int = INDEX, **changes: Any) -> dict[str, Any]:
    options: dict[str, Any] = {
        "issuer": ISSUER,
        "achievement": ACHIEVEMENT,
        "subject_name": name,
        "credential_id": CREDENTIAL_ID,
        "valid_from": VALID_FROM,
        "valid_until": VALID_UNTIL,
        "status": [
            StatusEntry("revocation", index, REVOCATION_URL),
            StatusEntry("suspension", index, SUSPENSION_URL),
        ],
    }
    options.update(changes)
    return ob3.credential(**options)


def issue(keystore: KeyStore, **changes: Any) -> str:
    return jwt.sign(credential(**changes), keystore, issued_at=VALID_FROM)


def status_list_token(
    keystore: KeyStore,
    purpose: ob3.StatusPurpose,
    indices: Iterable[int] = (),
    *,
    issuer: Issuer = ISSUER,
    list_url: str | None = None,
    at: datetime = NOW,
) -> str:
    url = list_url or (REVOCATION_URL if purpose == "revocation" else SUSPENSION_URL)
    body = ob3.status_list_credential(
        issuer=issuer, list_url=url, purpose=purpose, encoded_list=sl.encode(indices), valid_from=at
    )
    return jwt.sign(body, keystore, issued_at=at)


def status_lists(
    keystore: KeyStore, *, revoked: Iterable[int] = (), suspended: Iterable[int] = ()
) -> dict[str, str]:
    return {
        REVOCATION_URL: status_list_token(keystore, "revocation", revoked),
        SUSPENSION_URL: status_list_token(keystore, "suspension", suspended),
    }


def write_bundle(
    path: Path,
    keystore: KeyStore,
    token: str | None = None,
    *,
    revoked: Iterable[int] = (),
    suspended: Iterable[int] = (),
) -> Path:
    data = bundle.make(
        token if token is not None else issue(keystore),
        keystore.public_jwks(),
        status_lists(keystore, revoked=revoked, suspended=suspended),
        NOW,
    )
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def unb64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def tamper_payload(token: str, old: str, new: str) -> str:
    """The same token with ``old`` replaced by ``new`` in its payload, signature kept."""
    header, payload, signature = token.split(".")
    text = unb64(payload).decode("utf-8")
    assert old in text
    return ".".join([header, b64(text.replace(old, new).encode("utf-8")), signature])
