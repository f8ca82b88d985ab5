"""The dashboard's headline (respondents, each group and building block with its interval,
the change since the previous period) and its trend (the quarters with answers, pooled into
half-years or years when quarters are too small). Time is frozen in 2026 Q3: the horizon is
2022-2026 and every date below is fixed."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import pytest
from django.test import Client

from hopeful.web.insights import formatting
from hopeful.web.insights.headline import Z95
from tests.web.insights.factories import (
    add_group,
    as_role,
    assert_published,
    build,
    csv_rows,
    expected_count,
    expected_share,
    tenant,
    url,
)

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 8, 15, 12, tzinfo=dt.UTC)


@pytest.fixture
def frozen(time_machine: Any) -> None:
    time_machine.move_to(TODAY, tick=False)


def in_quarter(year: int, quarter: int) -> dt.datetime:
    """The middle of a quarter (its second month, the 10th, at noon)."""
    return dt.datetime(year, quarter * 3 - 1, 10, 12, tzinfo=dt.UTC)


def add(t: dict[str, Any], year: int, quarter: int, count: int, high: int, start: int) -> list[Any]:
    """``count`` respondents of A's main site in a quarter, the first ``high`` answering every
    experience (the top group, every block met), the others none."""
    program, campaign, link = tenant(t)
    return add_group(
        program, campaign, link, count, high=high, start=start, when=in_quarter(year, quarter)
    )


def same(a: Any, b: Any) -> None:
    """Two published shares are the same numbers."""
    assert (a.estimate, a.ci_low, a.ci_high, a.n, a.yes) == (
        b.estimate,
        b.ci_low,
        b.ci_high,
        b.n,
        b.yes,
    )


# -- the headline ----------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen")
@pytest.mark.usefixtures("shares_from_counts")
def test_the_headline_has_respondents_each_group_and_block_with_intervals_and_the_change(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    before = add(t, 2026, 1, 60, high=15, start=0)  # 25% in the top group
    now = add(t, 2026, 2, 60, high=45, start=100)  # 75%
    data = build(t, {"period": "2026-Q2"})
    headline = data.headline
    assert headline is not None
    assert headline.respondents == data.respondents == expected_count(now)
    assert [r.estimate.label for r in headline.bands] == ["0-2", "3-5", "6-7"]
    assert [r.estimate.key for r in headline.blocks] == [e.key for e in data.blocks]
    assert [r.estimate for r in headline.rows] == [*data.bands, *data.blocks]
    assert_published(headline.bands[-1].estimate, expected_share(now[:45], now))
    assert headline.compared == "2026 Q2 compared with 2026 Q1"

    # the change: each share against the same share of the previous quarter's view
    previous = build(t, {"period": "2026-Q1"})
    assert_published(previous.bands[-1], expected_share(before[:15], before))
    for row, earlier in zip(headline.rows, [*previous.bands, *previous.blocks], strict=True):
        change = row.change
        assert change is not None
        same(change.now, row.estimate)
        same(change.before, earlier)
        assert (change.now_label, change.before_label) == ("2026 Q2", "2026 Q1")
        if not (row.estimate.shown and earlier.shown):
            assert change.difference is None
            continue
        difference = row.estimate.estimate - earlier.estimate
        half = Z95 * math.sqrt(row.estimate.se**2 + earlier.se**2)
        assert change.difference == pytest.approx(difference, rel=1e-12)
        if half == 0:  # 0% (or 100%) both times: no interval to give
            assert (change.ci_low, change.ci_high) == (None, None)
            continue
        assert change.ci_low == pytest.approx(difference - half, rel=1e-12)
        assert change.ci_high == pytest.approx(difference + half, rel=1e-12)
    top = headline.bands[-1].change
    assert top.clear
    assert top.difference > 0
    middle = headline.bands[1].change  # no one in 3-5 in either quarter: 0% both times
    assert middle.difference == 0.0
    assert not middle.clear

    page = as_role(client, t).get(url(t, "?period=2026-Q2")).content.decode()
    section = page[page.index('id="headline"') : page.index('id="reach"')]
    assert "2026 Q2 compared with 2026 Q1" in section
    assert f">{formatting.count_text(headline.respondents)}<" in section
    for row in headline.rows:
        e = row.estimate
        name = f"{e.label} (group)" if row.section == "band" else f"{e.label} met"
        cells = re.search(rf"<th scope=\"row\">{re.escape(name)}</th>(.*?)</tr>", section, re.S)
        assert cells, name
        if e.shown:
            assert formatting.value_text(e.estimate) in cells.group(1)
            assert formatting.ci_text(e) in cells.group(1)
        if row.change.difference is not None:
            text = formatting.change_text(
                row.change.difference, row.change.ci_low, row.change.ci_high
            )
            assert text in cells.group(1)
    assert "(clear)" in section
    # and in the export, one row per change
    exported = [
        r
        for r in csv_rows(as_role(client, t).get(url(t, "?period=2026-Q2&format=csv")))
        if r[0] == "change"
    ]
    assert [r[3] for r in exported] == [r.estimate.label for r in headline.rows]
    assert {r[4] for r in exported} == {"2026 Q2 / 2026 Q1"}
    top_row = next(r for r in exported if r[3] == "6-7")
    assert float(top_row[6]) == pytest.approx(top.difference, abs=5e-7)


@pytest.mark.usefixtures("frozen")
def test_a_change_needs_answers_in_the_previous_period(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    add(t, 2026, 2, 60, high=45, start=0)
    data = build(t, {"period": "2026-Q2"})
    assert data.headline.compared == "2026 Q2 compared with 2026 Q1"
    assert all(r.change is not None and r.change.difference is None for r in data.headline.rows)
    assert all(not r.change.before.shown for r in data.headline.rows)
    # all years: the latest year with answers against the year before
    everything = build(t)
    assert everything.headline.compared == "2026 compared with 2025"
    # the horizon's first quarter has nothing before it: no change at all
    first = build(t, {"period": "2022-Q1"})
    assert first.headline.compared == ""
    assert all(r.change is None for r in first.headline.rows)


# -- the trend -------------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen")
@pytest.mark.usefixtures("shares_from_counts")
def test_the_trend_spans_the_quarters_with_answers_and_matches_each_quarters_view(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    add(t, 2025, 3, 60, high=20, start=0)
    add(t, 2026, 1, 60, high=30, start=100)
    spring = add(t, 2026, 2, 60, high=40, start=200)
    data = build(t)
    trend = data.trend
    assert trend is not None
    assert (trend.step, trend.pooled_note, trend.kind) == ("quarter", "", "proportion")
    assert trend.title == "Share in the top group (6-7)"
    # from the first quarter with answers to the last: 2025 Q4 is empty but inside
    assert [p.estimate.label for p in trend.points] == ["2025 Q3", "2025 Q4", "2026 Q1", "2026 Q2"]
    assert [p.month for p in trend.points] == [
        dt.date(2025, 7, 1),
        dt.date(2025, 10, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 4, 1),
    ]
    empty = trend.points[1].estimate
    assert not empty.shown
    assert empty.n.value == 0
    # each point is the same share as its quarter's own view (the same records)
    for point in trend.points:
        if point.estimate.n.value == 0:
            continue
        year, quarter = point.estimate.label.split(" Q")
        view = build(t, {"period": f"{year}-Q{quarter}"})
        assert point.estimate.shown
        same(point.estimate, view.bands[-1])
    assert_published(trend.points[-1].estimate, expected_share(spring[:40], spring))
    # a year's trend: that year's quarters with answers
    year = build(t, {"period": "2026"})
    assert [p.estimate.label for p in year.trend.points] == ["2026 Q1", "2026 Q2"]

    page = as_role(client, t).get(url(t)).content.decode()
    section = page[page.index('id="trend"') : page.index('id="equity"')]
    labels = re.findall(r'<text class="axis-label"[^>]*>([^<]*)</text>', section)
    assert labels == ["2025 Q3", "2025 Q4", "2026 Q1", "2026 Q2"]
    for point in trend.points:
        if point.estimate.shown:
            assert formatting.ci_text(point.estimate) in section


@pytest.mark.usefixtures("frozen")
def test_a_single_quarter_with_answers_is_that_quarter(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    add(t, 2026, 2, 60, high=30, start=0)
    for query in ({}, {"period": "2026"}, {"period": "2026-Q2"}):
        trend = build(t, query).trend
        assert trend is not None
        assert [p.estimate.label for p in trend.points] == ["2026 Q2"], query
        assert (trend.step, trend.pooled_note) == ("quarter", ""), query
        assert trend.points[0].estimate.shown


@pytest.mark.usefixtures("frozen")
@pytest.mark.usefixtures("shares_from_counts")
def test_small_quarters_are_pooled_into_half_years(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    winter = add(t, 2025, 1, 60, high=30, start=0)
    spring = add(t, 2025, 2, 20, high=6, start=100)  # 6 in the top group: never shown alone
    summer = add(t, 2025, 3, 60, high=30, start=200)
    autumn = add(t, 2025, 4, 60, high=30, start=300)
    quarter = build(t, {"period": "2025-Q2"})
    assert not quarter.bands[-1].shown
    assert quarter.bands[-1].protected
    trend = build(t).trend
    assert trend.step == "half"
    assert trend.pooled_note == "Quarters have too few answers to show: shown by half-year."
    assert [p.estimate.label for p in trend.points] == ["2025 H1", "2025 H2"]
    assert [p.month for p in trend.points] == [dt.date(2025, 1, 1), dt.date(2025, 7, 1)]
    assert all(p.estimate.shown for p in trend.points)
    assert_published(
        trend.points[0].estimate, expected_share(winter[:30] + spring[:6], winter + spring)
    )
    assert_published(
        trend.points[1].estimate, expected_share(summer[:30] + autumn[:30], summer + autumn)
    )
    client = as_role(client, t)
    page = client.get(url(t)).content.decode()
    section = page[page.index('id="trend"') : page.index('id="equity"')]
    assert trend.pooled_note in section
    assert re.findall(r'<text class="axis-label"[^>]*>([^<]*)</text>', section) == [
        "2025 H1",
        "2025 H2",
    ]
    rows = [r for r in csv_rows(client.get(url(t, "?format=csv"))) if r[0] == "trend"]
    assert [r[3] for r in rows] == ["2025 H1", "2025 H2"]
    assert all(trend.pooled_note in r[9] for r in rows)


@pytest.mark.usefixtures("frozen")
@pytest.mark.usefixtures("shares_from_counts")
def test_small_half_years_are_pooled_into_years(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    spring = add(t, 2024, 2, 60, high=30, start=0)
    summer = add(t, 2024, 3, 20, high=6, start=100)  # alone in its half-year: never shown
    winter = add(t, 2025, 1, 60, high=30, start=200)
    trend = build(t).trend
    assert trend.step == "year"
    assert trend.pooled_note == "Quarters have too few answers to show: shown by year."
    assert [p.estimate.label for p in trend.points] == ["2024", "2025"]
    assert_published(
        trend.points[0].estimate, expected_share(spring[:30] + summer[:6], spring + summer)
    )
    assert_published(trend.points[1].estimate, expected_share(winter[:30], winter))
    # a year's point is the same share as that year's view
    same(trend.points[0].estimate, build(t, {"period": "2024"}).bands[-1])
    same(trend.points[1].estimate, build(t, {"period": "2025"}).bands[-1])


# -- an instrument without groups: the trend of the mean score ---------------------------------


@pytest.mark.usefixtures("frozen")
def test_an_instrument_without_groups_has_a_trend_of_its_mean_score(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    """BCE-10 has no published cut-off, so its trend is the mean score by period (this
    path once called its helper with the arguments in the wrong places and failed)."""
    from tests.web import factories as f
    from tests.web.practice.factories import make_submission

    t = two_tenants
    program = t["program_a"]
    campaign = f.make_campaign(
        t["org_a"], program, t["members_a"]["org_admin"], [{"id": "bce10", "version": "1.0"}]
    )
    link, _token = f.make_link(campaign, t["members_a"]["org_admin"])
    for year, quarter, yes in ((2026, 1, 4), (2026, 2, 8)):
        for i in range(40):
            family = f.make_family(t["org_a"], program, f"Family {year}-{quarter}-{i}")
            f.grant_consent(family, "care", "program_improvement")
            answers = {f"bce{k}": 1 if k <= yes else 2 for k in range(1, 11)}  # 1 Yes, 2 No
            make_submission(
                family,
                campaign,
                link,
                answers={"bce10": answers},
                submitted_at=in_quarter(year, quarter),
            )
    data = build(t, {"instrument": "bce10", "period": "2026-Q2"})
    trend = data.trend
    assert trend is not None
    assert trend.kind == "mean"
    assert trend.scale_max == 10.0
    shown = [p.estimate.estimate for p in trend.points if p.estimate.estimate is not None]
    # 4 and 8 Yes answers each: the published means are near them (perturbed counts)
    assert [round(mean) for mean in shown] == [4, 8]
    response = as_role(client, t).get(url(t, "?instrument=bce10&period=2026-Q2"))
    assert response.status_code == 200
