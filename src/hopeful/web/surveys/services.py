"""Writing submissions and a family's consent choices (campaigns and links are in
:mod:`hopeful.web.surveys.services_campaigns`, the drafts and resume codes in
:mod:`hopeful.web.surveys.drafts`). Every write is audited in its transaction.

Integrity rules (see shared/research/reliability-security.md, T5 and T6):

- Link tokens and resume codes are random and stored only as SHA-256 hashes; the plaintext is
  shown once.
- A submission carries the client's UUID under a unique constraint and the SHA-256 of its
  canonical payload. A replay with the same payload returns the original submission; a
  different payload under the same UUID is a conflict. Every rejection stores nothing.
- Answers are checked against the instrument version the campaign pinned when it opened, and
  scored by :mod:`hopeful.framework` under that same version.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from hopeful.framework import (
    Audience,
    InstrumentError,
    get_instrument,
    score_response,
)
from hopeful.web.audit.services import audit_record
from hopeful.web.core.sqlite import sqlite_serialised
from hopeful.web.families.models import Child, ConsentPurpose, Family
from hopeful.web.families.services import consent_set
from hopeful.web.surveys.demographics import (
    DemographicsError,
    demographics_check,
    demographics_clean,
)
from hopeful.web.surveys.drafts import CODE_ALPHABET, sha256_hex
from hopeful.web.surveys.errors import (
    InvalidSubmissionError,
    LinkGoneError,
    RateLimitedError,
    SubmissionConflictError,
    SurveyError,
)
from hopeful.web.surveys.flags import link_submission_count
from hopeful.web.surveys.models import (
    AttemptKind,
    Campaign,
    CampaignLink,
    CampaignStatus,
    Draft,
    FamilyCode,
    InstrumentScore,
    LinkKind,
    Submission,
)

#: The largest submission body accepted (bytes); larger is 413.
MAX_SUBMISSION_BYTES = 64 * 1024

CONSENT_PURPOSES: tuple[str, ...] = tuple(p.value for p in ConsentPurpose)


# -- submissions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmissionPayload:
    """What a family submits: parsed, not yet checked against the instruments."""

    client_uuid: UUID
    language: str
    consent: Mapping[str, bool]
    name: str
    answers: Mapping[str, Mapping[str, int | None]]
    child_birth_month: str | None = None
    """The child's birth year and month as ``YYYY-MM`` (parent-report questionnaires)."""
    child_nickname: str = ""
    demographics: Mapping[str, Any] | None = None
    """The optional "About your family" answers in their stored form (see
    :mod:`hopeful.web.surveys.demographics`: ZIP3, never a full ZIP); None or empty when not
    answered."""
    answered_at: dt.datetime | None = None
    """When the family answered, for answers another system collected (an integration link
    only: an ODK form's end, a FHIR ``authored``); None for now. The submission is dated by
    it, so the dashboard counts it in the period it was answered in."""


#: The earliest answer time another system may give (anything older is a mistake).
EARLIEST_ANSWER = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

#: How far ahead of this server's clock an answer time may be (clocks of phones drift).
ANSWER_CLOCK_SKEW = dt.timedelta(minutes=10)

#: A child's birth year and month as sent: ``YYYY-MM``.
_BIRTH_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")

#: The longest child nickname accepted (the column's length).
CHILD_NICKNAME_MAX = 40

#: The oldest child accepted, in completed months (18 years).
CHILD_MAX_AGE_MONTHS = 18 * 12


def months_between(birth_month: dt.date, today: dt.date) -> int:
    """Completed months from ``birth_month`` (a month, the 1st) to ``today``."""
    return (today.year - birth_month.year) * 12 + (today.month - birth_month.month)


def child_birth_month_parse(value: str, today: dt.date | None = None) -> dt.date:
    """``YYYY-MM`` as the 1st of that month, or :class:`InvalidSubmissionError`: month 1-12,
    not in the future and not more than 18 years ago."""
    match = _BIRTH_MONTH_RE.match(value) if isinstance(value, str) else None
    if match is None:
        raise InvalidSubmissionError("The child's birth month must be written YYYY-MM.")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1:
        raise InvalidSubmissionError("The child's birth month is not a month.")
    birth = dt.date(year, month, 1)
    age = months_between(birth, today or timezone.localdate())
    if age < 0:
        raise InvalidSubmissionError("The child's birth month is in the future.")
    if age > CHILD_MAX_AGE_MONTHS:
        raise InvalidSubmissionError("The child's birth month is more than 18 years ago.")
    return birth


