"""Synthetic dashboard data: families with consent and scored pce7 submissions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hopeful.web.families.models import ConsentPurpose
from hopeful.web.organizations.models import Program
from hopeful.web.surveys.models import Campaign, CampaignLink, Submission
from tests.web import factories as f
from tests.web.practice.factories import make_submission

CODES = (1, 2, 3, 4, 5)


def varied_pce7(i: int) -> dict[str, int]:
    """A deterministic mix of answers (some missing, some pce4 = 8)."""
    answers = {f"pce{k}": CODES[(i * (k + 2) + k) % 5] for k in range(1, 8)}
    if i % 9 == 0:
        answers["pce3"] = 7  # don't know: missing
    if i % 11 == 0:
        answers["pce4"] = 8  # did not attend school: not affirmative
    return answers


def add_submissions(
    program: Program,
    campaign: Campaign,
    link: CampaignLink,
    count: int,
    *,
    consent: tuple[str, ...] = (ConsentPurpose.CARE, ConsentPurpose.PROGRAM_IMPROVEMENT),
    language: str = "en",
    when: dt.datetime | None = None,
    start: int = 0,
) -> list[Submission]:
    out = []
    for i in range(start, start + count):
        family = f.make_family(program.organization, program, f"Family {program.pk}-{i}")
        f.grant_consent(family, *consent)
        moment = when or timezone.now() - dt.timedelta(days=(i % 3) * 31)
        out.append(
            make_submission(
                family,
                campaign,
                link,
                answers={"pce7": varied_pce7(i)},
                language=language,
                submitted_at=moment,
            )
        )
    return out


def tenant(t: dict[str, Any]) -> tuple[Program, Campaign, CampaignLink]:
    return t["program_a"], t["campaign_a"], t["link_a"]
