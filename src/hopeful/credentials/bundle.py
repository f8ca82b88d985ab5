"""The downloadable credential file: everything needed to check a credential offline.

A bundle is JSON::

    {"format": "hopeful-credential-bundle/1",
     "credential": "<the VC-JWT>",
     "issuerKeys": {"keys": [<the issuer's public keys>]},
     "statusLists": {"<list URL>": "<status list VC-JWT>", ...},
     "retrievedAt": "2026-12-06T10:00:00Z"}

The status lists are the ones at download time, so an offline check tells the status "as
of" then. The embedded keys make the file self-contained but prove nothing on their own:
whoever made the file chose them; a checker who wants certainty compares the signing key's
thumbprint with the issuer's published ``/.well-known/jwks.json`` (or passes those keys).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from hopeful.credentials.errors import CredentialError
from hopeful.credentials.ob3 import format_datetime, parse_datetime

__all__ = ["FORMAT", "MAX_BYTES", "Bundle", "load", "make", "parse"]

FORMAT = "hopeful-credential-bundle/1"
#: Larger files are refused unread: a real bundle is a few kilobytes.
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Bundle:
    """A loaded credential file. ``jwks`` is ``None`` for a bare VC-JWT (no keys inside)."""

    token: str
    jwks: dict[str, Any] | None = None
    status_lists: dict[str, str] = field(default_factory=dict)
    retrieved_at: datetime | None = None


def make(
    token: str,
    jwks: Mapping[str, Any],
    status_lists: Mapping[str, str],
    retrieved_at: datetime,
) -> dict[str, Any]:
    """The bundle for ``token`` (serialize it with ``json.dumps``)."""
    return {
        "format": FORMAT,
        "credential": token,
        "issuerKeys": dict(jwks),
        "statusLists": dict(status_lists),
        "retrievedAt": format_datetime(retrieved_at),
    }


def _looks_like_jwt(text: str) -> bool:
    parts = text.split(".")
    return len(parts) == 3 and all(parts) and not any(ch.isspace() for ch in text)


def parse(text: str, source: str = "the file") -> Bundle:
    """Read a bundle, or a bare VC-JWT, from text; CredentialError for anything else."""
    stripped = text.strip()
    if not stripped.startswith("{"):
        if _looks_like_jwt(stripped):
            return Bundle(token=stripped)
        raise CredentialError(
            f"{source} is neither a credential bundle (JSON) nor a credential (VC-JWT)"
        )
    try:
        data = json.loads(stripped)
    except ValueError as exc:
        raise CredentialError(f"{source} is not valid JSON ({exc})") from None
    if not isinstance(data, dict) or "format" not in data:
        raise CredentialError(f"{source} is JSON but not a credential bundle (no format)")
    if data["format"] != FORMAT:
        raise CredentialError(
            f"{source} is a bundle of an unsupported format {data['format']!r} "
            f"(this version reads {FORMAT})"
        )
    token = data.get("credential")
    if not isinstance(token, str) or not _looks_like_jwt(token.strip()):
        raise CredentialError(f"{source} holds no credential (VC-JWT)")
    jwks = data.get("issuerKeys")
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        raise CredentialError(f'{source} holds no issuer keys (issuerKeys: {{"keys": [...]}})')
    lists = data.get("statusLists", {})
    if not isinstance(lists, dict) or not all(
        isinstance(url, str) and isinstance(jwt, str) for url, jwt in lists.items()
    ):
        raise CredentialError(f"{source} has malformed status lists (a URL → VC-JWT map)")
    retrieved = data.get("retrievedAt")
    return Bundle(
        token=token.strip(),
        jwks=jwks,
        status_lists={url: jwt.strip() for url, jwt in lists.items()},
        retrieved_at=None if retrieved is None else parse_datetime(retrieved, "retrievedAt"),
    )


def load(path: Path) -> Bundle:
    """Read a credential file: a JSON bundle or a bare VC-JWT (text of three parts)."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CredentialError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise CredentialError(f"{path} is too large for a credential file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CredentialError(f"{path} is not a text file (UTF-8)") from None
    return parse(text, source=str(path))
