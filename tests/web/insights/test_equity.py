"""The dashboard's equity breakdown: the numbers are hopeful.stats', the Holm flag, small
groups protected on the page and in the CSV, multi-select race, "not answered", consent."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from django.test import Client
from django.utils import timezone

from hopeful.stats import Design, nchs_proportions
from hopeful.stats.equity import GroupShare, gap_tests
from hopeful.web.families.models import Child, ConsentPurpose
from hopeful.web.insights import equity as equity_module
from hopeful.web.organizations.models import Role
from hopeful.web.surveys.models import Submission
from tests.web.insights.factories import add_submissions, tenant
from tests.web.insights.test_dashboard import (
    _small_numbers_in_html,
    as_role,
    build,
    csv_rows,
    url,
)

pytestmark = pytest.mark.django_db

HIGH = {f"pce{k}": 5 for k in range(1, 8)}  # 7 PCEs: the top group (6-7)
LOW = {f"pce{k}": 1 for k in range(1, 8)}  # 0 PCEs


def add(
    t: dict[str, Any],
    count: int,
    demographics: dict[str, Any] | None,
    *,
    high: int,
    start: int,
    consent: tuple[str, ...] = (ConsentPurpose.CARE, ConsentPurpose.PROGRAM_IMPROVEMENT),
    language: str = "en",
) -> list[Submission]:
    """``count`` respondents with these demographics, the first ``high`` in the top group."""
    program, campaign, link = tenant(t)
    out = add_submissions(
        program, campaign, link, count, consent=consent, language=language, start=start
    )
    for i, submission in enumerate(out):
        answers = {"pce7": dict(HIGH if i < high else LOW)}
        submission.answers = answers
        submission.demographics = dict(demographics or {})
        submission.save(update_fields=["answers", "demographics"])
        score = submission.scores.get(instrument_id="pce7")
        score.values = {**score.values, **_scores(i < high)}
        score.save(update_fields=["values"])
    return out


def _scores(high: bool) -> dict[str, Any]:
    from hopeful.framework import get_instrument, score_response

    result = score_response(get_instrument("pce7"), HIGH if high else LOW, on_invalid="reason")
    return dict(result.values)


def rows_by_key(data: Any) -> dict[str, Any]:
    return {r.key: r for r in data.equity.rows}


# -- the numbers are hopeful.stats' numbers ------------------------------------------------------


def test_breakdown_estimates_equal_hopeful_stats(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    add(t, 60, {"income": "<25k"}, high=24, start=0)
    add(t, 50, {"income": "50-100k"}, high=35, start=100)
    add(t, 20, {"income": "prefer_not_to_say"}, high=10, start=200)
    add(t, 15, None, high=5, start=300)
    data = build(t, {"breakdown": "income", "outcome": "top_band"})
    equity = data.equity
    assert equity.breakdown == "income"
    assert equity.outcome == "top_band"

    # the same data by hand: group code per respondent, top-group flag
    group = np.r_[np.zeros(60), np.full(50, 2.0), np.full(35, 4.0)]  # 4: not answered
    top = np.r_[np.ones(24), np.zeros(36), np.ones(35), np.zeros(15)]
    top = np.r_[top, np.ones(10), np.zeros(10), np.ones(5), np.zeros(10)]
    frame = pd.DataFrame({"top": top, "group": group})
    expected = nchs_proportions(
        Design(frame).proportion("top", by="group", ci="beta").query("level == 1")
    ).set_index("group")
    rows = rows_by_key(data)
    for key, code in (("<25k", 0), ("50-100k", 2), ("not_answered", 4)):
        estimate = rows[key].estimate
        assert estimate.n.value == int(expected.loc[code, "n"])
        if not estimate.shown:  # the NCHS standard hides it too (35 answers: too wide)
            assert key == "not_answered"
            assert not bool(expected.loc[code, "present"])
            continue
        assert estimate.estimate == pytest.approx(expected.loc[code, "estimate"], rel=1e-12)
        assert estimate.ci_low == pytest.approx(expected.loc[code, "ci_low"], rel=1e-12)
        assert estimate.ci_high == pytest.approx(expected.loc[code, "ci_high"], rel=1e-12)
        assert estimate.n.value == int(expected.loc[code, "n"])
    assert rows["not_answered"].estimate.n.value == 35  # prefer not to say + not answered
    assert rows["25-50k"].estimate.n.value == 0
    overall = Design(frame).proportion("top", ci="beta").query("level == 1").iloc[0]
    assert equity.overall.estimate == pytest.approx(overall["estimate"], rel=1e-12)
    assert rows["<25k"].gap == pytest.approx(24 / 60 - overall["estimate"])

    # the tests: each answered group against the answered rest, Holm across them
    answered = frame[frame["group"] != 4].copy()
    shares = []
    for code in (0, 2):
        answered["inside"] = (answered["group"] == code) * 1.0
        split = Design(answered).proportion("top", by="inside", ci="beta")
        split = split[split["level"] == 1].set_index("inside")
        shares.append(
            GroupShare(
                split.loc[1, "estimate"],
                split.loc[1, "se"],
                split.loc[0, "estimate"],
                split.loc[0, "se"],
            )
        )
    results = gap_tests(shares)
    assert equity.tested == 2
    assert [bool(rows[k].flag) for k in ("<25k", "50-100k")] == [r.significant for r in results]
    assert not rows["not_answered"].tested
    assert not rows["not_answered"].flag


# -- the flag -----------------------------------------------------------------------------


def test_a_real_gap_is_flagged_and_noise_is_not(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    add(t, 60, {"disability": "yes"}, high=12, start=0)  # 20%
    add(t, 60, {"disability": "no"}, high=48, start=100)  # 80%
    data = build(t, {"breakdown": "disability"})
    rows = rows_by_key(data)
    assert rows["yes"].flag == "Lower than the rest: a gap larger than chance."
    assert rows["no"].flag == "Higher than the rest: a gap larger than chance."
    page = as_role(client, t).get(url(t, "?breakdown=disability")).content.decode()
    assert "Lower than the rest: a gap larger than chance." in page
    assert "Holm" in page
    assert "30.0 points lower" in page  # 20% against everyone's 50%


def test_noise_is_not_flagged(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    add(t, 80, {"gender": "woman"}, high=40, start=0)  # 50%
    add(t, 80, {"gender": "man"}, high=44, start=100)  # 55%
    add(t, 80, {"gender": "another_gender"}, high=38, start=200)  # 47.5%
    data = build(t, {"breakdown": "gender"})
    rows = rows_by_key(data)
    assert data.equity.tested == 3
    assert all(rows[k].tested and not rows[k].flag for k in ("woman", "man", "another_gender"))


# -- small groups ----------------------------------------------------------------------------


def test_no_count_from_1_to_10_for_small_groups(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    add(t, 40, {"zip3": "537"}, high=20, start=0)
    add(t, 4, {"zip3": "000"}, high=2, start=100)  # a small area
    add(t, 30, {"zip3": "606"}, high=10, start=200)
    add(t, 7, None, high=3, start=300)  # small "not answered"
    data = build(t, {"breakdown": "zip3"})
    rows = rows_by_key(data)
    assert rows["000"].estimate.n.suppressed
    assert not rows["000"].estimate.shown
    assert rows["not_answered"].estimate.n.suppressed
    # complementary suppression: the small groups cannot be worked out from the others
    shown = [r.estimate.n.value for r in data.equity.rows if not r.estimate.n.suppressed]
    total = data.equity.overall.n.value
    assert total is None or len(shown) <= len(data.equity.rows) - 2
    client = as_role(client, t)
    page = client.get(url(t, "?breakdown=zip3")).content.decode()
    section = page[page.index('id="equity"') : page.index('id="equity-test"')]
    assert _small_numbers_in_html(section) == []
    assert "Pooling may show them" in section
    assert "000 (sparsely populated areas)" in section
    rows_csv = csv_rows(client.get(url(t, "?breakdown=zip3&format=csv")))
    equity_rows = [r for r in rows_csv if r[0].startswith("Who has access")]
    assert len(equity_rows) == 5  # three areas, not answered, everyone
    for row in equity_rows:
        for cell in (row[3], row[5]):
            assert not re.fullmatch(r"\d+", cell) or not 1 <= int(cell) <= 10, row
    small = next(r for r in equity_rows if r[1].startswith("000"))
    assert small[3] == ""
    assert small[5] == "hidden to protect small groups"


# -- multi-select, not answered, consent ----------------------------------------------------


def test_race_is_multi_select_and_counted_in_every_group_chosen(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    add(t, 30, {"race_ethnicity": ["hispanic_latino"]}, high=15, start=0)
    add(t, 25, {"race_ethnicity": ["hispanic_latino", "white"]}, high=13, start=100)
    add(t, 30, {"race_ethnicity": ["white"]}, high=12, start=200)
    add(t, 24, {"race_ethnicity": ["prefer_not_to_say"]}, high=12, start=300)
    add(t, 24, None, high=12, start=400)
    data = build(t, {"breakdown": "race_ethnicity"})
    rows = rows_by_key(data)
    assert data.equity.multiple
    assert rows["hispanic_latino"].estimate.n.value == 55
    assert rows["white"].estimate.n.value == 55
    assert rows["not_answered"].estimate.n.value == 48
    assert data.equity.overall.n.value == 133  # fewer than the rows' sum (158)
    assert rows["asian"].estimate.n.value == 0
    assert rows["hispanic_latino"].estimate.estimate == pytest.approx(28 / 55)
    assert rows["white"].estimate.estimate == pytest.approx(25 / 55)
    page = as_role(client, t).get(url(t)).content.decode()
    assert "counts in every group they chose" in page
    assert "Not answered or prefer not to say" in page


def test_a_rare_combination_hides_the_groups_it_belongs_to(two_tenants: dict[str, Any]) -> None:
    # A group's count is the sum of its answer patterns: 3 people chose both, so Asian
    # (30 + 3) and White (40 + 3) could reveal the 3 (from the others, or the total).
    t = two_tenants
    add(t, 30, {"race_ethnicity": ["asian"]}, high=15, start=0)
    add(t, 40, {"race_ethnicity": ["white"]}, high=20, start=100)
    add(t, 3, {"race_ethnicity": ["asian", "white"]}, high=1, start=200)
    rows = rows_by_key(build(t, {"breakdown": "race_ethnicity"}))
    assert rows["asian"].estimate.n.suppressed
    assert rows["white"].estimate.n.suppressed
    assert rows["asian"].estimate.protected


def test_families_without_program_improvement_consent_are_not_counted(
    two_tenants: dict[str, Any],
) -> None:
    t = two_tenants
    add(t, 80, {"disability": "yes"}, high=40, start=0)
    add(t, 60, {"disability": "no"}, high=30, start=100)
    add(t, 25, {"disability": "yes"}, high=25, start=200, consent=(ConsentPurpose.CARE,))
    rows = rows_by_key(build(t, {"breakdown": "disability"}))
    assert rows["yes"].estimate.n.value == 80
    assert rows["yes"].estimate.estimate == pytest.approx(0.5)


def test_language_and_child_age_breakdowns(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    english = add(t, 30, None, high=12, start=0)
    spanish = add(t, 30, None, high=18, start=100, language="es")
    today = timezone.localdate()
    for s in english:
        Child.objects.create(
            organization=s.organization, family=s.family, birth_month=dt.date(today.year - 3, 1, 1)
        )
    rows = rows_by_key(build(t, {"breakdown": "language"}))
    assert rows["en"].estimate.n.value == 30
    assert rows["es"].estimate.n.value == 30
    rows = rows_by_key(build(t, {"breakdown": "child_age"}))
    assert rows["1-5"].estimate.n.value == 30
    assert rows["not_answered"].estimate.n.value == len(spanish)


def test_an_unknown_breakdown_or_outcome_falls_back(two_tenants: dict[str, Any]) -> None:
    add(two_tenants, 30, {"income": "<25k"}, high=10, start=0)
    data = build(two_tenants, {"breakdown": "shoe_size", "outcome": "bb_relationships"})
    assert data.equity.breakdown == "race_ethnicity"
    assert data.equity.outcome == "bb_relationships"
    assert next(o.id for o in data.equity.outcomes) == "top_band"
    assert equity_module.method_text().startswith("A gap is flagged")


def test_an_outsider_still_gets_404(client: Client, two_tenants: dict[str, Any]) -> None:
    from tests.web import factories as f

    add(two_tenants, 30, {"income": "<25k"}, high=10, start=0)
    f.login_verified(client, two_tenants["members_b"][Role.ORG_ADMIN])
    assert client.get(url(two_tenants, "?breakdown=income")).status_code == 404
    assert client.get(url(two_tenants, "?breakdown=income&format=csv")).status_code == 404
