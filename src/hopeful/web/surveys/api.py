"""The JSON submission API, for clients that queue answers (offline, slow connections).

``POST /s/<token>/api/submissions/`` with a JSON body::

    {"client_uuid": "...", "language": "en", "consent": {"care": true, ...},
     "name": "...", "answers": {"pce7": {"pce1": 5, "pce2": null, ...}},
     "child_birth_month": "2022-03", "child_nickname": "...",
     "demographics": {"race_ethnicity": ["asian", "white"], "income": "25-50k",
                      "gender": "woman", "child_gender": "girl", "disability": "no",
                      "zip": "02139"}}

``child_birth_month`` (``YYYY-MM``, or null) and ``child_nickname`` are optional, for
questionnaires a parent answers about a child; with a birth month the family gets that child.
``demographics`` is optional too: every key and code must be in
:mod:`hopeful.web.surveys.demographics` (null is "not answered"); ``zip`` is five digits and
only its first three are stored.

Answers 201 with the stored submission's id, 200 with the same id for an identical replay,
409 for a different payload under a used ``client_uuid``, 400/404/410/413/415/429 otherwise;
every rejection stores nothing. A body nested deeper than a few levels, with thousands of
values or very long strings, is refused as malformed (400, :mod:`hopeful.web.core.jsonbody`).
Every 429 (the link's own per-minute limit, or the per-address and per-link limits of
:mod:`hopeful.web.core.abuse`) carries ``Retry-After`` in seconds. The link token in the path is the credential (there is no
session or cookie), so the endpoint needs no CSRF token.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hopeful.web.core.jsonbody import loads_bounded
from hopeful.web.core.sqlite import sqlite_serialised
from hopeful.web.surveys import services
from hopeful.web.surveys.models import CampaignStatus
from hopeful.web.surveys.selectors import link_for_token
from hopeful.web.surveys.services import (
    CONSENT_PURPOSES,
    InvalidSubmissionError,
    SubmissionPayload,
    child_birth_month_parse,
    child_nickname_check,
    demographics_parse,
)

_FIELDS = frozenset(
    {
        "client_uuid",
        "language",
        "consent",
        "name",
        "answers",
        "child_birth_month",
        "child_nickname",
        "demographics",
    }
)


def _answer(status: int, **body: Any) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def parse_json_submission(data: Any) -> SubmissionPayload:
    """Read a JSON submission strictly, or raise :class:`InvalidSubmissionError`."""
    if not isinstance(data, dict):
        raise InvalidSubmissionError("The body must be a JSON object.")
    unknown = set(data) - _FIELDS
    if unknown:
        raise InvalidSubmissionError(f"Unknown field(s): {', '.join(sorted(unknown))[:200]}.")
    raw_uuid = data.get("client_uuid")
    try:
        client_uuid = UUID(raw_uuid) if isinstance(raw_uuid, str) else None
    except ValueError:
        client_uuid = None
    if client_uuid is None:
        raise InvalidSubmissionError("client_uuid must be a UUID string.")
    language = data.get("language")
    if language not in ("en", "es"):
        raise InvalidSubmissionError("language must be 'en' or 'es'.")
    consent = data.get("consent")
    if not isinstance(consent, dict) or not all(
        k in CONSENT_PURPOSES and isinstance(v, bool) for k, v in consent.items()
    ):
        raise InvalidSubmissionError("consent must map purposes to true or false.")
    name = data.get("name", "")
    if not isinstance(name, str) or len(name) > 80 or "\x00" in name:
        raise InvalidSubmissionError("name must be text of at most 80 characters.")
    child_birth_month = data.get("child_birth_month")
    if child_birth_month is not None:
        if not isinstance(child_birth_month, str):
            raise InvalidSubmissionError("child_birth_month must be a YYYY-MM string or null.")
        child_birth_month_parse(child_birth_month)
    child_nickname = data.get("child_nickname", "")
    if not isinstance(child_nickname, str):
        raise InvalidSubmissionError("child_nickname must be text.")
    child_nickname = child_nickname_check(child_nickname)
    raw_demographics = data.get("demographics")
    if raw_demographics is not None and not isinstance(raw_demographics, dict):
        raise InvalidSubmissionError("demographics must be an object.")
    demographics = demographics_parse(raw_demographics or {})
    answers = data.get("answers")
    if not isinstance(answers, dict):
        raise InvalidSubmissionError("answers must map instruments to their items' codes.")
    parsed: dict[str, dict[str, int | None]] = {}
    for instrument_id, items in answers.items():
        if not isinstance(items, dict):
            raise InvalidSubmissionError("each instrument's answers must be an object.")
        for code in items.values():
            if code is not None and (isinstance(code, bool) or not isinstance(code, int)):
                raise InvalidSubmissionError("answers must be integer codes or null.")
        parsed[str(instrument_id)] = {str(k): v for k, v in items.items()}
    return SubmissionPayload(
        client_uuid=client_uuid,
        language=language,
        consent={p: bool(consent.get(p, False)) for p in CONSENT_PURPOSES},
        name=name.strip(),
        answers=parsed,
        child_birth_month=child_birth_month,
        child_nickname=child_nickname,
        demographics=demographics or None,
    )


@csrf_exempt
@login_not_required
@require_POST
def submit(request: HttpRequest, token: str) -> JsonResponse:
    """Store one submission (idempotent on ``client_uuid``)."""
    if request.content_type != "application/json":
        return _answer(415, error="Send the answers as application/json.")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > services.MAX_SUBMISSION_BYTES or len(request.body) > services.MAX_SUBMISSION_BYTES:
        return _answer(413, error="The answers sent were too large.")
    with sqlite_serialised():
        link = link_for_token(token)
        if link is None:
            return _answer(404, error="There is no survey at this address.")
        if not link.is_usable() or link.campaign.status != CampaignStatus.OPEN:
            return _answer(410, error="This survey link is closed.")
        try:
            data = loads_bounded(request.body.decode("utf-8"))
            payload = parse_json_submission(data)
            result = services.submission_create(link=link, payload=payload)
        except (ValueError, UnicodeDecodeError):
            return _answer(400, error="The body is not valid JSON.")
        except services.RateLimitedError as exc:
            response = _answer(exc.status, error=exc.message, retry_after=exc.retry_after)
            response["Retry-After"] = str(exc.retry_after)
            return response
        except services.SurveyError as exc:
            return _answer(exc.status, error=exc.message)
    return _answer(
        201 if result.created else 200,
        submission=str(result.submission.public_id),
        created=result.created,
    )
