"""The family survey's drafts and resume codes: a draft keeps a family's answers between
pages and visits, under a resume code shown once and stored only as its SHA-256 hash (like
link tokens). Drafts expire :data:`DRAFT_TTL` after their last save and are deleted; wrong
codes are counted per link, and too many in :data:`ATTEMPT_WINDOW` answer 429.

The periodic jobs (``hopeful worker``, see :mod:`hopeful.web.operations`) purge expired
drafts and old counted attempts every night (:func:`drafts_purge_expired`,
:func:`code_attempts_purge_expired`), and the drafts of links that can never be used again
(:func:`drafts_purge_closed_links`). Each is a delete of what is due: running it twice
deletes nothing more."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hopeful.web.audit.services import audit_record
from hopeful.web.families.models import Family
from hopeful.web.surveys.models import CampaignLink, CodeAttempt, Draft, FamilyCode

#: Drafts live this long after their last save, then they are purged (the row is deleted).
DRAFT_TTL = dt.timedelta(days=14)

#: Resume codes: 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U/V).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CODE_LENGTH = 10

#: Wrong codes allowed per link and kind in :data:`ATTEMPT_WINDOW` before answering 429.
MAX_CODE_ATTEMPTS = 10
ATTEMPT_WINDOW = dt.timedelta(minutes=10)

#: Counted wrong codes are kept this long (well past :data:`ATTEMPT_WINDOW`), then deleted.
ATTEMPT_RETENTION = dt.timedelta(days=1)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def normalize_code(code: str) -> str:
    """A resume code as typed ("abcd efgh-jk") in its stored form ("ABCDEFGHJK")."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_attempts_exceeded(*, link: CampaignLink, kind: str) -> bool:
    """Whether too many wrong codes were tried on this link recently (then answer 429)."""
    since = timezone.now() - ATTEMPT_WINDOW
    recent = CodeAttempt.objects.filter(link=link, kind=kind, created_at__gte=since).count()
    return recent >= MAX_CODE_ATTEMPTS


def code_attempt_record(*, link: CampaignLink, kind: str) -> None:
    """Count one wrong code; attempts older than a day are no longer needed and go."""
    now = timezone.now()
    code_attempts_purge_expired(now=now)
    CodeAttempt.objects.create(link=link, kind=kind, created_at=now)


def code_attempts_purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete counted wrong codes older than :data:`ATTEMPT_RETENTION`. Returns how many."""
    cutoff = (now or timezone.now()) - ATTEMPT_RETENTION
    deleted, _ = CodeAttempt.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def drafts_purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete expired drafts, :data:`DRAFT_TTL` after their last save (the rows go, they are
    not flagged). Returns how many."""
    deleted, _ = Draft.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def drafts_purge_closed_links(*, now: dt.datetime | None = None) -> int:
    """Delete the drafts of links that expired or were revoked: no one can resume or send
    them any more (a link's expiry and revocation are final), so the answers they hold are
    not kept until their own expiry. The links stay (submissions refer to them); their expiry
    itself needs no job, every request checks :meth:`CampaignLink.is_usable`. Drafts of a
    closed campaign are kept: a campaign can be opened again. Returns how many."""
    now = now or timezone.now()
    closed = Q(link__revoked_at__isnull=False) | Q(link__expires_at__lte=now)
    deleted, _ = Draft.objects.filter(closed).delete()
    return deleted


@transaction.atomic
def draft_start(
    *, link: CampaignLink, language: str, consent: Mapping[str, bool]
) -> tuple[Draft, str]:
    """A draft holding the family's consent choices, and its resume code (shown once)."""
    drafts_purge_expired()
    now = timezone.now()
    while True:
        code = new_code()
        if not Draft.objects.filter(resume_code_hash=sha256_hex(code)).exists():
            break
    draft = Draft.objects.create(
        organization=link.organization,
        link=link,
        resume_code_hash=sha256_hex(code),
        language=language,
        state={
            "consent": dict(consent),
            "name": "",
            "answers": {},
            "language": language,
            "done": ["consent"],
        },
        updated_at=now,
        expires_at=now + DRAFT_TTL,
    )
    audit_record(verb="draft.create", actor=None, organization=link.organization, obj=draft)
    return draft, code


def draft_save(*, draft: Draft, language: str, step: str, **changes: Any) -> Draft:
    """Save one step's answers into the draft; a new answer drops the review's client UUID."""
    state = dict(draft.state)
    for key, value in changes.items():
        if key == "answers":
            answers = dict(state.get("answers", {}))
            answers.update(value)
            state["answers"] = answers
            state.pop("client_uuid", None)
        else:
            if key in ("consent", "name", "child_birth_month", "child_nickname", "demographics"):
                state.pop("client_uuid", None)
            state[key] = value
    state["language"] = language
    done = list(state.get("done", []))
    if step not in done:
        done.append(step)
    state["done"] = done
    now = timezone.now()
    draft.state = state
    draft.language = language
    draft.updated_at = now
    draft.expires_at = now + DRAFT_TTL
    draft.save(update_fields=["state", "language", "updated_at", "expires_at"])
    return draft


def draft_for_code(*, link: CampaignLink, code: str) -> Draft | None:
    """The link's live draft with this resume code, or None."""
    return Draft.objects.filter(
        link=link, resume_code_hash=sha256_hex(normalize_code(code)), expires_at__gt=timezone.now()
    ).first()


def family_for_code(*, link: CampaignLink, code: str) -> Family | None:
    """The family that answered on this link and kept this code, or None."""
    found = (
        FamilyCode.objects.filter(link=link, code_hash=sha256_hex(normalize_code(code)))
        .select_related("family")
        .first()
    )
    return found.family if found is not None else None