def child_nickname_check(value: str) -> str:
    """The nickname stripped, or :class:`InvalidSubmissionError` (too long, or a NUL)."""
    if not isinstance(value, str) or "\x00" in value or len(value) > CHILD_NICKNAME_MAX:
        raise InvalidSubmissionError(
            f"The child's nickname must be text of at most {CHILD_NICKNAME_MAX} characters."
        )
    return value.strip()


def demographics_parse(given: Any) -> dict[str, Any]:
    """The stored form of "About your family" answers as given (``zip`` reduced to ``zip3``),
    or :class:`InvalidSubmissionError` for an unknown question or code or a bad ZIP code."""
    try:
        return demographics_clean(given)
    except DemographicsError as exc:
        raise InvalidSubmissionError(str(exc)) from None


def asks_about_child(campaign: Campaign) -> bool:
    """Whether a questionnaire of the campaign is answered by a parent about a child."""
    return any(
        inst.audience == Audience.PARENT_REPORT_CHILD for inst in pinned_instruments(campaign)
    )


@dataclass(frozen=True)
class SubmissionResult:
    submission: Submission
    created: bool


def pinned_instruments(campaign: Campaign) -> list[Any]:
    """The campaign's instrument definitions under their pinned versions."""
    return [get_instrument(e["id"], e.get("version")) for e in campaign.instruments]


def canonical_payload(payload: SubmissionPayload, instruments: Iterable[Any]) -> dict[str, Any]:
    """The payload with every item of every instrument (``None`` for blanks), so a blank sent
    as "" and a blank left out hash the same. The child's birth month and nickname are in it
    only when a birth month was given, and the answers about the family only when there are
    any, so submissions without them hash as they always did."""
    canonical: dict[str, Any] = {
        "answers": {
            inst.id: {
                item_id: payload.answers.get(inst.id, {}).get(item_id) for item_id in inst.item_ids
            }
            for inst in instruments
        },
        "consent": {p: bool(payload.consent.get(p, False)) for p in CONSENT_PURPOSES},
        "language": payload.language,
        "name": payload.name,
    }
    if payload.child_birth_month:
        canonical["child_birth_month"] = payload.child_birth_month
        canonical["child_nickname"] = payload.child_nickname
    if payload.demographics:
        canonical["demographics"] = dict(payload.demographics)
    if payload.answered_at is not None:
        canonical["answered_at"] = payload.answered_at.astimezone(dt.UTC).isoformat()
    return canonical


def payload_hash(canonical: Mapping[str, Any]) -> str:
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return sha256_hex(text)


def _validate(link: CampaignLink, payload: SubmissionPayload) -> tuple[list[Any], dict[str, Any]]:
    campaign = link.campaign
    if not link.is_usable() or campaign.status != CampaignStatus.OPEN:
        raise LinkGoneError("This link is no longer open.")
    instruments = pinned_instruments(campaign)
    ids = {inst.id for inst in instruments}
    unknown = sorted(set(payload.answers) - ids)
    if unknown:
        raise InvalidSubmissionError(f"This survey has no questionnaire {', '.join(unknown)}.")
    if payload.language not in (campaign.languages or ["en", "es"]):
        raise InvalidSubmissionError("This survey is not offered in that language.")
    if set(payload.consent) - set(CONSENT_PURPOSES):
        raise InvalidSubmissionError("Unknown consent purpose.")
    if not any(payload.consent.values()):
        raise InvalidSubmissionError("At least one consent choice is needed to store answers.")
    if len(payload.name) > 80:
        raise InvalidSubmissionError("The name or code is too long (80 characters at most).")
    _validate_answered_at(link, payload)
    _validate_child(payload, instruments)
    _validate_demographics(payload, instruments)
    for inst in instruments:
        try:
            score_response(inst, payload.answers.get(inst.id, {}), on_invalid="raise")
        except InstrumentError as exc:
            raise InvalidSubmissionError(str(exc)) from exc
    return instruments, canonical_payload(payload, instruments)


