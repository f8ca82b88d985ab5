"""Synthetic bright-spots data: families with consent, "About your family" answers and a
scored pce7 submission of a chosen score (synthetic data only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from hopeful.web.families.models import ConsentPurpose, ConsentRecord, Family
from hopeful.web.organizations.models import Organization, Program
from hopeful.web.surveys.models import Campaign, CampaignLink, Submission
from tests.web import factories as f
from tests.web.practice.factories import make_submission

BOTH = (ConsentPurpose.CARE, ConsentPurpose.PROGRAM_IMPROVEMENT)
#: A deterministic spread around a family's score (mean 0).
SPREAD = (0, 1, -1, 2, -2, 0, 1, -1)


def pce7_with_score(score: int) -> dict[str, int]:
    """pce7 answers with exactly ``score`` experiences (5: always; 1: never)."""
    score = max(0, min(7, score))
    return {f"pce{k}": 5 if k <= score else 1 for k in range(1, 8)}


def add_family(
    program: Program,
    campaign: Campaign,
    link: CampaignLink,
    score: int,
    *,
    name: str,
    income: str | None = None,
    consent: tuple[str, ...] = BOTH,
    language: str = "en",
    when: dt.datetime | None = None,
) -> Submission:
    family = f.make_family(program.organization, program, name)
    f.grant_consent(family, *consent)
    submission = make_submission(
        family,
        campaign,
        link,
        answers={"pce7": pce7_with_score(score)},
        language=language,
        submitted_at=when or timezone.now(),
    )
    if income is not None:
        submission.demographics = {"income": income}
        submission.save(update_fields=["demographics"])
    return submission


def add_program_families(
    program: Program,
    campaign: Campaign,
    link: CampaignLink,
    count: int,
    *,
    base: int,
    income: str | None = None,
    start: int = 0,
    high_income: int = 0,
    income_bonus: int = 0,
) -> list[Submission]:
    """``count`` families scoring ``base`` give or take :data:`SPREAD`; the first
    ``high_income`` of them have income "100k+" and score ``income_bonus`` more, the others
    ``income`` (default "<25k")."""
    out = []
    for i in range(count):
        high = i < high_income
        out.append(
            add_family(
                program,
                campaign,
                link,
                base + SPREAD[i % len(SPREAD)] + (income_bonus if high else 0),
                name=f"Family {program.pk}-{start + i}",
                income="100k+" if high else (income or "<25k"),
            )
        )
    return out


def revoke(family: Family, purpose: str = ConsentPurpose.PROGRAM_IMPROVEMENT) -> None:
    ConsentRecord.objects.create(
        organization=family.organization,
        family=family,
        purpose=purpose,
        granted=False,
        text_version="2026-1",
        language="en",
    )


def url(org: Organization, query: str = "") -> str:
    return reverse("brightspots:org", args=[org.public_id]) + query


def network_url(query: str = "") -> str:
    return reverse("brightspots_network:network") + query


def tenant(t: dict[str, Any]) -> tuple[Organization, Campaign, CampaignLink]:
    return t["org_a"], t["campaign_a"], t["link_a"]
