"""Checking a credential: signature, status (revoked, suspended) and dates, in that order.

:func:`check` never raises for a bad credential: it returns a :class:`Verdict` whose
``status`` is one of ``valid``, ``expired``, ``suspended``, ``revoked`` or ``invalid`` and
whose ``reasons`` say why in plain sentences. The order decides what a checker is told:

1. a token that is not a JWT, has a bad signature, an unknown key or an unusable body is
   ``invalid`` (nothing else is read from it: an unsigned name is never shown);
2. a set revocation bit makes it ``revoked``, then a set suspension bit ``suspended``;
3. a credential whose status could not be checked (its status list was not given, or did not
   verify) is ``invalid`` with the reason "status not checked: …", unless the caller passed
   ``require_status=False`` (then it can still be ``valid``, and the reason says the status
   was not checked); one used before its ``validFrom`` is ``invalid`` too;
4. from ``validUntil`` on it is ``expired``; otherwise ``valid``.

Status lists are themselves VC-JWTs and must verify with the same keys, come from the same
issuer, be the list the credential names (``id``) and have the entry's purpose. The status
is "as of" the list's ``validFrom``: a list downloaded with the credential shows the status
on that day, not today's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

from hopeful.credentials import status_list
from hopeful.credentials.errors import CredentialError
from hopeful.credentials.jwt import verify_token
from hopeful.credentials.ob3 import STATUS_PURPOSES, format_datetime, parse_datetime

__all__ = ["Status", "Verdict", "check"]

Status = Literal["valid", "expired", "suspended", "revoked", "invalid"]


@dataclass(frozen=True)
class Verdict:
    """The outcome of :func:`check`; names are ``None`` when the credential did not verify."""

    status: Status
    reasons: list[str] = field(default_factory=list)
    subject_name: str | None = None
    achievement_name: str | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    issuer: str | None = None  #: the issuer's name
    issuer_id: str | None = None
    credential_id: str | None = None
    key_thumbprint: str | None = None  #: RFC 7638 thumbprint of the key that signed it
    status_checked_at: datetime | None = None  #: "status as of": the oldest list's validFrom

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"

    def as_json(self) -> dict[str, Any]:
        """The verdict as JSON-ready data (date-times as ISO 8601 UTC strings)."""
        data = asdict(self)
        for name, value in data.items():
            if isinstance(value, datetime):
                data[name] = format_datetime(value)
        return data


def _issuer_id(issuer: object) -> str | None:
    value = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return value if isinstance(value, str) and value else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _entries(payload: Mapping[str, Any]) -> list[Any]:
    entries = payload.get("credentialStatus", [])
    return entries if isinstance(entries, list) else [entries]


@dataclass
class _StatusOutcome:
    set_bits: set[str] = field(default_factory=set)  # purposes whose bit is set
    unchecked: list[str] = field(default_factory=list)
    checked_at: list[datetime] = field(default_factory=list)


def _check_entry(
    entry: object,
    *,
    issuer_id: str,
    jwks: Mapping[str, Any],
    status_lists: Mapping[str, str],
    outcome: _StatusOutcome,
) -> None:
    """Read one credentialStatus entry's bit; raise CredentialError if the entry is broken."""
    if not isinstance(entry, Mapping) or entry.get("type") != "BitstringStatusListEntry":
        raise CredentialError("the credential has a status entry of an unknown kind")
    purpose = entry.get("statusPurpose")
    url = entry.get("statusListCredential")
    index_text = entry.get("statusListIndex")
    if purpose not in STATUS_PURPOSES:
        raise CredentialError(f"the credential has a status entry of unknown purpose {purpose!r}")
    if not isinstance(url, str) or not url:
        raise CredentialError("a status entry of the credential names no status list")
    if not isinstance(index_text, str) or not index_text.isdigit():
        raise CredentialError("a status entry of the credential has no valid statusListIndex")
    if entry.get("statusSize", 1) not in (1, "1"):
        raise CredentialError("a status entry uses a status size other than 1 bit")
    token = status_lists.get(url)
    if token is None:
        outcome.unchecked.append(f"status not checked: list {url} unavailable")
        return
    try:
        listing = verify_token(token, jwks).payload
    except CredentialError as exc:
        outcome.unchecked.append(f"status not checked: the list {url} does not verify ({exc})")
        return
    subject = listing.get("credentialSubject")
    types = listing.get("type")
    problem = None
    if not isinstance(types, list) or "BitstringStatusListCredential" not in types:
        problem = "it is not a BitstringStatusListCredential"
    elif listing.get("id") != url:
        problem = f"it is the list {listing.get('id')}, not {url}"
    elif _issuer_id(listing.get("issuer")) != issuer_id:
        problem = "it comes from another issuer"
    elif not isinstance(subject, Mapping) or subject.get("statusPurpose") != purpose:
        problem = f"it is not a {purpose} list"
    if problem is not None:
        outcome.unchecked.append(f"status not checked: the list {url} is unusable ({problem})")
        return
    encoded = subject.get("encodedList") if isinstance(subject, Mapping) else None
    try:
        if status_list.is_set(str(encoded), int(index_text)):
            outcome.set_bits.add(str(purpose))
        if "validFrom" in listing:
            outcome.checked_at.append(parse_datetime(listing["validFrom"], "status list date"))
    except CredentialError as exc:
        outcome.unchecked.append(f"status not checked: the list {url} is unusable ({exc})")