def _validate_answered_at(link: CampaignLink, payload: SubmissionPayload) -> None:
    moment = payload.answered_at
    if moment is None:
        return
    if link.kind != LinkKind.INTEGRATION:
        raise InvalidSubmissionError("Only answers from another system may give their own time.")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidSubmissionError("The time the answers were given needs a time zone.")
    if moment > timezone.now() + ANSWER_CLOCK_SKEW:
        raise InvalidSubmissionError("The time the answers were given is in the future.")
    if moment < EARLIEST_ANSWER:
        raise InvalidSubmissionError("The time the answers were given is before 2000.")


def _validate_child(payload: SubmissionPayload, instruments: list[Any]) -> None:
    child_nickname_check(payload.child_nickname)
    if payload.child_birth_month is None:
        if payload.child_nickname.strip():
            raise InvalidSubmissionError("A child's nickname needs the child's birth month.")
        return
    answered = payload.answered_at
    child_birth_month_parse(
        payload.child_birth_month,
        timezone.localdate(answered) if answered is not None else None,
    )
    if not any(inst.audience == Audience.PARENT_REPORT_CHILD for inst in instruments):
        raise InvalidSubmissionError("This survey does not ask about a child.")


def _validate_demographics(payload: SubmissionPayload, instruments: list[Any]) -> None:
    if not payload.demographics:
        return
    try:
        demographics_check(payload.demographics)
    except DemographicsError as exc:
        raise InvalidSubmissionError(str(exc)) from None
    if "child_gender" in payload.demographics and not any(
        inst.audience == Audience.PARENT_REPORT_CHILD for inst in instruments
    ):
        raise InvalidSubmissionError("This survey does not ask about a child.")


def _replay(existing: Submission, link: CampaignLink, digest: str) -> SubmissionResult:
    if existing.link_id != link.pk or existing.payload_hash != digest:
        raise SubmissionConflictError(
            "These answers were already sent once with different content, so they were not "
            "stored again."
        )
    return SubmissionResult(submission=existing, created=False)


def _family_label() -> str:
    return "Family " + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def submission_check(*, link: CampaignLink, payload: SubmissionPayload) -> None:
    """Raise the :class:`SurveyError` that :func:`submission_create` would raise for these
    answers before storing anything (for a link not made yet: another system's first answers
    to a campaign)."""
    _validate(link, payload)


def submission_create(
    *,
    link: CampaignLink,
    payload: SubmissionPayload,
    draft: Draft | None = None,
    family: Family | None = None,
) -> SubmissionResult:
    """Store a family's answers once, with the family, consent records and scores.

    ``family`` (an existing family of the campaign's program) is for answers that another
    system sends through an integration link (:mod:`hopeful.web.surveys.services_integration`);
    a personal link always answers for its own family, and a public link makes a new one.

    An identical replay of ``payload.client_uuid`` returns the original submission
    (``created=False``); a different payload under that UUID raises
    :class:`SubmissionConflictError`. Any rejection raises a :class:`SurveyError` and stores nothing.
    """
    instruments, canonical = _validate(link, payload)
    digest = payload_hash(canonical)
    existing = Submission.objects.filter(client_uuid=payload.client_uuid).first()
    if existing is not None:
        return _replay(existing, link, digest)
    with sqlite_serialised():
        try:
            with transaction.atomic():
                return _submission_insert(
                    link, payload, instruments, canonical, digest, draft, family
                )
        except IntegrityError:
            # Another request stored this UUID first (double tap, retry, concurrent POST).
            existing = Submission.objects.filter(client_uuid=payload.client_uuid).first()
            if existing is None:
                raise
            return _replay(existing, link, digest)


