"""A verdict in a few lines of plain text, as ``hopeful verify`` prints it."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from hopeful.credentials.verify import Verdict

__all__ = ["headline", "lines"]


def _clean(text: str | None, fallback: str) -> str:
    """Text from a credential, safe for a terminal: no control characters (escape codes)."""
    if not text:
        return fallback
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def _moment(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _day(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.strftime("%Y-%m-%d")
    return _moment(moment)


def _status_note(verdict: Verdict) -> str:
    if verdict.status_checked_at is not None:
        return f" (status as of {_moment(verdict.status_checked_at)})"
    return " (status not checked)"


def headline(verdict: Verdict) -> str:
    """The first line: ``VALID: HOPE Facilitator — held by Ana Pérez, valid until …``."""
    label = verdict.status.upper()
    if verdict.subject_name is None and verdict.achievement_name is None:
        return f"{label}: {verdict.reasons[0] if verdict.reasons else 'no reason given'}"
    what = _clean(verdict.achievement_name, "credential")
    who = _clean(verdict.subject_name, "an unnamed holder")
    text = f"{label}: {what} — held by {who}"
    if verdict.status == "valid":
        if verdict.valid_until is not None:
            text += f", valid until {_day(verdict.valid_until)}"
        return text + _status_note(verdict)
    if verdict.status == "expired" and verdict.valid_until is not None:
        return text + f", expired on {_day(verdict.valid_until)}"
    if verdict.status in ("revoked", "suspended"):
        return text + _status_note(verdict)
    return text


def _jwks_url(issuer_id: str | None) -> str | None:
    if not issuer_id:
        return None
    parts = urlsplit(issuer_id)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}/.well-known/jwks.json"


def lines(verdict: Verdict, *, keys_from: str | None = None) -> list[str]:
    """The whole report. ``keys_from`` names the trusted key file (``--keys``); ``None``
    means the keys came with the credential file, which proves nothing by itself."""
    out = [headline(verdict)]
    shown = 1 if verdict.subject_name is None and verdict.achievement_name is None else 0
    out.extend(f"  - {_clean(reason, '')}" for reason in verdict.reasons[shown:])
    if verdict.issuer_id is not None:
        issuer = _clean(verdict.issuer, "an unnamed issuer")
        out.append(f"Issued by {issuer} ({_clean(verdict.issuer_id, '')}).")
    if verdict.key_thumbprint is not None:
        if keys_from is not None:
            out.append(f"Signed with key {verdict.key_thumbprint}, found in {keys_from}.")
        else:
            published = _jwks_url(verdict.issuer_id) or "the issuer's published key set"
            out.append(
                f"Signed with key {verdict.key_thumbprint}, from the file's own key set: make "
                f"sure it is listed at {_clean(published, '')} (or pass the issuer's keys "
                "with --keys)."
            )
    return out
