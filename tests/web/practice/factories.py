"""Submissions for the practice and isolation tests, scored by hopeful.framework as the
survey flow scores them (synthetic data only)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

from django.utils import timezone

from hopeful.framework import get_instrument, score_response
from hopeful.web.families.models import Family
from hopeful.web.surveys.models import Campaign, CampaignLink, InstrumentScore, Submission

#: A complete pce7 response (score 4, band "3-5").
PCE7_ANSWERS = {"pce1": 5, "pce2": 4, "pce3": 2, "pce4": 8, "pce5": 4, "pce6": 3, "pce7": 5}


def make_submission(
    family: Family,
    campaign: Campaign,
    link: CampaignLink,
    answers: dict[str, dict[str, Any]] | None = None,
    language: str = "en",
    submitted_at: dt.datetime | None = None,
) -> Submission:
    answers = answers if answers is not None else {"pce7": dict(PCE7_ANSWERS)}
    payload = json.dumps(answers, sort_keys=True).encode()
    submission = Submission.objects.create(
        client_uuid=uuid.uuid4(),
        payload_hash=hashlib.sha256(payload).hexdigest(),
        organization=family.organization,
        program=family.program,
        campaign=campaign,
        link=link,
        family=family,
        language=language,
        answers=answers,
    )
    if submitted_at is not None:
        # submitted_at is not editable in forms; tests set it directly.
        Submission.objects.filter(pk=submission.pk).update(submitted_at=submitted_at)
        submission.submitted_at = submitted_at
    pinned = {i["id"]: i["version"] for i in campaign.instruments}
    for instrument_id, item_answers in answers.items():
        instrument = get_instrument(instrument_id, pinned.get(instrument_id))
        score = score_response(instrument, item_answers, on_invalid="reason")
        InstrumentScore.objects.create(
            organization=family.organization,
            submission=submission,
            instrument_id=instrument.id,
            instrument_version=instrument.version,
            values=dict(score.values),
            reason=score.reason,
        )
    return submission


def now_minus(days: int = 0, minutes: int = 0) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days, minutes=minutes)
