"""Shares estimated from every published count of their table
(:mod:`hopeful.web.insights.smoothing`): the same share shows the same number in every view,
it reads only counts published as numbers, and it comes from the table's least squares."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import numpy as np
import pytest

from hopeful.stats import KEY_RANGE
from hopeful.web.insights import audit, equity, protection, store
from hopeful.web.insights.selectors import clear_caches
from hopeful.web.surveys import demographics
from hopeful.web.surveys.models import CampaignLink, Submission
from tests.web.insights.factories import add_submissions, build, tenant

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 8, 15, 12, tzinfo=dt.UTC)


@pytest.fixture
def data(two_tenants: dict[str, Any], time_machine: Any) -> dict[str, Any]:
    """A's main site: 150 respondents over four quarters of 2026 and 2025, varied answers."""
    time_machine.move_to(TODAY, tick=False)
    program, campaign, link = tenant(two_tenants)
    months = [(2025, 11), (2026, 2), (2026, 5), (2026, 7)]
    for i, (year, month) in enumerate(months):
        when = dt.datetime(year, month, 10, tzinfo=dt.UTC)
        add_submissions(program, campaign, link, 40 if i else 30, when=when, start=100 * i)
    # seeded record keys (they are drawn at random when a row is written): the same
    # perturbations, and the same pages, on every run; and varied languages and answers
    # about the family, so that groups are not everyone
    rng = np.random.default_rng(20261206)
    questions = {
        k: [c for c, _l in q.choices][:2] for k, q in demographics.QUESTIONS_BY_KEY.items()
    }
    for i, row in enumerate(Submission.objects.order_by("pk")):
        row.language = "es" if i % 3 == 0 else "en"
        # each question splits the families its own way (no two groups the same families)
        row.demographics = {
            key: [codes[(i // (j + 1)) % 2]]
            if key == "race_ethnicity"
            else codes[(i // (j + 1)) % 2]
            for j, (key, codes) in enumerate(questions.items())
            if len(codes) == 2
        }
        row.save(update_fields=["language", "demographics"])
    for model in (Submission, CampaignLink):
        rows = list(model.objects.order_by("pk"))
        for row in rows:
            row.record_key = int(rng.integers(0, KEY_RANGE))
        model.objects.bulk_update(rows, ["record_key"])
    clear_caches()
    return two_tenants


def shown_shares(page: Any) -> dict[str, Any]:
    out = {}
    for e in [*page.items, *page.blocks, *page.bands, *page.rates]:
        if e.shown:
            out[e.key] = e
    return out


def test_a_share_shows_the_same_number_in_every_view_that_shows_it(data: dict[str, Any]) -> None:
    year = build(data, {"period": "2026"})
    top = year.bands[-1]
    assert top.shown
    for breakdown in ("race_ethnicity", "language", "income", "child_age"):
        page = build(data, {"period": "2026", "breakdown": breakdown})
        assert page.bands[-1].estimate == top.estimate
        assert page.equity is not None
        assert page.equity.overall.estimate == top.estimate
    # the trend (pooled by year: quarters have fewer than 11 in the top group) shows 2026 as
    # the 2026 view does, and 2026 in the view of all years' trend too
    assert year.trend is not None
    assert year.trend.step == "year"
    (point,) = year.trend.points
    assert point.estimate.shown
    assert point.estimate.estimate == top.estimate
    everything = build(data, {"period": "all"})
    assert everything.trend is not None
    assert everything.trend.points[-1].estimate.estimate == top.estimate


def test_shares_come_from_the_tables_not_from_their_two_counts(
    data: dict[str, Any], settings: Any
) -> None:
    smoothed = shown_shares(build(data, {"period": "2026"}))
    settings.HOPEFUL_SHARES_FROM_TABLES = False
    clear_caches()
    plain = shown_shares(build(data, {"period": "2026"}))
    common = sorted(set(smoothed) & set(plain))
    assert len(common) >= 10
    # the same counts are shown; the estimates differ (the table's least squares)
    assert all(smoothed[k].n == plain[k].n for k in common)
    assert sum(smoothed[k].estimate != plain[k].estimate for k in common) >= len(common) // 2
    # and stay within the perturbation's reach of the two counts' share
    for k in common:
        assert abs(smoothed[k].estimate - plain[k].estimate) < 0.1


def test_counts_shown_as_fewer_than_are_never_read(
    data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever a "fewer than 11" count's perturbed value is, no shown share changes: the
    estimates read only counts published as numbers."""
    pages = {q: build(data, {"period": q}) for q in ("all", "2026", "2026-Q3")}
    before = {q: shown_shares(p) for q, p in pages.items()}
    original = protection.perturbed

    def other_small_values(counts: Any, key_sums: Any, *, shown: bool = True) -> Any:
        out = original(counts, key_sums, shown=shown)
        small = (out > 0) & (out < protection.small_cell_threshold())
        return np.where(small, 11 - out, out)  # another value from 1 to 10

    monkeypatch.setattr(protection, "perturbed", other_small_values)
    clear_caches()
    for q in before:
        after = shown_shares(build(data, {"period": q}))
        assert after.keys() == before[q].keys()
        for key, estimate in after.items():
            assert estimate.estimate == before[q][key].estimate, (q, key)


def publish(
    data: dict[str, Any], periods: tuple[str, ...], breakdowns: list[str], outcomes: list[str]
) -> audit.Ledger:
    """Every view of all programs and A's main site for these filters, written down."""
    program = str(data["program_a"].public_id)
    with audit.recording() as ledger:
        for chosen, period, breakdown, outcome in itertools.product(
            ("", program), periods, breakdowns, outcomes
        ):
            query = {"program": chosen, "period": period, "breakdown": breakdown}
            build(data, {**query, "outcome": outcome})
    return ledger


@pytest.mark.one_database  # one number per share across views; the queries run on both databases elsewhere
def test_every_share_shows_one_number_across_every_view(data: dict[str, Any]) -> None:
    """Every program, period, breakdown and outcome: a share of the same records is shown
    with the same estimate wherever it appears (profile, headline, trend, equity)."""
    ledger = publish(
        data,
        ("all", "2026", "2025", "2026-Q1", "2026-Q3"),
        ["race_ethnicity", "language", "income", "child_age"],
        ["top_band", "bb_relationships"],
    )
    assert len(ledger.share_values) >= 20
    assert audit.inconsistent_shares(ledger) == []


@pytest.mark.audit
@pytest.mark.one_database  # which cached counts the tables read; the tables themselves are
# tested on both databases
def test_the_tables_read_only_counts_published_as_numbers(data: dict[str, Any]) -> None:
    """Publish every view a user can request (each program, period with answers, breakdown and
    outcome) and check that every count the tables read is one of them, shown as a number: a
    group's count of another band than the top one, say, is never read (it is never shown)."""
    threshold = protection.small_cell_threshold()
    blocks = ["bb_relationships", "bb_environment", "bb_engagement", "bb_emotional_growth"]
    ledger = publish(
        data,
        ("all", "2025", "2026", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"),
        list(equity.BREAKDOWNS),
        ["top_band", *blocks],
    )
    read: set[tuple[int, int]] = set()
    for _version, tables in store.TABLES.items.values():
        read |= tables.read
    assert len(read) > 50
    shown = {cell for cell, values in ledger.values.items() if min(values) >= threshold}
    assert read <= shown, sorted(read - shown)[:5]


def test_after_a_new_submission_only_its_groups_are_worked_out(
    data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next data version reuses the groups of the rows it already had (only the new
    row's are worked out), and they are exactly what working every row out again gives."""
    build(data, {"breakdown": "income"})
    program, campaign, link = tenant(data)
    (new,) = add_submissions(program, campaign, link, 1, start=900)
    new.demographics = {"income": "<25k", "race_ethnicity": ["asian", "white"]}
    new.save(update_fields=["demographics"])
    rows_read: dict[str, list[int]] = {}
    original = equity.group_matrix

    def counting(breakdown: str, table: Any) -> Any:
        rows_read.setdefault(breakdown, []).append(len(table))
        return original(breakdown, table)

    monkeypatch.setattr(equity, "group_matrix", counting)
    build(data, {"breakdown": "income"})
    ((_version, tables),) = store.TABLES.items.values()
    assert tables._table["sid"].iloc[-1] == new.pk
    assert rows_read["gender"] == [1]  # the new row only
    assert rows_read["child_age"][0] == len(tables._table)  # a child added changes old rows
    for breakdown in ("income", "race_ethnicity", "language", "child_age", "zip3"):
        np.testing.assert_array_equal(
            tables._groups(breakdown), original(breakdown, tables._table)[1]
        )
