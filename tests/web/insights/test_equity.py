"""The dashboard's equity breakdown: each group's share is the share of its own records'
published counts (as hopeful.stats computes it from them), the Holm flag for a real gap and
not for noise, small groups shown as "fewer than 11" on the page and in the CSV, multi-select
race, "not answered", consent, and the view's own program and period."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest
from django.test import Client
from django.utils import timezone

from hopeful.stats import Design
from hopeful.stats.equity import GroupShare, gap_tests
from hopeful.web.families.models import Child, ConsentPurpose
from hopeful.web.insights import audit, formatting, protection
from hopeful.web.insights import equity as equity_module
from hopeful.web.organizations.models import Role
from hopeful.web.surveys.models import Submission
from tests.web import factories as f
from tests.web.insights.factories import (
    add_group,
    as_role,
    assert_published,
    build,
    csv_rows,
    expected_count,
    expected_share,
    key_sum,
    noise_bound,
    tenant,
    url,
)
from tests.web.insights.test_dashboard import FEWER, count_cells

pytestmark = pytest.mark.django_db


def add(
    t: dict[str, Any],
    count: int,
    demographics: dict[str, Any] | None,
    *,
    high: int,
    start: int,
    consent: tuple[str, ...] = (ConsentPurpose.CARE, ConsentPurpose.PROGRAM_IMPROVEMENT),
    language: str = "en",
    when: dt.datetime | None = None,
    program: Any = None,
) -> list[Submission]:
    """``count`` respondents of A with these demographics, the first ``high`` in the top
    group (every building block met), the others in the lowest (none met)."""
    main, campaign, link = tenant(t)
    return add_group(
        program or main,
        campaign,
        link,
        count,
        high=high,
        start=start,
        when=when,
        demographics=demographics or {},
        consent=consent,
        language=language,
    )


def top(rows: list[Submission], high: int) -> list[Submission]:
    """The first ``high`` of ``rows``: those in the top group (see :func:`add`)."""
    return rows[:high]


def rows_by_key(data: Any) -> dict[str, Any]:
    return {r.key: r for r in data.equity.rows}


def true_share(high: int, count: int) -> float:
    frame = pd.DataFrame({"y": np.r_[np.ones(high), np.zeros(count - high)]})
    result = Design(frame).proportion("y", ci="beta")
    return float(result.loc[result["level"] == 1, "estimate"].sum())


# -- the numbers: each group's own records, published -------------------------------------------


@pytest.mark.usefixtures("shares_from_counts")
def test_breakdown_estimates_are_the_groups_published_counts(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    low = add(t, 60, {"income": "<25k"}, high=24, start=0)
    middle = add(t, 50, {"income": "50-100k"}, high=35, start=100)
    prefer_not = add(t, 20, {"income": "prefer_not_to_say"}, high=10, start=200)
    unanswered = add(t, 15, None, high=5, start=300)
    data = build(t, {"breakdown": "income", "outcome": "top_band"})
    equity = data.equity
    assert (equity.breakdown, equity.outcome) == ("income", "top_band")
    rows = rows_by_key(data)
    groups = {
        "<25k": (low, 24),
        "50-100k": (middle, 35),
        "not_answered": (prefer_not + unanswered, 15),  # prefer not to say + no answer
    }
    for key, (members, high) in groups.items():
        yes = (
            top(members, high)
            if key != "not_answered"
            else top(prefer_not, 10) + top(unanswered, 5)
        )
        estimate = rows[key].estimate
        assert_published(estimate, expected_share(yes, members))
        if estimate.shown:
            assert abs(estimate.estimate - true_share(high, len(members))) <= noise_bound(
                len(members)
            )
    assert rows["<25k"].estimate.shown
    assert rows["50-100k"].estimate.shown
    assert rows["25-50k"].estimate.n == protection.shown(0)  # a true 0 is shown as 0
    everyone = low + middle + prefer_not + unanswered
    high_everyone = top(low, 24) + top(middle, 35) + top(prefer_not, 10) + top(unanswered, 5)
    assert_published(equity.overall, expected_share(high_everyone, everyone))
    # "Everyone" is the profile's own top group: the same cells, the same numbers
    assert equity.overall.estimate == data.bands[-1].estimate
    assert equity.overall.n == data.bands[-1].n
    assert rows["<25k"].gap == pytest.approx(
        rows["<25k"].estimate.estimate - equity.overall.estimate
    )

    # the tests: each answered group against the answered rest (its own published cells),
    # Holm across them
    answered = {"<25k": (low, 24), "50-100k": (middle, 35)}
    shares = []
    for key, (members, high) in answered.items():
        rest, rest_high = next((m, h) for k, (m, h) in answered.items() if k != key)
        group_share = expected_share(top(members, high), members)
        rest_share = expected_share(top(rest, rest_high), rest)
        shares.append(
            GroupShare(group_share.estimate, group_share.se, rest_share.estimate, rest_share.se)
        )
    results = gap_tests(shares)
    assert equity.tested == 2
    assert [bool(rows[k].flag) for k in answered] == [r.significant for r in results]
    assert not rows["not_answered"].tested
    assert not rows["not_answered"].flag


# -- the flag -----------------------------------------------------------------------------


def test_a_real_gap_is_flagged_and_groups_of_50_or_more_have_an_interval(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    add(t, 60, {"disability": "yes"}, high=15, start=0)  # 25%
    add(t, 60, {"disability": "no"}, high=48, start=100)  # 80%
    data = build(t, {"breakdown": "disability"})
    rows = rows_by_key(data)
    assert rows["yes"].flag == "Lower than the rest: a gap larger than chance."
    assert rows["no"].flag == "Higher than the rest: a gap larger than chance."
    for key in ("yes", "no"):  # 60 respondents each: shown, with their interval
        estimate = rows[key].estimate
        assert estimate.shown
        assert estimate.ci_low < estimate.estimate < estimate.ci_high
    # the gap to everyone (25% against 52.5%, within the noise of the counts)
    assert rows["yes"].gap == pytest.approx(0.25 - 0.525, abs=2 * noise_bound(60))
    page = as_role(client, t).get(url(t, "?breakdown=disability")).content.decode()
    section = page[page.index('id="equity"') : page.index('id="equity-test"')]
    assert "Lower than the rest: a gap larger than chance." in section
    assert formatting.gap_text(rows["yes"].gap) in section
    assert formatting.ci_text(rows["yes"].estimate) in section
    assert "Holm" in page


def test_noise_is_not_flagged(two_tenants: dict[str, Any]) -> None:
    # Three groups with the same true share: no perturbation of their counts (at most 4
    # each) makes any gap significant, even before Holm's correction.
    t = two_tenants
    add(t, 80, {"gender": "woman"}, high=40, start=0)
    add(t, 80, {"gender": "man"}, high=40, start=100)
    add(t, 80, {"gender": "another_gender"}, high=40, start=200)
    data = build(t, {"breakdown": "gender"})
    rows = rows_by_key(data)
    assert data.equity.tested == 3
    assert all(rows[k].tested and not rows[k].flag for k in ("woman", "man", "another_gender"))


# -- small groups ----------------------------------------------------------------------------


def test_small_groups_show_fewer_than_11_on_the_page_and_in_the_csv(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    big = add(t, 40, {"zip3": "537"}, high=20, start=0)
    small = add(
        t, 5, {"zip3": "000"}, high=2, start=100
    )  # a small area: 1 to 10 published (D <= 5)
    other = add(t, 30, {"zip3": "606"}, high=15, start=200)
    unanswered = add(t, 5, None, high=3, start=300)  # small "not answered": 1 to 10
    data = build(t, {"breakdown": "zip3"})
    rows = rows_by_key(data)
    assert rows["000"].estimate.n.suppressed
    assert rows["000"].estimate.protected
    assert not rows["000"].estimate.shown
    assert rows["not_answered"].estimate.n.suppressed
    assert rows["537"].estimate.n == expected_count(big)
    assert rows["606"].estimate.n == expected_count(other)
    assert data.equity.overall.n == expected_count(big + small + other + unanswered)

    client = as_role(client, t)
    page = client.get(url(t, "?breakdown=zip3")).content.decode()
    section = page[page.index('id="equity"') : page.index('id="equity-test"')]
    cells = count_cells(section)
    assert cells.count(FEWER) == 2
    assert not [c for c in cells if c.isdigit() and 1 <= int(c) <= 10], cells
    assert "Pooling may show them" in section
    assert "000 (sparsely populated areas)" in section

    rows_csv = csv_rows(client.get(url(t, "?breakdown=zip3&format=csv")))
    equity_rows = [r for r in rows_csv if r[0] == "equity"]
    assert len(equity_rows) == 5  # three areas, not answered, everyone
    for row in equity_rows:
        assert not (row[5].isdigit() and 1 <= int(row[5]) <= 10), row
    area = next(r for r in equity_rows if r[3].startswith("000"))
    assert (area[5], area[6], area[10]) == ("", "", "false")
    assert area[11] == protection.protected_reason(11)
    shown = next(r for r in equity_rows if r[3] == "537")
    assert shown[5] == str(expected_count(big).value)


# -- multi-select, not answered, consent ----------------------------------------------------


@pytest.mark.usefixtures("shares_from_counts")
def test_race_is_multi_select_and_counted_in_every_group_chosen(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    latino = add(t, 30, {"race_ethnicity": ["hispanic_latino"]}, high=15, start=0)
    both = add(t, 25, {"race_ethnicity": ["hispanic_latino", "white"]}, high=13, start=100)
    white = add(t, 30, {"race_ethnicity": ["white"]}, high=12, start=200)
    prefer_not = add(t, 24, {"race_ethnicity": ["prefer_not_to_say"]}, high=12, start=300)
    unanswered = add(t, 24, None, high=12, start=400)
    data = build(t, {"breakdown": "race_ethnicity"})
    rows = rows_by_key(data)
    assert data.equity.multiple
    # a respondent who chose both is in both groups' cells
    assert_published(
        rows["hispanic_latino"].estimate,
        expected_share(top(latino, 15) + top(both, 13), latino + both),
    )
    assert_published(
        rows["white"].estimate, expected_share(top(both, 13) + top(white, 12), both + white)
    )
    assert_published(
        rows["not_answered"].estimate,
        expected_share(top(prefer_not, 12) + top(unanswered, 12), prefer_not + unanswered),
    )
    everyone = latino + both + white + prefer_not + unanswered
    assert data.equity.overall.n == expected_count(everyone)  # 133, fewer than the rows' 158
    assert rows["asian"].estimate.n == protection.shown(0)
    assert rows["hispanic_latino"].estimate.estimate == pytest.approx(28 / 55, abs=noise_bound(55))
    assert rows["white"].estimate.estimate == pytest.approx(25 / 55, abs=noise_bound(55))
    page = as_role(client, t).get(url(t)).content.decode()
    assert "counts in every group they chose" in page
    assert "Not answered or prefer not to say" in page


def test_a_rare_combination_is_never_a_cell_of_its_own(two_tenants: dict[str, Any]) -> None:
    # 3 people chose both Asian and White: each group's count is its own records' (the 3
    # included), perturbed; no published cell counts the 3 alone.
    t = two_tenants
    asian = add(t, 30, {"race_ethnicity": ["asian"]}, high=15, start=0)
    white = add(t, 40, {"race_ethnicity": ["white"]}, high=20, start=100)
    both = add(t, 3, {"race_ethnicity": ["asian", "white"]}, high=1, start=200)
    with audit.recording() as ledger:
        rows = rows_by_key(build(t, {"breakdown": "race_ethnicity"}))
    assert rows["asian"].estimate.n == expected_count(asian + both)
    assert rows["white"].estimate.n == expected_count(white + both)
    alone = key_sum(both)
    assert (alone.n, alone.key) not in ledger.values
    assert (1, key_sum(both[:1]).key) not in ledger.values  # nor its one in the top group


@pytest.mark.usefixtures("shares_from_counts")
def test_families_without_program_improvement_consent_are_not_counted(
    two_tenants: dict[str, Any],
) -> None:
    t = two_tenants
    counted = add(t, 80, {"disability": "yes"}, high=40, start=0)
    add(t, 60, {"disability": "no"}, high=30, start=100)
    add(t, 25, {"disability": "yes"}, high=25, start=200, consent=(ConsentPurpose.CARE,))
    rows = rows_by_key(build(t, {"breakdown": "disability"}))
    assert_published(rows["yes"].estimate, expected_share(top(counted, 40), counted))
    assert rows["yes"].estimate.estimate == pytest.approx(0.5, abs=noise_bound(80))


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
    assert rows["en"].estimate.n == expected_count(english)
    assert rows["es"].estimate.n == expected_count(spanish)
    rows = rows_by_key(build(t, {"breakdown": "child_age"}))
    assert rows["1-5"].estimate.n == expected_count(english)
    assert rows["not_answered"].estimate.n == expected_count(spanish)


@pytest.mark.usefixtures("shares_from_counts")
def test_one_programs_groups_cover_all_years_and_all_programs_follow_the_period(
    two_tenants: dict[str, Any], time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime(2026, 8, 15, 12, tzinfo=dt.UTC), tick=False)
    t = two_tenants
    spring = dt.datetime(2026, 5, 10, 12, tzinfo=dt.UTC)  # 2026 Q2
    winter = dt.datetime(2026, 2, 10, 12, tzinfo=dt.UTC)  # 2026 Q1
    last_year = dt.datetime(2025, 10, 10, 12, tzinfo=dt.UTC)  # 2025 Q4
    quarter = add(t, 60, {"income": "<25k"}, high=30, start=0, when=spring)
    earlier = add(t, 60, {"income": "<25k"}, high=20, start=100, when=winter)
    before = add(t, 30, {"income": "<25k"}, high=10, start=300, when=last_year)
    north = add(
        t, 40, {"income": "<25k"}, high=20, start=200, when=spring, program=t["other_program_a"]
    )
    program = str(t["program_a"].public_id)
    every_year = quarter + earlier + before
    for period in ("2026-Q2", "2026", "all"):
        data = build(t, {"breakdown": "income", "period": period, "program": program})
        rows = rows_by_key(data)
        # the program's groups over all years, whichever period: the same records, the
        # same published numbers
        yes = top(quarter, 30) + top(earlier, 20) + top(before, 10)
        assert_published(rows["<25k"].estimate, expected_share(yes, every_year))
        assert data.equity.overall.n == expected_count(every_year)
        if period == "all":
            assert data.equity.period_note == data.equity.period_label == ""
        else:
            assert "over all years (2022–2026)" in data.equity.period_note
            assert data.equity.period_label.startswith("All years")
            # the rest of the page follows the chosen period
            assert data.bands[-1].n != data.equity.overall.n
    # all programs: the groups follow the period
    data = build(t, {"breakdown": "income", "period": "2026-Q2"})
    assert rows_by_key(data)["<25k"].estimate.n == expected_count(quarter + north)
    assert data.equity.period_note == ""
    year = build(t, {"breakdown": "income", "period": "2026"})
    assert rows_by_key(year)["<25k"].estimate.n == expected_count(quarter + earlier + north)


def test_an_unknown_breakdown_or_outcome_falls_back(two_tenants: dict[str, Any]) -> None:
    add(two_tenants, 30, {"income": "<25k"}, high=10, start=0)
    data = build(two_tenants, {"breakdown": "shoe_size", "outcome": "bb_relationships"})
    assert data.equity.breakdown == "race_ethnicity"
    assert data.equity.outcome == "bb_relationships"
    assert next(o.id for o in data.equity.outcomes) == "top_band"
    assert equity_module.method_text().startswith("A gap is flagged")


def test_an_outsider_still_gets_404(client: Client, two_tenants: dict[str, Any]) -> None:
    add(two_tenants, 30, {"income": "<25k"}, high=10, start=0)
    f.login_verified(client, two_tenants["members_b"][Role.ORG_ADMIN])
    assert client.get(url(two_tenants, "?breakdown=income")).status_code == 404
    assert client.get(url(two_tenants, "?breakdown=income&format=csv")).status_code == 404
