"""Open Badges 3.0 credentials and their status lists, as plain JSON-ready dictionaries.

An :func:`credential` is an ``OpenBadgeCredential`` (1EdTech Open Badges 3.0) in the W3C
Verifiable Credentials Data Model 2.0: who issued it, what was achieved (the certification
tier), the holder's name, when it is valid, and where its revocation and suspension bits
live. A :func:`status_list_credential` publishes one of those bit lists
(``BitstringStatusListCredential``, W3C Bitstring Status List v1.0).

References: https://www.imsglobal.org/spec/ob/v3p0/, https://www.w3.org/TR/vc-data-model-2.0/,
https://www.w3.org/TR/vc-bitstring-status-list/.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from hopeful.credentials.errors import CredentialError

__all__ = [
    "CONTEXT",
    "STATUS_LIST_CONTEXT",
    "Achievement",
    "Issuer",
    "StatusEntry",
    "StatusPurpose",
    "credential",
    "format_datetime",
    "parse_datetime",
    "status_list_credential",
]

#: JSON-LD contexts: VC Data Model 2.0, then Open Badges 3.0.
CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
#: The status list credential needs only the VC 2.0 context (it defines the status terms).
STATUS_LIST_CONTEXT = ["https://www.w3.org/ns/credentials/v2"]

StatusPurpose = Literal["revocation", "suspension"]
STATUS_PURPOSES: tuple[StatusPurpose, ...] = ("revocation", "suspension")


@dataclass(frozen=True)
class Issuer:
    """The organization that issues the credentials (an OB3 ``Profile``)."""

    id: str  #: a URL that identifies the issuer, e.g. the site's home page
    name: str
    url: str


@dataclass(frozen=True)
class Achievement:
    """What the holder achieved: one certification tier."""

    id: str  #: a URL that identifies the achievement
    name: str  #: e.g. "HOPE Facilitator"
    description: str
    criteria: str  #: how it is earned, in words (OB3 ``criteria.narrative``)


@dataclass(frozen=True)
class StatusEntry:
    """Where a credential's revocation or suspension bit is: bit ``index`` of ``list_url``."""

    purpose: StatusPurpose
    index: int
    list_url: str

    def __post_init__(self) -> None:
        if self.purpose not in STATUS_PURPOSES:
            raise CredentialError(
                f"unknown status purpose {self.purpose!r} (use revocation or suspension)"
            )
        if isinstance(self.index, bool) or not isinstance(self.index, int) or self.index < 0:
            raise CredentialError(f"a status list index must be 0 or more (got {self.index!r})")


def format_datetime(moment: datetime) -> str:
    """ISO 8601 in UTC to the second with a ``Z``: ``2026-12-06T10:00:00Z``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CredentialError(f"a credential date needs a time zone (got {moment.isoformat()})")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(text: object, name: str = "date") -> datetime:
    """Read an ISO 8601 date-time with a time zone (as in ``validFrom``) as an aware UTC time."""
    if not isinstance(text, str):
        raise CredentialError(f"the credential's {name} is not a date-time")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CredentialError(f"the credential's {name} is not a date-time: {text!r}") from None
    if moment.tzinfo is None:
        raise CredentialError(f"the credential's {name} has no time zone: {text!r}")
    return moment.astimezone(UTC)


def _issuer(issuer: Issuer) -> dict[str, Any]:
    return {"id": issuer.id, "type": ["Profile"], "name": issuer.name, "url": issuer.url}


def credential(
    *,
    issuer: Issuer,
    achievement: Achievement,
    subject_name: str,
    credential_id: str,
    valid_from: datetime,
    valid_until: datetime | None,
    status: Sequence[StatusEntry] = (),
) -> dict[str, Any]:
    """An OpenBadgeCredential for ``subject_name``, identified by ``credential_id``.

    ``credential_id`` is the public verification URL (``https://…/verify/<code>/``).
    The holder has no identifier of their own (no DID), so the subject carries their name
    twice: as ``name`` (read by people and by ``hopeful verify``) and as an OB3
    ``IdentityObject`` of type ``name``, which is how Open Badges 3.0 states who the
    credential is about when the subject has no ``id``.
    """
    if not subject_name.strip():
        raise CredentialError("a credential needs the holder's name")
    start = format_datetime(valid_from)  # formatting first refuses a naive date
    end = None if valid_until is None else format_datetime(valid_until)
    if valid_until is not None and valid_until <= valid_from:
        raise CredentialError("a credential's validUntil must be after its validFrom")
    body: dict[str, Any] = {
        "@context": list(CONTEXT),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": _issuer(issuer),
        "validFrom": start,
    }
    if end is not None:
        body["validUntil"] = end
    body["name"] = achievement.name
    body["credentialSubject"] = {
        "type": ["AchievementSubject"],
        "name": subject_name,
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": subject_name,
            }
        ],
        "achievement": {
            "id": achievement.id,
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": achievement.name,
            "description": achievement.description,
            "criteria": {"narrative": achievement.criteria},
        },
    }
    if status:
        body["credentialStatus"] = [
            {
                "id": f"{entry.list_url}#{entry.index}",
                "type": "BitstringStatusListEntry",
                "statusPurpose": entry.purpose,
                "statusListIndex": str(entry.index),
                "statusListCredential": entry.list_url,
            }
            for entry in status
        ]
    return body


def status_list_credential(
    *,
    issuer: Issuer,
    list_url: str,
    purpose: StatusPurpose,
    encoded_list: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
) -> dict[str, Any]:
    """A BitstringStatusListCredential publishing ``encoded_list`` at ``list_url``.

    ``valid_from`` is when the list was made: a checker reports the status "as of" it.
    """
    if purpose not in STATUS_PURPOSES:
        raise CredentialError(f"unknown status purpose {purpose!r} (use revocation or suspension)")
    body: dict[str, Any] = {
        "@context": list(STATUS_LIST_CONTEXT),
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": _issuer(issuer),
        "validFrom": format_datetime(valid_from),
    }
    if valid_until is not None:
        body["validUntil"] = format_datetime(valid_until)
    body["credentialSubject"] = {
        "id": f"{list_url}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose,
        "encodedList": encoded_list,
    }
    return body