def _submission_insert(
    link: CampaignLink,
    payload: SubmissionPayload,
    instruments: list[Any],
    canonical: dict[str, Any],
    digest: str,
    draft: Draft | None,
    given_family: Family | None = None,
) -> SubmissionResult:
    # The link row lock serialises one link's submissions: the rate limit is exact and a
    # concurrent duplicate waits here, then finds the first one.
    locked = CampaignLink.objects.select_for_update().get(pk=link.pk)
    existing = Submission.objects.filter(client_uuid=payload.client_uuid).first()
    if existing is not None:
        return _replay(existing, link, digest)
    now = timezone.now()
    recent = Submission.objects.filter(link=locked, submitted_at__gte=now - dt.timedelta(minutes=1))
    if recent.count() >= locked.rate_limit_per_minute:
        # Wait until enough of the last minute's answers leave it for one more.
        times = recent.order_by("-submitted_at").values_list("submitted_at", flat=True)
        frees = times[locked.rate_limit_per_minute - 1] + dt.timedelta(minutes=1)
        raise RateLimitedError(
            "Too many answers were sent through this link just now.",
            retry_after=max(1, math.ceil((frees - now).total_seconds())),
        )
    campaign = link.campaign
    if link.kind == LinkKind.PERSONAL and link.family is not None:
        family = link.family
    elif link.kind == LinkKind.INTEGRATION and given_family is not None:
        if (
            given_family.organization_id != link.organization_id
            or given_family.program_id != campaign.program_id
        ):
            raise InvalidSubmissionError("That family is not in this survey's program.")
        family = given_family
    else:
        family = Family.objects.create(
            organization=link.organization,
            program=campaign.program,
            display_name=payload.name.strip() or _family_label(),
            preferred_language=payload.language,
        )
    consent_set(family=family, choices=dict(canonical["consent"]), language=payload.language)
    if payload.child_birth_month:
        _child_add(family, payload)
    submission = Submission.objects.create(
        client_uuid=payload.client_uuid,
        payload_hash=digest,
        organization=link.organization,
        program=campaign.program,
        campaign=campaign,
        link=link,
        family=family,
        language=payload.language,
        answers=canonical["answers"],
        demographics=dict(canonical.get("demographics", {})),
        submitted_at=payload.answered_at or now,
    )
    InstrumentScore.objects.bulk_create(
        [
            InstrumentScore(
                organization=link.organization,
                submission=submission,
                instrument_id=inst.id,
                instrument_version=inst.version,
                values=dict(score.values),
                reason=score.reason[:500],
            )
            for inst in instruments
            for score in [score_response(inst, canonical["answers"][inst.id], on_invalid="raise")]
        ]
    )
    if draft is not None:
        _keep_family_code(draft, family)
    link_submission_count(link=locked)
    audit_record(
        verb="submission.create",
        actor=None,
        organization=link.organization,
        obj=submission,
        extra={
            "campaign": str(campaign.public_id),
            "link": str(link.public_id),
            "instruments": [f"{i.id}@{i.version}" for i in instruments],
        },
    )
    return SubmissionResult(submission=submission, created=True)


def _child_add(family: Family, payload: SubmissionPayload) -> Child | None:
    """The family's child born in the payload's month (a family that already has a child born
    that month, through a personal link, keeps it and gets no second one)."""
    birth = child_birth_month_parse(str(payload.child_birth_month))
    if family.children.filter(birth_month=birth).exists():
        return None
    child = Child.objects.create(
        organization=family.organization,
        family=family,
        nickname=payload.child_nickname,
        birth_month=birth,
    )
    audit_record(verb="child.create", actor=None, organization=family.organization, obj=child)
    return child


def _keep_family_code(draft: Draft, family: Family) -> None:
    """The resume code becomes the family's code for consent changes; the draft goes."""
    try:
        with transaction.atomic():
            FamilyCode.objects.create(
                organization=draft.organization,
                link=draft.link,
                family=family,
                code_hash=draft.resume_code_hash,
            )
    except IntegrityError:
        pass  # the same draft was already turned into a family code by another submission
    Draft.objects.filter(pk=draft.pk).delete()


def family_consent_change(
    *, family: Family, choices: Mapping[str, bool], language: str
) -> list[Any]:
    """The family's own consent change (from the summary or with their code)."""
    return consent_set(
        family=family,
        choices={p: bool(choices.get(p, False)) for p in CONSENT_PURPOSES},
        language=language,
    )


__all__ = [
    "AttemptKind",
    "InvalidSubmissionError",
    "LinkGoneError",
    "RateLimitedError",
    "SubmissionConflictError",
    "SubmissionPayload",
    "SubmissionResult",
    "SurveyError",
    "demographics_parse",
    "submission_check",
    "submission_create",
]