def check(
    token: str,
    *,
    jwks: Mapping[str, Any],
    status_lists: Mapping[str, str],
    now: datetime,
    require_status: bool = True,
) -> Verdict:
    """Check a VC-JWT against the issuer's keys and status lists (list URL → list VC-JWT).

    ``now`` must be timezone-aware. See the module docstring for the order of the checks.
    """
    if now.tzinfo is None:
        raise CredentialError("check() needs a timezone-aware 'now'")
    try:
        verified = verify_token(token, jwks)
    except CredentialError as exc:
        return Verdict(status="invalid", reasons=[str(exc)])
    payload = verified.payload
    try:
        types = payload.get("type")
        if not isinstance(types, list) or "OpenBadgeCredential" not in types:
            raise CredentialError("this is not an Open Badges credential")
        issuer = payload.get("issuer")
        issuer_id = _issuer_id(issuer)
        if issuer_id is None:
            raise CredentialError("the credential names no issuer")
        if "iss" in payload and payload["iss"] != issuer_id:
            raise CredentialError("the token's iss claim does not match the credential's issuer")
        valid_from = parse_datetime(payload.get("validFrom"), "validFrom")
        valid_until = (
            parse_datetime(payload["validUntil"], "validUntil") if "validUntil" in payload else None
        )
        subject = payload.get("credentialSubject")
        subject = subject if isinstance(subject, Mapping) else {}
        achievement = subject.get("achievement")
        achievement = achievement if isinstance(achievement, Mapping) else {}
        outcome = _StatusOutcome()
        for entry in _entries(payload):
            _check_entry(
                entry, issuer_id=issuer_id, jwks=jwks, status_lists=status_lists, outcome=outcome
            )
    except CredentialError as exc:
        return Verdict(status="invalid", reasons=[str(exc)], key_thumbprint=verified.key_thumbprint)

    reasons: list[str] = []
    status: Status
    if "revocation" in outcome.set_bits:
        status = "revoked"
        reasons.append("the issuer has revoked this credential")
    elif "suspension" in outcome.set_bits:
        status = "suspended"
        reasons.append("the issuer has suspended this credential")
    elif outcome.unchecked and require_status:
        status = "invalid"
    elif now < valid_from:
        status = "invalid"
        reasons.append(f"the credential is not valid before {format_datetime(valid_from)}")
    elif valid_until is not None and now >= valid_until:
        status = "expired"
        reasons.append(f"the credential expired on {format_datetime(valid_until)}")
    else:
        status = "valid"
    reasons.extend(outcome.unchecked)
    return Verdict(
        status=status,
        reasons=reasons,
        subject_name=_text(subject.get("name")),
        achievement_name=_text(achievement.get("name")) or _text(payload.get("name")),
        valid_from=valid_from,
        valid_until=valid_until,
        issuer=_text(issuer.get("name")) if isinstance(issuer, Mapping) else None,
        issuer_id=issuer_id,
        credential_id=_text(payload.get("id")),
        key_thumbprint=verified.key_thumbprint,
        status_checked_at=min(outcome.checked_at) if outcome.checked_at else None,
    )
