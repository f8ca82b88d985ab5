"""Synthetic dashboard data (families with consent and scored pce7 submissions) and what the
dashboard must publish for them: the cell-key perturbation of exactly the expected rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hopeful.framework import get_instrument
from hopeful.stats import nchs_proportions, proportions_from_counts
from hopeful.web.families.models import ConsentPurpose
from hopeful.web.insights import protection, selectors
from hopeful.web.insights.forms import DashboardFilterForm
from hopeful.web.insights.model import Dashboard, ShownCount
from hopeful.web.insights.protection import Tally
from hopeful.web.organizations.access import get_organization_for_user
from hopeful.web.organizations.models import Program, Role
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


HIGH = {f"pce{k}": 5 for k in range(1, 8)}
"""Every experience: the top group (6-7), every building block met."""
LOW = {f"pce{k}": 1 for k in range(1, 8)}
"""No experience: the group 0-2, no building block met."""


def add_group(
    program: Program,
    campaign: Campaign,
    link: CampaignLink,
    count: int,
    *,
    high: int,
    start: int,
    when: dt.datetime | None = None,
    demographics: dict[str, Any] | None = None,
    consent: tuple[str, ...] = (ConsentPurpose.CARE, ConsentPurpose.PROGRAM_IMPROVEMENT),
    language: str = "en",
) -> list[Submission]:
    """``count`` respondents of ``program``, scored as the survey scores them: the first
    ``high`` answer every experience (:data:`HIGH`), the others none (:data:`LOW`)."""
    out = []
    for i in range(count):
        family = f.make_family(program.organization, program, f"Family {program.pk}-{start + i}")
        f.grant_consent(family, *consent)
        submission = make_submission(
            family,
            campaign,
            link,
            answers={"pce7": dict(HIGH if i < high else LOW)},
            language=language,
            submitted_at=when or timezone.now(),
        )
        if demographics is not None:
            submission.demographics = dict(demographics)
            submission.save(update_fields=["demographics"])
        out.append(submission)
    return out


def tenant(t: dict[str, Any]) -> tuple[Program, Campaign, CampaignLink]:
    return t["program_a"], t["campaign_a"], t["link_a"]


# -- what the dashboard must publish -------------------------------------------------------------
# Record keys are drawn at random when a row is written, so an expected published number is
# always computed from the stored keys of the rows expected in a cell (never typed in).


def key_sum(rows: Iterable[Submission | CampaignLink]) -> Tally:
    """The cell of exactly these submissions (or invitation links): count and key sum, read
    back from the database."""
    rows = list(rows)
    by_model: dict[type, list[int]] = {}
    for row in rows:
        by_model.setdefault(type(row), []).append(row.pk)
    keys: list[int] = []
    for model, ids in by_model.items():
        keys += list(model.objects.filter(pk__in=ids).values_list("record_key", flat=True))
    assert len(keys) == len(rows), "every row is stored, once"
    return Tally(len(keys), sum(int(k) for k in keys))


def published(rows: Iterable[Submission | CampaignLink]) -> int:
    """The number the dashboard publishes for a cell of exactly these rows."""
    return protection.value(key_sum(rows))


def expected_count(rows: Iterable[Submission | CampaignLink]) -> ShownCount:
    """The count as the dashboard shows it for exactly these rows."""
    return protection.count(key_sum(rows))


@dataclass(frozen=True)
class ExpectedShare:
    """What the dashboard must publish for the share of ``yes`` among ``answered``."""

    yes: ShownCount
    n: ShownCount
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    se: float | None
    shown: bool
    protected: bool


def expected_share(yes: Iterable[Submission], answered: Iterable[Submission]) -> ExpectedShare:
    """The share of exactly these records: the published (perturbed) counts of ``yes`` and of
    ``answered``, :func:`hopeful.stats.proportions_from_counts` of them, judged by
    :func:`hopeful.stats.nchs_proportions`; hidden to protect a count shown as "fewer than"."""
    y, n = published(yes), published(answered)
    threshold = protection.small_cell_threshold()
    protected = 0 < n < threshold or 0 < y < threshold
    if n == 0 or protected:
        return ExpectedShare(
            protection.shown(y), protection.shown(n), None, None, None, None, False, protected
        )
    row = nchs_proportions(proportions_from_counts([y], [n])).iloc[0]
    shown = bool(row["present"])
    return ExpectedShare(
        protection.shown(y),
        protection.shown(n),
        float(row["estimate"]) if shown else None,
        float(row["ci_low"]) if shown else None,
        float(row["ci_high"]) if shown else None,
        float(row["se"]) if shown else None,
        shown,
        False,
    )


def assert_published(estimate: Any, expected: ExpectedShare) -> None:
    """``estimate`` is exactly the expected share (counts, estimate, interval, se)."""
    assert estimate.n == expected.n, estimate.label
    if estimate.yes is not None:
        assert estimate.yes == expected.yes, estimate.label
    assert estimate.shown == expected.shown, (estimate.label, estimate.hidden)
    assert estimate.protected == expected.protected, estimate.label
    if expected.shown:
        assert estimate.estimate == pytest.approx(expected.estimate, rel=1e-12, abs=1e-15)
        assert estimate.ci_low == pytest.approx(expected.ci_low, rel=1e-12, abs=1e-15)
        assert estimate.ci_high == pytest.approx(expected.ci_high, rel=1e-12, abs=1e-15)
        assert estimate.se == pytest.approx(expected.se, rel=1e-12, abs=1e-15)


def noise_bound(n: int) -> float:
    """How far a share from two perturbed counts (each moved by at most D) can be from the
    true share of ``n`` answers: (y ± D) / (n ± D) against y / n."""
    d = protection.ptable_parameters()[0]
    return 2 * d / (n - d)


def affirmative(answers: dict[str, int], item_id: str) -> bool | None:
    """pce7's reading of one answer: True, False, or None (missing)."""
    definition = get_instrument("pce7")
    code = answers.get(item_id)
    if code in definition.affirmative_codes(item_id):
        return True
    if code in definition.item(item_id).answer_codes:
        return False
    return None


# -- reaching the dashboard -----------------------------------------------------------------------


def url(t: dict[str, Any], query: str = "") -> str:
    return reverse("insights:dashboard", args=[t["org_a"].public_id]) + query


def as_role(client: Client, t: dict[str, Any], role: str = Role.ANALYST) -> Client:
    f.login_verified(client, t["members_a"][role])
    return client


def build(t: dict[str, Any], query: dict[str, str] | None = None) -> Dashboard:
    """The selector's dashboard for A's analyst, as the view builds it."""
    access = get_organization_for_user(t["members_a"][Role.ANALYST], t["org_a"].public_id)
    options = selectors.filter_options(access=access, language="en")
    form = DashboardFilterForm(query or None, options=options)
    if form.is_bound:
        form.is_valid()
    return selectors.dashboard(
        access=access, filters=form.filters(), options=options, language="en"
    )


def csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
